"""Find and parse a source's card files: the reading half of a sync (no database, no lock).

:func:`find_source_files` lists a source's files and their :func:`fingerprint` (cheap change
detection); :func:`parse_source` reads and parses them, outside any transaction (a
20,000-card file takes seconds), for :func:`~quizcalc.study.sync.sync_source` to write in one
short write transaction. A file with problems is still read, but its cards are *kept*: the
sync retires none of them until it is fixed (:data:`NOT_FULLY_READ`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from quizcalc.cards import Card, parse_document
from quizcalc.cards.duplicates import DuplicateFilter
from quizcalc.cards.lint import CARD_FILE_SUFFIXES, find_card_files, read_card_file
from quizcalc.cards.model import LintMessage
from quizcalc.exchange.anki_identity import AnkiIdentity
from quizcalc.exchange.imports import IMPORT_SUFFIXES, reader_for
from quizcalc.exchange.limits import ImportLimits, ImportTooLarge, check_cards
from quizcalc.exchange.model import ExchangeCard, ExchangeError
from quizcalc.problems.catalog import FAMILY_NAMES
from quizcalc.study.errors import SourceUnavailable

__all__ = [
    "NOT_FULLY_READ",
    "PARSER_EPOCH",
    "ParsedSource",
    "SourceFiles",
    "SourceScan",
    "SyncProgress",
    "collect_files",
    "find_source_files",
    "fingerprint",
    "ids_in_file",
    "parse_source",
]

PARSER_EPOCH = "4"
"""Bump when the parser's output changes, so unchanged files are parsed again once."""

NOT_FULLY_READ = "; this file's cards are kept as they were until it is fixed"
"""Ends the first problem of a card file with problems: a sync retires none of its cards."""


@dataclass
class SourceScan:
    """What reading a source's files found: its cards, problems, and the files to keep."""

    cards: list[Card] = field(default_factory=list)
    """The cards read, duplicates within the source dropped (and reported)."""
    problems: list[str] = field(default_factory=list)
    """One line per problem found, naming the file (and line)."""
    unreadable: set[str] = field(default_factory=set)
    """Files whose cards are kept as they were: unreadable, or not fully parsed."""
    kept: set[str] = field(default_factory=set)
    """Foreign files that skipped rows or notes: their cards are kept as they were too."""
    progress: dict[str, ExchangeCard] = field(default_factory=dict)
    """Schedules and review logs a foreign file (an Anki package) carries, by card id."""
    identity: dict[str, AnkiIdentity] = field(default_factory=dict)
    """The Anki note (GUID, note type, fields) and ordinal of each card from an Anki package."""
    refused: list[str] = field(default_factory=list)
    """One line per card file not read at all (not text, too large, unreadable): an import
    of it fails whole, where a sync keeps the cards it had."""


@dataclass(frozen=True)
class SourceFiles:
    """One source's files as found on disk, and their fingerprint."""

    role: str
    """``"content"`` (the learner's folder), ``"bundled"`` (a shipped deck) or ``"import"``."""
    path: Path
    """The source's resolved path."""
    files: list[Path]
    """Its card files."""
    stamp: str
    """Their :func:`fingerprint`."""


@dataclass(frozen=True)
class ParsedSource:
    """A source's files and the cards parsed from them, ready for ``sync.sync_source``."""

    found: SourceFiles
    """The source's files, as found on disk."""
    scan: SourceScan
    """What reading them found."""


def collect_files(path: Path, *, foreign: bool = False) -> list[Path]:
    """The card files under ``path`` (itself, when it is a file), by lint's rules.

    With ``foreign``, a folder's Anki files (``.csv``, ``.tsv``, ``.apkg``) are read too: an
    imported folder takes them, the content folder (where exports may land) does not.
    """
    if path.is_file():
        return [path]
    if path.is_dir():
        if foreign:
            return find_card_files(path, (*CARD_FILE_SUFFIXES, *IMPORT_SUFFIXES))
        return find_card_files(path)
    raise SourceUnavailable(f"{path}: no such file or folder; check the path (it was skipped).")


def fingerprint(files: Sequence[Path]) -> str:
    """A hash of the files' paths, sizes and modification times (cheap change detection)."""
    digest = hashlib.sha256(PARSER_EPOCH.encode())
    for file in files:
        try:
            stat = file.stat()
        except OSError:
            digest.update(f"{file}\0missing".encode())
            continue
        digest.update(f"{file}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


SyncProgress = Callable[[int, int], None]
"""Called with (done, in all): files read while a source is parsed, or cards stored."""


IMPORTABLE = "Markdown (.md), Anki text (.csv, .tsv, .txt) or an Anki package (.apkg, .colpkg)"
"""The kinds of file ``quizcalc import`` reads, for messages."""


def _refusal(file: Path, problem: LintMessage) -> str:
    """Why ``file`` was not read; for a kind of file quizcalc does not know, what it reads."""
    if problem.line <= 0 or file.suffix.lower() in (*CARD_FILE_SUFFIXES, *IMPORT_SUFFIXES):
        return str(problem)  # a whole-file problem (permissions), or a card file not in UTF-8
    return f"{file}: not a card file quizcalc can read; it imports {IMPORTABLE}"


def _scan(
    files: Sequence[Path], progress: SyncProgress | None = None, limits: ImportLimits | None = None
) -> SourceScan:
    limits = limits or ImportLimits()
    scan = SourceScan()
    duplicates = DuplicateFilter()
    for done, file in enumerate(files):
        if progress is not None:
            progress(done, len(files))
        reader = reader_for(file)
        if reader is not None:
            try:
                foreign = reader(file, limits)
            except ExchangeError as exc:
                raise SourceUnavailable(f"{exc} (nothing imported)") from exc
            problems = list(foreign.problems)
            scan.cards.extend(duplicates.keep(foreign.cards, problems))
            messages = [str(problem) for problem in problems]
            if foreign.skipped:  # its cards are kept; the file is not read again each start
                scan.kept.add(str(file))
                messages[0] += NOT_FULLY_READ
            scan.problems.extend(messages)
            scan.progress.update(foreign.progress)
            scan.identity.update(foreign.identity)
            continue
        text, unreadable = read_card_file(file, limits.max_file_bytes)
        if text is None:
            scan.unreadable.add(str(file))
            if unreadable is not None:
                scan.refused.append(_refusal(file, unreadable))
                scan.problems.append(f"{unreadable} (file skipped, its cards kept)")
            continue
        result = parse_document(text, source=str(file), known_families=FAMILY_NAMES)
        try:
            check_cards(file, result.cards, limits)
        except ImportTooLarge as exc:
            scan.unreadable.add(str(file))
            scan.refused.append(str(exc))
            scan.problems.append(f"{exc} (file skipped, its cards kept)")
            continue
        problems = list(result.problems)
        scan.cards.extend(duplicates.keep(result.cards, problems))
        messages = [str(problem) for problem in problems]
        if result.problems:  # some of its text did not become cards: retire none of them
            scan.unreadable.add(str(file))
            messages[0] += NOT_FULLY_READ
        scan.problems.extend(messages)
    return scan


def ids_in_file(path: Path) -> set[str] | None:
    """The card ids ``path`` holds now (none when it is gone); None unless read in full."""
    if not path.exists():
        return set()
    try:
        scan = _scan([path])
    except SourceUnavailable:
        return None
    if scan.unreadable or scan.problems:
        return None
    return {card.id for card in scan.cards}


def find_source_files(role: str, path: Path) -> SourceFiles:
    """The card files of one source (the ``"content"`` folder, a ``"bundled"`` deck file or an
    ``"import"``), unparsed.

    Raises :class:`SourceUnavailable` for a missing path (a bundled deck no longer shipped has
    no file: a sync retires its cards). Reads no database.
    """
    path = path.expanduser().resolve()
    gone = role == "bundled" and not path.exists()
    files = [] if gone else collect_files(path, foreign=role == "import")
    return SourceFiles(role=role, path=path, files=files, stamp=fingerprint(files))


def parse_source(
    found: SourceFiles,
    progress: SyncProgress | None = None,
    limits: ImportLimits | None = None,
) -> ParsedSource:
    """Read and parse a source's files: outside any transaction, so no lock is held meanwhile.

    Raises :class:`SourceUnavailable` for a foreign file that cannot be read. ``progress``
    hears (files read, files in all). A file past ``limits`` (the import caps; the defaults
    when not given) is refused: a foreign file raises :class:`SourceUnavailable`, a card file
    is skipped with its cards kept.
    """
    return ParsedSource(found=found, scan=_scan(found.files, progress, limits))
