"""The benchmark table's arithmetic and verdicts, on fake samples (no timing measured)."""

from __future__ import annotations

import json
import math

import pytest

from benchmarks.report import (
    Measured,
    Target,
    failed,
    format_notes,
    format_table,
    percentile,
    summarise,
    to_json,
    value_for,
)


def test_percentile_is_nearest_rank() -> None:
    samples = [float(n) for n in range(1, 101)]  # 1 … 100
    assert percentile(samples, 0.99) == 99.0
    assert percentile(samples, 0.5) == 50.0
    assert percentile([3.0], 0.99) == 3.0
    assert percentile([5.0, 1.0, 3.0], 1.0) == 5.0


def test_each_target_kind_compares_its_own_number() -> None:
    measured = Measured(samples=[0.3, 0.1, 0.2, 0.9], baseline=[0.1, 0.05, 0.2])
    assert value_for(Target("median", 1), measured) == pytest.approx(0.25)
    assert value_for(Target("p99", 1), measured) == 0.9
    assert value_for(Target("ratio", 1), measured) == pytest.approx(2.5)
    assert value_for(Target("above", 1), measured) == pytest.approx(0.15)


def test_a_ratio_without_a_baseline_is_refused() -> None:
    with pytest.raises(ValueError, match="baseline"):
        value_for(Target("ratio", 1.2), Measured(samples=[1.0]))


def test_a_zero_baseline_gives_an_infinite_ratio_not_a_crash() -> None:
    assert value_for(Target("ratio", 1.2), Measured([1.0], [0.0])) == math.inf


def test_ok_only_when_every_target_and_the_memory_limit_are_met() -> None:
    targets = (Target("median", 0.010), Target("ratio", 10.0))
    fast = Measured(samples=[0.004, 0.005, 0.006], baseline=[0.001], peak_mb=120)
    assert summarise("queue", "t", targets, fast).verdict == "ok"
    slow = Measured(samples=[0.004, 0.012, 0.020], baseline=[0.001], peak_mb=120)
    assert summarise("queue", "t", targets, slow).verdict == "MISSED"  # 12 ms > 10 ms
    wide = Measured(samples=[0.004, 0.005, 0.006], baseline=[0.0004], peak_mb=120)
    assert summarise("queue", "t", targets, wide).verdict == "MISSED"  # 12.5× > 10×
    heavy = Measured(samples=[0.004, 0.005, 0.006], baseline=[0.001], peak_mb=301)
    assert summarise("queue", "t", targets, heavy).verdict == "MISSED"  # over 300 MB


def test_a_limit_met_exactly_is_ok() -> None:
    row = summarise("x", "t", (Target("median", 0.5),), Measured(samples=[0.5, 0.5, 0.5]))
    assert row.ok


def test_row_summary_columns() -> None:
    measured = Measured(samples=[0.5, 0.3, 0.4, 0.6, 0.2], baseline=[0.2, 0.1], peak_mb=80.4)
    row = summarise("first-card-warm", "t", (Target("ratio", 1.2),), measured)
    assert (row.median, row.min, row.max) == (0.4, 0.2, 0.6)
    assert row.baseline == pytest.approx(0.15)
    assert row.ratio == pytest.approx(0.4 / 0.15)
    assert row.targets == ["≤ 1.2×", "≤ 300 MB"]
    assert row.measured == ["2.67×"]
    assert row.runs == 5


def test_a_figure_without_samples_or_that_failed_is_an_error_never_ok() -> None:
    assert summarise("x", "t", (Target("median", 1),), Measured(samples=[])).verdict == "ERROR"
    row = failed("restore", "t", (Target("median", 20),), "RuntimeError: boom")
    assert row.verdict == "ERROR"
    assert not row.ok


def test_table_has_one_line_per_figure_with_its_verdict() -> None:
    rows = [
        summarise("answer", "t", (Target("p99", 0.030),), Measured([0.001, 0.002], peak_mb=60)),
        summarise("stats", "t", (Target("above", 0.5),), Measured([2.2, 2.4], [0.1, 0.1])),
        failed("restore", "t", (Target("median", 20),), "RuntimeError: boom"),
    ]
    lines = format_table(rows).splitlines()
    assert lines[0].split("|")[1].strip() == "figure"
    assert lines[0].split("|")[-2].strip() == "result"
    assert len({len(line) for line in lines}) == 1  # columns aligned
    cells = [[cell.strip() for cell in line.split("|")[1:-1]] for line in lines[2:]]
    assert [row[0] for row in cells] == ["answer", "stats", "restore"]
    assert [row[-1] for row in cells] == ["ok", "MISSED", "ERROR"]
    assert cells[0][1:4] == ["1.5 ms", "1.0 ms", "2.0 ms"]
    assert cells[1][4:6] == ["100.0 ms", "23.00×"]
    assert cells[1][7:9] == ["+≤ 500 ms, ≤ 300 MB", "+2.20 s"]
    assert cells[0][7] == "p99 ≤ 30 ms, ≤ 300 MB"


def test_notes_name_what_each_figure_ran_on_and_what_failed() -> None:
    rows = [
        summarise("queue", "t", (Target("median", 1),), Measured([0.1], note="8,000 due")),
        summarise("answer", "t", (Target("median", 1),), Measured([0.1])),
        failed("restore", "t", (Target("median", 20),), "boom"),
    ]
    assert format_notes(rows).splitlines() == ["- queue: 8,000 due", "- restore: boom"]


def test_json_holds_the_same_rows_for_machines() -> None:
    rows = [
        summarise("stats", "t", (Target("above", 0.5),), Measured([0.7, 0.9], [0.1, 0.1])),
        failed("restore", "t", (Target("median", 20),), "boom"),
    ]
    data = json.loads(to_json(rows, {"quick": True}))
    assert data["quick"] is True
    stats, restore = data["figures"]
    assert stats["figure"] == "stats"
    assert stats["median"] == pytest.approx(0.8)
    assert stats["baseline"] == pytest.approx(0.1)
    assert stats["verdict"] == "MISSED"
    assert stats["measured"] == ["+700.0 ms"]
    assert restore["verdict"] == "ERROR"
    assert restore["error"] == "boom"
