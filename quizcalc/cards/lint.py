"""Read card files and folders, and report every problem as ``file:line: message``."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from pathlib import Path

from quizcalc.cards.duplicates import DuplicateFilter
from quizcalc.cards.model import Card, LintMessage, ParseResult
from quizcalc.cards.parser import parse_document

__all__ = [
    "CARD_FILE_SUFFIXES",
    "SKIPPED_FILE_NAMES",
    "find_card_files",
    "lint_paths",
    "parse_paths",
    "read_card_file",
]

CARD_FILE_SUFFIXES = (".md", ".markdown", ".txt")
"""Files picked up inside a folder (a file named explicitly is read whatever its suffix)."""
SKIPPED_FILE_NAMES = frozenset({"FORMAT.md", "README.md"})
"""Documentation inside a content folder, not cards."""

WHOLE_FILE = 0
"""The line number of a message about a whole file (printed as ``file: message``)."""


def find_card_files(folder: Path, suffixes: Collection[str] = CARD_FILE_SUFFIXES) -> list[Path]:
    """Card files under ``folder``, recursively, in a stable order; hidden folders skipped.

    ``suffixes`` (lower case, with the dot) are the files taken: Markdown and plain text by
    default; an import adds Anki's.
    """
    return sorted(
        path
        for path in folder.rglob("*")
        if path.suffix.lower() in suffixes
        and path.name not in SKIPPED_FILE_NAMES
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
        and path.is_file()
    )


def read_card_file(
    path: Path, max_bytes: int | None = None
) -> tuple[str | None, LintMessage | None]:
    """The file's text, or None and a message saying what is wrong and what to do.

    A file larger than ``max_bytes`` (when given) is not read: the message names the cap and
    the setting that raises it (``import_max_file_mib``).
    """
    try:
        if max_bytes is None:
            data = path.read_bytes()
        else:
            with path.open("rb") as handle:
                data = handle.read(max_bytes + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return None, LintMessage(
            str(path), WHOLE_FILE, f"cannot read this file ({reason}); check it and its permissions"
        )
    if max_bytes is not None and len(data) > max_bytes:
        mib = max_bytes / (1024 * 1024)
        return None, LintMessage(
            str(path),
            WHOLE_FILE,
            f"the file is larger than {mib:g} MiB (import_max_file_mib); raise it in "
            "config.toml if you trust this file",
        )
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        message = f"not UTF-8 text (byte 0x{byte:02x} on this line); re-save the file as UTF-8"
        return None, LintMessage(str(path), line, message)


def _files_of(path: Path, problems: list[LintMessage]) -> list[Path]:
    if path.is_dir():
        files = find_card_files(path)
        if not files:
            kinds = ", ".join(f"*{suffix}" for suffix in CARD_FILE_SUFFIXES)
            problems.append(LintMessage(str(path), WHOLE_FILE, f"no card files ({kinds}) here"))
        return files
    if path.exists():
        return [path]
    problems.append(LintMessage(str(path), WHOLE_FILE, "no such file or folder; check the path"))
    return []


def parse_paths(
    paths: Iterable[Path | str],
    known_families: Collection[str] | None = None,
    max_bytes: int | None = None,
) -> ParseResult:
    """Parse files and folders (recursively) together: all their cards and all problems.

    A card whose id was already used, in the same file or an earlier one, is dropped and
    reported; a file reached twice (named and inside a named folder) is read once. A file
    larger than ``max_bytes`` (when given) is not read, and is reported.
    """
    cards: list[Card] = []
    problems: list[LintMessage] = []
    duplicates = DuplicateFilter()
    seen: set[Path] = set()
    for given in paths:
        for file in _files_of(Path(given), problems):
            key = file.resolve()
            if key in seen:
                continue
            seen.add(key)
            text, unreadable = read_card_file(file, max_bytes)
            if unreadable is not None or text is None:
                problems.extend([unreadable] if unreadable else [])
                continue
            result = parse_document(text, str(file), known_families=known_families)
            file_problems = list(result.problems)
            cards.extend(duplicates.keep(result.cards, file_problems))
            problems.extend(sorted(file_problems, key=lambda p: p.line))
    return ParseResult(cards, problems)


def lint_paths(
    paths: Iterable[Path | str],
    known_families: Collection[str] | None = None,
    max_bytes: int | None = None,
) -> list[LintMessage]:
    """Every problem in the card files at ``paths`` (files or folders); empty when clean.

    Reports card syntax problems (Q without an answer, a stray ``A:``, empty or missing cloze
    deletions, bad front matter or problem blocks), duplicate ids within and across files,
    unknown problem families (only when ``known_families`` is given), unreadable or non-UTF-8
    files, files larger than ``max_bytes`` (when given) and missing paths. Messages name the
    path as given: ``content/x.md:12: ...``.
    """
    return parse_paths(paths, known_families, max_bytes).problems
