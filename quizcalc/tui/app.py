"""The quizcalc Textual app and :func:`make_app`, the one factory the CLI and the tests share.

Startup is split so the first screen appears at once: the home screen is composed
immediately while a thread worker opens (and migrates) the database, loads the settings and
syncs the content folder, then posts :class:`ServiceReady` or :class:`ServiceFailed` back.
``quizcalc.study.service`` (and through it SQLAlchemy, as long to import as Textual itself)
is imported inside that worker, never at the top of this module.

With ``start="review"`` the first card does not wait for any of that: it is read with the
stdlib ``sqlite3`` fast path (``quizcalc.study.first_card``) and shown at once; the review
screen gets its real session when the worker is done (see ``ReviewScreen.attach``).

The actions that move between screens are the base class's
(:class:`~quizcalc.tui.navigation.AppNavigation`, with export and import in
:class:`~quizcalc.tui.exchange_actions.ExchangeActions`); what the worker posts back is in
:mod:`quizcalc.tui.messages`.
"""

from __future__ import annotations

import random
import shlex
import time
from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import get_current_worker

from quizcalc.locations import config_path, content_dir, database_url
from quizcalc.tui.commands import QuizcalcCommands, ScreenCommands
from quizcalc.tui.early_keys import EarlyKeys
from quizcalc.tui.exchange_actions import ExchangeActions
from quizcalc.tui.messages import ServiceFailed, ServiceReady, SyncProgressed
from quizcalc.tui.screens.error import StartupErrorScreen
from quizcalc.tui.screens.home import HomeScreen

if TYPE_CHECKING:
    from quizcalc.study import StudyService
    from quizcalc.study.drill_plan import DrillSpec
    from quizcalc.study.first_card import FirstFrame
    from quizcalc.study.scope import StudyScope

__all__ = ["SNAPSHOT_TICK_SECONDS", "AppSettings", "QuizcalcApp", "UnexpectedError", "make_app"]

SNAPSHOT_TICK_SECONDS = 60.0
"""How often the app asks whether a long session is due a snapshot."""

StartScreen = Literal["home", "review", "drill"]
"""Which screen the app goes to once the study data is open."""


def _local_now() -> datetime:
    return datetime.now().astimezone()


@dataclass(frozen=True)
class AppSettings:
    """Where the app reads and writes, resolved once by :func:`make_app`."""

    db_url: str
    """SQLAlchemy URL of the progress database."""
    content: Path
    """The content folder synced at start."""
    config_file: Path
    """The TOML settings file (it need not exist)."""


class UnexpectedError(Exception):
    """A bug that reached the app's top: shown as its one-line message on exit."""

    def __init__(self, message: str, original: Exception) -> None:
        super().__init__(message)
        self.original = original
        """The exception that was raised."""
        self.__cause__ = original

    def __rich__(self) -> str:
        """Textual prints this (one line) in place of a traceback."""
        return str(self)


class QuizcalcApp(ExchangeActions):
    """Spaced-repetition review in the terminal: a home screen, a review screen, modals."""

    CSS_PATH = "quizcalc.tcss"
    """The one stylesheet, beside this module."""
    TITLE = "quizcalc"
    """Shown in the header."""
    COMMANDS: ClassVar = App.COMMANDS | {QuizcalcCommands, ScreenCommands}
    """Textual's palette commands, every quizcalc action, and the keys of the screen."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "question_mark",
            "help",
            "Help",
            key_display="?",
            tooltip="Show the keys of the current screen (this list)",
        ),
        Binding(
            "ctrl+t",
            "toggle_dark",
            "Light/dark",
            show=False,
            tooltip="Switch between the light and the dark theme",
        ),
    ]
    """Keys that work on every screen (they show in each footer)."""

    def __init__(
        self,
        settings: AppSettings,
        *,
        now: Callable[[], datetime] = _local_now,
        start: StartScreen = "home",
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
        drill: DrillSpec | None = None,
        scope: StudyScope | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        """Resolved database, content and config locations."""
        self.now = now
        """The clock: every study call gets ``now()`` (tests pass a fixed one)."""
        self.start = start
        """``"review"`` goes straight into a session once the data is open."""
        self.rng = rng or random.SystemRandom()
        """Draws the seeds of problem instances (tests pass a seeded ``random.Random``)."""
        self.clock = clock
        """Monotonic seconds, for how long an answer took (tests pass a fake one)."""
        self.drill = drill
        """With ``start="drill"``: the drill to run at once (``None``: its set-up screen)."""
        self.start_scope = scope
        """With ``start="review"``: the deck or section to review (``None``: everything)."""
        self.service: StudyService | None = None
        """The open study service, once the startup worker has finished."""
        self.startup_error: str | None = None
        """Why the study data could not be opened, if it could not."""
        self.exit_warning: str | None = None
        """A problem met while closing (the backup at exit failed), printed after the app."""
        self._early_card: FirstFrame | None = None
        self.early_keys = EarlyKeys()
        """Keys pressed on home before the data is open, replayed once it is."""

    def get_default_screen(self) -> Screen[None]:
        """The home screen is the bottom of the stack; it shows a loading line at first."""
        if self.start == "review":
            self._early_card = self._peek_first_card()
        # Starting on a card: home's widgets are built after that card is on screen.
        return HomeScreen(defer_body=self._early_card is not None)

    def on_mount(self) -> None:
        """Start opening the study data in the background (after an early first card)."""
        from quizcalc.tui.theme_memory import restore_theme

        restore_theme(self)
        if self._early_card is None:
            self.open_service()
            return
        from quizcalc.tui.screens.review import ReviewScreen

        self.start = "home"  # the review screen is up; ServiceReady attaches its session
        # The review screen starts the worker once its card is painted.
        self.push_screen(
            ReviewScreen(
                None,
                first_card=self._early_card.card,
                first_linear=self._early_card.question_linear,
                when_shown=self.open_service,
            )
        )

    def _peek_first_card(self) -> FirstFrame | None:
        """Today's first card read without SQLAlchemy (stdlib sqlite3), or ``None``."""
        from quizcalc.study.errors import StudyError
        from quizcalc.study.settings import read_settings

        try:
            config = read_settings(self.settings.config_file)
        except StudyError:
            return None  # the worker reports it
        from quizcalc.study.first_card import peek_first_frame

        if self.start_scope is None:
            return peek_first_frame(self.settings.db_url, self.now(), config)
        return peek_first_frame(self.settings.db_url, self.now(), config, self.start_scope)

    @work(thread=True, exclusive=True, exit_on_error=False, group="startup")
    def open_service(self) -> None:
        """Load settings, open and migrate the database, sync content; post the result."""
        # Deferred: this is what pulls in SQLAlchemy, off the UI thread.
        from quizcalc.study import open_study
        from quizcalc.study.errors import CollectionDamaged, SettingsUnreadable, StudyError

        service: StudyService | None = None
        try:
            service = open_study(self.settings.db_url, self.settings.config_file)
            report = service.sync(self.settings.content, self.now(), self._post_sync_progress)
        except StudyError as exc:
            if service is not None:
                service.close()
            what = "config" if isinstance(exc, SettingsUnreadable) else "database"
            if isinstance(exc, CollectionDamaged) and exc.backup is not None:
                what = "damaged"  # the error screen offers to restore the newest backup
            self.post_message(ServiceFailed(str(exc), what=what))
            return
        except Exception as exc:  # a bug, not the user's fault: a report and one clear line
            if service is not None:
                service.close()
            from quizcalc.crash_report import crash_message, write_crash_report

            report_path = write_crash_report(exc, context="opening the study data")
            self.post_message(ServiceFailed(crash_message(exc, report_path), what="unexpected"))
            return
        self.post_message(ServiceReady(service, report))
        # For the next start's first frame. A cache: a failure here only costs time then.
        worker = get_current_worker()
        with suppress(StudyError):
            service.cache_linear_questions(lambda: not worker.is_cancelled)

    def _post_sync_progress(self, done: int, total: int) -> None:
        # Called in the worker for every file: a big deck posts about twenty updates.
        if total > 1 and done % max(1, total // 20) == 0:
            self.post_message(SyncProgressed(done, total))

    def on_sync_progressed(self, message: SyncProgressed) -> None:
        """Show how far the content sync has got while the home screen waits for it."""
        self.home_screen.show_sync_progress(message.done, message.total)

    async def on_service_ready(self, message: ServiceReady) -> None:
        """Keep the service, report the sync, refresh home; start or attach the review."""
        self.service = message.service
        report = message.report
        if report.changed:  # an unchanged folder is not news at every start
            self.notify(report.summary(), title="Content synced", markup=False)
        if report.problems:
            self.notify(
                f"first: {report.problems[0]}\nRun `quizcalc cards check "
                f"{shlex.quote(str(self.settings.content))}` to see them all.",
                title=f"{len(report.problems)} problem(s) in your cards",
                severity="warning",
                timeout=12,
                markup=False,
            )
        for skipped in report.skipped_sources:
            self.notify(
                skipped,
                title="Source not read (its cards are kept)",
                severity="warning",
                markup=False,
            )
        self._notify_settings(message.service)
        self.home_screen.refresh_summary()
        self.set_interval(SNAPSHOT_TICK_SECONDS, self.snapshot_tick, name="snapshots")
        review = self.review_screen()
        if review is not None and review.session is None:
            await review.attach(self.begin_review_session(self.service, self.start_scope))
        elif self.start == "review":
            self.start_review(self.start_scope)
        elif self.start == "drill":
            self.start = "home"
            if self.drill is not None:
                self.start_drill(self.drill)
            else:
                self.action_drill_setup()
        for key in self.early_keys.release():  # after the counts: as if typed just now
            self.post_message(key)

    def _notify_settings(self, service: StudyService) -> None:
        """Say once what config.toml sets in vain, and any stored setting that is unusable."""
        for line in (service.settings_warning, *service.settings_problems):
            if line:
                self.notify(line, title="Settings", severity="warning", timeout=15, markup=False)

    def on_service_failed(self, message: ServiceFailed) -> None:
        """Show the error on its own screen, in place of everything else."""
        self.startup_error = message.message
        self.early_keys.drop()
        self.push_screen(StartupErrorScreen(message.message, what=message.what))

    async def on_event(self, event: events.Event) -> None:
        """Hold the keys pressed on home while the data opens (see :mod:`.early_keys`)."""
        if (
            isinstance(event, events.Key)
            and not event.is_forwarded
            and self.service is None
            and self.startup_error is None
            and len(self.screen_stack) == 1
            and self.early_keys.hold(event, self.screen)
        ):
            return
        await super().on_event(event)

    @work(thread=True, exclusive=True, exit_on_error=False, group="snapshots")
    def snapshot_tick(self) -> None:
        """Snapshot the collection when a long session is due one (every 30 minutes)."""
        from quizcalc.study.errors import StudyError

        if self.service is None:
            return
        try:
            self.service.snapshot_if_due(self.now())
        except StudyError as exc:
            self.call_from_thread(
                self.notify, str(exc), title="Backup failed", severity="warning", markup=False
            )

    def on_unmount(self) -> None:
        """Snapshot the collection if this session answered, then release the database."""
        from quizcalc.study.errors import StudyError

        if self.service is not None:
            try:
                self.service.snapshot_after_answers(self.now())
            except StudyError as exc:
                self.exit_warning = str(exc)
            self.service.close()

    def _handle_exception(self, error: Exception) -> None:
        """The TUI's one top-level handler: an unexpected error (a bug) is written to a crash
        report and the app exits with one line saying where, instead of a traceback.

        Learners' mistakes never get here: screens catch :class:`StudyError` and show it.
        """
        from quizcalc.crash_report import crash_message, write_crash_report

        screen = type(self.screen).__name__ if self.screen_stack else "startup"
        report = write_crash_report(error, context=f"TUI, {screen} screen")
        super()._handle_exception(UnexpectedError(crash_message(error, report), error))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`?` types into a text box that has focus: the footer does not offer it then."""
        return not (action == "help" and isinstance(self.focused, Input))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's palette commands, minus its Quit (ours says that answers are saved)."""
        for command in super().get_system_commands(screen):
            if command.title != "Quit":
                yield command


def make_app(
    *,
    db: str | None = None,
    content: Path | None = None,
    config_file: Path | None = None,
    now: Callable[[], datetime] | None = None,
    start: str = "home",
    environ: Mapping[str, str] | None = None,
    rng: random.Random | None = None,
    clock: Callable[[], float] | None = None,
    drill: DrillSpec | None = None,
    scope: StudyScope | None = None,
) -> QuizcalcApp:
    """Build the app: the CLI, the Pilot tests and the snapshot tests all come through here.

    ``db``/``content``/``config_file`` override ``QUIZCALC_DB``/``QUIZCALC_CONTENT``/
    ``QUIZCALC_CONFIG`` in ``environ`` (default: the process environment), which override the
    platform's user directories. ``now`` is the clock (timezone-aware); ``start`` is
    ``"home"`` or ``"review"``. ``rng`` draws problem seeds (default: the OS's entropy) and
    ``clock`` times answers in monotonic seconds (default: :func:`time.monotonic`).
    ``start="drill"`` runs ``drill`` at once, or opens the drill set-up screen when it is
    ``None``; ``start="review"`` with a ``scope`` reviews only that deck or section.
    """
    if start not in ("home", "review", "drill"):
        raise ValueError(f"start must be 'home', 'review' or 'drill', got {start!r}")
    settings = AppSettings(
        db_url=database_url(db, environ),
        content=content_dir(str(content) if content is not None else None, environ),
        config_file=config_path(str(config_file) if config_file is not None else None, environ),
    )
    return QuizcalcApp(
        settings,
        now=now or _local_now,
        start="review" if start == "review" else "drill" if start == "drill" else "home",
        rng=rng,
        clock=clock or time.monotonic,
        drill=drill,
        scope=scope,
    )
