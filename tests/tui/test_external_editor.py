"""`e` runs ``$VISUAL`` (else ``$EDITOR``) with the line the way each editor takes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizcalc.tui.external_editor import NoEditor, editor_command

FILE = Path("/notes/calculus.md")


@pytest.mark.parametrize(
    ("editor", "argv"),
    [
        ("vi", ["vi", "+7", str(FILE)]),
        ("/usr/bin/nvim", ["/usr/bin/nvim", "+7", str(FILE)]),
        ("nano", ["nano", "+7", str(FILE)]),
        ("emacsclient -t", ["emacsclient", "-t", "+7", str(FILE)]),
        ("code -w", ["code", "-w", "-g", f"{FILE}:7"]),
        ("codium --wait", ["codium", "--wait", "-g", f"{FILE}:7"]),
        ("subl -w", ["subl", "-w", f"{FILE}:7"]),
        ("hx", ["hx", f"{FILE}:7"]),
        ("'/opt/My Editor/ed' --flag", ["/opt/My Editor/ed", "--flag", "+7", str(FILE)]),
    ],
)
def test_each_editor_gets_the_line_its_own_way(editor: str, argv: list[str]) -> None:
    command = editor_command({"EDITOR": editor}, FILE, 7)
    assert (command.argv, command.variable) == (argv, "EDITOR")


def test_visual_comes_before_editor_and_blank_is_unset() -> None:
    assert editor_command({"VISUAL": "code -w", "EDITOR": "vi"}, FILE, 3).variable == "VISUAL"
    assert editor_command({"VISUAL": "  ", "EDITOR": "vi"}, FILE, 3).argv[0] == "vi"


def test_no_editor_or_an_unreadable_one_is_one_clear_line() -> None:
    with pytest.raises(NoEditor, match="set VISUAL or EDITOR to the command of your editor"):
        editor_command({}, FILE, 1)
    with pytest.raises(NoEditor, match=r"\$EDITOR \('code \"-w'\) cannot be read as a command"):
        editor_command({"EDITOR": 'code "-w'}, FILE, 1)
