"""``quizcalc scheduler simulate``: its JSON keys and its lines, on a small studied collection."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quizcalc.cli.common import Options
from quizcalc.cli.scheduler_simulate import simulate
from quizcalc.config import Config
from quizcalc.study import StudyService
from tests.conftest import FIXED_NOW

_DECK = "# Tiny\n\n" + "\n".join(
    f"## Q{n}\n\n**Q:** What is {n} squared?\n\n**A:** {n * n}\n" for n in range(1, 7)
)


@pytest.fixture
def collection(
    tmp_path: Path, new_database: Callable[[Path], Path], write_deck: Callable[..., Path]
) -> Path:
    """Six cards, two answered twice a week apart."""
    path = new_database(tmp_path / "tiny.sqlite3")
    service = StudyService.open(str(path), Config(new_per_day=2))
    try:
        service.sync(write_deck(_DECK), FIXED_NOW - timedelta(days=7))
        keys = list(service.queue(FIXED_NOW - timedelta(days=7)).order[:2])
        for days_ago in (7, 0):
            for key in keys:
                service.answer(key, 4, FIXED_NOW - timedelta(days=days_ago))
    finally:
        service.close()
    return path


def _run(collection: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    monkeypatch.setattr("quizcalc.cli.common.now", lambda: FIXED_NOW)
    options = Options(db=str(collection), content=None, config=str(collection.parent / "no.toml"))
    return CliRunner().invoke(simulate, list(args), obj=options)


def test_json_has_the_workload_retention_and_optimum(
    collection: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _run(collection, monkeypatch, "--days", "30", "--retention", "0.85", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["days"] == 30 and payload["desired_retention"] == 0.85
    assert payload["cards"] == {"studied": 2, "new": 4}
    assert payload["parameters"] == {"source": "default", "fitted_reviews": None}
    assert len(payload["reviews_per_day"]) == len(payload["new_cards_per_day"]) == 30
    assert payload["total_reviews"] == sum(payload["reviews_per_day"]) > 0
    assert sum(payload["new_cards_per_day"]) == 4
    assert 0.85 < payload["expected_retention"] <= 1
    assert 0.7 - 1e-3 <= payload["optimal_retention"] <= 0.95 + 1e-3
    assert "predicted recall" in payload["expected_retention_means"]


def test_text_names_the_figures_and_a_bad_retention_is_refused(
    collection: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _run(collection, monkeypatch, "--days", "20", "--retention", "0.9")
    assert result.exit_code == 0, result.output
    assert "FSRS simulation: 20 days at desired retention 0.90 (FSRS-6 defaults)" in result.stdout
    assert "Collection: 2 cards studied, 4 new" in result.stdout
    assert "Optimal retention for these parameters: 0." in result.stdout
    refused = _run(collection, monkeypatch, "--retention", "1.2")
    assert refused.exit_code == 2 and "1.2" in refused.output


def test_implicit_repetition_is_measured_on_the_skill_graph() -> None:
    """``--implicit on|off --transfer T``: the same learner with and without credits; off
    gives none, on gives some and asks fewer reviews, at a retention within a point."""
    from quizcalc.cli.scheduler_command import scheduler

    runs = {}
    for mode in ("off", "on"):
        result = CliRunner().invoke(
            scheduler,
            ["simulate", "--implicit", mode, "--transfer", "0", "--days", "120", "--json"],
            obj=None,
        )
        assert result.exit_code == 0, result.output
        runs[mode] = json.loads(result.output)
    assert set(runs["on"]) == {
        "implicit", "transfer", "days", "skills", "desired_retention", "total_reviews",
        "reviews_per_day", "credits", "mean_retention",
    }  # fmt: skip
    assert runs["off"]["credits"] == 0 < runs["on"]["credits"]
    assert runs["on"]["total_reviews"] < runs["off"]["total_reviews"]
    assert runs["on"]["mean_retention"] > runs["off"]["mean_retention"] - 0.01
