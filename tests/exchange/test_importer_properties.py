"""Properties of every importer (Markdown, JSON backup, CSV/TSV, .apkg) and the config loader.

For any input: no exception but the documented kinds (``StudyError`` from a use case,
``ExchangeError`` from a reader, ``ConfigError`` from the loader); nothing stored past a cap;
and a refused import leaves the collection row-identical. The caps are tiny here so that the
examples reach them; the examples are few (about 50 each) so the file adds seconds, not minutes.
"""

from __future__ import annotations

import json
import sqlite3
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizcalc.config import _BOUNDS, Config, ConfigError, load_config
from quizcalc.study import StudyService
from quizcalc.study.errors import StudyError
from tests.conftest import FIXED_NOW
from tests.exchange.test_import_progress import (
    BASIC_MODEL,
    CLOZE_MODEL,
    DECK,
    Row,
    write_collection,
)

FIELD_KIB = 1
ROWS = 6
CAPS = Config(import_max_file_mib=1, import_max_field_kib=FIELD_KIB, import_max_rows=ROWS)
CHEAP = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text that reaches the parsers' corners: markup, separators, quotes, NUL, long runs.
PIECES = st.sampled_from(
    [
        "Q: ", "A: ", "\n", "\n\n", "- ", "  ", "{{c1::", "}}", "$", "$$", "\\(", "```",
        "#", ",", ";", "\t", '"', "\x1f", "\x00", "<b>", "</b>", "<br>", "&amp;", "---\n",
        "x" * 700, "é" * 300, "w" * 1500, "id:: ", "::", "[[", "]]", "|", "\r\n",
    ]
)  # fmt: skip
TEXT = st.lists(PIECES | st.text(max_size=20), max_size=40).map("".join)


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Imported review days follow the local time zone: pin it."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def service(db_url: str) -> Iterator[StudyService]:
    """A store with tiny import caps."""
    service = StudyService.open(db_url, CAPS)
    yield service
    service.close()


def _rows(db_url: str) -> list[str]:
    """Every row of the collection but the sources' change stamps (a cache)."""
    connection = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    try:
        return [line for line in connection.iterdump() if 'INTO "sources"' not in line]
    finally:
        connection.close()


def _within_caps(db_url: str) -> None:
    connection = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    try:
        for (text,) in connection.execute(
            "SELECT question FROM cards UNION SELECT answer FROM cards"
        ):
            assert len(text.encode("utf-8", "surrogatepass")) <= FIELD_KIB * 1024
    finally:
        connection.close()


def _import_holds(service: StudyService, db_url: str, path: Path) -> None:
    """Import ``path``: a refusal changes nothing; what is stored is within the caps."""
    before = _rows(db_url)
    try:
        report = service.import_path(path, FIXED_NOW, with_progress=True)
    except StudyError:
        assert _rows(db_url) == before
        return
    if report.skipped_sources:
        assert _rows(db_url) == before
        assert all(line.startswith(str(path.resolve())) for line in report.skipped_sources)
    else:
        assert report.added <= ROWS
    _within_caps(db_url)


CARDS = st.lists(st.tuples(TEXT, TEXT), max_size=ROWS + 2).map(
    lambda cards: "\n\n".join(f"Q: {q}\nA: {a}" for q, a in cards)
)
"""Markdown that is mostly cards (some broken by the text inside them)."""


@CHEAP
@given(text=st.tuples(CARDS, TEXT).map("\n".join))
def test_markdown_import(service: StudyService, db_url: str, tmp_path: Path, text: str) -> None:
    path = tmp_path / "notes.md"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _import_holds(service, db_url, path)


@CHEAP
@given(
    header=st.sampled_from(
        ["", "#separator:comma\n", "#separator:tab\n#html:true\n", "#columns:Front,Back\n"]
    ),
    rows=st.lists(st.lists(TEXT, min_size=1, max_size=4), max_size=10),
    separator=st.sampled_from([",", "\t", ";"]),
    suffix=st.sampled_from([".csv", ".tsv"]),
)  # fmt: skip
def test_anki_text_import(
    service: StudyService,
    db_url: str,
    tmp_path: Path,
    header: str,
    rows: list[list[str]],
    separator: str,
    suffix: str,
) -> None:
    path = tmp_path / f"cards{suffix}"
    body = "\n".join(separator.join(row) for row in rows)
    path.write_bytes((header + body).encode("utf-8", "surrogatepass"))
    _import_holds(service, db_url, path)


FIELD = st.tuples(st.text(alphabet="abc", min_size=1, max_size=3), TEXT).map("".join)
"""A field that is not empty (so most notes can be cards)."""

NOTE = st.builds(
    Row,
    guid=st.text(min_size=1, max_size=8),
    fields=st.lists(FIELD, min_size=2, max_size=3),
    cloze=st.booleans(),
    tags=st.text(max_size=30),
)


@pytest.fixture(scope="module")
def empty_collection(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """An Anki collection without notes (written once: creating the tables is the slow part)."""
    path = tmp_path_factory.mktemp("template") / "empty.sqlite"
    write_collection(path, [])
    return path.read_bytes()


def _package(path: Path, empty: bytes, notes: list[Row], media: list[str]) -> Path:
    """An ``.apkg`` holding ``notes`` (one card each) and listing ``media``."""
    database = path.with_suffix(".sqlite")
    database.write_bytes(empty)
    db = sqlite3.connect(database)
    for number, note in enumerate(notes, start=1):
        model = CLOZE_MODEL if note.cloze else BASIC_MODEL
        db.execute(
            "INSERT INTO notes VALUES (?, ?, ?, ?, ?)",
            (number, note.guid, model, "\x1f".join(note.fields), note.tags),
        )
        db.execute(
            "INSERT INTO cards VALUES (?, ?, ?, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)",
            (5000 + number, number, DECK),
        )
    db.commit()
    db.close()
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(database, "collection.anki21")
        archive.writestr("media", json.dumps(dict(enumerate(media))))
        for index in range(len(media)):
            archive.writestr(str(index), b"m")
    return path


@CHEAP
@given(notes=st.lists(NOTE, max_size=ROWS + 1), media=st.lists(st.text(max_size=12), max_size=4))
def test_apkg_import(
    service: StudyService,
    db_url: str,
    tmp_path: Path,
    empty_collection: bytes,
    notes: list[Row],
    media: list[str],
) -> None:
    path = _package(tmp_path / "deck.apkg", empty_collection, notes, media)
    _import_holds(service, db_url, path)


@pytest.fixture
def backup_text(service: StudyService, tmp_path: Path, write_deck: Callable[..., Path]) -> str:
    """A valid backup's text, of a store with three cards and an answer."""
    deck = write_deck("Q: one?\nA: 1\n\nQ: two?\nA: 2\n\nQ: three?\nA: {{c1::3}}\n")
    service.sync(deck, FIXED_NOW)
    path = tmp_path / "valid.json"
    service.export_backup(path)
    return path.read_text(encoding="utf-8")


def _mutate(data: object, path: list[int], value: object) -> object:
    """``data`` with the node that ``path`` picks (indices into lists and dict values) replaced."""
    if not path:
        return value
    if isinstance(data, dict) and data:
        keys = sorted(data)
        key = keys[path[0] % len(keys)]
        return {**data, key: _mutate(data[key], path[1:], value)}
    if isinstance(data, list) and data:
        index = path[0] % len(data)
        return [*data[:index], _mutate(data[index], path[1:], value), *data[index + 1 :]]
    return value


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)  # fmt: skip


BACKUP_CHANGES = st.one_of(
    st.tuples(st.just("text"), st.sampled_from(["question", "answer"]), st.integers(), TEXT),
    st.tuples(st.just("node"), st.lists(st.integers(min_value=0, max_value=50), max_size=5),
              JSON_VALUES),
    st.tuples(st.just("cut"), st.integers(min_value=0, max_value=5000)),
)  # fmt: skip
"""A card's text of any size, any node replaced by any JSON, or the file cut short."""


def _changed(backup: str, change: tuple[object, ...]) -> str:
    data = json.loads(backup)
    if change[0] == "text":
        _, column, row, replacement = change
        assert isinstance(row, int)
        rows = data["cards"]["rows"]
        rows[row % len(rows)][data["cards"]["columns"].index(column)] = replacement
    elif change[0] == "node":
        _, path, value = change
        assert isinstance(path, list)
        data = _mutate(data, path, value)
    else:
        assert isinstance(change[1], int)
        return json.dumps(data)[: change[1]]
    return json.dumps(data)


@CHEAP
@given(change=BACKUP_CHANGES)
def test_backup_restore(
    service: StudyService,
    db_url: str,
    tmp_path: Path,
    backup_text: str,
    change: tuple[object, ...],
) -> None:
    file = tmp_path / "changed.json"
    file.write_text(_changed(backup_text, change), encoding="utf-8", errors="surrogatepass")
    before = _rows(db_url)
    try:
        service.restore_backup(file, now=FIXED_NOW, force=True)
    except StudyError as exc:
        assert _rows(db_url) == before
        assert str(file) in str(exc)
        return
    _within_caps(db_url)


SETTINGS = st.dictionaries(
    st.sampled_from([*_BOUNDS, "drill_moves_schedule", "colour", "import"]),
    st.integers(min_value=-(10**12), max_value=10**12) | st.booleans() | st.text(max_size=5)
    | st.floats(allow_nan=False) | st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    max_size=6,
)  # fmt: skip


@CHEAP
@given(data=SETTINGS.map(tomli_w.dumps).map(str.encode) | st.binary(max_size=200))
def test_config_loader(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(data)
    try:
        config = load_config(path)
    except ConfigError as exc:
        assert str(exc).startswith(str(path))
        return
    for key, (low, high) in _BOUNDS.items():
        assert low <= getattr(config, key) <= high
