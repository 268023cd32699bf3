"""Study use cases: sync content, today's queue, answers and undo, summaries.

Names are imported lazily: the start-up fast path (``quizcalc.study.first_card``) must not pull
in SQLAlchemy through this package.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quizcalc.study.errors import StudyError
    from quizcalc.study.service import ReviewSession, StudyService, merge_reports, open_study
    from quizcalc.study.views import (
        AnswerOutcome,
        CardRow,
        DeckCounts,
        HomeSummary,
        QueuedCard,
        SessionSummary,
        SyncReport,
    )

_HOMES = {
    "ReviewSession": "quizcalc.study.service",
    "StudyService": "quizcalc.study.service",
    "merge_reports": "quizcalc.study.service",
    "open_study": "quizcalc.study.service",
    "StudyError": "quizcalc.study.errors",
    "AnswerOutcome": "quizcalc.study.views",
    "CardRow": "quizcalc.study.views",
    "DeckCounts": "quizcalc.study.views",
    "HomeSummary": "quizcalc.study.views",
    "QueuedCard": "quizcalc.study.views",
    "SessionSummary": "quizcalc.study.views",
    "SyncReport": "quizcalc.study.views",
}

__all__ = [
    "AnswerOutcome",
    "CardRow",
    "DeckCounts",
    "HomeSummary",
    "QueuedCard",
    "ReviewSession",
    "SessionSummary",
    "StudyError",
    "StudyService",
    "SyncReport",
    "merge_reports",
    "open_study",
]


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'quizcalc.study' has no attribute {name!r}")
