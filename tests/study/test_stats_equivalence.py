"""The fast statistics give exactly what the pre-step-9 computation gave, on every case.

The reference (:mod:`tests.study.stats_reference`) is the old code kept verbatim: per-card
aggregates folded into groups in Python. Compared on a varied seeded collection
(:mod:`tests.study.stats_fixture`) and on edge cases: empty, one answer, only relearns, only
drills, ties for medians, every card state. ``quizcalc stats --json`` on the varied collection
must stay byte for byte what it printed before (``tests/fixtures/stats/varied.json``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizcalc.cli.main import cli
from quizcalc.config import Config
from quizcalc.store import Store, open_store
from quizcalc.study.stats import compute_stats, weakest_skills
from tests.conftest import FIXED_NOW
from tests.study.stats_fixture import TODAY, varied_history
from tests.study.stats_reference.compute import compute_stats as reference_stats
from tests.study.stats_reference.compute import reference_weakest_skills
from tests.study.test_stats import History

GOLDEN = Path(__file__).parents[1] / "fixtures" / "stats" / "varied.json"


def _same_as_reference(store: Store, config: Config | None = None) -> None:
    config = config or Config()
    for now in (FIXED_NOW, FIXED_NOW + timedelta(days=9), FIXED_NOW - timedelta(days=200)):
        with store.transaction() as session:
            fast = compute_stats(session, now, config)
            reference = reference_stats(session, now, config)
            assert fast == reference
            today = fast.today
            assert weakest_skills(session, today) == reference_weakest_skills(session, now, config)


@pytest.fixture
def varied(tmp_path: Path, new_database: Callable[[Path], Path]) -> Iterator[Path]:
    yield varied_history(new_database(tmp_path / "varied.sqlite3"))


@pytest.mark.parametrize("seed", [9, 10, 11])
def test_varied_collections_give_the_reference_statistics(
    tmp_path: Path, new_database: Callable[[Path], Path], seed: int
) -> None:
    path = varied_history(new_database(tmp_path / "v.sqlite3"), seed=seed)
    store = open_store(path)
    try:
        _same_as_reference(store)
        _same_as_reference(store, Config(leech_threshold=1, rollover_hour=0))
    finally:
        store.close()


def test_stats_json_is_byte_for_byte_what_it_was(
    varied: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("quizcalc.cli.common.now", lambda: FIXED_NOW)
    result = CliRunner().invoke(cli, ["--db", str(varied), "stats", "--json"], prog_name="quizcalc")
    assert result.exit_code == 0, result.output
    assert result.stdout == GOLDEN.read_text("utf-8")


@pytest.fixture
def history(tmp_path: Path, new_database: Callable[[Path], Path]) -> Iterator[History]:
    h = History(new_database(tmp_path / "q.sqlite3"))
    yield h
    h.store.close()


def test_empty_collection(history: History) -> None:
    _same_as_reference(history.store)


def test_cards_of_every_state_and_no_answer(history: History) -> None:
    history.card(status="suspended", due=TODAY, interval=30, repetitions=3)
    history.card(status="retired", due=TODAY, interval=30, repetitions=3)
    history.card(tags="leech", lapses=9, due=TODAY, interval=1, repetitions=1)
    history.card(family="derivative", difficulty=2, due=TODAY + timedelta(days=3), interval=5)
    history.card(family="no_such_family", due=TODAY, interval=22, repetitions=4, easiness=1.3)
    history.card()
    _same_as_reference(history.store)


def test_one_answer(history: History) -> None:
    card = history.card(family="gradient", section="Practice")
    history.answer(card, TODAY, 2, misconception="sign-error")
    _same_as_reference(history.store)


@pytest.mark.parametrize("kind", ["relearn", "drill"])
def test_only_one_kind_of_answer(history: History, kind: str) -> None:
    card = history.card(family="hessian_classify", difficulty=3)
    for back in range(5):
        history.answer(card, TODAY - timedelta(days=back), back % 5, kind=kind)
    _same_as_reference(history.store)


def test_medians_of_even_and_odd_counts_with_ties(history: History) -> None:
    even = [history.card(section="Even", family="partial") for _ in range(2)]
    odd = history.card(section="Odd", family="jacobian")
    for i, seconds in enumerate((1.0, 2.0, 2.0, 3.5, 9.1, 0.25)):
        history.answer(even[i % 2], TODAY - timedelta(days=i), seconds=seconds)
    for i, seconds in enumerate((4.0, 4.0, 1.0, None, 0.001)):
        history.answer(odd, TODAY - timedelta(days=i), seconds=seconds)
    history.answer(odd, TODAY - timedelta(days=40), seconds=100.0)  # outside the window
    _same_as_reference(history.store)


def test_misconception_ties_and_relearns_of_retired_skills(history: History) -> None:
    retired = history.card(family="convexity", difficulty=0, status="retired")
    live = history.card(family="convexity", difficulty=1)
    for tag in ("b-tag", "a-tag", "c-tag", "d-tag", "a-tag", "b-tag"):
        history.answer(retired, date(2026, 11, 20), 1, kind="drill", misconception=tag)
        history.answer(live, date(2026, 11, 21), 0, kind="relearn", misconception=tag)
    history.answer(live, date(2026, 11, 22), 5)
    _same_as_reference(history.store)
