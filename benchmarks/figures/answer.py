"""Answering a card: grade → schedule → commit, one ``ReviewSession.answer`` per sample.

On a copy of the heavy collection after a week away: today's queue is read once and its cards
are answered in order (mostly "good", every fifth a fail, so relearning happens too), each
loaded with ``StudyService.card`` as the reviewer shows it; only the answer call is timed,
which grades, reschedules and commits before returning. (Finding the next card is the
``queue`` figure's: asking ``next_card`` before every answer would make this figure minutes
long at 50,000 cards while measuring the queue again.)
"""

from __future__ import annotations

import random
import time
from datetime import timedelta

from benchmarks.figures.base import Context, Figure
from benchmarks.report import Measured, Target

ANSWERS_PER_RUN = 60


def answer(ctx: Context) -> Measured:
    """Seconds per answer, over ``runs × 60`` answers."""
    from benchmarks.heavy_collection import copy_database, heavy_collection
    from quizcalc.config import Config
    from quizcalc.study import StudyService

    collection = heavy_collection(ctx.scale)
    url = copy_database(collection, ctx.folder / "heavy.sqlite3")
    service = StudyService.open(url, Config())
    samples = []
    try:
        now = ctx.now()
        session = service.begin_session(now, random.Random(7))
        order = service.queue(now).order[: ctx.runs * ANSWERS_PER_RUN + 1]
        for number, key in enumerate(order):
            card = service.card(key)
            quality = 2 if number % 5 == 4 else 4
            start = time.perf_counter()
            session.answer(card, quality, now, duration_ms=4000)
            if number:  # the first answer is the warm-up
                samples.append(time.perf_counter() - start)
            now += timedelta(seconds=5)
    finally:
        service.close()
    return Measured(samples, note=f"{ctx.collection_note()}: {len(samples)} answers")


FIGURES = [
    Figure(
        "answer",
        "answer a card: grade → schedule → commit (ReviewSession.answer)",
        (Target("median", 0.010), Target("p99", 0.030)),
        answer,
    ),
]
