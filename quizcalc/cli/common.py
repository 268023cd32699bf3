"""What every ``quizcalc`` command shares: global options, one-line errors, the open service,
and starting the TUI.

Commands import this module, never each other's (``cli/main.py`` only assembles the group).
Light at import (only click): ``quizcalc --help`` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from quizcalc.study import StudyService, SyncReport
    from quizcalc.study.drill_plan import DrillSpec
    from quizcalc.study.scope import StudyScope
    from quizcalc.study.sync_service import SyncService

__all__ = [
    "PROGRESS_THRESHOLD",
    "Options",
    "UnknownName",
    "UserError",
    "now",
    "open_service",
    "open_sync_service",
    "optional_path",
    "print_sync",
    "progress_bar",
    "run_tui",
    "study_errors",
]


@dataclass(frozen=True)
class Options:
    """Global options shared by every subcommand."""

    db: str | None
    """``--db``: a database file or SQLAlchemy URL."""
    content: str | None
    """``--content``: the content folder synced at start."""
    config: str | None
    """``--config``: the settings file."""


class UserError(click.ClickException):
    """A problem the user can fix; printed as one line, exit status 1."""

    def show(self, file: Any = None) -> None:
        """Print ``quizcalc: <message>`` on stderr, no traceback."""
        click.echo(f"quizcalc: {self.message}", err=True)


class UnknownName(UserError):
    """A deck, section or other name that does not exist: one line listing those that do,
    exit status 2 (a usage error, as click's own)."""

    exit_code = 2
    """Exit status: a usage error."""


def now() -> datetime:
    """The local time, timezone-aware (every study call is given it)."""
    return datetime.now().astimezone()


def optional_path(value: str | None) -> Path | None:
    """``value`` as a path, or ``None`` when it is not given."""
    return Path(value) if value else None


@contextmanager
def study_errors() -> Iterator[None]:
    """A :class:`~quizcalc.study.errors.StudyError` leaves as a one-line :class:`UserError`."""
    from quizcalc.study.errors import StudyError

    try:
        yield
    except StudyError as exc:
        raise UserError(str(exc)) from exc


@contextmanager
def open_service(
    options: Options, sync: bool = True, *, syncs_later: bool = False
) -> Iterator[StudyService]:
    """The study service over the chosen database and settings, closed afterwards.

    With ``sync``, the content folder and imported sources are synced first (changes and
    problems are printed on stderr); without, a content folder that does not exist is still
    named there (a mistyped path must not look like lost cards), unless the command
    ``syncs_later`` itself (its sync says it). A command that added answers leaves a
    snapshot behind.
    """
    from quizcalc.study import open_study

    with _opened(options, open_study, sync=sync, syncs_later=syncs_later) as service:
        yield service


@contextmanager
def open_sync_service(options: Options) -> Iterator[SyncService]:
    """:func:`open_service` for a command that only syncs (``quizcalc sync``): the smaller
    :class:`~quizcalc.study.sync_service.SyncService`, so the command does not import the
    modules of every other use case."""
    from quizcalc.study.sync_service import open_sync

    with _opened(options, open_sync, sync=False, syncs_later=True) as service:
        yield service


Opened = TypeVar("Opened", bound="SyncService")


@contextmanager
def _opened(
    options: Options, opener: Callable[[str, Path], Opened], *, sync: bool, syncs_later: bool
) -> Iterator[Opened]:
    """The service ``opener`` opens over the chosen database and settings (see
    :func:`open_service`)."""
    from quizcalc.locations import config_path, content_dir, database_url
    from quizcalc.study.content_folder import content_folder_warning

    missing = content_folder_warning(content_dir(options.content))
    if missing is not None and not (sync or syncs_later):
        click.echo(f"quizcalc: {missing}", err=True)
    with study_errors():
        service = opener(database_url(options.db), config_path(options.config))
        for line in (service.settings_warning, *service.settings_problems):
            if line:
                click.echo(f"quizcalc: {line}", err=True)
        try:
            if sync:
                report = service.sync(content_dir(options.content), now())
                print_sync(report, quiet_when_unchanged=True)
            yield service
            service.snapshot_after_answers(now())  # a command that answered leaves a backup
        finally:
            service.close()


def print_sync(report: SyncReport, quiet_when_unchanged: bool = False) -> None:
    """What a sync skipped, found wrong and changed, on stderr."""
    for skipped in report.skipped_sources:
        click.echo(f"quizcalc: {skipped}", err=True)
    for problem in report.problems:
        click.echo(problem, err=True)
    if report.changed or report.problems or not quiet_when_unchanged:
        click.echo(f"sync: {report.summary()}", err=True)


def run_tui(
    options: Options,
    start: str,
    drill: DrillSpec | None = None,
    scope: StudyScope | None = None,
) -> None:
    """Run the TUI from ``start`` (``home``, ``review`` or ``drill``); exit with its code.

    With ``start="drill"``, ``drill`` is run at once (its set-up screen when ``None``); with
    ``start="review"``, ``scope`` limits the session to a deck or section.
    """
    from quizcalc.tui.app import make_app

    app = make_app(
        db=options.db,
        content=optional_path(options.content),
        config_file=optional_path(options.config),
        start=start,
        drill=drill,
        scope=scope,
    )
    app.run()
    if app.exit_warning:
        click.echo(f"quizcalc: {app.exit_warning}", err=True)
    code = getattr(app, "return_code", 0) or 0
    if code:
        sys.exit(code)


PROGRESS_THRESHOLD = 200
"""Exports and imports of more items than this show a progress bar (on a terminal)."""


@contextmanager
def progress_bar(label: str, stream: Any = None) -> Iterator[Any]:
    """A ``(done, total)`` callback drawing a bar on stderr once the total passes the threshold.

    Nothing is drawn when stderr is not a terminal (scripts, pipes, tests).
    """
    stream = stream if stream is not None else sys.stderr
    bar: Any = None
    shown = 0

    def update(done: int, total: int) -> None:
        nonlocal bar, shown
        if total <= PROGRESS_THRESHOLD or not stream.isatty():
            return
        if bar is None:
            bar = click.progressbar(length=total, label=label, file=stream).__enter__()
        bar.update(done - shown)
        shown = done

    try:
        yield update
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
