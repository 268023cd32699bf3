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
collection) becomes one :class:`ExchangeError` naming the file and what is wrong.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from quizcalc.exchange.model import ExchangeError

__all__ = [
    "COLLECTION_MEMBERS",
    "AnkiCard",
    "AnkiCollection",
    "AnkiNote",
    "AnkiNoteType",
    "AnkiReview",
    "read_collection",
]

COLLECTION_MEMBERS = ("collection.anki21b", "collection.anki21", "collection.anki2")
"""The collection's possible names inside a package, most preferred first."""

_SQLITE_MAGIC = b"SQLite format 3\x00"
_AGAIN = "export it from Anki again"


@dataclass(frozen=True)
class AnkiNoteType:
    """A note type: its name, whether it is a cloze type, and its field names in order."""

    name: str
    cloze: bool
    fields: tuple[str, ...]


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


def _extract(path: Path, folder: Path) -> tuple[str, Path]:
    """Copy the preferred collection out of the package into ``folder`` (decompressed)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(64)
    except OSError as exc:
        raise ExchangeError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise ExchangeError(_describe_non_zip(path, head)) from exc
    with archive:
        names = set(archive.namelist())
        member = next((name for name in COLLECTION_MEMBERS if name in names), None)
        if member is None:
            raise ExchangeError(
                f"{path}: a zip archive without an Anki collection inside (no "
                f"{', '.join(COLLECTION_MEMBERS)}); is it really an Anki deck package?"
            )
        target = folder / "collection.sqlite"
        try:
            with archive.open(member) as source, target.open("wb") as out:
                if member.endswith("b"):
                    _unzstd(path, member, source, out)
                else:
                    shutil.copyfileobj(source, out)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
            raise ExchangeError(
                f"{path}: {member} inside is truncated or damaged ({exc}); {_AGAIN}"
            ) from exc
    return member, target


def _unzstd(path: Path, member: str, source: IO[bytes], out: IO[bytes]) -> None:
    import zstandard

    try:
        zstandard.ZstdDecompressor().copy_stream(source, out)
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
        collection.notetypes[int(key)] = AnkiNoteType(
            str(model.get("name", "")), model.get("type") == 1, names
        )
    for key, deck in _json(decks).items():
        collection.decks[int(key)] = str(deck.get("name", ""))


def _read_schema18(db: sqlite3.Connection, collection: AnkiCollection) -> None:
    fields: dict[int, list[tuple[int, str]]] = {}
    for notetype_id, ord_, name in db.execute("SELECT ntid, ord, name FROM fields"):
        fields.setdefault(int(notetype_id), []).append((int(ord_), str(name)))
    templates: dict[int, bool] = {}
    for notetype_id, config in db.execute("SELECT ntid, config FROM templates"):
        if isinstance(config, bytes) and b"{{cloze:" in config:
            templates[int(notetype_id)] = True
    for notetype_id, name, config in db.execute("SELECT id, name, config FROM notetypes"):
        # NotetypeConfig's first field is ``kind``; 1 (cloze) is written as bytes 08 01.
        cloze = (isinstance(config, bytes) and config[:2] == b"\x08\x01") or templates.get(
            int(notetype_id), False
        )
        names = tuple(n for _, n in sorted(fields.get(int(notetype_id), [])))
        collection.notetypes[int(notetype_id)] = AnkiNoteType(str(name), cloze, names)
    for deck_id, name in db.execute("SELECT id, name FROM decks"):
        collection.decks[int(deck_id)] = str(name).replace("\x1f", "::")


def _read_rows(db: sqlite3.Connection, collection: AnkiCollection) -> None:
    for note_id, guid, mid, flds, tags in db.execute(
        "SELECT id, guid, mid, flds, tags FROM notes ORDER BY id"
    ):
        collection.notes.append(
            AnkiNote(
                int(note_id),
                str(guid),
                int(mid),
                tuple(str(flds).split("\x1f")),
                tuple(tags.split()),
            )
        )
    query = (
        "SELECT id, nid, did, ord, type, queue, due, ivl, factor, reps, lapses, odid, odue "
        "FROM cards ORDER BY nid, ord"
    )
    for row in db.execute(query):
        card = AnkiCard(*(int(value or 0) for value in row))
        collection.cards.setdefault(card.note_id, []).append(card)
    query = "SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY id"
    for row in db.execute(query):
        review = AnkiReview(*(int(value or 0) for value in row))
        collection.reviews.setdefault(review.card_id, []).append(review)


def _read_database(path: Path, member: str, database: Path) -> AnkiCollection:
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
        _read_rows(db, collection)
        return collection
    except (sqlite3.Error, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise ExchangeError(
            f"{path}: the collection inside ({member}) is damaged or not one Anki can have "
            f"written ({type(exc).__name__}: {exc}); {_AGAIN}"
        ) from exc
    finally:
        db.close()


def read_collection(path: Path) -> AnkiCollection:
    """The notes, cards, review log, note types and decks of the package at ``path``.

    Raises :class:`ExchangeError` for anything that is not a readable Anki package.
    """
    with tempfile.TemporaryDirectory(prefix="quizcalc-apkg-") as folder:
        member, database = _extract(path, Path(folder))
        return _read_database(path, member, database)
