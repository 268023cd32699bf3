"""The drill set-up screen: which skills, how hard, how many (or how long), and a seed.

Families are picked in a selection list labelled with the section they are taught in; a
deck's skills, a section's or "the weakest skills" fill the selection in one go (the "Deck or
section" choice lists each deck, then its sections). The defaults come from the
``drill_*`` settings. Start validates through :class:`~quizcalc.study.drill_plan.DrillSpec`:
a bad choice (no family, count 0, ...) shows its one-line message under the form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import (
    Button,
    Header,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
)

from quizcalc.problems.catalog import FAMILY_NAMES
from quizcalc.study.errors import InvalidRequest, StudyError
from quizcalc.tui.bug_reports import reports_bugs
from quizcalc.tui.widgets.settled_footer import SettledFooter

if TYPE_CHECKING:
    from quizcalc.study.drills import DrillPreset, DrillSpec
    from quizcalc.tui.app import QuizcalcApp

__all__ = ["DrillSetupScreen", "WeakestRanked", "parse_whole"]


def parse_whole(text: str, what: str) -> int | None:
    """``""`` is ``None``; a whole number is itself; anything else an InvalidRequest naming
    ``what``."""
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise InvalidRequest(f"{what} must be a whole number (got {text!r})") from None


class WeakestRanked(Message):
    """The weakest families, ranked in a worker (they need the last 30 days of the log)."""

    def __init__(self, families: tuple[str, ...]) -> None:
        super().__init__()
        self.families = families
        """Weakest first: the families the home screen names."""


class DrillSetupScreen(Screen[None]):
    """Choose a drill's families, difficulty, count/time limit and seed, then start it."""

    SUB_TITLE = "new drill"
    """Shown in the header after the app title."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "start", "Start", tooltip="Start the drill (Enter in a box too)"),
        Binding(
            "ctrl+w",
            "weakest",
            "Weakest",
            tooltip="Select the weakest families (the ones home names)",
        ),
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to the home screen"),
        Binding("q", "app.pop_screen", "Back", show=False, tooltip="Back to the home screen"),
    ]
    """Start, pick the weakest skills, go back."""

    def __init__(self, presets: tuple[DrillPreset, ...] = ()) -> None:
        super().__init__()
        self.presets = presets
        """Per deck, its skills then its sections' (a one-choice selection each)."""
        self.spec: DrillSpec | None = None
        """The last spec started from this screen."""

    @property
    def quiz_app(self) -> QuizcalcApp:
        """The app, typed."""
        return cast("QuizcalcApp", self.app)

    def _family_section(self) -> dict[str, str]:
        where: dict[str, str] = {}
        for preset in self.presets:
            for family in preset.families:
                if preset.section is not None:
                    where.setdefault(family, preset.section)
        return where

    def compose(self) -> ComposeResult:
        """Families on the left; section, difficulty, count, minutes, seed on the right."""
        from quizcalc.problems import FAMILIES

        service = self.quiz_app.service
        config = service.config if service is not None else None
        where = self._family_section()
        options = []
        for name in FAMILY_NAMES:
            label = Text(FAMILIES[name].title)
            if name in where:
                label.append(f"  {where[name]}", style="dim")
            options.append((label, name, False))
        yield Header()
        with Horizontal(id="drill-setup"):
            families = SelectionList[str](*options, id="drill-families")
            families.border_title = "Skills (space selects)"
            yield families
            with VerticalScroll(id="drill-form"):
                yield Label("Deck or section")
                yield Select[int](
                    [
                        (p.label if p.section is None else f"  {p.label}", i)
                        for i, p in enumerate(self.presets)
                    ],
                    prompt="(pick families)",
                    id="drill-section",
                )
                yield Label("Difficulty")
                yield Select[int](
                    [(f"{d} of 3", d) for d in (1, 2, 3)],
                    value=config.drill_difficulty if config else 1,
                    allow_blank=False,
                    id="drill-difficulty",
                )
                with Horizontal(classes="drill-row"):
                    with Vertical():
                        yield Label("Problems")
                        yield Input(
                            str(config.drill_count if config else 10),
                            type="integer",
                            id="drill-count",
                        )
                    with Vertical():
                        yield Label("Minutes")
                        yield Input(
                            str(config.drill_minutes) if config and config.drill_minutes else "",
                            placeholder="no limit",
                            type="integer",
                            id="drill-minutes",
                        )
                yield Label("Seed (repeat a set)")
                yield Input(placeholder="random", type="integer", id="drill-seed")
                with Horizontal(classes="drill-row"):
                    yield Button("Weakest", id="drill-weakest")
                    yield Button("Start", id="drill-start", variant="primary")
        yield Static(id="drill-error")
        yield SettledFooter()

    def on_mount(self) -> None:
        """Focus the skills list."""
        self.query_one("#drill-families", SelectionList).focus()

    # --- filling the selection -------------------------------------------------------------

    def select_families(self, families: tuple[str, ...]) -> None:
        """Select exactly ``families`` in the list."""
        selection = self.query_one("#drill-families", SelectionList)
        selection.deselect_all()
        for family in families:
            if family in FAMILY_NAMES:
                selection.select(family)

    @on(Select.Changed, "#drill-section")
    def _section_chosen(self, event: Select.Changed) -> None:
        event.stop()
        if isinstance(event.value, int):
            self.select_families(self.presets[event.value].families)

    def action_weakest(self) -> None:
        """Select the weakest families (lowest recent accuracy): those the home screen names."""
        self.rank_weakest()

    @work(thread=True, exclusive=True, exit_on_error=False, group="drill-weakest")
    @reports_bugs("the drill set-up (ranking the weakest families)")
    def rank_weakest(self) -> None:
        """Rank the weakest families off the UI thread; post them."""
        service = self.quiz_app.service
        if service is None:
            return
        from quizcalc.study.drills import rank_weak_families

        ranked = rank_weak_families(service, self.quiz_app.now())
        self.post_message(WeakestRanked(tuple(a.family for a in ranked)))

    def on_weakest_ranked(self, message: WeakestRanked) -> None:
        """Select exactly the weakest families, or say why there are none."""
        message.stop()
        if not message.families:
            from quizcalc.study.drills import MIN_ANSWERS, RECENT_DAYS

            self._error(
                f"No weak skills yet (none with {MIN_ANSWERS}+ answers and a miss in the last "
                f"{RECENT_DAYS} days): pick skills, or drill a section first."
            )
            return
        self.select_families(message.families)
        self._error("")

    # --- starting --------------------------------------------------------------------------

    def _error(self, message: str) -> None:
        error = self.query_one("#drill-error", Static)
        error.update(Text(message))
        error.set_class(bool(message), "-shown")

    def read_spec(self) -> DrillSpec:
        """The form as a validated spec (a StudyError with a one-line message otherwise)."""
        from quizcalc.study.drill_plan import DrillSpec

        families = tuple(self.query_one("#drill-families", SelectionList).selected)
        difficulty = self.query_one("#drill-difficulty", Select).value
        count = parse_whole(self.query_one("#drill-count", Input).value, "the number of problems")
        minutes = parse_whole(self.query_one("#drill-minutes", Input).value, "the time limit")
        seed = parse_whole(self.query_one("#drill-seed", Input).value, "the seed")
        return DrillSpec(
            families=families,
            difficulty=difficulty if isinstance(difficulty, int) else 1,
            count=count,
            minutes=minutes,
            seed=seed,
        )

    def action_start(self) -> None:
        """Validate the form and start the drill, or show why not."""
        try:
            spec = self.read_spec()
        except StudyError as exc:
            self._error(f"✗ {exc}")
            return
        self._error("")
        self.spec = spec
        self.quiz_app.start_drill(spec)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Start or Weakest."""
        event.stop()
        if event.button.id == "drill-start":
            self.action_start()
        else:
            self.action_weakest()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()
