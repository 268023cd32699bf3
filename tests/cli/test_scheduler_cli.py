"""``quizcalc scheduler fit|evaluate``, in-process (CliRunner): the JSON shapes, the tables,
and one clear line (never a traceback) when the log is too short."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from quizcalc.cli.main import cli


def _words(text: str) -> str:
    """``text`` with rich's line wrapping undone."""
    return " ".join(text.split())


def _invoke(database: Path, *args: str) -> Result:
    content = database.parent / "content"
    content.mkdir(exist_ok=True)
    return CliRunner().invoke(
        cli, ["--db", str(database), "--content", str(content), *args], prog_name="quizcalc"
    )


@pytest.fixture(scope="module")
def studied(tmp_path_factory: pytest.TempPathFactory, calculus_demo: Path) -> Path:
    """A copy of the collection with 150 simulated days of answers on the Calculus deck."""
    path = tmp_path_factory.mktemp("scheduler-cli") / "quizcalc.sqlite3"
    shutil.copyfile(calculus_demo, path)
    return path


def test_evaluate_json_has_the_documented_shape(studied: Path) -> None:
    result = _invoke(studied, "scheduler", "evaluate", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) == {"reviews", "cards", "splits", "models"}
    assert payload["splits"] == 5 and payload["cards"] == 92 and payload["reviews"] > 500
    assert list(payload["models"]) == ["sm2", "fsrs_default", "fsrs_fitted"]
    for metrics in payload["models"].values():
        assert set(metrics) == {"log_loss", "rmse_bins", "auc"}
        assert 0 < metrics["log_loss"] < 1 and 0 < metrics["auc"] < 1


def test_evaluate_prints_one_row_per_model(studied: Path) -> None:
    result = _invoke(studied, "scheduler", "evaluate")
    assert result.exit_code == 0, result.output
    for words in ("log loss", "RMSE(bins)", "AUC", "SM-2", "default parameters", "fitted"):
        assert words in result.stdout
    assert "scored over 5 time-series splits" in _words(result.stdout)


def test_fit_json_then_the_table(studied: Path, tmp_path: Path) -> None:
    copy = tmp_path / "quizcalc.sqlite3"
    copy.write_bytes(studied.read_bytes())
    result = _invoke(copy, "scheduler", "fit", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) == {"fitted", "reviews", "training_reviews", "missing", "parameters"}
    assert payload["fitted"] is True and payload["missing"] == 0
    assert len(payload["parameters"]) == 21
    table = _invoke(copy, "scheduler", "fit")
    assert table.exit_code == 0, table.output
    assert "stored with the collection" in _words(table.stdout) and "default" in table.stdout


def test_a_short_log_is_one_line_not_a_traceback(
    tmp_path: Path, new_database: Callable[[Path], Path]
) -> None:
    database = new_database(tmp_path / "quizcalc.sqlite3")
    result = _invoke(database, "scheduler", "evaluate", "--json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("quizcalc: too few reviews to evaluate: ")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr

    fit = _invoke(database, "scheduler", "fit", "--json")
    assert fit.exit_code == 0, fit.output
    assert json.loads(fit.stdout)["missing"] == 8
    said = _invoke(database, "scheduler", "fit")
    assert "8 more are missing" in _words(said.stdout)
    assert "default parameters stay" in _words(said.stdout)


def test_the_demo_is_evaluated_in_a_throwaway_database(
    monkeypatch: pytest.MonkeyPatch, calculus_content: Path, tmp_path: Path
) -> None:
    import quizcalc.study.demo

    built: list[Path] = []
    real = quizcalc.study.demo.build_demo

    def shorter(store: Any, now: Any, config: Any = None, **_: Any) -> Any:
        built.append(Path(store.engine.url.database))
        return real(store, now, config, content=calculus_content, days=120)

    monkeypatch.setattr(quizcalc.study.demo, "build_demo", shorter)
    mine = tmp_path / "mine.sqlite3"
    result = _invoke(mine, "scheduler", "evaluate", "--demo", "--json")
    assert result.exit_code == 0, result.output
    assert "not your progress" in result.stderr
    assert json.loads(result.stdout)["cards"] == 92
    assert built and not built[0].exists()  # deleted on exit
    assert not mine.exists()  # the learner's collection was never opened
