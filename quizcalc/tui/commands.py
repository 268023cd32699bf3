"""The command-palette providers: every quizcalc action, searchable by name.

:class:`QuizcalcCommands` (on the app) offers what works from any screen: open a screen,
help, theme, quit. :class:`ScreenCommands` (on the app too) offers the keys of the screen
the palette is opened over, built from its bindings as the help is.
:class:`ReviewCommands` (on the review screen) offers that screen's own
actions while a session is open (show the answer, the six grades, undo, the card actions,
the problem keys, end), each with its key in the help line, so that nothing needs remembering.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from textual.actions import parse
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

from quizcalc.scheduling.sm2 import Quality
from quizcalc.study.card_marks import FLAG_NAMES
from quizcalc.tui.modals.help import PROBLEM_PREFIX, class_bindings, described_bindings

if TYPE_CHECKING:
    from quizcalc.tui.screens.review import ReviewScreen

__all__ = [
    "COMMANDS",
    "REVIEW_COMMANDS",
    "PaletteCommand",
    "QuizcalcCommands",
    "ReviewCommands",
    "ScreenCommands",
    "binding_commands",
    "bound_keys",
]


@dataclass(frozen=True)
class PaletteCommand:
    """One palette entry: its name, a line of help, and the action it runs."""

    name: str
    """What the user types and reads."""
    help: str
    """One line under the name."""
    action: str
    """An action string (``grade(4)``), run in its provider's namespace when chosen."""


COMMANDS: tuple[PaletteCommand, ...] = (
    PaletteCommand("Start review", "Review today's due and new cards", "start_review"),
    PaletteCommand(
        "Drill", "Practise chosen problem skills: count or time limit, seed", "drill_setup"
    ),
    PaletteCommand("Statistics", "Charts and tables of your whole history", "stats"),
    PaletteCommand("Browse cards", "Search, filter, suspend or reset cards; history", "browse"),
    PaletteCommand("Settings", "New cards per day, limits, rollover, leeches, drills", "settings"),
    PaletteCommand(
        "Fit FSRS to my reviews",
        "Settings: fit FSRS-6's parameters to your review log and store them",
        "fit_scheduler",
    ),
    PaletteCommand(
        "Suspend or reset a card", "In Browse: find it, then s suspends and r resets", "browse"
    ),
    PaletteCommand(
        "Export cards…", "To .apkg, .csv/.tsv, .md, or .json (a full backup)", "export_cards"
    ),
    PaletteCommand("Import cards…", "From Markdown, .csv/.tsv, .apkg or .colpkg", "import_cards"),
    PaletteCommand("Home", "Back to today's overview (ends a session)", "go_home"),
    PaletteCommand("Help: keys", "Every key of the current screen", "help"),
    PaletteCommand("Toggle light/dark", "Switch between the light and dark theme", "toggle_dark"),
    PaletteCommand("Quit", "Leave quizcalc (answers are already saved)", "quit"),
)
"""What the palette offers on every screen (app actions), in discovery order."""

REVIEW_COMMANDS: tuple[PaletteCommand, ...] = (
    PaletteCommand("Show answer", "Show the answer side of the card", "reveal"),
    *(
        PaletteCommand(
            f"Grade {q.value}: {q.label}",
            "Save this grade and go on to the next card",
            f"grade({q.value})",
        )
        for q in Quality
    ),
    PaletteCommand("Good", "Grade the flashcard 4, as Anki's Good (Enter, space)", "accept_good"),
    PaletteCommand("Undo last answer", "Take the last answer back and ask again", "undo"),
    PaletteCommand("Edit card", "Its Markdown file in $EDITOR, or an Anki card here", "edit_card"),
    PaletteCommand("Suspend card", "No more reviews until unsuspended in Browse", "suspend_card"),
    PaletteCommand("Bury card", "Leave it out until tomorrow", "bury_card"),
    PaletteCommand("Flag card", "One of seven coloured flags, or none", "pick_flag"),
    *(
        PaletteCommand(
            f"Flag {name}", f"Flag the card {name}, or take that flag off", f"toggle_flag({n})"
        )
        for n, name in enumerate(FLAG_NAMES[1:], start=1)
    ),
    PaletteCommand("Card info", "Dates, schedule, times, source and history", "card_info"),
    PaletteCommand("End session", "Stop here and see what this session did", "end_session"),
    PaletteCommand("Problem: check the answer", "Grade what is in the answer box", "check_answer"),
    PaletteCommand("Problem: next hint", "Reveal the problem's next hint", "hint"),
    PaletteCommand("Problem: show the solution", "Give up and see the worked solution", "give_up"),
    PaletteCommand(
        "Problem: accept the auto-grade", "Commit the grade proposed for it", "accept_grade"
    ),
    PaletteCommand("Problem: back to the answer box", "Type another try", "type_answer"),
    PaletteCommand(
        "Problem: leave the answer box", "So that the one-letter keys work", "leave_answer"
    ),
)
"""The review screen's actions (its namespace), in discovery order."""


def bound_keys(screen_type: type, action: str) -> list[Binding]:
    """The bindings declared on ``screen_type`` (and its bases) that run ``action``."""
    found: list[Binding] = []
    for cls in screen_type.__mro__:
        found.extend(b for b in class_bindings(cls) if b.action == action)
    return found


class _ActionCommands(Provider):
    """Offers a list of :class:`PaletteCommand`; subclasses say which, and how each runs."""

    def entries(self) -> Iterator[tuple[PaletteCommand, str]]:
        """The commands to offer now, each with its help line."""
        raise NotImplementedError

    def runner(self, command: PaletteCommand) -> Callable[[], Awaitable[None]]:
        """What choosing ``command`` runs."""
        raise NotImplementedError

    listed_first = False
    """On an empty palette, list these commands above every other provider's."""

    async def discover(self) -> Hits:
        """All commands, shown before anything is typed."""
        for command, help_line in self.entries():
            if self.listed_first:
                # The palette orders hits by score, and a DiscoveryHit's is always 0: a scored
                # hit is how a provider's commands come first when nothing is typed yet.
                yield Hit(1.0, command.name, self.runner(command), help=help_line)
            else:
                yield DiscoveryHit(command.name, self.runner(command), help=help_line)

    async def search(self, query: str) -> Hits:
        """Commands whose name fuzzily matches ``query``, best first."""
        matcher = self.matcher(query)
        for command, help_line in self.entries():
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(command.name),
                    self.runner(command),
                    help=help_line,
                )


class QuizcalcCommands(_ActionCommands):
    """Offers :data:`COMMANDS` (app actions) in the command palette (ctrl+p)."""

    def entries(self) -> Iterator[tuple[PaletteCommand, str]]:
        """Every app command, always."""
        for command in COMMANDS:
            yield command, command.help

    def runner(self, command: PaletteCommand) -> Callable[[], Awaitable[None]]:
        """Run ``command.action`` on the app."""
        app = self.app

        async def run() -> None:
            await app.run_action(command.action)

        return run


def _namespaced(action: str) -> str:
    """``app.pop_screen`` → ``pop_screen``: the action's name in whichever namespace."""
    return action.removeprefix("app.")


def binding_commands(
    screen_type: type,
    *,
    skip: frozenset[str] = frozenset(),
    key_display: Callable[[Binding], str] = lambda binding: binding.key_display or binding.key,
) -> list[PaletteCommand]:
    """One palette command per action bound on ``screen_type`` (what ``?`` lists too), named
    by the binding's description, its help ``keys · tooltip``; actions in ``skip`` (already
    offered under a better name) are left out. Built from the bindings, so a new key is in
    the palette without editing any list."""
    keys: dict[str, list[str]] = {}
    first: dict[str, Binding] = {}
    for binding in described_bindings(screen_type):
        if _namespaced(binding.action) in skip or binding.action in skip:
            continue
        first.setdefault(binding.action, binding)
        shown = key_display(binding)
        if shown not in keys.setdefault(binding.action, []):
            keys[binding.action].append(shown)
    commands = []
    for action, binding in first.items():
        about = (binding.tooltip or binding.description).removeprefix(PROBLEM_PREFIX)
        name = binding.description
        if binding.tooltip.startswith(PROBLEM_PREFIX):
            name = PROBLEM_PREFIX + name
        commands.append(PaletteCommand(name, f"{', '.join(keys[action])} · {about}", action))
    return commands


APP_ACTIONS = frozenset(_namespaced(command.action) for command in COMMANDS)
"""Actions the app's commands offer already (by a name that reads well on any screen)."""


class ScreenCommands(_ActionCommands):
    """Offers the keys of the screen the palette was opened over, built from its bindings
    (Browse's suspend and reset, Stats' refresh, Settings' save…), above the app's commands.

    The review screen has its own provider (:class:`ReviewCommands`).
    """

    listed_first = True
    """The screen's own actions come before the app's."""

    def entries(self) -> Iterator[tuple[PaletteCommand, str]]:
        """The screen's commands that its ``check_action`` allows now."""
        screen = self.screen
        if ReviewCommands in getattr(type(screen), "COMMANDS", ()):
            return
        shown = self.app.get_key_display
        for command in binding_commands(type(screen), skip=APP_ACTIONS, key_display=shown):
            _, name, parameters = parse(command.action)
            if command.action.startswith("app.") or screen.check_action(name, parameters):
                yield command, escape(command.help)

    def runner(self, command: PaletteCommand) -> Callable[[], Awaitable[None]]:
        """Run the binding's action, as its key would."""
        screen = self.screen

        async def run() -> None:
            await screen.run_action(command.action)

        return run


class ReviewCommands(_ActionCommands):
    """Offers :data:`REVIEW_COMMANDS` while the palette is open over the review screen.

    Only what applies to the card on screen is listed (see
    :meth:`~quizcalc.tui.screens.review.ReviewScreen.palette_offers`), above the app's
    commands; each help line starts with the command's keys.
    """

    listed_first = True
    """On the review screen, its own actions come before the app's."""

    @property
    def review(self) -> ReviewScreen:
        """The review screen the palette was opened over."""
        return cast("ReviewScreen", self.screen)  # only the review screen lists this provider

    def entries(self) -> Iterator[tuple[PaletteCommand, str]]:
        """The review commands that apply now, with ``keys · help``."""
        review = self.review
        for command in REVIEW_COMMANDS:
            _, name, _ = parse(command.action)
            if not review.palette_offers(name):
                continue
            bindings = bound_keys(type(review), command.action)
            keys = ", ".join(dict.fromkeys(self.app.get_key_display(b) for b in bindings))
            yield command, escape(f"{keys} · {command.help}" if keys else command.help)
        listed = frozenset(command.action for command in REVIEW_COMMANDS) | APP_ACTIONS
        shown = self.app.get_key_display
        for command in binding_commands(type(review), skip=listed, key_display=shown):
            if review.palette_offers(parse(command.action)[1]):
                yield command, escape(command.help)

    def runner(self, command: PaletteCommand) -> Callable[[], Awaitable[None]]:
        """Run ``command.action`` on the review screen.

        It is called directly, not through ``run_action``: that asks ``check_action``, which
        hides the one-letter keys while the answer box has focus (they would type into it),
        but the palette is no key: undo, source or end work then too.
        """
        review = self.review

        async def run() -> None:
            if command.action.startswith("app."):
                await review.app.run_action(command.action)
                return
            _, name, parameters = parse(command.action)
            result = getattr(review, f"action_{name}")(*parameters)
            if inspect.isawaitable(result):
                await result

        return run
