"""One "window" of the two-window test: answers one card and undoes, racing another process.

Run as ``python two_windows_worker.py DB CARD_KEY ROUNDS SEED``, or with ``--sync FOLDER`` at
the end to be the window (or device) that edits and syncs the deck instead of answering.
It opens its own :class:`StudyService`, prints ``ready``, waits for a line on stdin (so both
windows start together), then prints one line per outcome, only after the service returned:
``answered TAG``, ``undone TAG``, or ``refused KIND: message`` for a :class:`StudyError`. A tag
is the answer's text, unique to it (SQLite reuses the id of an undone answer's row).
Anything else (a crash) ends the process with a traceback and a non-zero status.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizcalc.config import Config
from quizcalc.study import StudyService
from quizcalc.study.errors import StudyError

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


SYNCED_DECK = """Q: The one card both windows answer?
A: This one (edit {round_number}).

Q: A card that comes and goes, round {round_number}?
A: It does.
"""
"""What the syncing window writes each round: the answered card's answer edited, and another
card replaced (one added, one retired)."""


def sync_rounds(db: str, folder: Path, rounds: int) -> None:
    """Rewrite ``folder/deck.md`` and sync it, ``rounds`` times, printing ``synced N``."""
    service = StudyService.open(db, Config(leech_threshold=1000))
    print("ready", flush=True)
    sys.stdin.readline()
    for round_number in range(rounds):
        text = SYNCED_DECK.format(round_number=round_number)
        (folder / "deck.md").write_text(text, encoding="utf-8")
        now = START + timedelta(days=round_number, seconds=3)
        try:
            report = service.sync(folder, now)
            print("synced", report.updated, flush=True)
        except StudyError as exc:
            print("refused", f"{type(exc).__name__}: {exc}", flush=True)
    service.close()


def main(db: str, card_key: int, rounds: int, seed: int) -> None:
    """Answer ``card_key`` ``rounds`` times, one study day apart, undoing about one in four.

    Half the grades lapse, so the intervals stay within the calendar.
    """
    service = StudyService.open(db, Config(leech_threshold=1000))
    session = service.begin_session(START)
    card = service.card(card_key)
    rng = random.Random(seed)
    tags: list[str] = []
    print("ready", flush=True)
    sys.stdin.readline()
    for round_number in range(rounds):
        now = START + timedelta(days=round_number, seconds=seed)
        tag = f"window {seed} round {round_number}"
        try:
            session.answer(card, rng.choice((0, 1, 2, 3, 4, 5)), now, answer_text=tag)
            tags.append(tag)
            print("answered", tag, flush=True)
        except StudyError as exc:
            print("refused", f"{type(exc).__name__}: {exc}", flush=True)
        if session.answers and rng.random() < 0.25:
            try:
                session.undo()
                print("undone", tags.pop(), flush=True)
            except StudyError as exc:
                print("refused", f"{type(exc).__name__}: {exc}", flush=True)
    service.close()


if __name__ == "__main__":
    if sys.argv[5:6] == ["--sync"]:
        sync_rounds(sys.argv[1], Path(sys.argv[6]), int(sys.argv[3]))
    else:
        main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
