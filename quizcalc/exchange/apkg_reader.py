"""Open an Anki package and read its collection's rows (no quizcalc cards yet).

An ``.apkg`` is a zip holding one SQLite collection, in one of three spellings, preferred in
this order:

* ``collection.anki21b``: zstd-compressed SQLite, schema 18 (Anki 2.1.50+ exports this by
  default); note types, their fields and decks live in tables of their own, and deck names
  separate levels with ``\\x1f``;
* ``collection.anki21``: SQLite, schema 11; note types and decks are JSON in the ``col`` row;
* ``collection.anki2``: the same for Anki 2.0 (newer packages also carry a dummy one saying
  "please update", which is why it comes last).

Every failure to read (not a zip, truncated, no collection, not SQLite, not an Anki
collection) becomes one :class:`ExchangeError` naming the file and what is wrong. The
collection is decompressed as a stream under :class:`~quizcalc.exchange.limits.ImportLimits`
(its size, its row counts, each field's size): a package past a cap (a decompression bomb) is
refused with :class:`~quizcalc.exchange.limits.ImportTooLarge`, which names the cap.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from quizcalc.exchange.anki_identity import AnkiNoteType, AnkiTemplate
from quizcalc.exchange.anki_protobuf import protobuf_strings
from quizcalc.exchange.apkg_media import MediaList, read_media_list
from quizcalc.exchange.leftovers import remove_stale, temp_prefix
from quizcalc.exchange.limits import (
    CHUNK,
    ImportLimits,
    ImportTooLarge,
    copy_capped,
    size_text,
    too_large,
)
from quizcalc.exchange.model import ExchangeError

__all__ = [
    "COLLECTION_MEMBERS",
    "AnkiCard",
    "AnkiCollection",
    "AnkiNote",
    "AnkiNoteType",
    "AnkiReview",
    "AnkiTemplate",
    "read_collection",
]

COLLECTION_MEMBERS = ("collection.anki21b", "collection.anki21", "collection.anki2")
"""The collection's possible names inside a package, most preferred first."""

_SQLITE_MAGIC = b"SQLite format 3\x00"
_AGAIN = "export it from Anki again"


@dataclass(frozen=True)
class AnkiNote:
    """One note: Anki's GUID, its note type id, its fields (HTML) and tags."""

    id: int
    guid: str
    notetype_id: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass(frozen=True)
class AnkiCard:
    """One card of a note, with the scheduling columns quizcalc reads."""

    id: int
    note_id: int
    deck_id: int
    ord: int
    """Template number; for a cloze note, the cloze number minus one."""
    type: int
    """0 new, 1 learning, 2 review, 3 relearning."""
    queue: int
    """-1 suspended, -2/-3 buried, 0 new, 1/3 learning, 2 review."""
    due: int
    interval: int
    """Days (negative: seconds, in learning)."""
    factor: int
    """Ease in permille (2500 = 2.5); 0 for a card not yet in review."""
    reps: int
    lapses: int
    original_deck_id: int = 0
    original_due: int = 0
    flags: int = 0
    """The card's flag in its low three bits (0 none, 1–7 red … purple)."""


@dataclass(frozen=True)
class AnkiReview:
    """One revlog row: when (ms since the epoch), the button, intervals and ease after."""

    id: int
    card_id: int
    ease: int
    """The answer button: 1 Again, 2 Hard, 3 Good, 4 Easy (0: a manual reschedule)."""
    interval: int
    last_interval: int
    factor: int
    time_ms: int
    type: int
    """0 learn, 1 review, 2 relearn, 3 filtered, 4 manual, 5 rescheduled."""


@dataclass
class AnkiCollection:
    """What quizcalc reads from one collection."""

    member: str
    """Which collection file of the package was read."""
    created: int
    """``col.crt``: the collection's day 0, in seconds since the epoch."""
    notetypes: dict[int, AnkiNoteType] = field(default_factory=dict)
    decks: dict[int, str] = field(default_factory=dict)
    """Deck id → full name with ``::`` between levels."""
    notes: list[AnkiNote] = field(default_factory=list)
    cards: dict[int, list[AnkiCard]] = field(default_factory=dict)
    """Note id → its cards, by ``ord``."""
    reviews: dict[int, list[AnkiReview]] = field(default_factory=dict)
    """Card id → its revlog rows, oldest first."""
    media: MediaList = field(default_factory=MediaList)
    """The package's media files, as listed (never extracted), and names refused."""


def _describe_non_zip(path: Path, head: bytes) -> str:
    if not head:
        return f"{path}: the file is empty, not an Anki package; {_AGAIN}"
    if head.startswith(_SQLITE_MAGIC):
        return (
            f"{path}: is a bare SQLite database, not an Anki package (.apkg is a zip); "
            "in Anki use File → Export → Anki Deck Package"
        )
    if head.startswith(b"PK"):
        return f"{path}: the zip archive is truncated or damaged; {_AGAIN} or download it again"
    if head.lstrip()[:1] in (b"#", b"-") or head.isascii():
        return f"{path}: is a text file, not an Anki package (.apkg is a zip archive)"
    return f"{path}: is not an Anki package (not a zip archive); {_AGAIN}"


def _open(path: Path) -> zipfile.ZipFile:
    try:
        with path.open("rb") as handle:
            head = handle.read(64)
    except OSError as exc:
        raise ExchangeError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise ExchangeError(_describe_non_zip(path, head)) from exc


def _extract(path: Path, folder: Path, limits: ImportLimits) -> tuple[str, Path, MediaList]:
    """Copy the preferred collection out of the package into ``folder`` (decompressed)."""
    with _open(path) as archive:
        names = set(archive.namelist())
        member = next((name for name in COLLECTION_MEMBERS if name in names), None)
        if member is None:
            raise ExchangeError(
                f"{path}: a zip archive without an Anki collection inside (no "
                f"{', '.join(COLLECTION_MEMBERS)}); is it really an Anki deck package?"
            )
        media = read_media_list(path, archive, limits)
        target = folder / "collection.sqlite"
        cap = limits.max_collection_bytes
        refuse = too_large(
            path, f"{member} expands past {size_text(cap)}", "import_max_collection_mib"
        )
        try:
            if not member.endswith("b") and archive.getinfo(member).file_size > cap:
                raise refuse
            with archive.open(member) as source, target.open("wb") as out:
                if member.endswith("b"):
                    _unzstd(path, member, source, out, refuse, cap)
                else:
                    copy_capped(source, out, cap, refuse)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
            raise ExchangeError(
                f"{path}: {member} inside is truncated or damaged ({exc}); {_AGAIN}"
            ) from exc
    return member, target, media


def _unzstd(
    path: Path, member: str, source: IO[bytes], out: IO[bytes], refuse: ImportTooLarge, cap: int
) -> None:
    import zstandard

    try:
        decompressor = zstandard.ZstdDecompressor()
        with decompressor.stream_reader(source, read_across_frames=True) as reader:
            copy_capped(reader, out, cap, refuse)
    except zstandard.ZstdError as exc:
        raise ExchangeError(
            f"{path}: {member} inside is not readable zstd data ({exc}); {_AGAIN}"
        ) from exc


def _json(text: str | bytes) -> dict[str, Any]:
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError("expected a JSON object")
    return value


def _read_schema11(db: sqlite3.Connection, collection: AnkiCollection) -> None:
    models, decks = db.execute("SELECT models, decks FROM col").fetchone()
    for key, model in _json(models).items():
        ordered = sorted(model.get("flds") or [], key=lambda f: int(f.get("ord", 0)))
        names = tuple(str(f.get("name", "")) for f in ordered)
        templates = tuple(
            AnkiTemplate(str(t.get("name", "")), str(t.get("qfmt", "")), str(t.get("afmt", "")))
            for t in sorted(model.get("tmpls") or [], key=lambda t: int(t.get("ord", 0)))
        )
        collection.notetypes[int(key)] = AnkiNoteType(
            str(model.get("name", "")),
            model.get("type") == 1,
            names,
            templates,
            str(model.get("css", "")),
            int(key),
        )
    for key, deck in _json(decks).items():
        collection.decks[int(key)] = str(deck.get("name", ""))


def _read_schema18(db: sqlite3.Connection, collection: AnkiCollection) -> None:
    fields: dict[int, list[tuple[int, str]]] = {}
    for notetype_id, ord_, name in db.execute("SELECT ntid, ord, name FROM fields"):
        fields.setdefault(int(notetype_id), []).append((int(ord_), str(name)))
    has_cloze: dict[int, bool] = {}
    templates: dict[int, list[tuple[int, AnkiTemplate]]] = {}
    for notetype_id, ord_, name, config in db.execute(
        "SELECT ntid, ord, name, config FROM templates"
    ):
        if isinstance(config, bytes) and b"{{cloze:" in config:
            has_cloze[int(notetype_id)] = True
        # TemplateConfig: 1 q_format, 2 a_format (protobuf strings).
        parts = protobuf_strings(config if isinstance(config, bytes) else b"")
        template = AnkiTemplate(str(name), parts.get(1, ""), parts.get(2, ""))
        templates.setdefault(int(notetype_id), []).append((int(ord_), template))
    for notetype_id, name, config in db.execute("SELECT id, name, config FROM notetypes"):
        # NotetypeConfig's first field is ``kind``; 1 (cloze) is written as bytes 08 01.
        config = config if isinstance(config, bytes) else b""
        cloze = config[:2] == b"\x08\x01" or has_cloze.get(int(notetype_id), False)
        names = tuple(n for _, n in sorted(fields.get(int(notetype_id), [])))
        ordered = tuple(t for _, t in sorted(templates.get(int(notetype_id), [])))
        css = protobuf_strings(config).get(3, "")  # NotetypeConfig: 3 css
        collection.notetypes[int(notetype_id)] = AnkiNoteType(
            str(name), cloze, names, ordered, css, int(notetype_id)
        )
    for deck_id, name in db.execute("SELECT id, name FROM decks"):
        collection.decks[int(deck_id)] = str(name).replace("\x1f", "::")


_COUNTED = {"notes": "notes", "cards": "cards", "revlog": "review-log rows"}


def _check_counts(path: Path, db: sqlite3.Connection, limits: ImportLimits) -> None:
    """Refuse a collection with more rows of one kind than ``limits.max_rows``."""
    for table, noun in _COUNTED.items():
        (count,) = db.execute(f"SELECT count(*) FROM {table}").fetchone()
        if count > limits.max_rows:
            raise too_large(
                path, f"holds {count:,} {noun}, more than {limits.max_rows:,}", "import_max_rows"
            )


def _check_fields(path: Path, db: sqlite3.Connection, cap: int) -> None:
    """Refuse a note one of whose fields (or its tags) is larger than ``cap`` bytes of UTF-8.

    Only notes larger than ``cap`` as a whole are looked at, and those are read as a stream
    (SQLite's incremental blob I/O), so a huge field never becomes a Python string.
    """
    refuse = f"is larger than {size_text(cap)}"
    query = "SELECT id FROM notes WHERE length(CAST(tags AS BLOB)) > ? LIMIT 1"
    for (note_id,) in db.execute(query, (cap,)):
        raise too_large(path, f"note {note_id}: its tags {refuse}", "import_max_field_kib")
    query = "SELECT rowid, id FROM notes WHERE length(CAST(flds AS BLOB)) > ?"
    for rowid, note_id in db.execute(query, (cap,)).fetchall():
        number, size = 1, 0
        with db.blobopen("notes", "flds", rowid, readonly=True) as blob:
            while chunk := blob.read(CHUNK):
                for index, part in enumerate(chunk.split(b"\x1f")):
                    if index:
                        number, size = number + 1, 0
                    size += len(part)
                    if size > cap:
                        raise too_large(
                            path, f"note {note_id}: field {number} {refuse}", "import_max_field_kib"
                        )


def _read_rows(
    path: Path, db: sqlite3.Connection, collection: AnkiCollection, limits: ImportLimits
) -> None:
    _check_counts(path, db, limits)
    _check_fields(path, db, limits.max_field_bytes)
    for note_id, guid, mid, flds, tags in db.execute(
        "SELECT id, guid, mid, flds, tags FROM notes ORDER BY id"
    ):
        values = tuple(str(flds).split("\x1f"))
        collection.notes.append(
            AnkiNote(int(note_id), str(guid), int(mid), values, tuple(tags.split()))
        )
    columns = {str(row[1]) for row in db.execute("PRAGMA table_info(cards)")}
    flags = "flags" if "flags" in columns else "0"  # a package from before flags: none
    query = (
        "SELECT id, nid, did, ord, type, queue, due, ivl, factor, reps, lapses, odid, odue, "
        f"{flags} FROM cards ORDER BY nid, ord"
    )
    for row in db.execute(query):
        card = AnkiCard(*(int(value or 0) for value in row))
        collection.cards.setdefault(card.note_id, []).append(card)
    query = "SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY id"
    for row in db.execute(query):
        review = AnkiReview(*(int(value or 0) for value in row))
        collection.reviews.setdefault(review.card_id, []).append(review)


def _read_database(path: Path, member: str, database: Path, limits: ImportLimits) -> AnkiCollection:
    with database.open("rb") as handle:
        if handle.read(16) != _SQLITE_MAGIC:
            raise ExchangeError(
                f"{path}: {member} inside is not an SQLite database (the package is damaged); "
                f"{_AGAIN}"
            )
    db = sqlite3.connect(database)
    try:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        if not {"col", "notes", "cards"} <= tables:
            raise ExchangeError(
                f"{path}: {member} inside is an SQLite database but not an Anki collection "
                "(no notes or cards table)"
            )
        created = db.execute("SELECT crt FROM col").fetchone()
        collection = AnkiCollection(member, int(created[0]) if created else 0)
        if "notetypes" in tables:
            _read_schema18(db, collection)
        else:
            _read_schema11(db, collection)
        _read_rows(path, db, collection, limits)
        return collection
    except (sqlite3.Error, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise ExchangeError(
            f"{path}: the collection inside ({member}) is damaged or not one Anki can have "
            f"written ({type(exc).__name__}: {exc}); {_AGAIN}"
        ) from exc
    finally:
        db.close()


def read_collection(path: Path, limits: ImportLimits | None = None) -> AnkiCollection:
    """The notes, cards, review log, note types and decks of the package at ``path``.

    Raises :class:`ExchangeError` for anything that is not a readable Anki package, and
    :class:`~quizcalc.exchange.limits.ImportTooLarge` for one past ``limits`` (the defaults
    when not given).
    """
    limits = limits or ImportLimits()
    remove_stale()
    with tempfile.TemporaryDirectory(prefix=temp_prefix("import")) as folder:
        member, database, media = _extract(path, Path(folder), limits)
        collection = _read_database(path, member, database, limits)
        collection.media = media
        return collection
