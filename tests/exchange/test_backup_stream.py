"""Reading a backup as a stream: bounded memory, the same rows and the same messages.

A heavy learner's backup is a million rows; the reader must never hold the file (nor its rows)
at once. These tests shrink the window (``json_stream.WINDOW``) so small files cross it many
times, and compare what is read with :func:`json.loads` of the whole file.
"""

from __future__ import annotations

import json
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import quizcalc.exchange.json_stream as json_stream
from quizcalc.exchange.backup_checks import _check_slowly, _look_good
from quizcalc.exchange.backup_format import (
    BackupColumn,
    BackupLayout,
    BackupTableLayout,
    write_backup_file,
)
from quizcalc.exchange.backup_reader import read_backup_file
from quizcalc.exchange.limits import ImportLimits
from quizcalc.exchange.model import ExchangeError

LOG = BackupTableLayout(
    key="log",
    columns=(
        BackupColumn("id", "integer"),
        BackupColumn("text", "string", nullable=True),
        BackupColumn("ease", "float"),
        BackupColumn("day", "date"),
        BackupColumn("at", "datetime"),
    ),
)
LAYOUT = BackupLayout(schema="0002", tables=(LOG,))
START = datetime(2026, 1, 1, 9, tzinfo=UTC)


def _row(n: int) -> list[Any]:
    text = None if n % 7 == 0 else f"answer {n} ∂f/∂x 🙂"
    return [n, text, 2.5 + n % 3, date(2026, 1, 1) + timedelta(days=n // 50), START]


def _write(path: Path, rows: int) -> Path:
    chunks = [[_row(n) for n in range(i, min(i + 1000, rows))] for i in range(0, rows, 1000)]
    write_backup_file(path, LAYOUT, {"theme": "x"}, lambda _: chunks)
    return path


@pytest.fixture
def small_window(monkeypatch: pytest.MonkeyPatch) -> int:
    """A window of 4 KiB: a file of some hundred kilobytes slides it many times."""
    monkeypatch.setattr(json_stream, "WINDOW", 4096)
    return 4096


def test_the_file_is_read_a_window_at_a_time(
    tmp_path: Path, small_window: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No read asks for more than a window: the file is never read whole."""
    path = _write(tmp_path / "b.json", 3000)
    sizes: list[int] = []
    real_open = Path.open

    class Counting:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def read(self, size: int = -1) -> Any:
            sizes.append(size)
            return self.handle.read(size)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.handle, name)

        def __enter__(self) -> Any:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

    def counting_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        return Counting(real_open(self, *args, **kwargs))

    monkeypatch.setattr(Path, "open", counting_open)
    backup = read_backup_file(path, LAYOUT)
    rows = list(backup.tables["log"].rows())
    assert len(rows) == 3000
    assert sizes and all(0 < size <= 1 << 16 for size in sizes)
    assert path.stat().st_size > 3 * (1 << 16)  # many windows' worth


def test_memory_stays_far_below_the_files_size(tmp_path: Path, small_window: int) -> None:
    path = _write(tmp_path / "b.json", 6000)
    size = path.stat().st_size
    tracemalloc.start()
    try:
        backup = read_backup_file(path, LAYOUT)
        count = sum(1 for _ in backup.tables["log"].rows())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 6000
    assert peak < size / 3, (peak, size)


def test_rows_read_are_the_rows_written(tmp_path: Path, small_window: int) -> None:
    path = _write(tmp_path / "b.json", 2500)
    backup = read_backup_file(path, LAYOUT)
    assert list(backup.tables["log"].rows()) == [_row(n) for n in range(2500)]
    assert backup.count("log") == 2500


@pytest.mark.parametrize("indent", [None, 0, 3])
def test_any_layout_reads_the_same_through_a_small_window(
    tmp_path: Path, small_window: int, indent: int | None
) -> None:
    """One line, or a value a line: windows end inside rows, strings and numbers."""
    path = _write(tmp_path / "b.json", 1500)
    data = json.loads(path.read_text(encoding="utf-8"))
    other = tmp_path / "other.json"
    other.write_text(json.dumps(data, indent=indent, ensure_ascii=False), encoding="utf-8")
    assert list(read_backup_file(other, LAYOUT).tables["log"].rows()) == [
        _row(n) for n in range(1500)
    ]


def test_a_syntax_error_deep_in_the_file_names_the_files_line_and_column(
    tmp_path: Path, small_window: int
) -> None:
    path = _write(tmp_path / "b.json", 2000)
    text = path.read_text(encoding="utf-8")
    spoiled = text.replace('"answer 1500 ', '"answer 1500 \\q', 1)
    path.write_text(spoiled, encoding="utf-8")
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(spoiled)
    with pytest.raises(ExchangeError) as caught:
        read_backup_file(path, LAYOUT)
    where = f"line {expected.value.lineno} column {expected.value.colno} "
    assert f"corrupted JSON at {where}" in str(caught.value)


def test_a_file_cut_short_anywhere_is_truncated(tmp_path: Path, small_window: int) -> None:
    path = _write(tmp_path / "b.json", 800)
    data = path.read_bytes()
    for cut in (len(data) // 3, len(data) // 2 + 7, len(data) - 4):
        path.write_bytes(data[:cut])
        with pytest.raises(ExchangeError, match="truncated"):
            read_backup_file(path, LAYOUT)


def test_a_row_count_past_the_cap_counts_every_row(tmp_path: Path, small_window: int) -> None:
    path = _write(tmp_path / "b.json", 1200)
    with pytest.raises(ExchangeError, match='"log" has 1,200 rows, more than 1,000'):
        read_backup_file(path, LAYOUT, ImportLimits(max_rows=1000))


_HOSTILE: list[tuple[str, Any]] = [
    ("integer", True),
    ("integer", 2.0),
    ("integer", None),
    ("float", "2.5"),
    ("float", False),
    ("string", 3),
    ("string", ["nested"]),
    ("date", "2026-W48-4"),
    ("date", "2026-02-30"),
    ("date", 20260101),
    ("datetime", "2026-11-26T09:00:00"),
    ("datetime", "2026-11-26 09:00:00Z"),
    ("datetime", "tomorrow"),
    ("string", "x" * 5000),
]


@pytest.mark.parametrize(("kind", "value"), _HOSTILE)
def test_the_quick_check_never_passes_what_the_row_by_row_check_refuses(
    kind: str, value: Any
) -> None:
    columns = [BackupColumn("id", "integer"), BackupColumn("v", kind)]  # type: ignore[arg-type]
    rows = [[1, value], [2, value]]
    try:
        _check_slowly("t", ["id", "v"], columns, rows, 1, 4096)
        refused = False
    except ExchangeError:
        refused = True
    looks_good = _look_good(columns, rows, 4096, {})
    assert not (looks_good and refused)
