"""The one top-level handler's report: an unexpected error (a bug) written to a file.

Errors a learner can cause are :class:`~quizcalc.study.errors.StudyError` s with a one-line
message; anything else reaching the top of the CLI or the TUI is a bug. Its traceback goes to
a crash-report file (never onto the learner's screen as a wall of text), and one line says
what happened, that answers already given are saved, and where the report is.
"""

from __future__ import annotations

import os
import platform
import sys
import traceback
from datetime import datetime
from pathlib import Path

from quizcalc import __version__
from quizcalc.locations import crash_reports_dir

__all__ = ["crash_message", "write_crash_report"]


def write_crash_report(
    error: BaseException,
    *,
    context: str,
    now: datetime | None = None,
    folder: Path | None = None,
) -> Path | None:
    """Write ``error``'s traceback and what quizcalc was doing to a new file; its path.

    ``context`` says where it happened (the command line, the screen). ``None`` when even
    the report cannot be written (a read-only or full disk): the caller still says what
    happened.
    """
    when = now or datetime.now().astimezone()
    target = folder or crash_reports_dir()
    lines = [
        f"quizcalc {__version__} crash report",
        f"time: {when.isoformat()}",
        f"context: {context}",
        f"python: {sys.version.split()[0]} on {platform.platform()}",
        f"pid: {os.getpid()}",
        "",
        *traceback.format_exception(error),
    ]
    try:
        target.mkdir(parents=True, exist_ok=True)
        path = target / f"crash-{when:%Y%m%d-%H%M%S}-{os.getpid()}.txt"
        path.write_text("\n".join(line.rstrip("\n") for line in lines) + "\n", encoding="utf-8")
    except OSError:
        return None
    return path


def crash_message(error: BaseException, report: Path | None) -> str:
    """The one line the learner sees for an unexpected error."""
    what = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    where = (
        f"a crash report was written to {report}; please attach it to a bug report"
        if report is not None
        else "no crash report could be written (is the disk full or read-only?)"
    )
    return f"quizcalc hit an unexpected error ({what}). Answers given before it are saved; {where}."
