"""Bugs in the TUI's background workers: a crash report and one line, and the session goes on.

A bug on the UI thread reaches :meth:`QuizcalcApp._handle_exception`, which writes the crash
report and exits with one line. A worker started with ``exit_on_error=False`` would instead
fail silently (a screen left "computing…" for ever); :func:`reports_bugs` gives those workers
the same report, told in a toast, while the app keeps running: every answer already given is
saved, and the learner can go on.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

from quizcalc.crash_report import crash_message, write_crash_report
from quizcalc.study.errors import StudyError

__all__ = ["BUG_TITLE", "report_bug", "reports_bugs"]

BUG_TITLE = "Unexpected error (a bug)"
"""The toast's title."""

P = ParamSpec("P")
R = TypeVar("R")


def report_bug(app: Any, error: BaseException, where: str) -> str:
    """Write ``error``'s crash report and show its one-line message in a toast; the message.

    Safe from a worker thread (the toast is posted to the UI thread).
    """
    message = crash_message(error, write_crash_report(error, context=f"TUI, {where}"))

    def show() -> None:
        app.notify(message, title=BUG_TITLE, severity="error", timeout=30, markup=False)

    try:
        app.call_from_thread(show)
    except RuntimeError:  # already on the UI thread
        show()
    return message


def reports_bugs(
    where: str,
) -> Callable[[Callable[Concatenate[Any, P], R]], Callable[Concatenate[Any, P], R | None]]:
    """Decorate a thread-worker method (under ``@work``): a bug inside is reported (crash
    report + toast) and the worker ends; a :class:`StudyError` passes through untouched."""

    def decorate(
        method: Callable[Concatenate[Any, P], R],
    ) -> Callable[Concatenate[Any, P], R | None]:
        @functools.wraps(method)
        def wrapper(self: Any, *args: P.args, **kwargs: P.kwargs) -> R | None:
            try:
                return method(self, *args, **kwargs)
            except StudyError:
                raise
            except Exception as exc:
                report_bug(self.app, exc, where)
                return None

        return wrapper

    return decorate
