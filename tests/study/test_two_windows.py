"""Two windows (or devices) on one collection: answers, undos and syncs in two processes never
lose an update."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from quizcalc.config import Config
from quizcalc.scheduling.answer import NEW_CARD_STATE
from quizcalc.store.engine import open_store
from quizcalc.store.models import CardRecord, ReviewLogRecord
from quizcalc.study import StudyService
from tests.conftest import FIXED_NOW
from tests.postgres import db_url_on_both_backends

__all__ = ["db_url_on_both_backends"]  # runs on SQLite and on PostgreSQL (its advisory lock)

WORKER = Path(__file__).with_name("two_windows_worker.py")
ROUNDS = 60


def _run_two_windows(
    db_url: str, card_key: int, second: list[str] | None = None
) -> list[list[str]]:
    """Run two workers at once; ``second`` replaces the second one's extra arguments (by
    default it answers too, with seed 2)."""
    windows = [
        subprocess.Popen(
            [sys.executable, str(WORKER), db_url, str(card_key), str(ROUNDS), *extra],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for extra in (["1"], second or ["2"])
    ]
    for window in windows:
        assert window.stdout is not None and window.stdout.readline().strip() == "ready"
    for window in windows:
        assert window.stdin is not None
        window.stdin.write("go\n")
        window.stdin.flush()
    outputs = []
    for window in windows:
        out, err = window.communicate(timeout=60)
        assert window.returncode == 0, f"a window crashed:\n{err}"
        outputs.append(out.splitlines())
    return outputs


def _state(row: ReviewLogRecord, side: str) -> tuple[object, ...]:
    return tuple(
        getattr(row, f"{side}_{name}") for name in ("repetitions", "easiness", "interval", "due")
    )


def _kept_answers(outputs: list[list[str]]) -> set[str]:
    """The answers the windows acknowledged and did not undo; only an undo out of order may
    have been refused, never an answer."""
    kept: set[str] = set()
    for lines in outputs:
        for line in lines:
            verb, _, rest = line.partition(" ")
            if verb == "answered":
                kept.add(rest)
            elif verb == "undone":
                kept.remove(rest)
            else:
                assert verb == "refused" and "must be undone first" in rest, line
    return kept


def _check_log_chain(db_url: str, key: int, kept: set[str]) -> CardRecord:
    """Assert the card's log holds exactly the ``kept`` answers, each starting from the state
    the one before left, and the schedule is the last one's; returns the card (detached)."""
    store = open_store(db_url)
    with store.transaction() as session:
        rows = list(
            session.scalars(
                select(ReviewLogRecord)
                .where(ReviewLogRecord.card_key == key)
                .order_by(ReviewLogRecord.id)
            )
        )
        card = session.get(CardRecord, key)
        assert card is not None
        schedule = card.schedule
        stored = (schedule.repetitions, schedule.easiness, schedule.interval, schedule.due)
    store.close()
    assert kept and {row.answer_text for row in rows} == kept  # every answer acknowledged
    previous = (NEW_CARD_STATE.repetitions, NEW_CARD_STATE.easiness, NEW_CARD_STATE.interval, None)
    for row in rows:
        assert _state(row, "before") == previous, f"row {row.id} lost an update"
        previous = _state(row, "after")
    assert stored == previous
    return card


def test_two_processes_answering_and_undoing_one_card_lose_nothing(db_url: str, write_deck) -> None:
    service = StudyService.open(db_url, Config())
    service.sync(write_deck("Q: The one card both windows answer?\nA: This one.\n"), FIXED_NOW)
    key = service.queue(FIXED_NOW).new[0]
    service.close()

    outputs = _run_two_windows(db_url, key)

    assert sum(line.startswith("answered") for out in outputs for line in out) == 2 * ROUNDS
    card = _check_log_chain(db_url, key, _kept_answers(outputs))
    assert card.question == "The one card both windows answer?"


def test_a_sync_racing_answers_on_another_device_loses_no_review(db_url: str, write_deck) -> None:
    # One device answers (and undoes) the card while the other edits the deck and syncs it
    # every round: the card keeps its row, every acknowledged answer is in its log chain, and
    # the last edit is what the card says.
    folder = write_deck("Q: The one card both windows answer?\nA: This one.\n")
    service = StudyService.open(db_url, Config())
    service.sync(folder, FIXED_NOW)
    key = service.queue(FIXED_NOW).new[0]
    service.close()

    answering, syncing = _run_two_windows(db_url, key, ["0", "--sync", str(folder)])

    assert [line.split()[0] for line in syncing] == ["synced"] * ROUNDS
    card = _check_log_chain(db_url, key, _kept_answers([answering]))
    assert card.answer == f"This one (edit {ROUNDS - 1})."
    assert card.status != "retired"  # (many lapses may make it a suspended leech)
