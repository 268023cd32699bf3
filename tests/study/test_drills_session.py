"""Running a drill against a database: logging, schedules, the summary, weakest skills, sections.

The tests of a drill's undo (and of its once-a-day schedule move, undone too) and of the card
a drill is logged against (ordered by a source that can be ``NULL``) run on SQLite and on
PostgreSQL (``ON_BOTH_BACKENDS``); the others on SQLite.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from quizcalc.config import Config
from quizcalc.grading import grade
from quizcalc.problems import FAMILIES, expected_text
from quizcalc.scheduling.answer import SchedulerSettings
from quizcalc.store.models import CardRecord, ReviewLogRecord, ScheduleRecord
from quizcalc.study import StudyService
from quizcalc.study.drills import (
    DrillSession,
    DrillSpec,
    begin_drill,
    deck_families,
    drill_presets,
    problem_sections,
    rank_weak_families,
    recent_accuracy,
    section_families,
    skill_card_key,
    weakest_families,
)
from quizcalc.study.errors import InvalidRequest
from quizcalc.study.problem_review import ProblemAttempt
from quizcalc.study.review import record_drill_answer
from quizcalc.study.views import BrowseFilter
from tests.conftest import FIXED_NOW
from tests.postgres import ON_BOTH_BACKENDS, db_url_by_backend

__all__ = ["db_url_by_backend"]  # the tests marked ON_BOTH_BACKENDS run on both backends

MIDNIGHT = SchedulerSettings(rollover_hour=0)
"""A study day that starts at midnight: ``when.date()`` is the study day."""

DECK = """---
deck: Drills test
---
## 2.3 The chain rule

Q: What does the chain rule multiply?
A: The local derivatives.

### Practice

```problem
family: chain_rule
difficulty: 1
```

## 2.8 The learning rate

### Practice

```problem
family: lr_divergence
difficulty: 1
```

```problem
family: gd_steps
difficulty: 1
```
"""

TWO = ("chain_rule", "lr_divergence")


@pytest.fixture
def service(db_url: str, write_deck: Callable[..., Path]) -> StudyService:
    opened = StudyService.open(db_url, Config())
    opened.sync(write_deck(DECK), FIXED_NOW)
    return opened


def _answer(drill: DrillSession, how: str, seconds: float = 5.0) -> ProblemAttempt:
    """Draw the current problem and submit a right answer, a known misconception or junk."""
    attempt = drill.draw()
    problem = attempt.problem
    if how == "right":
        text = expected_text(problem.answer)
    elif how == "misconception":
        text = problem.misconceptions[0].answer
    else:
        text = "123456789"
    verdict = grade(text, problem.answer)
    assert verdict.correct == (how == "right")
    if how == "misconception":
        assert verdict.misconception
    return attempt.submit(text, verdict, seconds)


def _card(service: StudyService, family: str, difficulty: int = 1) -> CardRecord:
    with service.store.transaction() as session:
        return session.scalars(
            select(CardRecord).where(
                CardRecord.family == family, CardRecord.difficulty == difficulty
            )
        ).one()


def _logs(service: StudyService) -> list[ReviewLogRecord]:
    with service.store.transaction() as session:
        return list(session.scalars(select(ReviewLogRecord).order_by(ReviewLogRecord.id)))


def _schedule(service: StudyService, key: int) -> tuple[int, int, object, int]:
    with service.store.transaction() as session:
        s = session.get(ScheduleRecord, key)
        assert s is not None
        return (s.repetitions, s.interval, s.due, s.reviews)


# --- logging and schedules -----------------------------------------------------------------


def test_drill_answers_are_logged_as_drill_and_leave_schedules_alone(
    service: StudyService,
) -> None:
    queue_before = service.queue(FIXED_NOW)
    drill = begin_drill(service, DrillSpec(TWO, count=2, seed=11), FIXED_NOW)
    assert drill.moves_schedule is False  # the setting's default
    first_attempt = _answer(drill, "right", seconds=7.5)
    first = drill.record(first_attempt, FIXED_NOW)
    second_attempt = _answer(drill, "misconception")
    second = drill.record(second_attempt, FIXED_NOW + timedelta(seconds=30))
    assert drill.finished(FIXED_NOW) and drill.current is None

    logs = _logs(service)
    assert [log.kind for log in logs] == ["drill", "drill"]
    for log, attempt, answer in zip(
        logs, (first_attempt, second_attempt), (first, second), strict=True
    ):
        assert log.seed == attempt.problem.seed == answer.seed
        assert log.answer_text == attempt.logged_answer
        assert log.quality == attempt.quality == answer.quality
        assert log.session_id == drill.session_id and log.id == answer.log_id
        assert log.card_key == _card(service, attempt.problem.family).id
    assert logs[0].duration_ms == 7500 and logs[0].misconception is None
    assert logs[1].misconception == second_attempt.misconception is not None
    assert second.misconception_message == second_attempt.verdicts[-1].feedback
    assert not first.moved_schedule and not second.moved_schedule
    for family in TWO:
        assert _schedule(service, _card(service, family).id) == (0, 0, None, 0)
    assert service.queue(FIXED_NOW) == queue_before  # still new, still today's
    assert service.home(FIXED_NOW).reviews_today == 0


@ON_BOTH_BACKENDS
def test_with_the_setting_a_drill_moves_the_schedule_once_a_day(db_url: str, write_deck) -> None:
    service = StudyService.open(db_url, Config(drill_moves_schedule=True))
    service.sync(write_deck(DECK), FIXED_NOW)
    key = _card(service, "chain_rule").id
    drill = begin_drill(service, DrillSpec(("chain_rule",), count=2, seed=3), FIXED_NOW)
    assert drill.moves_schedule
    first = drill.record(_answer(drill, "right"), FIXED_NOW)
    moved = _schedule(service, key)
    assert first.moved_schedule and moved == (1, 1, service.today(FIXED_NOW) + timedelta(1), 1)
    second = drill.record(_answer(drill, "junk"), FIXED_NOW)
    assert not second.moved_schedule and _schedule(service, key) == moved  # once a day
    assert [log.kind for log in _logs(service)] == ["drill", "drill"]
    assert key not in service.queue(FIXED_NOW).new  # it is scheduled now
    review = service.answer(key, 5, FIXED_NOW)  # a review the same day: no second move
    assert review.kind == "relearn" and _schedule(service, key) == moved
    service.undo(review.log_id)
    tomorrow = FIXED_NOW + timedelta(days=1)
    later = begin_drill(service, DrillSpec(("chain_rule",), count=1, seed=4), tomorrow)
    assert later.record(_answer(later, "right"), tomorrow).moved_schedule
    assert _schedule(service, key)[:2] == (2, 6)
    assert later.undo() is not None and _schedule(service, key) == moved  # undo restores


@ON_BOTH_BACKENDS
def test_undo_takes_back_the_last_answer_and_serves_the_same_problem(
    service: StudyService,
) -> None:
    drill = begin_drill(service, DrillSpec(TWO, count=2, seed=5), FIXED_NOW)
    shown = drill.draw().problem
    drill.record(_answer(drill, "junk"), FIXED_NOW)
    assert len(_logs(service)) == 1
    item = drill.undo()
    assert item is not None and item == drill.current and (item.seed == shown.seed)
    assert drill.draw().problem == shown and _logs(service) == [] and drill.done == 0
    assert drill.undo() is None


def test_a_problem_whose_generator_fails_is_skipped_not_logged_nor_counted(
    service: StudyService, break_generator: Callable[[str], None]
) -> None:
    drill = begin_drill(service, DrillSpec(TWO, count=3, seed=5), FIXED_NOW)
    first = drill.current
    assert first is not None
    break_generator(first.family)
    with pytest.raises(RuntimeError, match="1000 draws"):
        drill.draw()
    skip = drill.skip()
    assert (skip.index, skip.family, skip.reason) == (0, first.family, "generator error")
    assert skip.detail == "RuntimeError: no valid instance in 1000 draws"
    assert drill.position == 1 and drill.done == 0 and _logs(service) == []
    drill.record(_answer(drill, "junk"), FIXED_NOW)  # the other family still works
    progress = drill.progress(FIXED_NOW)
    assert (progress.done, progress.skipped, progress.correct) == (2, 1, 0)

    # Undo takes back the answer; a skip before it stays.
    assert drill.undo() is not None and drill.position == 1 and len(drill.skipped) == 1
    drill.record(_answer(drill, "right"), FIXED_NOW)
    summary = drill.summary(FIXED_NOW)
    assert (summary.score, summary.percent, summary.not_reached) == ("1/1", 100, 1)
    assert summary.skip_reasons == ((1, "generator error"),)
    assert [log.quality for log in _logs(service)] == [5]  # nothing logged for the skip


@ON_BOTH_BACKENDS
def test_undo_past_a_skip_brings_the_skipped_problem_back(
    service: StudyService, break_generator: Callable[[str], None]
) -> None:
    drill = begin_drill(service, DrillSpec(TWO, count=3, seed=5), FIXED_NOW)
    drill.record(_answer(drill, "right"), FIXED_NOW)
    second = drill.current
    assert second is not None
    break_generator(second.family)
    with pytest.raises(RuntimeError):
        drill.draw()
    drill.skip()
    assert drill.on_last and drill.position == 2
    assert drill.undo() is not None and drill.position == 0 and drill.skipped == []


def test_record_refuses_another_problem_and_draw_stops_at_the_end(service: StudyService) -> None:
    drill = begin_drill(service, DrillSpec(("chain_rule",), count=1, seed=2), FIXED_NOW)
    assert drill.draw().problem == drill.draw().problem  # the same instance while current
    stranger = ProblemAttempt(replace(drill.draw().problem, seed=1))
    with pytest.raises(ValueError, match="not the drill's current problem"):
        drill.record(stranger, FIXED_NOW)
    drill.record(_answer(drill, "right"), FIXED_NOW)
    with pytest.raises(InvalidRequest, match="the drill is over"):
        drill.draw()


def test_a_skill_without_a_card_gets_a_retired_card_that_sync_later_adopts(
    service: StudyService, write_deck
) -> None:
    drill = begin_drill(
        service, DrillSpec(("chain_rule",), difficulty=3, count=2, seed=9), FIXED_NOW
    )
    drill.record(_answer(drill, "right"), FIXED_NOW)
    drill.record(_answer(drill, "junk"), FIXED_NOW)
    card = _card(service, "chain_rule", 3)
    home = _card(service, "chain_rule", 1)
    assert card.status == "retired" and card.source_id is None and card.kind == "problem"
    assert (card.deck_id, card.section) == (home.deck_id, home.section)  # stats by section
    assert {log.card_key for log in _logs(service)} == {card.id}  # one card for the skill
    assert service.next_card(FIXED_NOW) is not None
    assert card.id not in service.queue(FIXED_NOW).order  # never queued
    # The learner later adds the skill to a deck: sync restores the card, history and all.
    report = service.sync(
        write_deck(DECK + "\n```problem\nfamily: chain_rule\ndifficulty: 3\n```\n"), FIXED_NOW
    )
    assert report.restored == 1 and report.added == 0
    adopted = _card(service, "chain_rule", 3)
    assert adopted.id == card.id and adopted.status == "active"


MY_CHAIN_RULE = "\n<!-- id: my-chain -->\n```problem\nfamily: chain_rule\ndifficulty: 3\n```\n"
"""A problem block for the chain rule at difficulty 3 with an id of its own (not the skill
card's derived one): a second card of that skill."""


@ON_BOTH_BACKENDS
def test_the_skill_card_keeps_its_drills_over_a_retired_card_of_the_same_skill(
    service: StudyService, write_deck
) -> None:
    """Two retired cards of one skill: the drill-only one (no source) keeps the drills, on
    PostgreSQL as on SQLite (which sorts its ``NULL`` source first; PostgreSQL, last)."""
    drill = begin_drill(
        service, DrillSpec(("chain_rule",), difficulty=3, count=1, seed=9), FIXED_NOW
    )
    drill.record(_answer(drill, "right"), FIXED_NOW)
    skill = _card(service, "chain_rule", 3)
    assert service.sync(write_deck(DECK + MY_CHAIN_RULE), FIXED_NOW).added == 1
    assert service.sync(write_deck(DECK), FIXED_NOW).retired == 1
    with service.store.transaction() as session:
        assert skill_card_key(session, "chain_rule", 3, FIXED_NOW) == skill.id
    browsed = service.browse(BrowseFilter(include_retired=True), FIXED_NOW)
    skill_cards = [row.key for row in browsed if row.status == "retired"]
    assert skill_cards[0] == skill.id == browsed[0].key  # listed first, on both


def test_skill_card_prefers_an_active_card(service: StudyService) -> None:
    with service.store.transaction() as session:
        assert skill_card_key(session, "gd_steps", 1, FIXED_NOW) == _card(service, "gd_steps").id


# --- the summary ---------------------------------------------------------------------------


def test_summary_of_three_problems_one_wrong_with_a_misconception(service: StudyService) -> None:
    drill = begin_drill(service, DrillSpec(TWO, count=3, seed=21), FIXED_NOW)
    families = [item.family for item in drill.items]
    wrong = 0  # the first problem; its family comes up again later in a 3-problem round
    assert families.count(families[wrong]) == 2
    for index, seconds in enumerate((40.0, 10.0, 20.0)):
        how = "misconception" if index == wrong else "right"
        drill.record(_answer(drill, how), FIXED_NOW, seconds=seconds)
    summary = drill.summary(FIXED_NOW + timedelta(minutes=2))

    assert (summary.score, summary.percent, summary.answered) == ("2/3", 67, 3)
    assert summary.times == (40.0, 10.0, 20.0) and summary.median_seconds == 20.0
    assert summary.seconds == 120.0 and summary.seed == 21 and summary.planned == 3
    by_family = {result.family: result for result in summary.families}
    slipped = by_family[families[wrong]]
    assert (slipped.answered, slipped.correct, slipped.slipped) == (2, 1, True)
    other = next(f for f in TWO if f != families[wrong])
    assert (by_family[other].answered, by_family[other].correct) == (1, 1)
    assert summary.slipped == (families[wrong],)
    assert by_family[other].title == FAMILIES[other].title
    [misconception] = summary.misconceptions
    tag = drill.answers[wrong].misconception
    assert (misconception.tag, misconception.count) == (tag, 1)
    assert misconception.message == drill.answers[wrong].misconception_message
    assert misconception.families == (families[wrong],)


def test_a_family_slips_below_its_own_recent_accuracy(service: StudyService) -> None:
    before = FIXED_NOW - timedelta(days=3)
    earlier = begin_drill(service, DrillSpec(("gd_steps",), count=3, seed=1), before)
    for _ in range(3):
        earlier.record(_answer(earlier, "right"), before)
    drill = begin_drill(service, DrillSpec(("gd_steps",), count=4, seed=2), FIXED_NOW)
    for how in ("right", "right", "right", "junk"):
        drill.record(_answer(drill, how), FIXED_NOW)
    [result] = drill.summary(FIXED_NOW).families
    assert result.accuracy == 0.75 and result.recent_accuracy == 1.0  # 75 % ≥ 70 %, yet < 100 %
    assert result.slipped


def test_progress_and_time_limit(service: StudyService) -> None:
    drill = begin_drill(
        service, DrillSpec(TWO, count=None, minutes=1), FIXED_NOW, rng=random.Random(1)
    )
    start = drill.progress(FIXED_NOW)
    assert (start.done, start.total, start.remaining_seconds, start.fraction) == (
        0,
        None,
        60.0,
        0.0,
    )
    drill.record(_answer(drill, "right"), FIXED_NOW)
    half = drill.progress(FIXED_NOW + timedelta(seconds=30))
    assert (half.done, half.correct, half.fraction) == (1, 1, 0.5)
    assert not drill.finished(FIXED_NOW + timedelta(seconds=59))
    assert drill.finished(FIXED_NOW + timedelta(seconds=60))
    assert drill.summary(FIXED_NOW + timedelta(seconds=61)).time_up
    counted = begin_drill(service, DrillSpec(TWO, count=4, minutes=10, seed=1), FIXED_NOW)
    counted.record(_answer(counted, "right"), FIXED_NOW)
    assert counted.progress(FIXED_NOW + timedelta(minutes=1)).fraction == 0.25


# --- choosing families ---------------------------------------------------------------------


def _log(service: StudyService, family: str, qualities: list[int], when: datetime) -> None:
    with service.store.transaction(write=True) as session:
        key = skill_card_key(session, family, 1, when)
        for quality in qualities:
            record_drill_answer(session, key, quality, now=when, settings=MIDNIGHT)


def test_weakest_families_rank_recent_accuracy_then_the_unpractised(
    service: StudyService,
) -> None:
    recently = FIXED_NOW - timedelta(days=2)
    _log(service, "gradient", [5, 1, 1], recently)  # 33 %
    _log(service, "gd_steps", [5, 5, 5], recently)  # 100 %
    _log(service, "jacobian", [5, 5, 1], recently)  # 67 %
    _log(service, "momentum", [0], recently)  # too few answers to trust
    _log(service, "convexity", [0, 0, 0], FIXED_NOW - timedelta(days=40))  # too long ago
    assert weakest_families(service, FIXED_NOW, limit=3) == ("gradient", "jacobian", "gd_steps")
    assert len(weakest_families(service, FIXED_NOW)) == 5  # the weakest five, as on home
    ranked = weakest_families(service, FIXED_NOW, limit=len(FAMILIES))
    # then never practised lately, the learner's own problem cards first, in teaching order
    assert ranked[3:6] == ("chain_rule", "lr_divergence", "derivative")
    assert "convexity" in ranked[3:] and ranked[-1] == "momentum"
    accuracy = recent_accuracy(service, FIXED_NOW)
    assert (accuracy["jacobian"].answers, accuracy["jacobian"].correct) == (3, 2)
    assert "convexity" not in accuracy
    with pytest.raises(ValueError):
        weakest_families(service, FIXED_NOW, limit=0)


def log_mixed_history(service: StudyService, when: datetime) -> None:
    """A history where ranking per skill and per family disagree.

    Per skill, chain_rule at difficulty 1 (0/3) is the weakest; per family chain_rule is
    7/10 (70 %). Families: lr_divergence 2/6 and gradient 1/3 tie at a third (more answers
    first), then jacobian 3/5; gd_steps is perfect (not weak), momentum has too few answers.
    """
    history = {
        ("chain_rule", 1): [0, 0, 0],
        ("chain_rule", 2): [5] * 7,
        ("gradient", 1): [5, 0, 0],
        ("lr_divergence", 1): [5, 5, 0, 0, 0, 0],
        ("jacobian", 1): [5, 5, 5, 0, 0],
        ("gd_steps", 1): [5, 5, 5],
        ("momentum", 1): [0],
    }
    with service.store.transaction(write=True) as session:
        for (family, difficulty), qualities in history.items():
            key = skill_card_key(session, family, difficulty, when)
            for quality in qualities:
                record_drill_answer(session, key, quality, now=when, settings=MIDNIGHT)


def test_weakest_is_ranked_per_family_not_per_skill(service: StudyService) -> None:
    from quizcalc.study.stats import service_weakest_skills

    log_mixed_history(service, FIXED_NOW - timedelta(days=1))
    ranked = rank_weak_families(service, FIXED_NOW, limit=3)
    assert [(a.family, a.correct, a.answers) for a in ranked] == [
        ("lr_divergence", 2, 6),
        ("gradient", 1, 3),
        ("jacobian", 3, 5),
    ]
    everything = [a.family for a in rank_weak_families(service, FIXED_NOW, limit=None)]
    assert everything == ["lr_divergence", "gradient", "jacobian", "chain_rule"]
    # The drill's fuller list starts with the same families (then the perfect gd_steps).
    assert weakest_families(service, FIXED_NOW, limit=5) == (*everything, "gd_steps")
    # Per skill (the statistics' table), chain_rule at difficulty 1 would come first.
    assert service_weakest_skills(service, FIXED_NOW)[0].family == "chain_rule"
    with pytest.raises(ValueError):
        rank_weak_families(service, FIXED_NOW, limit=0)


def test_without_any_history_the_weakest_are_the_learners_own_skills(
    service: StudyService,
) -> None:
    assert rank_weak_families(service, FIXED_NOW) == ()  # nothing to call weak
    # teaching order among the families of the deck's problem cards
    assert weakest_families(service, FIXED_NOW, limit=3) == (
        "chain_rule",
        "gd_steps",
        "lr_divergence",
    )


def test_sections_name_the_families_of_their_problem_cards(service: StudyService) -> None:
    sections = problem_sections(service)
    assert [(s.deck, s.name, s.families) for s in sections] == [
        ("Drills test", "2.3 The chain rule", ("chain_rule",)),
        ("Drills test", "2.8 The learning rate", ("lr_divergence", "gd_steps")),
    ]
    for name in (
        "2.8 The learning rate",
        "2.8",
        "2.8  the LEARNING rate",
        "2.8 The learning rate::Practice",
    ):
        assert section_families(service, name) == ("lr_divergence", "gd_steps")
    with pytest.raises(ValueError, match=r"no problem cards in section '2\.9'; sections with"):
        section_families(service, "2.9")
    with pytest.raises(ValueError, match=r"2\.3 The chain rule; 2\.8 The learning rate"):
        section_families(service, "")


LINEAR_DRILLS = """---
deck: Linear algebra drills
---
## 1.2 Jacobians

```problem
family: jacobian
difficulty: 1
```
"""


def test_presets_list_each_deck_s_skills_then_its_sections(
    service: StudyService, write_deck: Callable[..., Path]
) -> None:
    service.sync(write_deck(LINEAR_DRILLS, "linear.md"), FIXED_NOW)
    presets = drill_presets(service)
    assert [(p.deck, p.section, p.families) for p in presets] == [
        ("Drills test", None, ("chain_rule", "lr_divergence", "gd_steps")),
        ("Drills test", "2.3 The chain rule", ("chain_rule",)),
        ("Drills test", "2.8 The learning rate", ("lr_divergence", "gd_steps")),
        ("Linear algebra drills", None, ("jacobian",)),
        ("Linear algebra drills", "1.2 Jacobians", ("jacobian",)),
    ]
    assert presets[0].label == "Drills test · all skills"
    assert presets[1].label == "2.3 The chain rule"


def test_a_deck_is_named_in_full_or_by_the_start_of_its_name(
    service: StudyService, write_deck: Callable[..., Path]
) -> None:
    service.sync(write_deck(LINEAR_DRILLS, "linear.md"), FIXED_NOW)
    assert deck_families(service, "linear ALGEBRA  drills") == ("jacobian",)
    assert deck_families(service, "linear") == ("jacobian",)
    assert deck_families(service, "Drills test") == ("chain_rule", "lr_divergence", "gd_steps")
    with pytest.raises(ValueError, match=r"no problem cards in deck 'Topology'; decks with "):
        deck_families(service, "Topology")


def test_a_start_shared_by_two_decks_is_refused_naming_both(
    service: StudyService, write_deck: Callable[..., Path]
) -> None:
    service.sync(write_deck(LINEAR_DRILLS.replace("Linear algebra", "Drills"), "d.md"), FIXED_NOW)
    with pytest.raises(ValueError, match=r"could be any of: Drills drills; Drills test; give more"):
        deck_families(service, "drills")
