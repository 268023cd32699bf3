"""Which command opens a file at a line in the learner's editor (``$VISUAL``, else ``$EDITOR``).

Editors disagree on how to be told the line: vi, Vim, Neovim, nano, Emacs, micro, Kakoune,
joe, ne, mg and most others take ``+LINE FILE``; VS Code (and its forks) ``-g FILE:LINE``;
Sublime Text, Zed and Helix ``FILE:LINE``. An editor named with its own options
(``code -w``, ``emacsclient -t``) keeps them. A command that cannot be split (an unclosed
quote) is refused with a line naming the variable.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath

__all__ = ["EditorCommand", "NoEditor", "editor_command"]

_GOTO_FLAG = {"code", "code-insiders", "codium", "vscodium", "cursor", "windsurf"}
"""Take ``-g FILE:LINE``."""
_COLON = {"subl", "sublime_text", "zed", "zeditor", "hx", "helix"}
"""Take ``FILE:LINE``."""


class NoEditor(Exception):
    """Neither variable names an editor that can be run; the message says what to set."""


@dataclass(frozen=True)
class EditorCommand:
    """The command line, and which variable it came from (for messages)."""

    argv: list[str]
    variable: str
    """``VISUAL`` or ``EDITOR``."""


def editor_command(environ: Mapping[str, str], file: Path, line: int) -> EditorCommand:
    """The command that opens ``file`` at ``line`` (see the module docstring)."""
    for variable in ("VISUAL", "EDITOR"):
        value = environ.get(variable, "").strip()
        if not value:
            continue
        try:
            words = shlex.split(value)
        except ValueError as exc:
            raise NoEditor(f"${variable} ({value!r}) cannot be read as a command: {exc}") from exc
        if not words:
            continue
        name = PurePath(words[0]).name.lower().removesuffix(".exe")
        if name in _GOTO_FLAG:
            tail = ["-g", f"{file}:{line}"]
        elif name in _COLON:
            tail = [f"{file}:{line}"]
        else:
            tail = [f"+{line}", str(file)]
        return EditorCommand([*words, *tail], variable)
    raise NoEditor(
        "no editor is set: set VISUAL or EDITOR to the command of your editor "
        "(for example EDITOR=nano or EDITOR='code -w'), then press e again"
    )
