"""Browse over the service: search syntax, sorting, and changes to several cards at once.

Tags added in the app are the learner's own: a sync of the card's file keeps them, exports and
backups carry them, and removing a tag the file gives sticks.

The undo of a reset of several cards runs on SQLite and on PostgreSQL (``ON_BOTH_BACKENDS``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from quizcalc.config import Config
from quizcalc.exchange.model import ExportOptions
from quizcalc.store.models import CardRecord
from quizcalc.study.errors import CardNotFound, InvalidRequest
from quizcalc.study.exchange_cards import read_exchange_cards
from quizcalc.study.service import StudyService
from quizcalc.study.views import BrowseFilter, BrowseRow
from tests.conftest import FIXED_NOW
from tests.postgres import ON_BOTH_BACKENDS, db_url_by_backend

__all__ = ["db_url_by_backend"]  # the tests marked ON_BOTH_BACKENDS run on both backends

DECK = """---
deck: ML
tags: [calculus]
---

## Derivatives

Q: What is the derivative of x squared?
A: 2x, by the power rule.

Q: Which way does the gradient point?
A: Uphill, the direction of steepest ascent.

## Optimisation

Q: What does gradient descent do?
A: It steps downhill.

```problem
family: chain_rule
difficulty: 2
```
"""


@pytest.fixture
def content(write_deck: Callable[..., Path]) -> Path:
    """The content folder holding :data:`DECK`."""
    return write_deck(DECK)


@pytest.fixture
def service(db_url: str, content: Path) -> StudyService:
    """Four cards (three Q/A, one problem) in two sections, all tagged ``calculus``."""
    svc = StudyService.open(db_url, Config(leech_threshold=3, new_per_day=10))
    svc.sync(content, FIXED_NOW)
    return svc


def _rows(service: StudyService, text: str = "", **query: object) -> list[BrowseRow]:
    return service.browse(BrowseFilter(text=text, **query), FIXED_NOW)  # type: ignore[arg-type]


def _starts(rows: list[BrowseRow]) -> list[str]:
    return [r.question[:9] for r in rows]


def _key(service: StudyService, start: str) -> int:
    return next(r.key for r in _rows(service) if r.question.startswith(start))


def test_rows_carry_tags_and_a_problem_its_family_and_difficulty(service: StudyService) -> None:
    rows = _rows(service)
    assert rows[0].tags == ("calculus", "derivatives")
    problem = rows[-1]
    assert (problem.family, problem.difficulty) == ("chain_rule", 2)


def test_search_syntax_runs_in_the_service(service: StudyService) -> None:
    assert _starts(_rows(service, "gradient -descent")) == ["Which way"]
    assert _starts(_rows(service, 'tag:optim* "steps downhill"')) == ["What does"]
    assert _starts(_rows(service, "family:chain*")) == ["Generated"]
    assert _starts(_rows(service, "deck:m* section:derivatives is:new")) == [
        "What is t",
        "Which way",
    ]
    with pytest.raises(InvalidRequest, match="“is:foo” not understood"):
        _rows(service, "is:foo")


def test_is_retired_shows_retired_cards(service: StudyService) -> None:
    key = _key(service, "What does")
    with service.store.transaction(write=True) as session:
        record = session.get(CardRecord, key)
        assert record is not None
        record.status = "retired"
    assert "What does" not in _starts(_rows(service))
    assert _starts(_rows(service, "is:retired")) == ["What does"]


def test_sorting_by_each_column_and_reversed(service: StudyService) -> None:
    today = service.today(FIXED_NOW)
    first, second, third = (_key(service, s) for s in ("What is", "Which", "What does"))
    with service.store.transaction(write=True) as session:
        for key, due, interval, lapses in (
            (first, today + timedelta(days=5), 5, 0),
            (second, today - timedelta(days=1), 12, 2),
        ):
            record = session.get(CardRecord, key)
            assert record is not None
            record.schedule.due, record.schedule.interval = due, interval
            record.schedule.lapses, record.schedule.reviews = lapses, lapses + 1
            record.schedule.easiness = 2.5 - 0.4 * lapses
    by_due = _rows(service, sort="due")
    assert [r.key for r in by_due][:2] == [second, first]  # new cards last
    assert [r.key for r in _rows(service, sort="due", descending=True)][-2:] == [first, second]
    assert [r.key for r in _rows(service, sort="interval", descending=True)][:2] == [second, first]
    assert _rows(service, sort="lapses", descending=True)[0].key == second
    assert _rows(service, sort="reviews", descending=True)[0].key == second
    assert _rows(service, sort="section")[0].section == "Derivatives"
    assert _rows(service, sort="section", descending=True)[0].section == "Optimisation"
    assert _rows(service, sort="ease")[0].key == second
    assert _rows(service, sort="deck")[2].key == third  # ties keep reading order
    with pytest.raises(InvalidRequest, match="cannot sort by 'colour'"):
        _rows(service, sort="colour")


def test_suspend_several_in_one_call_and_retired_ones_are_refused(service: StudyService) -> None:
    keys = [r.key for r in _rows(service)]
    with service.store.transaction(write=True) as session:
        record = session.get(CardRecord, keys[3])
        assert record is not None
        record.status = "retired"
    change = service.suspend_cards(keys, True)
    assert change.changed == tuple(keys[:3]) and change.refused
    assert "1 retired card" in change.refused[0]
    assert _starts(_rows(service, "is:suspended")) == ["What is t", "Which way", "What does"]
    again = service.suspend_cards(keys[:2], True)
    assert again.changed == () and again.unchanged == 2
    service.suspend_cards(change.changed, False)
    assert _rows(service, "is:suspended") == []
    with pytest.raises(CardNotFound, match="out of date"):
        service.suspend_cards([keys[0], 99_999], True)
    assert _rows(service, "is:suspended") == []  # all or nothing


@ON_BOTH_BACKENDS
def test_reset_several_and_undo(service: StudyService) -> None:
    a, b = _key(service, "What is"), _key(service, "Which")
    service.answer(a, 5, FIXED_NOW)
    service.answer(b, 4, FIXED_NOW)
    before = {k: service.card_detail(k).schedule for k in (a, b)}
    snapshots = service.reset_cards([a, b], FIXED_NOW + timedelta(minutes=1))
    assert {k: replace(s, reset_log_id=None) for k, s in snapshots.items()} == before
    assert all(service.card_detail(k).schedule.due is None for k in (a, b))
    # The answer is kept, and each reset is logged on top of it.
    assert [h.kind for h in service.card_detail(a).history] == ["reset", "review"]
    service.restore_schedules(snapshots)
    assert {k: service.card_detail(k).schedule for k in (a, b)} == before
    assert [h.kind for h in service.card_detail(b).history] == ["review"]


def test_an_added_tag_survives_a_sync_of_the_edited_file(
    service: StudyService, content: Path
) -> None:
    a, b = _key(service, "What is"), _key(service, "Which")
    [(tag, change)] = service.change_tags([a, b], "#Hard", add=True)
    assert tag == "hard" and change.changed == (a, b)
    assert _starts(_rows(service, "tag:hard")) == ["What is t", "Which way"]
    edited = (
        (content / "deck.md").read_text().replace("2x, by", "2x by").replace("[calculus]", "[]")
    )
    (content / "deck.md").write_text(edited, encoding="utf-8")
    report = service.sync(content, FIXED_NOW + timedelta(minutes=1))
    assert report.updated >= 1
    rows = {r.key: r for r in _rows(service)}
    assert rows[a].tags == ("derivatives", "hard")  # the file's change, and the learner's tag
    assert service.card_detail(a).tags == "derivatives hard"


def test_removing_a_file_tag_sticks_and_adding_it_back_lifts_that(
    service: StudyService, content: Path
) -> None:
    a = _key(service, "What is")
    [(_, removed)] = service.change_tags([a], "calculus", add=False)
    assert removed.changed == (a,)
    service.sync(content, FIXED_NOW + timedelta(minutes=1))
    assert _rows(service)[0].tags == ("derivatives",)
    [(_, again)] = service.change_tags([a], "calculus", add=False)
    assert again.changed == () and again.unchanged == 1
    service.change_tags([a], "calculus", add=True)
    assert _rows(service)[0].tags == ("calculus", "derivatives")


def test_several_tags_at_once_and_a_blank_tag_is_refused(service: StudyService) -> None:
    a = _key(service, "What is")
    results = service.change_tags([a], "exam, review-later", add=True)
    assert [(t, c.changed) for t, c in results] == [("exam", (a,)), ("review-later", (a,))]
    with pytest.raises(InvalidRequest, match="no tag given"):
        service.change_tags([a], " , ", add=True)


def test_learner_tags_travel_in_exports(service: StudyService, tmp_path: Path) -> None:
    a = _key(service, "What is")
    service.change_tags([a], "exam", add=True)
    with service.store.transaction() as session:
        cards = read_exchange_cards(session, ExportOptions())
    exported = next(c for c in cards if c.question.startswith("What is"))
    assert exported.tags == ("calculus", "derivatives", "exam")


def test_learner_tags_travel_with_the_json_backup(service: StudyService, tmp_path: Path) -> None:
    a = _key(service, "What is")
    service.change_tags([a], "exam", add=True)
    service.change_tags([a], "calculus", add=False)
    backup = tmp_path / "backup.json"
    service.export_backup(backup)
    service.change_tags([a], "exam", add=False)
    service.restore_backup(backup, now=FIXED_NOW, force=True)
    assert _rows(service)[0].tags == ("derivatives", "exam")
