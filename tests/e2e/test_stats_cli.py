"""End-to-end: ``quizcalc stats`` as a user runs it, on a prepared, an empty and a demo database."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from tests.e2e.conftest import QUIZCALC
from tests.study.test_stats import JSON_KEYS, History


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([QUIZCALC, *args], env=env, capture_output=True, text=True, timeout=60)


def _today() -> date:
    # The command uses the real clock; the default rollover is 04:00 local.
    return (datetime.now().astimezone() - timedelta(hours=4)).date()


def test_json_keys_and_values_on_a_prepared_database(
    env: dict[str, str], tmp_path: Path, new_database: Callable[[Path], Path]
) -> None:
    today = _today()
    history = History(new_database(tmp_path / "q.sqlite3"))
    chain = history.card(
        section="2.3::Practice", family="chain_rule", repetitions=2, interval=6, due=today
    )
    flash = history.card(section="2.3", repetitions=3, interval=30, due=today + timedelta(days=2))
    history.card()  # new
    for back in (0, 1, 2):
        history.answer(chain, today - timedelta(days=back), 5 if back else 1, seconds=20)
    history.answer(chain, today, 2, kind="drill", misconception="dropped-link")
    history.answer(flash, today - timedelta(days=1), 4, before_interval=25)
    history.store.close()

    result = _run(["stats", "--json"], env)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) == JSON_KEYS | {"demo"}
    assert payload["demo"] is False
    assert payload["today"] == today.isoformat()
    assert (payload["total_reviews"], payload["reviews_today"]) == (5, 2)
    assert (payload["streak_days"], payload["longest_streak_days"], payload["due_today"]) == (
        3,
        3,
        1,
    )
    assert payload["cards_by_state"] == {
        "new": 1,
        "learning": 0,
        "young": 1,
        "mature": 1,
        "suspended": 0,
        "leech": 0,
    }
    assert payload["per_family"]["chain_rule"]["count"] == 4
    assert payload["per_family"]["chain_rule"]["accuracy"] == 0.5
    assert payload["per_family"]["chain_rule"]["misconceptions"] == {"dropped-link": 1}
    assert payload["per_day"] == {
        (today - timedelta(days=2)).isoformat(): 1,
        (today - timedelta(days=1)).isoformat(): 2,
        today.isoformat(): 2,
    }
    assert payload["true_retention"]["mature"] == 1.0
    assert payload["weakest_skills"][0]["skill"] == "chain_rule · d1"

    text = _run(["stats"], env)
    assert text.returncode == 0, text.stderr
    for heading in (
        "Answers per day",
        "True retention",
        "Calibration (SM-2)",
        "Problem families",
        "Sections",
    ):
        assert heading in text.stdout
    assert "chain_rule" in text.stdout and "dropped-link ×1" in text.stdout


def test_empty_database_says_no_reviews_yet(
    env: dict[str, str], tmp_path: Path, new_database: Callable[[Path], Path]
) -> None:
    new_database(tmp_path / "q.sqlite3")  # the command opens an existing, empty database
    result = _run(["stats"], env)
    assert result.returncode == 0, result.stderr
    assert "no reviews yet — answer some cards or try `quizcalc stats --demo`" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    payload = json.loads(_run(["stats", "--json"], env).stdout)
    assert (payload["total_reviews"], payload["streak_days"], payload["per_family"]) == (0, 0, {})


def test_a_folder_for_a_database_is_one_clear_line(env: dict[str, str], tmp_path: Path) -> None:
    result = _run(["--db", str(tmp_path), "stats"], env)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "is a folder" in result.stderr


def test_demo_prints_a_simulated_year_and_leaves_the_users_database_alone(
    env: dict[str, str], tmp_path: Path
) -> None:
    result = _run(["stats", "--demo"], env)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "demo: a simulated year in a throwaway database" in out
    assert "no reviews yet" not in out
    for heading in ("Answers per day", "True retention", "Problem families", "Weakest skills"):
        assert heading in out
    assert not (tmp_path / "q.sqlite3").exists()
