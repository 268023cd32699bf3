"""The command-palette provider: every quizcalc action, searchable by name."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from textual.command import DiscoveryHit, Hit, Hits, Provider

__all__ = ["COMMANDS", "PaletteCommand", "QuizcalcCommands"]


@dataclass(frozen=True)
class PaletteCommand:
    """One palette entry: its name, a line of help, and the app action it runs."""

    name: str
    """What the user types and reads."""
    help: str
    """One line under the name."""
    action: str
    """An app action (``app.`` namespace), run when chosen."""


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
    PaletteCommand("Undo last answer", "Show the last graded card again", "undo"),
    PaletteCommand("Show card source", "The file and line the card is written at", "show_source"),
    PaletteCommand("Problem: next hint", "Reveal the problem's next hint", "problem('hint')"),
    PaletteCommand(
        "Problem: show the solution", "Give up and see the worked solution", "problem('give_up')"
    ),
    PaletteCommand("Toggle light/dark", "Switch between the light and dark theme", "toggle_dark"),
    PaletteCommand("Quit", "Leave quizcalc (answers are already saved)", "quit"),
)
"""Everything the palette offers, in discovery order."""


class QuizcalcCommands(Provider):
    """Offers :data:`COMMANDS` in the command palette (ctrl+p)."""

    def _runner(self, command: PaletteCommand) -> Callable[[], Awaitable[None]]:
        app = self.app

        async def run() -> None:
            await app.run_action(command.action)

        return run

    async def discover(self) -> Hits:
        """All commands, shown before anything is typed."""
        for command in COMMANDS:
            yield DiscoveryHit(command.name, self._runner(command), help=command.help)

    async def search(self, query: str) -> Hits:
        """Commands whose name fuzzily matches ``query``, best first."""
        matcher = self.matcher(query)
        for command in COMMANDS:
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(command.name),
                    self._runner(command),
                    help=command.help,
                )
