"""Keys pressed on the home screen before the study data is open: kept, then replayed.

The home screen is up at once, but its keys need the data (about 0.85 s on a large
collection): `r`, `d`, `s`, `b`, `,` could only say "Still opening…" and were lost, and so was
whatever followed them (the space and grade typed on the first card). :class:`EarlyKeys` holds
those keys in order and hands them back once the data is open, so that `r space 4` typed
straight after launch reviews the first card as if the data had been there all along.

Keys that need no data (quit, help, theme, the palette) act at once, unless keys are already
held: then they wait their turn, so that the order typed is the order acted on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual import events

if TYPE_CHECKING:
    from textual.screen import Screen

__all__ = ["INSTANT_ACTIONS", "EarlyKeys"]

INSTANT_ACTIONS = frozenset({"quit", "help", "toggle_dark", "command_palette", "help_quit"})
"""Actions (``app.`` prefix aside) that work before the data is open: never held."""


@dataclass
class EarlyKeys:
    """The keys held while the study data opens, oldest first."""

    held: list[events.Key] = field(default_factory=list)
    """The key events kept, in the order they were pressed."""

    def hold(self, event: events.Key, screen: Screen[Any]) -> bool:
        """Keep ``event`` for later unless its binding on ``screen`` works without the data
        (and nothing is held before it); ``True`` when it was kept."""
        if not self.held:
            active = screen.active_bindings.get(event.key)
            action = active.binding.action.removeprefix("app.") if active else ""
            if action in INSTANT_ACTIONS:
                return False
        self.held.append(event)
        return True

    def release(self) -> list[events.Key]:
        """The held keys as new events, to post again in order (and forget)."""
        keys = [events.Key(event.key, event.character) for event in self.held]
        self.held.clear()
        return keys

    def drop(self) -> None:
        """Forget the held keys (the data could not be opened: the error screen is up)."""
        self.held.clear()
