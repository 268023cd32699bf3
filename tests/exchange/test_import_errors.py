"""Bad input: one clear message naming the file, and a failed import changes nothing."""

from __future__ import annotations

import sqlite3
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizcalc.config import Config
from quizcalc.exchange.anki_text import read_anki_text
from quizcalc.exchange.apkg_import import read_apkg
from quizcalc.exchange.model import ExchangeError
from quizcalc.study import StudyService
from tests.conftest import FIXED_NOW
from tests.exchange.test_import_progress import SAMPLE, write_collection, write_package

MARKDOWN = "---\ndeck: Calc\n---\n\n# Limits\n\nQ: What is lim 1/x at infinity?\nA: 0\n"


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Imported review days follow the local time zone: pin it."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _truncated(path: Path) -> None:
    data = write_package(path, SAMPLE).read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _random(path: Path) -> None:
    path.write_bytes(bytes((i * 37 + 11) % 256 for i in range(4096)))


def _no_collection(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("media", "{}")
        archive.writestr("notes.txt", "hello")


def _not_sqlite(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("collection.anki21", b"this is not a database" * 100)


def _sqlite_not_anki(path: Path) -> None:
    database = path.with_suffix(".db")
    db = sqlite3.connect(database)
    db.execute("CREATE TABLE things (id INTEGER)")
    db.commit()
    db.close()
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(database, "collection.anki2")


def _bad_zstd(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("collection.anki21b", b"\x28\xb5\x2f\xfd" + b"garbage" * 50)
        archive.writestr("collection.anki2", b"")


def _bad_crc(path: Path) -> None:
    database = path.with_suffix(".db")
    write_collection(database, SAMPLE)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.write(database, "collection.anki21")
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))


def _broken_json(path: Path) -> None:
    database = path.with_suffix(".db")
    write_collection(database, SAMPLE)
    db = sqlite3.connect(database)
    db.execute("UPDATE col SET models = '{not json'")
    db.commit()
    db.close()
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(database, "collection.anki21")


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _markdown(path: Path) -> None:
    path.write_text(MARKDOWN, encoding="utf-8")


def _bare_sqlite(path: Path) -> None:
    write_collection(path, SAMPLE)


BAD_PACKAGES: dict[str, tuple[Callable[[Path], None], str]] = {
    "truncated": (_truncated, "truncated or damaged"),
    "random bytes": (_random, "not an Anki package (not a zip archive)"),
    "zip without collection": (_no_collection, "without an Anki collection inside"),
    "collection not sqlite": (_not_sqlite, "is not an SQLite database"),
    "sqlite but not anki": (_sqlite_not_anki, "not an Anki collection"),
    "bad zstd": (_bad_zstd, "not readable zstd data"),
    "bad crc": (_bad_crc, "truncated or damaged"),
    "broken json": (_broken_json, "is damaged"),
    "empty": (_empty, "the file is empty"),
    "markdown named apkg": (_markdown, "is a text file, not an Anki package"),
    "bare collection": (_bare_sqlite, "bare SQLite database"),
}


@pytest.mark.parametrize("case", list(BAD_PACKAGES))
def test_bad_packages_get_one_clear_message(tmp_path: Path, case: str) -> None:
    make, expected = BAD_PACKAGES[case]
    path = tmp_path / "deck.apkg"
    make(path)
    with pytest.raises(ExchangeError) as caught:
        read_apkg(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    assert expected in message
    assert "\n" not in message


BAD_TEXTS: dict[str, tuple[bytes, str]] = {
    "latin-1": (
        "#separator:comma\nCaf\u00e9?,ok\nNa\u00efve?,yes\n".encode("latin-1"),
        ":2: not UTF-8 text (byte 0xE9 cannot be read); re-save the file as UTF-8",
    ),
    "markdown named csv": (MARKDOWN.encode(), "looks like Markdown, not Anki's text format"),
    "heading only markdown": (b"# Limits\n\nSome prose.\n", "looks like Markdown"),
    "empty": (b"", "the file is empty"),
    "blank": (b"\n \n", "the file is empty"),
    "headers only": (b"#separator:tab\n#html:true\n", "no rows after the headers"),
    "zip named csv": (b"PK\x03\x04rest of a zip", "is a zip archive"),
    "binary": (b"a,b\n\x00\x01\x02,c\n", ":2: binary data"),
    "unclosed quote": (b'#separator:comma\n"never closed,b\n', "check its quotes"),
    "bad separator": (b"#separator:wiggle\na,b\n", ":1: unknown #separator:wiggle"),
    "bad column number": (b"#separator:tab\n#tags column:x\na\tb\n", ":2: #tags column:x"),
}


@pytest.mark.parametrize("case", list(BAD_TEXTS))
def test_bad_text_files_get_one_clear_message(tmp_path: Path, case: str) -> None:
    data, expected = BAD_TEXTS[case]
    path = tmp_path / "cards.csv"
    path.write_bytes(data)
    with pytest.raises(ExchangeError) as caught:
        read_anki_text(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    assert expected in message


def _dump(db_url: str) -> list[str]:
    connection = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


@pytest.fixture
def service(db_url: str, write_deck: Callable[..., Path]) -> Iterator[StudyService]:
    """A store with some content already in it."""
    service = StudyService.open(db_url, Config())
    service.sync(write_deck(MARKDOWN), FIXED_NOW)
    yield service
    service.close()


@pytest.mark.parametrize("name", ["deck.apkg", "cards.csv"])
def test_a_bad_file_in_a_folder_aborts_the_whole_import(
    service: StudyService, db_url: str, tmp_path: Path, name: str
) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "a-good.md").write_text("Q: One?\nA: 1\n", encoding="utf-8")
    write_package(folder / "b-good.apkg", SAMPLE)
    (folder / f"c-{name}").write_bytes(b"")
    before = _dump(db_url)
    report = service.import_path(folder, FIXED_NOW, with_progress=True)
    assert report.added == 0
    [skipped] = report.skipped_sources
    assert str(folder / f"c-{name}") in skipped
    assert skipped.endswith("(nothing imported)")
    assert _dump(db_url) == before


def test_a_failure_while_applying_history_leaves_the_database_as_it_was(
    service: StudyService, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import quizcalc.study.import_progress as module

    real = module.apply_imported_progress

    def fail_half_way(*args: object, **kwargs: object) -> tuple[int, list[str]]:
        real(*args, **kwargs)  # type: ignore[arg-type]
        raise RuntimeError("disk full")

    monkeypatch.setattr(module, "apply_imported_progress", fail_half_way)
    package = write_package(tmp_path / "sample.apkg", SAMPLE)
    before = _dump(db_url)
    with pytest.raises(RuntimeError, match="disk full"):
        service.import_path(package, FIXED_NOW, with_progress=True)
    assert _dump(db_url) == before
    monkeypatch.setattr(module, "apply_imported_progress", real)
    report = service.import_path(package, FIXED_NOW, with_progress=True)
    assert (report.added, report.histories) == (3, 1)


def test_a_csv_with_one_bad_row_imports_the_rest(service: StudyService, tmp_path: Path) -> None:
    path = tmp_path / "cards.csv"
    path.write_text("#separator:comma\n#columns:Front,Back\nQ1,A1\nQ2\nQ3,A3\n", encoding="utf-8")
    report = service.import_path(path, FIXED_NOW)
    assert report.added == 2
    assert report.problems == [
        f"{path.resolve()}:4: row has 1 column, expected 2; row skipped"
        "; this file's cards are kept as they were until it is fixed"
    ]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_text_reader_raises_nothing_but_exchange_errors(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    try:
        read_anki_text(path)
    except ExchangeError as exc:
        assert str(exc).startswith(str(path))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cut=st.integers(min_value=0, max_value=4000), flip=st.integers(min_value=0, max_value=4000))
def test_package_reader_raises_nothing_but_exchange_errors(
    tmp_path: Path, cut: int, flip: int
) -> None:
    path = tmp_path / "fuzz.apkg"
    data = bytearray(write_package(path, SAMPLE).read_bytes())
    if flip < len(data):
        data[flip] ^= 0x5A
    path.write_bytes(bytes(data[: max(cut, len(data) // 2)] if cut % 2 else data))
    try:
        read_apkg(path)
    except ExchangeError as exc:
        assert str(exc).startswith(str(path))


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(flips=st.lists(st.integers(min_value=100, max_value=20000), min_size=1, max_size=4))
def test_a_damaged_collection_inside_a_sound_zip_gives_an_exchange_error(
    tmp_path: Path, flips: list[int]
) -> None:
    database = tmp_path / "fuzz.db"
    database.unlink(missing_ok=True)
    write_collection(database, SAMPLE)
    data = bytearray(database.read_bytes())
    for position in flips:
        data[position % len(data)] ^= 0xA5
    path = tmp_path / "fuzz.apkg"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("collection.anki21", bytes(data))
    try:
        read_apkg(path)
    except ExchangeError as exc:
        assert str(exc).startswith(str(path))
