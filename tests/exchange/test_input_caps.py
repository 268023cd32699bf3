"""Every input has a cap (file size, field size, row count): CSV/TSV, Markdown and JSON backups
past one are refused with one line naming the file, the cap and its setting, and nothing
changes."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from quizcalc.config import Config
from quizcalc.exchange.anki_text import read_anki_text
from quizcalc.exchange.backup_reader import read_backup_file
from quizcalc.exchange.limits import ImportLimits, ImportTooLarge
from quizcalc.study import StudyService
from quizcalc.study.backup import backup_layout
from quizcalc.study.errors import ExchangeProblem
from tests.conftest import FIXED_NOW

RAISE = "raise it in config.toml if you trust this file"
MARKDOWN = "Q: What is lim 1/x at infinity?\nA: 0\n\nQ: d/dx x^2?\nA: 2x\n"


def _dump(db_url: str) -> list[str]:
    """Every row but the sources' and their files' (whose change stamps a skipped file clears,
    to read it again)."""
    connection = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    stamps = ('INTO "sources"', 'INTO "source_files"')
    try:
        return [line for line in connection.iterdump() if not any(s in line for s in stamps)]
    finally:
        connection.close()


@pytest.fixture
def service(db_url: str, write_deck: Callable[..., Path]) -> Iterator[StudyService]:
    """A store with two cards, whose import caps are tiny (1 MiB files, 1 KiB fields, 3 rows)."""
    config = Config(import_max_file_mib=1, import_max_field_kib=1, import_max_rows=3)
    service = StudyService.open(db_url, config)
    service.sync(write_deck(MARKDOWN), FIXED_NOW)
    yield service
    service.close()


# --- CSV / TSV ----------------------------------------------------------------------------


def test_a_csv_past_the_file_cap_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("#separator:comma\n" + "q,a\n" * 400, encoding="utf-8")
    with pytest.raises(ImportTooLarge) as caught:
        read_anki_text(path, ImportLimits(max_file_bytes=1024))
    assert str(caught.value) == (
        f"{path}: the file is larger than 1 KiB (import_max_file_mib); {RAISE}"
    )


def test_a_csv_field_past_the_cap_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "field.tsv"
    path.write_text(f"#separator:tab\nq1\ta1\nq2\t{'x' * 3000}\n", encoding="utf-8")
    with pytest.raises(ImportTooLarge) as caught:
        read_anki_text(path, ImportLimits(max_field_bytes=2048))
    assert str(caught.value) == (
        f"{path}:3: a field is larger than 2 KiB (import_max_field_kib); {RAISE}"
    )


def test_a_quoted_csv_field_past_the_cap_is_not_blamed_on_its_quotes(tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    path.write_text(f'#separator:comma\nq1,"{"x" * 3000}"\n', encoding="utf-8")
    with pytest.raises(ImportTooLarge, match=r":2: a field is larger than 2 KiB"):
        read_anki_text(path, ImportLimits(max_field_bytes=2048))


def test_a_field_the_csv_module_refused_before_now_imports(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"  # 200 KB: over the csv module's 128 KiB default, under 1 MiB
    path.write_text(f'#separator:comma\nq1,"{"x" * 200_000}"\n', encoding="utf-8")
    assert len(read_anki_text(path).cards) == 1


def test_a_csv_with_too_many_rows_is_refused_and_changes_nothing(
    service: StudyService, db_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("#separator:comma\n" + "".join(f"q{i},a{i}\n" for i in range(5)))
    before = _dump(db_url)
    report = service.import_path(path, FIXED_NOW)
    assert report.skipped_sources == [
        f"{path.resolve()}: has more than 3 rows (import_max_rows); {RAISE} (nothing imported)"
    ]
    assert _dump(db_url) == before


# --- Markdown -----------------------------------------------------------------------------


def test_a_markdown_file_past_the_file_cap_is_skipped_and_keeps_its_cards(
    service: StudyService, db_url: str, write_deck: Callable[..., Path]
) -> None:
    folder = write_deck(MARKDOWN + "\n" + "Q: filler\nA: " + "y " * 600_000 + "\n")
    before = _dump(db_url)
    report = service.sync(folder, FIXED_NOW)
    deck = folder / "deck.md"
    assert report.problems == [
        f"{deck.resolve()}: the file is larger than 1 MiB (import_max_file_mib); {RAISE} "
        "(file skipped, its cards kept)"
    ]
    assert report.retired == 0
    assert _dump(db_url) == before


def test_a_markdown_card_past_the_field_cap_skips_its_file_and_keeps_its_cards(
    service: StudyService, db_url: str, write_deck: Callable[..., Path]
) -> None:
    folder = write_deck(MARKDOWN + "\nQ: huge\nA: " + "z" * 2000 + "\n")
    before = _dump(db_url)
    report = service.sync(folder, FIXED_NOW)
    deck = (folder / "deck.md").resolve()
    assert report.problems == [
        f"{deck}:7: a card's text is larger than 1 KiB (import_max_field_kib); {RAISE} "
        "(file skipped, its cards kept)"
    ]
    assert (report.added, report.retired) == (0, 0)
    assert _dump(db_url) == before


# --- JSON backups -------------------------------------------------------------------------


@pytest.fixture
def backup(service: StudyService, tmp_path: Path) -> Path:
    """A backup of ``service``'s two cards (without the collection's settings rows, so the
    tiny caps under test meet the cards first, as real caps would)."""
    path = tmp_path / "backup.json"
    service.export_backup(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["collection_settings"]["rows"] = []
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_backup_past_the_file_cap_is_refused(backup: Path) -> None:
    with pytest.raises(ImportTooLarge) as caught:
        read_backup_file(backup, backup_layout(), ImportLimits(max_file_bytes=256))
    assert str(caught.value) == (
        f"{backup}: the file is larger than 256 bytes (import_max_file_mib); {RAISE}"
    )


def test_a_backup_with_too_many_rows_is_refused(backup: Path) -> None:
    with pytest.raises(ImportTooLarge) as caught:
        read_backup_file(backup, backup_layout(), ImportLimits(max_rows=1))
    assert str(caught.value) == (
        f'{backup}: table "cards" has 2 rows, more than 1 (import_max_rows); {RAISE}'
    )


def test_a_backup_value_past_the_field_cap_is_refused_and_restores_nothing(
    service: StudyService, db_url: str, backup: Path
) -> None:
    data = json.loads(backup.read_text(encoding="utf-8"))
    columns = data["cards"]["columns"]
    data["cards"]["rows"][1][columns.index("answer")] = "w" * 5000
    backup.write_text(json.dumps(data), encoding="utf-8")
    before = _dump(db_url)
    with pytest.raises(ExchangeProblem) as caught:
        service.restore_backup(backup, now=FIXED_NOW, force=True)
    assert str(caught.value) == (
        f'{backup}: table "cards", row 2: a value is larger than 1 KiB (import_max_field_kib); '
        f"{RAISE}"
    )
    assert _dump(db_url) == before
