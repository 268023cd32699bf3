"""The harness end to end on its cheapest figure, and the figure registry (no timing asserted)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import bench
from benchmarks.figures import MODULES, all_figures, find


def test_every_figure_has_a_unique_name_and_a_target() -> None:
    figures = all_figures()
    names = [figure.name for figure in figures]
    assert len(names) == len(set(names))
    assert all(figure.targets for figure in figures)
    # Every figure module in the folder is listed (a new one is measured by `make bench`).
    folder = Path(all_figures.__code__.co_filename).parent
    on_disk = {path.stem for path in folder.glob("*.py")} - {"__init__", "base"}
    assert set(MODULES) == on_disk and len(MODULES) == len(on_disk)


def test_only_takes_a_figure_or_a_module_name() -> None:
    assert [f.name for f in find(["queue"])] == ["queue"]
    assert [f.name for f in find(["grading"])] == ["grade-realistic", "grade-hostile"]
    with pytest.raises(KeyError, match="known: first-card-warm"):
        find(["no-such-figure"])


def test_only_one_figure_end_to_end_writes_the_table_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bench.json"
    argv = ["--quick", "--only", "grade-realistic", "--runs", "1", "--json", str(out)]
    assert bench.main(argv) == 0
    table = capsys.readouterr().out
    assert "| grade-realistic " in table
    (figure,) = json.loads(out.read_text("utf-8"))["figures"]
    assert figure["figure"] == "grade-realistic"
    assert figure["verdict"] in ("ok", "MISSED")
    assert figure["runs"] == 4 * 31  # one run: four rounds of the realistic mix
    assert figure["peak_mb"] > 0
