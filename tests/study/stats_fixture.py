"""A small, varied collection for the statistics' equivalence tests: every case on purpose.

:func:`varied_history` writes, in bulk and from a seed, about a hundred cards and a few
thousand answers over 400 days around ``FIXED_NOW``: every card state (new, learning, young,
mature, suspended, retired, leeches by lapses and by tag, a card without a schedule row),
sections (nested, empty, ``None``-like ``""``), problem families (known, unknown, difficulty
missing or 0), every answer kind, missing and tied durations (medians of odd and even
counts), misconceptions with tied counts, answers after "today" (a clock set back) and
answers of retired cards. The figures are not checked by hand: the tests compare the fast
computation with the reference one on it, and ``quizcalc stats --json`` with a golden file.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TypeVar

from sqlalchemy import insert

from quizcalc.problems.catalog import FAMILY_NAMES
from quizcalc.store import open_store
from quizcalc.store.models import Base
from tests.conftest import FIXED_NOW

Where = TypeVar("Where", str, Path)
"""A SQLite file or a database's URL."""

TODAY = date(2026, 11, 26)
"""``FIXED_NOW``'s study day."""

SECTIONS = ("1 Limits", "1 Limits::Practice", "2.4 Jacobian and Hessian::Practice", "", "Zeta")
FAMILIES = (*FAMILY_NAMES[:4], "no_such_family")
TAGS = ("sign-error", "dropped-link", "forgot-factor-2", "transposed")


def _card(key: int, rng: random.Random) -> tuple[dict[str, object], dict[str, object] | None]:
    problem = key % 3 == 0
    family = rng.choice(FAMILIES) if problem else None
    difficulty = rng.choice((None, 0, 1, 2, 3)) if problem else None
    status = rng.choices(("active", "suspended", "retired"), (8, 1, 1))[0]
    card = {
        "id": key,
        "card_id": f"varied-{key}",
        "deck_id": 1,
        "kind": "problem" if problem else rng.choice(("basic", "cloze")),
        "question": f"Question {key}?",
        "answer": "Answer.",
        "section": rng.choice(SECTIONS),
        "tags": rng.choice(("", "", "calc", "leech", "calc leech", "leeches")),
        "source": "varied.md",
        "line": key,
        "position": key,
        "status": status,
        "family": family,
        "difficulty": difficulty,
        "created_at": FIXED_NOW - timedelta(days=500),
        "updated_at": FIXED_NOW - timedelta(days=500),
    }
    if key % 29 == 0:
        return card, None  # no schedule row at all
    never = rng.random() < 0.15
    interval = rng.choice((0, 1, 2, 5, 20, 21, 22, 60, 200))
    schedule = {
        "card_key": key,
        "repetitions": 0 if never else rng.choice((0, 1, 2, 5, 9)),
        "easiness": rng.choice((1.3, 1.49, 1.5, 1.7, 2.1, 2.5, 2.69, 2.7, 3.1)),
        "interval": 0 if never else interval,
        "due": None if never else TODAY + timedelta(days=rng.randint(-40, 40)),
        "lapses": rng.choice((0, 0, 1, 7, 8, 12)),
        "reviews": 0,
        "buried_until": None,
    }
    return card, schedule


def _answer(key: int, problem: bool, rng: random.Random) -> dict[str, object]:
    # Mostly the last 60 days (every window of the statistics), some up to 400 days back,
    # a few in the future.
    back = rng.choices((rng.randint(0, 60), rng.randint(0, 400), -rng.randint(1, 3)), (6, 3, 1))[0]
    day = TODAY - timedelta(days=back)
    at = datetime.combine(day, time(rng.randint(5, 23), rng.randint(0, 59)), UTC)
    quality = rng.choice(range(6))
    kind = rng.choices(("review", "relearn", "drill"), (6, 2, 2))[0]
    before = rng.choice((0, 1, 3, 20, 21, 45))
    return {
        "card_key": key,
        "reviewed_at": at,
        "study_day": day,
        "quality": quality,
        "answer_text": None,
        "duration_ms": rng.choice((None, 1000, 1500, 2000, 2000, 4000, 7300, 12000)),
        "kind": kind,
        "session_id": None,
        "seed": None,
        "misconception": rng.choice(TAGS) if problem and quality < 3 and back % 2 else None,
        "before_repetitions": 1,
        "before_easiness": 2.5,
        "before_interval": before,
        "before_due": day,
        "after_repetitions": 2,
        "after_easiness": 2.5,
        "after_interval": before + 1,
        "after_due": day + timedelta(days=before + 1),
        "before_lapses": 0,
    }


def varied_history(path: Where, *, cards: int = 120, answers: int = 3000, seed: int = 9) -> Where:
    """Fill the (new, empty) database at ``path`` (a SQLite file or any database's URL);
    returns ``path``."""
    rng = random.Random(seed)
    tables = Base.metadata.tables
    card_rows, schedule_rows = [], []
    for key in range(1, cards + 1):
        card, schedule = _card(key, rng)
        card_rows.append(card)
        if schedule is not None:
            schedule_rows.append(schedule)
    answered = [key for key in range(1, cards + 1) if key % 7]  # every 7th: never answered
    log = [
        _answer(key, key % 3 == 0, rng) for key in (rng.choice(answered) for _ in range(answers))
    ]
    store = open_store(path)
    try:
        with store.engine.begin() as connection:
            connection.execute(insert(tables["decks"]), [{"id": 1, "name": "Varied"}])
            for table, rows in (
                ("cards", card_rows),
                ("schedule", schedule_rows),
                ("review_log", log),
            ):
                if rows:
                    connection.execute(insert(tables[table]), rows)
    finally:
        store.close()
    return path
