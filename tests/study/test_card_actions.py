"""The reviewer's card actions: suspend, bury (by date), flag, undo; grade previews; card info;
editing a card where it is written and finding it again after the sync.

The tests on a collection run on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from quizcalc.config import Config
from quizcalc.study.card_marks import GradePreview, short_interval
from quizcalc.study.errors import InvalidRequest
from quizcalc.study.service import StudyService
from quizcalc.study.views import BrowseFilter
from tests.conftest import FIXED_NOW
from tests.postgres import db_url_on_both_backends

__all__ = ["db_url_on_both_backends"]  # the tests taking db_url run on both backends

DECK = """---
deck: ML
---

## Calculus

Q: What is the derivative of x squared?
A: 2x, by the power rule.

Q: Which way does the gradient point?
A: Uphill.
"""

TOMORROW = FIXED_NOW + timedelta(days=1)


@pytest.fixture
def service(db_url: str, write_deck: Callable[..., Path]) -> StudyService:
    """Two new Q/A cards in one section."""
    svc = StudyService.open(db_url, Config(new_per_day=10))
    svc.sync(write_deck(DECK), FIXED_NOW)
    return svc


def _first_key(service: StudyService) -> int:
    card = service.next_card(FIXED_NOW)
    assert card is not None
    return card.key


def test_a_buried_card_leaves_every_queue_until_the_next_study_day(
    service: StudyService,
) -> None:
    key = _first_key(service)
    before = service.card(key).state
    change = service.bury_card(key, FIXED_NOW)
    assert key not in service.queue(FIXED_NOW).order
    home = service.home(FIXED_NOW)
    assert (home.new, sum(s.new for s in home.per_section)) == (1, 1)
    assert service.card(key).state == before  # SM-2 state untouched
    assert change.after.buried_until == FIXED_NOW.date() + timedelta(days=1)
    assert key in service.queue(TOMORROW).order  # back by date, nothing to run


def test_a_card_failed_today_and_buried_is_not_asked_again_today(service: StudyService) -> None:
    key = _first_key(service)
    service.answer(key, 1, FIXED_NOW)
    assert key in service.queue(FIXED_NOW).order
    service.bury_card(key, FIXED_NOW)
    assert key not in service.queue(FIXED_NOW).order
    assert service.queue(FIXED_NOW).due_count == 0


def test_suspend_and_bury_are_undone(service: StudyService) -> None:
    key = _first_key(service)
    suspended = service.suspend_card(key)
    assert suspended.leaves_queue and key not in service.queue(FIXED_NOW).order
    service.undo_card_change(suspended)
    assert key in service.queue(FIXED_NOW).order
    buried = service.bury_card(key, FIXED_NOW)
    service.undo_card_change(buried)
    assert service.queue(FIXED_NOW).order[0] == key


def test_flags_are_stored_shown_on_the_card_and_undone(service: StudyService) -> None:
    key = _first_key(service)
    change = service.flag_card(key, 3)
    assert not change.leaves_queue
    assert service.card(key).flag == 3
    assert [row.flag for row in service.browse(BrowseFilter(), FIXED_NOW)] == [3, 0]
    assert service.card_info(key).flag == 3
    service.undo_card_change(change)
    assert service.card(key).flag == 0
    with pytest.raises(InvalidRequest, match=r"a flag is 0 \(none\) to 7, got 8"):
        service.flag_card(key, 8)


def test_undo_leaves_a_mark_changed_since_alone(service: StudyService) -> None:
    key = _first_key(service)
    change = service.flag_card(key, 1)
    service.flag_card(key, 4)  # another window, say
    service.undo_card_change(change)
    assert service.card(key).flag == 4


def test_grade_previews_are_the_answer_steps_intervals(service: StudyService) -> None:
    key = _first_key(service)
    texts = [p.text for p in service.grade_previews(key, FIXED_NOW)]
    assert texts == ["again", "again", "again", "1d", "1d", "1d"]
    service.answer(key, 5, FIXED_NOW)
    texts = [p.text for p in service.grade_previews(key, TOMORROW)]
    assert texts == ["again", "again", "again", "6d", "6d", "6d"]
    # the same day, after a failing first answer: a re-ask does not move the schedule
    other = service.queue(TOMORROW).new[0]
    service.answer(other, 2, TOMORROW)
    texts = [p.text for p in service.grade_previews(other, TOMORROW)]
    assert texts == ["again", "again", "again", "again", "1d", "1d"]


@pytest.mark.parametrize(
    ("days", "text"), [(1, "1d"), (29, "29d"), (30, "1mo"), (48, "1.6mo"), (400, "1.1y")]
)
def test_intervals_read_as_on_anki_buttons(days: int, text: str) -> None:
    assert short_interval(days) == text
    assert GradePreview(4, days, False).text == text


def test_card_info_has_dates_times_and_history(service: StudyService) -> None:
    key = _first_key(service)
    service.answer(key, 2, FIXED_NOW, duration_ms=4000)
    service.answer(key, 5, FIXED_NOW + timedelta(minutes=5), duration_ms=2000)
    info = service.card_info(key)
    assert info.first_review == FIXED_NOW
    assert info.latest_review == FIXED_NOW + timedelta(minutes=5)
    assert (info.total_ms, info.average_ms) == (6000, 3000)
    assert [row.quality for row in info.detail.history] == [5, 2]
    assert info.detail.line == 7 and info.anki is None


def test_an_edited_file_is_synced_and_the_card_found_again(
    service: StudyService, write_deck: Callable[..., Path]
) -> None:
    key = _first_key(service)
    target = service.edit_target(key)
    assert target.file is not None and target.line == 7
    path = target.file
    path.write_text(
        path.read_text().replace("x squared?", "x squared, with respect to x?"), "utf-8"
    )
    edited = service.resync_edited(target, FIXED_NOW, "new")
    assert edited.card is not None and edited.card.key == key  # an edit keeps the card
    assert edited.card.question.endswith("with respect to x?")
    # rewritten beyond recognition: a new card, found at the same line
    path.write_text(path.read_text().replace("What is the derivative", "Differentiate"), "utf-8")
    path.write_text(
        path.read_text().replace("Differentiate of x squared, with respect to x?", "d/dx x³?"),
        "utf-8",
    )
    path.write_text(path.read_text().replace("2x, by the power rule.", "3x²"), "utf-8")
    again = service.resync_edited(target, FIXED_NOW, "new")
    assert again.card is not None and again.card.question == "d/dx x³?"
    assert again.report.added == 1 and again.report.retired == 1


def test_a_card_without_a_markdown_file_is_edited_in_the_app(
    service: StudyService, tmp_path: Path
) -> None:
    tsv = tmp_path / "words.tsv"
    tsv.write_text("front one\tback one\n", "utf-8")
    service.import_path(tsv, FIXED_NOW)
    rows = service.browse(BrowseFilter(), FIXED_NOW)
    key = next(r.key for r in rows if r.question == "front one")
    target = service.edit_target(key)
    assert target.file is None and target.fields == ("front one", "back one")
    card = service.save_fields(target, ["front, edited", "back one"], FIXED_NOW)
    assert (card.question, card.answer) == ("front, edited", "back one")
    with pytest.raises(InvalidRequest, match="neither may be blank"):
        service.save_fields(target, ["  ", "back one"], FIXED_NOW)
