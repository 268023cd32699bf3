"""Card info and Browse's history show a reset and an implicit credit for what they are: a
"Reset" line and a "Credit ×0.5 from <card>" line, with no grade or time, and the card's times
count answers only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from textual.widgets import Markdown

from quizcalc.config import Config
from quizcalc.store.models import ReviewLogRecord
from quizcalc.study import StudyService
from quizcalc.study.views import HistoryRow
from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.modals.card_detail import history_cells
from quizcalc.tui.modals.card_info import CardInfoModal
from tests.tui.conftest import NOW, QUESTIONS, screen_text, wait_ready, wait_until

SIZE = (100, 30)


def _question(app: QuizcalcApp) -> str:
    return app.screen.query_one("#question", Markdown).source


def _row(kind: str, **extra: object) -> HistoryRow:
    values: dict[str, object] = {
        "log_id": 1,
        "reviewed_at": NOW,
        "study_day": date(2026, 11, 26),
        "kind": kind,
        "quality": 0,
        "answer_text": None,
        "duration_ms": None,
        "seed": None,
        "misconception": None,
        "after_interval": 0,
        "after_due": None,
    }
    return HistoryRow(**(values | extra))  # type: ignore[arg-type]


def test_history_cells_name_a_reset_and_a_credit_with_no_grade() -> None:
    reset = history_cells(_row("reset"), problem=True)
    assert reset == ("2026-11-26", "Reset", "—", "—", "—", "—", "")
    credit = _row("implicit", quality=5, weight=0.5, cause_card_id="b-123", duration_ms=900)
    assert history_cells(credit, problem=False) == (
        "2026-11-26",
        "Credit ×0.5 from b-123",
        "—",
        "—",
        "—",
    )
    answer = history_cells(_row("review", quality=4, duration_ms=900), problem=False)
    assert answer[1:3] == ("review", "4")


async def test_card_info_lists_the_reset_and_the_credit_and_times_answers_only(
    build_app: Callable[..., QuizcalcApp], db_path: Path, content: Path
) -> None:
    two_days_ago, yesterday = NOW - timedelta(days=2), NOW - timedelta(days=1)
    service = StudyService.open(str(db_path), Config())
    service.sync(content, two_days_ago)
    first = service.next_card(two_days_ago)
    assert first is not None and QUESTIONS[0] in first.question
    service.answer(first.key, 5, two_days_ago, duration_ms=2000)
    service.reset_card(first.key, two_days_ago + timedelta(minutes=1))
    service.answer(first.key, 5, yesterday, duration_ms=4200)  # due again today
    second = service.next_card(yesterday)
    assert second is not None and second.key != first.key
    service.answer(second.key, 5, yesterday)
    with service.transaction(write=True) as session:
        cause = session.scalars(
            select(ReviewLogRecord).where(ReviewLogRecord.card_key == second.key)
        ).one()
        session.add(
            ReviewLogRecord(
                card_key=first.key,
                reviewed_at=yesterday + timedelta(minutes=2),
                study_day=cause.study_day,
                quality=5,
                kind="implicit",
                weight=0.5,
                cause_id=cause.id,
                duration_ms=9000,
                before_repetitions=1,
                before_easiness=2.6,
                before_interval=1,
                before_due=cause.after_due,
                after_repetitions=1,
                after_easiness=2.6,
                after_interval=1,
                after_due=cause.after_due,
            )
        )
    service.close()
    app = build_app(start="review")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: QUESTIONS[0] in _question(app))
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, CardInfoModal))
        text = screen_text(app)
        assert f"Credit ×0.5 from {second.card_id}" in text
        assert "2026-11-24 09:01  Reset" in text
        # (2.0 s + 4.2 s) / 2: the credit's 9 s is no time spent on the card.
        assert "Average time 3.1 s" in text and "Total time   6.2 s" in text
        assert "First review  2026-11-24" in text and "Latest review 2026-11-25" in text
