"""A footer that rebuilds its keys once for a burst of binding changes.

Textual's ``Footer`` rebuilds every key (a widget each, styled twice) after each change of
the screen's bindings. Opening the review screen changes them twice before the first frame
(the screen's focus, then the card's keys), so the keys were built twice, about a tenth of the
CPU spent before the first card showed. This footer queues one rebuild, which reads the
bindings as they are when it runs: the same keys, built once.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer

__all__ = ["SettledFooter"]


class SettledFooter(Footer):
    """``Footer`` with binding changes coalesced into one rebuild per refresh."""

    _rebuild_queued = False

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Queue one rebuild (as ``Footer`` does), unless one is already waiting."""
        self._bindings_ready = True
        if not screen.app.app_focus or self._rebuild_queued:
            return
        if self.is_attached and screen is self.screen:
            self._rebuild_queued = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_queued = False
        await self.recompose()
