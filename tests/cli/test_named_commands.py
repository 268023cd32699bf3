"""Every ``quizcalc …`` command a message or docstring names exists in the click CLI.

The TUI once told the learner to "Run `quizcalc lint`", a command that never existed.
"""

from __future__ import annotations

import re

import click

from quizcalc.cli.main import cli
from tests.conftest import REPO_ROOT

QUOTED = re.compile(r"``?quizcalc ([^`\n]+?)``?")
"""``quizcalc …`` in backticks, in a message or a docstring."""
EXAMPLE = re.compile(r"^\s{4,}(?:\$ )?quizcalc ((?:[a-z-]+)(?: .*)?)$", re.MULTILINE)
"""An indented command-line example in a module docstring."""
NOT_COMMANDS = {"id"}
"""Words after "quizcalc" that are not a command (``quizcalc id`` is a CSV column)."""
COMMAND_WORD = re.compile(r"-{0,2}[a-z][a-z-]*")
"""A command or option; note types (``quizcalc Basic``) and ``quizcalc …`` are not."""
ALWAYS = {"--help", "-h", "--version", "-V"}
"""Options click adds itself (not in a command's ``params``)."""


def named_commands() -> list[tuple[str, str]]:
    """(where, the words after ``quizcalc``) for every command the package's text names."""
    found = []
    for path in sorted((REPO_ROOT / "quizcalc").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for pattern in (QUOTED, EXAMPLE):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                words = match.group(1).split("#")[0].split()
                if words and words[0] not in NOT_COMMANDS and COMMAND_WORD.fullmatch(words[0]):
                    found.append((f"{path.relative_to(REPO_ROOT)}:{line}", " ".join(words)))
    return found


def unknown_part(words: list[str]) -> str | None:
    """What in ``quizcalc <words>`` the CLI does not have (None when it all exists)."""
    command: click.Command = cli
    for index, word in enumerate(words):
        if isinstance(command, click.Group) and not word.startswith("-"):
            sub = command.commands.get(word)
            if sub is None:
                return f"no command {' '.join(words[: index + 1])!r}"
            command = sub
            continue
        if word.startswith("--"):
            names = ALWAYS | {name for param in command.params for name in param.opts}
            if word.split("=")[0] not in names:
                return f"no option {word!r} on {command.name!r}"
    return None


def test_the_scan_finds_the_commands_messages_name() -> None:
    named = {words for _where, words in named_commands()}
    assert {"problems list", "stats --demo", "cards list"} <= named


def test_every_named_command_exists() -> None:
    wrong = [
        f"{where}: quizcalc {words}: {problem}"
        for where, words in named_commands()
        if (problem := unknown_part(words.split())) is not None
    ]
    assert wrong == []


def test_unknown_commands_are_caught() -> None:
    assert unknown_part(["lint"]) == "no command 'lint'"
    assert unknown_part(["cards", "check", "content/"]) is None
    assert unknown_part(["stats", "--nope"]) == "no option '--nope' on 'stats'"
    assert unknown_part(["cards", "lint"]) == "no command 'cards lint'"
