"""The app's moves between screens: where each screen is, and the actions that open them.

:class:`AppNavigation` is the base of :class:`~quizcalc.tui.app.QuizcalcApp`, which adds the
start-up (opening the study data in a worker). Every screen but home is imported inside the
action that opens it, so the start-up path never loads it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.screen import Screen

from quizcalc.tui.modals.help import HelpModal
from quizcalc.tui.screens.home import HomeScreen

if TYPE_CHECKING:
    from quizcalc.study import StudyService
    from quizcalc.study.custom_study import CustomStudy
    from quizcalc.study.drill_plan import DrillSpec
    from quizcalc.study.review_session import ReviewSession
    from quizcalc.study.scope import StudyScope
    from quizcalc.tui.screens.review import ReviewScreen

__all__ = ["AppNavigation"]


class AppNavigation(App[None]):
    """Actions that open screens (review, drill, stats, browse, settings, home, help).

    The app sets the attributes below (see :class:`~quizcalc.tui.app.QuizcalcApp`).
    """

    service: StudyService | None
    """The open study service, once the startup worker has finished."""
    startup_error: str | None
    """Why the study data could not be opened, if it could not."""
    now: Callable[[], datetime]
    """The clock: every study call gets ``now()``."""
    rng: random.Random
    """Draws the seeds of problem instances."""

    @property
    def home_screen(self) -> HomeScreen:
        """The home screen (always the bottom of the stack)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, HomeScreen)
        return screen

    def review_screen(self) -> ReviewScreen | None:
        """The review screen if a session is open, else ``None``."""
        from quizcalc.tui.screens.review import ReviewScreen

        for screen in self.screen_stack:
            if isinstance(screen, ReviewScreen):
                return screen
        return None

    def _service_or_explain(self) -> StudyService | None:
        if self.service is None:
            if self.startup_error is not None:
                self.notify(self.startup_error, severity="error", markup=False)
            else:
                self.notify("Still opening your study data…", timeout=2)
        return self.service

    async def pop_to(self, screen: Screen[Any]) -> None:
        """Close the screens above ``screen`` (modals included), so that it is active."""
        while len(self.screen_stack) > 1 and self.screen is not screen:
            await self.pop_screen()

    def action_start_review(self) -> None:
        """Open a review session over today's queue."""
        self.start_review()

    def start_review(
        self, scope: StudyScope | None = None, custom: CustomStudy | None = None
    ) -> None:
        """Open a review session over ``scope`` (a deck or section; everything when ``None``),
        or the custom study ``custom`` in it."""
        service = self._service_or_explain()
        if service is None:
            return
        if self.review_screen() is not None:
            self.notify("A review session is already open.", timeout=2)
            return
        from quizcalc.tui.screens.review import ReviewScreen

        while len(self.screen_stack) > 1:
            self.pop_screen()
        session = self.begin_review_session(service, scope, custom)
        screen = ReviewScreen(session)
        if not session.scope.everything or session.custom is not None:
            screen.sub_title = f"review · {session.label}"
        self.push_screen(screen)

    def begin_review_session(
        self,
        service: StudyService,
        scope: StudyScope | None = None,
        custom: CustomStudy | None = None,
    ) -> ReviewSession:
        """A session over ``scope`` (everything when ``None``), seeded by the app's ``rng``."""
        from quizcalc.study.scope import EVERYTHING

        return service.begin_session(
            self.now(), rng=self.rng, scope=scope or EVERYTHING, custom=custom
        )

    def action_drill_setup(self) -> None:
        """Open the drill set-up screen (skills, difficulty, count or time, seed)."""
        service = self._service_or_explain()
        if service is None or self.review_screen() is not None:
            if service is not None:
                self.notify("End the review session first (q).", timeout=3)
            return
        from quizcalc.study.drills import drill_presets
        from quizcalc.tui.screens.drill_setup import DrillSetupScreen

        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(DrillSetupScreen(drill_presets(service)))

    def start_drill(self, spec: DrillSpec) -> None:
        """Run ``spec`` on the drill screen (over home; any set-up or old drill is closed)."""
        service = self._service_or_explain()
        if service is None:
            return
        from quizcalc.study.drills import begin_drill
        from quizcalc.tui.screens.drill import DrillScreen

        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(DrillScreen(begin_drill(service, spec, self.now(), rng=self.rng)))

    def action_stats(self) -> None:
        """Open the statistics screen (charts and tables, computed in a worker)."""
        if self._service_or_explain() is None:
            return
        from quizcalc.tui.screens.stats import StatsScreen

        if isinstance(self.screen, StatsScreen):
            return
        self.push_screen(StatsScreen())

    def action_browse(self) -> None:
        """Open the card browser (search, filters, detail with history, suspend, reset)."""
        if self._service_or_explain() is None:
            return
        from quizcalc.tui.screens.browse import BrowseScreen

        if not isinstance(self.screen, BrowseScreen):
            self.push_screen(BrowseScreen())

    def action_settings(self) -> None:
        """Open the settings form (saved to the TOML file and applied at once)."""
        if self._service_or_explain() is None:
            return
        from quizcalc.tui.screens.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen(), callback=self._settings_saved)

    def action_fit_scheduler(self) -> None:
        """Fit FSRS to the learner's reviews from the settings screen (opened for it)."""
        if self._service_or_explain() is None:
            return
        from quizcalc.tui.screens.settings import SettingsScreen

        if isinstance(self.screen, SettingsScreen):
            self.screen.action_fit_scheduler()
        else:
            self.push_screen(SettingsScreen(fit_at_once=True), callback=self._settings_saved)

    def _settings_saved(self, config: object) -> None:
        if config is not None:
            self.home_screen.refresh_summary()

    async def action_go_home(self) -> None:
        """Back to the home screen (a review session ends with its summary first)."""
        if self._service_or_explain() is None:
            return
        review = self.review_screen()
        if review is not None:
            if self.screen is not review:
                await self.pop_to(review)
            review.action_end_session()
            return
        await self.pop_to(self.home_screen)

    def action_help(self) -> None:
        """Show every key of the current screen with what it does."""
        if isinstance(self.screen, HelpModal):
            self.screen.dismiss()
            return
        self.push_screen(HelpModal.for_screen(self.screen))
