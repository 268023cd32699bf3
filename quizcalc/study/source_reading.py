"""Find and parse a source's card files: the reading half of a sync (no database, no lock).

:func:`find_source_files` lists a source's files and their :func:`fingerprint` (cheap change
detection); :func:`parse_source` reads and parses them, outside any transaction (a
20,000-card file takes seconds), for :func:`~quizcalc.study.sync.sync_source` to write in one
short write transaction. A file with problems is still read, but its cards are *kept*: the
sync retires none of them until it is fixed (:data:`NOT_FULLY_READ`).

Given the files as they were at the last sync (:class:`FileState`, one per file), only the
changed ones are parsed: a file whose size and mtime match is not even read, and one whose
bytes hash the same (touched, not edited) is read but not parsed.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
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
    "RACY_NS",
    "FileState",
    "ParsedSource",
    "SourceFiles",
    "SourceScan",
    "SyncProgress",
    "collect_files",
    "find_source_files",
    "fingerprint",
    "ids_in_file",
    "parse_files",
    "parse_source",
]

PARSER_EPOCH = "4"
"""Bump when the parser's output changes, so unchanged files are parsed again once."""

RACY_NS = 2_000_000_000
"""A file modified this recently (ns) before it was listed may change again within the same
mtime tick: its state is kept without its mtime, so the next sync compares its hash."""

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
    troubled: set[str] = field(default_factory=set)
    """Files that gave any problem line (their cards may not all be stored as they read):
    they are parsed again at every sync until they read cleanly."""


@dataclass(frozen=True)
class FileState:
    """One card file as a sync last saw it: what the ``source_files`` row holds."""

    path: str
    """The file's path relative to its source (POSIX separators)."""
    size: int
    mtime_ns: int
    """Its modification time, or -1 when it was too recent to trust (:data:`RACY_NS`)."""
    content_hash: str
    """SHA-256 of its bytes, hex."""


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
    stats: Mapping[Path, tuple[int, int]] = field(default_factory=dict)
    """Each file's (size, mtime in ns) when listed; a file that vanished meanwhile is absent."""
    listed_ns: int = 0
    """When the files were listed (wall clock, ns): files modified just before are racy."""

    def relative(self, file: Path) -> str:
        """``file``'s path relative to the source, as its ``source_files`` row names it."""
        if file == self.path:
            return file.name
        try:
            return file.relative_to(self.path).as_posix()
        except ValueError:
            return file.as_posix()


@dataclass(frozen=True)
class ParsedSource:
    """A source's files and the cards parsed from them, ready for ``sync.sync_source``."""

    found: SourceFiles
    """The source's files, as found on disk."""
    scan: SourceScan
    """What reading them found."""
    parsed: frozenset[str] | None = None
    """The files parsed (as ``Card.source`` names them); None when every file was: the others
    are as the last sync left them, and their cards are not looked at."""
    states: Mapping[str, FileState] = field(default_factory=dict)
    """The state of each file read (parsed, or touched but hashing the same), by its path."""
    limits: ImportLimits | None = None
    """The import caps it was read under (to read more files the same way)."""
    basis: Mapping[str, FileState] | None = None
    """The files' states at the last sync this reading skipped files by; None when it read
    every file. The sync checks, under its lock, that the store still holds them."""


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


def _stat(files: Sequence[Path]) -> dict[Path, tuple[int, int]]:
    stats = {}
    for file in files:
        try:
            stat = file.stat()
        except OSError:
            continue
        stats[file] = (stat.st_size, stat.st_mtime_ns)
    return stats


def _stamp(files: Sequence[Path], stats: Mapping[Path, tuple[int, int]]) -> str:
    digest = hashlib.sha256(PARSER_EPOCH.encode())
    for file in files:
        if file not in stats:
            digest.update(f"{file}\0missing".encode())
            continue
        size, mtime_ns = stats[file]
        digest.update(f"{file}\0{size}\0{mtime_ns}\n".encode())
    return digest.hexdigest()


def fingerprint(files: Sequence[Path]) -> str:
    """A hash of the files' paths, sizes and modification times (cheap change detection)."""
    return _stamp(files, _stat(files))


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
    files: Sequence[Path],
    progress: SyncProgress | None = None,
    limits: ImportLimits | None = None,
    texts: Mapping[Path, str] | None = None,
) -> SourceScan:
    limits = limits or ImportLimits()
    texts = texts or {}
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
            scan.troubled.add(str(file))  # read whole every time: it gets no file state
            if foreign.skipped:  # its cards are kept; the file is not read again each start
                scan.kept.add(str(file))
                messages[0] += NOT_FULLY_READ
            scan.problems.extend(messages)
            scan.progress.update(foreign.progress)
            scan.identity.update(foreign.identity)
            continue
        text, unreadable = (
            (texts[file], None) if file in texts else read_card_file(file, limits.max_file_bytes)
        )
        if text is None:
            scan.troubled.add(str(file))
            scan.unreadable.add(str(file))
            if unreadable is not None:
                scan.refused.append(_refusal(file, unreadable))
                scan.problems.append(f"{unreadable} (file skipped, its cards kept)")
            continue
        result = parse_document(text, source=str(file), known_families=FAMILY_NAMES)
        try:
            check_cards(file, result.cards, limits)
        except ImportTooLarge as exc:
            scan.troubled.add(str(file))
            scan.unreadable.add(str(file))
            scan.refused.append(str(exc))
            scan.problems.append(f"{exc} (file skipped, its cards kept)")
            continue
        problems = list(result.problems)
        scan.cards.extend(duplicates.keep(result.cards, problems))
        messages = [str(problem) for problem in problems]
        if problems:
            scan.troubled.add(str(file))
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
    listed_ns = time.time_ns()
    files = [] if gone else collect_files(path, foreign=role == "import")
    stats = _stat(files)
    return SourceFiles(
        role=role,
        path=path,
        files=files,
        stamp=_stamp(files, stats),
        stats=stats,
        listed_ns=listed_ns,
    )


def _state(found: SourceFiles, file: Path, text: str) -> FileState | None:
    """The file's state for its row, or None when it has none (a foreign file, or gone)."""
    if file not in found.stats or reader_for(file) is not None:
        return None
    size, mtime_ns = found.stats[file]
    if mtime_ns >= found.listed_ns - RACY_NS:
        mtime_ns = -1
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return FileState(found.relative(file), size, mtime_ns, digest)


def _read_changed(
    found: SourceFiles, known: Mapping[str, FileState], limits: ImportLimits
) -> tuple[list[Path], dict[Path, str], dict[str, FileState]]:
    """The files to parse (with the text already read) and the touched files' new states."""
    to_parse: list[Path] = []
    texts: dict[Path, str] = {}
    touched: dict[str, FileState] = {}
    for file in found.files:
        row = known.get(found.relative(file))
        if row is not None and found.stats.get(file) == (row.size, row.mtime_ns):
            continue  # as last synced: not read
        if row is not None and reader_for(file) is None:
            text, _ = read_card_file(file, limits.max_file_bytes)
            state = None if text is None else _state(found, file, text)
            if state is not None and state.content_hash == row.content_hash:
                touched[str(file)] = state  # touched, not edited: not parsed
                continue
            if text is not None:
                texts[file] = text
        to_parse.append(file)
    return to_parse, texts, touched


def parse_source(
    found: SourceFiles,
    progress: SyncProgress | None = None,
    limits: ImportLimits | None = None,
    known: Mapping[str, FileState] | None = None,
) -> ParsedSource:
    """Read and parse a source's files: outside any transaction, so no lock is held meanwhile.

    Raises :class:`SourceUnavailable` for a foreign file that cannot be read. ``progress``
    hears (files read, files in all). A file past ``limits`` (the import caps; the defaults
    when not given) is refused: a foreign file raises :class:`SourceUnavailable`, a card file
    is skipped with its cards kept.

    With ``known`` (the files' states at the last sync, by relative path), only the files
    that changed since are parsed; without, every file is.
    """
    limits = limits or ImportLimits()
    if known is None:
        return parse_files(found, found.files, progress, limits)
    to_parse, texts, touched = _read_changed(found, known, limits)
    parsed = parse_files(found, to_parse, progress, limits, texts)
    return replace(parsed, states={**parsed.states, **touched}, basis=known)


def parse_files(
    found: SourceFiles,
    files: Collection[Path],
    progress: SyncProgress | None = None,
    limits: ImportLimits | None = None,
    texts: Mapping[Path, str] | None = None,
) -> ParsedSource:
    """Parse ``files`` (some of ``found``'s, taken in the source's order) alone; every file
    when they are all of them. ``texts`` are files' texts already read."""
    limits = limits or ImportLimits()
    wanted = set(files)
    ordered = [file for file in found.files if file in wanted]
    read: dict[Path, str] = dict(texts or {})
    for file in ordered:
        if file not in read and reader_for(file) is None:
            text, _ = read_card_file(file, limits.max_file_bytes)
            if text is not None:
                read[file] = text
    scan = _scan(ordered, progress, limits, read)
    states = {
        str(file): state
        for file, text in read.items()
        if str(file) not in scan.troubled and (state := _state(found, file, text)) is not None
    }
    every = len(ordered) == len(found.files)
    return ParsedSource(
        found=found,
        scan=scan,
        parsed=None if every else frozenset(str(file) for file in ordered),
        states=states,
        limits=limits,
    )
