"""Scheduling: SM-2 and the answer step as pure functions; study days.

A tiny public API (py-fsrs style): states are frozen dataclasses, every step returns a new
one, and the clock (``now``) is a parameter.
"""

from quizcalc.scheduling.answer import (
    NEW_CARD_STATE,
    AnswerStep,
    CardState,
    SchedulerSettings,
    apply_answer,
    is_leech_lapse,
)
from quizcalc.scheduling.sm2 import Quality, SM2State, needs_relearning, review
from quizcalc.scheduling.study_day import study_day

__all__ = [
    "NEW_CARD_STATE",
    "AnswerStep",
    "CardState",
    "Quality",
    "SM2State",
    "SchedulerSettings",
    "apply_answer",
    "is_leech_lapse",
    "needs_relearning",
    "review",
    "study_day",
]
