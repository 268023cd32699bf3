"""Scheduling: SM-2 as pure functions of (state, quality)."""

from quizcalc.scheduling.sm2 import Quality, SM2State, needs_relearning, review

__all__ = ["Quality", "SM2State", "needs_relearning", "review"]
