"""The command-palette providers: every quizcalc action, searchable by name.

:class:`QuizcalcCommands` (on the app) offers what works from any screen: open a screen,
help, theme, quit. :class:`ReviewCommands` (on the review screen) offers that screen's own
actions while a session is open (show the answer, the six grades, undo, source, the problem
keys, end), each with its key in the help line, so that nothing needs remembering.
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

if TYPE_CHECKING:
    from quizcalc.tui.screens.review import ReviewScreen

__all__ = [
    "COMMANDS",
    "REVIEW_COMMANDS",
    "PaletteCommand",
    "QuizcalcCommands",
    "ReviewCommands",
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
    PaletteCommand("Show card source", "The file and line the card is written at", "show_source"),
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
        declared = cls.__dict__.get("BINDINGS")
        if declared:
            found.extend(b for b in Binding.make_bindings(declared) if b.action == action)
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

    def runner(self, command: PaletteCommand) -> Callable[[], Awaitable[None]]:
        """Run ``command.action`` on the review screen.

        It is called directly, not through ``run_action``: that asks ``check_action``, which
        hides the one-letter keys while the answer box has focus (they would type into it),
        but the palette is no key: undo, source or end work then too.
        """
        review = self.review

        async def run() -> None:
            _, name, parameters = parse(command.action)
            result = getattr(review, f"action_{name}")(*parameters)
            if inspect.isawaitable(result):
                await result

        return run
