"""An import that cannot read its file fails whole: exit 1, nothing stored, no source row.

Every kind of file ``quizcalc import`` takes (Markdown, Anki text, ``.apkg``, ``.colpkg``, a
folder, a file of a kind it does not know): before, an unreadable Markdown-path file (a
``.colpkg`` among them) answered "not UTF-8 text" with exit 0 and was remembered as a source
that failed on every later sync.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from quizcalc.cli.main import cli
from quizcalc.config import Config
from quizcalc.store.models import CardRecord, SourceRecord
from quizcalc.study import StudyService
from tests.conftest import FIXED_NOW

LATIN_1 = "Q: Caf\u00e9?\nA: coffee\n".encode("latin-1")
ZIP_HEAD = b"PK\x03\x04" + b"\x00" * 60


def _folder(path: Path) -> None:
    path.mkdir()
    (path / "good.md").write_text("Q: One?\nA: 1\n", encoding="utf-8")
    (path / "bad.md").write_bytes(LATIN_1)


def _zip_without_collection(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("media", "{}")


FILES: dict[str, tuple[Callable[[Path], None], str]] = {
    "notes.md": (lambda p: p.write_bytes(LATIN_1), ":1: not UTF-8 text (byte 0xe9"),
    "notes.txt": (lambda p: p.write_bytes(LATIN_1), ":1: not UTF-8 text (byte 0xe9"),
    "anki.txt": (lambda p: p.write_bytes(b"#separator:tab\n" + LATIN_1), "not UTF-8 text"),
    "cards.csv": (lambda p: p.write_bytes(b""), ": the file is empty"),
    "cards.tsv": (lambda p: p.write_bytes(b"a\tb\n\x00\x01\tc\n"), ":2: binary data"),
    "deck.apkg": (lambda p: p.write_bytes(ZIP_HEAD), ": the zip archive is truncated"),
    "backup.colpkg": (_zip_without_collection, ": a zip archive without an Anki collection"),
    "deck.pdf": (lambda p: p.write_bytes(bytes(range(128, 256))), ": not a card file quizcalc"),
    "folder": (_folder, "bad.md:1: not UTF-8 text"),
}


@pytest.fixture
def service(db_url: str) -> Iterator[StudyService]:
    """An empty collection."""
    service = StudyService.open(db_url, Config())
    yield service
    service.close()


def _stored(service: StudyService) -> tuple[list[str], int]:
    with service.store.transaction() as session:
        sources = list(session.scalars(select(SourceRecord.key)))
        cards = len(session.scalars(select(CardRecord.id)).all())
    return sources, cards


@pytest.mark.parametrize("name", list(FILES))
def test_an_unreadable_file_of_each_kind_is_not_imported_nor_remembered(
    service: StudyService, tmp_path: Path, name: str
) -> None:
    make, expected = FILES[name]
    path = tmp_path / name
    make(path)
    report = service.import_path(path, FIXED_NOW)
    [line] = report.skipped_sources
    assert line.startswith(str(path.resolve()))
    assert expected in line
    assert line.endswith("(nothing imported)")
    assert "\n" not in line
    assert _stored(service) == ([], 0)
    assert service.sync(None, FIXED_NOW).skipped_sources == []  # not tried again at each start


def test_the_import_command_exits_1_and_names_the_file(
    tmp_path: Path, new_database: Callable[[Path], Path]
) -> None:
    db = str(new_database(tmp_path / "q.sqlite3"))
    path = tmp_path / "deck.pdf"
    path.write_bytes(bytes(range(128, 256)))
    result = CliRunner().invoke(cli, ["--db", db, "import", str(path)], prog_name="quizcalc")
    assert result.exit_code == 1
    assert result.stderr == (
        f"quizcalc: {path}: not a card file quizcalc can read; it imports Markdown (.md), "
        "Anki text (.csv, .tsv, .txt) or an Anki package (.apkg, .colpkg) (nothing imported)\n"
    )
    assert result.stdout == ""


def test_a_card_file_past_the_size_cap_is_not_imported_nor_remembered(
    db_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "huge.md"
    path.write_text("Q: One?\nA: 1\n" + "x" * (1024 * 1024), encoding="utf-8")
    service = StudyService.open(db_url, Config(import_max_file_mib=1))
    try:
        [line] = service.import_path(path, FIXED_NOW).skipped_sources
        assert line.startswith(f"{path}: the file is larger than 1 MiB (import_max_file_mib)")
        assert line.endswith("(nothing imported)")
        assert _stored(service) == ([], 0)
    finally:
        service.close()
