"""Today's queue and a session: daily limits, rollover, SM-2 step 7, undo, streaks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quizcalc.config import Config
from quizcalc.scheduling.study_day import study_day
from quizcalc.study import StudyService
from tests.conftest import FIXED_NOW
from tests.postgres import db_url_on_both_backends

__all__ = ["db_url_on_both_backends"]  # every test here taking db_url runs on both backends


def _deck(n: int) -> str:
    return "\n".join(f"Q: Question number {i}?\nA: Answer {i}.\n" for i in range(n))


def _open(db_url: str, folder, **settings: int) -> StudyService:
    service = StudyService.open(db_url, Config(**settings))
    service.sync(folder, FIXED_NOW)
    return service


def test_new_cards_are_capped_per_day_in_reading_order(db_url: str, write_deck) -> None:
    service = _open(db_url, write_deck(_deck(5)), new_per_day=2)
    queue = service.queue(FIXED_NOW)
    assert len(queue.new) == 2
    first = service.next_card(FIXED_NOW)
    assert first is not None and first.question == "Question number 0?" and first.reason == "new"
    service.answer(first.key, 5, FIXED_NOW)
    assert len(service.queue(FIXED_NOW).new) == 1  # one of today's two new cards is used
    tomorrow = FIXED_NOW + timedelta(days=1)
    assert len(service.queue(tomorrow).new) == 2


def test_due_reviews_come_most_overdue_first_and_before_new(db_url: str, write_deck) -> None:
    service = _open(db_url, write_deck(_deck(3)), new_per_day=3)
    keys = []
    for day in (0, 5):  # a new card answered on day 0, another on day 5: each due a day later
        when = FIXED_NOW + timedelta(days=day)
        key = service.queue(when).new[0]
        service.answer(key, 3, when)
        keys.append(key)
    later = FIXED_NOW + timedelta(days=10)
    queue = service.queue(later)
    assert queue.due == keys  # the first is 9 days overdue, the second 4
    nxt = service.next_card(later)
    assert nxt is not None and nxt.key == keys[0] and nxt.reason == "review"


def test_review_cap_limits_due_cards(db_url: str, write_deck) -> None:
    service = _open(db_url, write_deck(_deck(4)), new_per_day=4, max_reviews_per_day=1)
    for _ in range(4):
        card = service.next_card(FIXED_NOW)
        assert card is not None
        service.answer(card.key, 5, FIXED_NOW)
    assert len(service.queue(FIXED_NOW + timedelta(days=1)).due) == 1


def test_study_day_rolls_over_at_the_configured_hour() -> None:
    late = datetime(2026, 11, 27, 2, 30, tzinfo=UTC)
    assert study_day(late, 4).isoformat() == "2026-11-26"
    assert study_day(late, 0).isoformat() == "2026-11-27"
    with pytest.raises(ValueError):
        study_day(datetime(2026, 11, 27, 2, 30), 4)


def test_answer_after_midnight_but_before_rollover_counts_for_yesterday(
    db_url: str, write_deck
) -> None:
    service = _open(db_url, write_deck(_deck(1)))
    night = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
    card = service.next_card(night)
    assert card is not None
    outcome = service.answer(card.key, 5, night)
    assert outcome.due.isoformat() == "2026-11-27"  # interval 1 from study day the 26th
    assert service.next_card(datetime(2026, 11, 27, 3, 59, tzinfo=UTC)) is None
    assert service.next_card(datetime(2026, 11, 27, 4, 0, tzinfo=UTC)) is not None


def test_step_seven_failed_card_returns_later_until_graded_four(db_url: str, write_deck) -> None:
    service = _open(db_url, write_deck(_deck(4)), new_per_day=4, relearn_gap=2)
    session = service.begin_session(FIXED_NOW)
    shown = []
    grades = {0: [2, 3, 4]}  # card 0: fail, still shaky, then good
    while (card := session.next_card(FIXED_NOW)) is not None:
        shown.append(card.question)
        number = int(card.question.split()[-1].rstrip("?"))
        quality = grades.get(number, [5]).pop(0) if grades.get(number) else 5
        session.answer(card, quality, FIXED_NOW)
        assert len(shown) < 20
    q0 = "Question number 0?"
    assert shown.count(q0) == 3
    first, second, third = (i for i, q in enumerate(shown) if q == q0)
    assert second - first > 1 and third - second > 1  # never asked twice in a row
    kinds = [a.kind for a in session.answers if a.card_key == session.answers[0].card_key]
    assert kinds == ["review", "relearn", "relearn"]
    # Only the day's first answer moved the schedule: quality 2 → interval 1, reps 0.
    card0 = service.card(session.answers[0].card_key)
    assert (card0.state.repetitions, card0.state.interval) == (0, 1)
    assert card0.state.easiness == pytest.approx(2.18)


def test_relearn_queue_survives_a_restart(db_url: str, write_deck) -> None:
    folder = write_deck(_deck(1))
    service = _open(db_url, folder)
    card = service.next_card(FIXED_NOW)
    assert card is not None
    service.answer(card.key, 1, FIXED_NOW)
    service.close()
    reopened = _open(db_url, folder)
    again = reopened.next_card(FIXED_NOW + timedelta(minutes=5))
    assert again is not None and again.key == card.key and again.reason == "relearn"


def test_undo_restores_schedule_and_removes_the_log_row(db_url: str, write_deck) -> None:
    service = _open(db_url, write_deck(_deck(2)))
    session = service.begin_session(FIXED_NOW)
    card = session.next_card(FIXED_NOW)
    assert card is not None
    session.answer(card, 5, FIXED_NOW)
    assert service.home(FIXED_NOW).reviews_today == 1
    back = session.undo()
    assert back is not None and back.key == card.key and back.reason == "new"
    assert back.state.repetitions == 0 and back.state.interval == 0
    assert service.home(FIXED_NOW).reviews_today == 0
    assert session.next_card(FIXED_NOW).key == card.key  # type: ignore[union-attr]
    assert session.undo() is None


def test_undo_walks_back_several_answers_in_order(db_url: str, write_deck) -> None:
    service = _open(db_url, write_deck(_deck(3)))
    session = service.begin_session(FIXED_NOW)
    answered = []
    for _ in range(3):
        card = session.next_card(FIXED_NOW)
        assert card is not None
        session.answer(card, 4, FIXED_NOW)
        answered.append(card.key)
    undone = [session.undo().key for _ in range(3)]  # type: ignore[union-attr]
    assert undone == answered[::-1]
    assert service.queue(FIXED_NOW).new == answered


def test_session_summary_counts_cards_accuracy_and_time(db_url: str, write_deck) -> None:
    service = _open(db_url, write_deck(_deck(3)), relearn_gap=0)
    session = service.begin_session(FIXED_NOW)
    for quality in (5, 2, 4, 4):
        card = session.next_card(FIXED_NOW)
        assert card is not None
        session.answer(card, quality, FIXED_NOW)
    summary = session.summary(FIXED_NOW + timedelta(minutes=3))
    assert (summary.answers, summary.correct, summary.relearned) == (4, 3, 1)
    assert summary.accuracy == pytest.approx(0.75)
    assert summary.seconds == 180


def test_streak_counts_consecutive_study_days(db_url: str, write_deck) -> None:
    service = _open(db_url, write_deck(_deck(6)), new_per_day=1)
    for day in (0, 1, 2, 4, 5):
        when = FIXED_NOW + timedelta(days=day)
        card = service.next_card(when)
        assert card is not None
        service.answer(card.key, 5, when)
    assert service.streak(FIXED_NOW + timedelta(days=5)) == 2
    assert service.streak(FIXED_NOW + timedelta(days=6)) == 2  # today not studied yet
    assert service.streak(FIXED_NOW + timedelta(days=7)) == 0
    home = service.home(FIXED_NOW + timedelta(days=5))
    assert home.streak_days == 2 and home.reviews_today == 1


def test_home_tells_when_the_next_reviews_fall_due(db_url: str, write_deck) -> None:
    service = _open(db_url, write_deck(_deck(4)), new_per_day=2)
    for _ in range(2):
        card = service.next_card(FIXED_NOW)
        assert card is not None
        service.answer(card.key, 5, FIXED_NOW)
    home = service.home(FIXED_NOW)
    assert (home.due, home.new) == (0, 0)
    assert home.next_due == (FIXED_NOW + timedelta(days=1)).date()
    assert (home.next_due_count, home.unseen) == (2, 2)


def test_cloze_siblings_are_buried_for_the_rest_of_the_day(db_url: str, write_deck) -> None:
    deck = "The {{c1::gradient}} points toward {{c2::steepest ascent}}.\n\nQ: Other?\nA: Yes.\n"
    service = _open(db_url, write_deck(deck), new_per_day=10)
    first = service.next_card(FIXED_NOW)
    assert first is not None and first.kind == "cloze"
    assert len(service.queue(FIXED_NOW).new) == 3
    service.answer(first.key, 5, FIXED_NOW)
    today = service.queue(FIXED_NOW)
    assert [service.card(k).question for k in today.new] == ["Other?"]
    tomorrow = service.queue(FIXED_NOW + timedelta(days=1))
    assert any(service.card(k).kind == "cloze" for k in tomorrow.new)


def test_a_card_lapsing_to_the_leech_threshold_is_suspended_and_undo_restores_it(
    db_url: str, write_deck
) -> None:
    service = _open(db_url, write_deck(_deck(1)), leech_threshold=2, relearn_gap=0)
    session = service.begin_session(FIXED_NOW)
    day = FIXED_NOW
    outcomes = []
    for quality in (5, 1, 5, 1):  # learn, lapse 1, recover, lapse 2 → leech
        card = service.next_card(day)
        assert card is not None
        outcomes.append(session.answer(card, quality, day))
        day += timedelta(days=outcomes[-1].after.interval)
    assert [o.leech for o in outcomes] == [False, False, False, True]
    assert not outcomes[-1].again_today
    assert [r.status for r in service.list_cards()] == ["suspended"]
    assert service.next_card(day) is None
    session.undo()
    assert [r.status for r in service.list_cards()] == ["active"]
