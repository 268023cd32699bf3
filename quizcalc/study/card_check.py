"""``quizcalc cards check``: what a sync or an import would report for the files given.

Markdown files and folders are linted by the card parser's rules
(:func:`quizcalc.cards.lint_paths`); a file of a foreign format (``.apkg``, ``.colpkg``,
``.csv``, ``.tsv``, a ``.txt`` Anki exported) is read by the importer's own reader in a dry
run, so its problems are exactly the lines ``quizcalc import`` would print. Nothing is stored.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

from quizcalc.cards import lint_paths
from quizcalc.cards.lint import CARD_FILE_SUFFIXES, find_card_files
from quizcalc.exchange.imports import IMPORT_SUFFIXES, Reader, reader_for
from quizcalc.exchange.limits import ImportLimits
from quizcalc.exchange.model import ExchangeError

__all__ = ["check_card_paths"]


def check_card_paths(
    paths: Sequence[Path], known_families: Collection[str], limits: ImportLimits
) -> list[str]:
    """Every problem in ``paths``, one line each (``file:line: message``, or ``file: message``).

    Card files come first (linted together, so an id used in two of them is found), then each
    foreign file in the order given: a file its reader refuses whole is one line (why, and
    what to do), a file it reads reports the rows or notes it skipped and its warnings. A
    folder is read as ``quizcalc import`` reads it: its Markdown and its Anki files alike.
    """
    card_files: list[Path] = []
    foreign: list[tuple[Path, Reader]] = []
    for path in paths:
        for file in _files_in(path):
            reader = reader_for(file) if file.is_file() else None
            if reader is None:
                card_files.append(file)
            else:
                foreign.append((file, reader))
    lines: list[str] = []
    if card_files:
        problems = lint_paths(card_files, known_families, limits.max_file_bytes)
        lines.extend(str(problem) for problem in problems)
    for path, reader in foreign:
        try:
            deck = reader(path, limits)
        except ExchangeError as exc:
            lines.append(str(exc))
            continue
        lines.extend(str(problem) for problem in deck.problems)
    return lines


def _files_in(path: Path) -> list[Path]:
    """``path`` itself, or a folder's card and Anki files (the folder itself when it holds
    none, so that the linter says so)."""
    if not path.is_dir():
        return [path]
    return find_card_files(path, (*CARD_FILE_SUFFIXES, *IMPORT_SUFFIXES)) or [path]
