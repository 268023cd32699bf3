"""A footer that rebuilds its keys only when the keys it shows have changed.

Textual's ``Footer`` rebuilds every key (a widget each, styled twice) after each change of
the screen's bindings, and a screen announces a change far more often than its keys change:
every focus move, every reactive declared with ``bindings=True``, every return from a modal.
Opening the review screen announced it twice before the first frame; answering one card,
several times. Each rebuild mounted and restyled about a dozen widgets, a sizeable part of the
CPU a key press cost.

This footer queues one rebuild for a burst of announcements (reading the bindings as they are
when it runs) and skips it when the keys it would build are exactly the ones already shown:
same bindings, same enabled state, same tooltips, same key labels. The keys on screen are
always what ``Footer.compose`` would build from the current bindings.

A key it builds is also styled once, not three times: ``FooterKey`` starts compact (a
restyle on mount) and ``Footer`` then binds it to its own ``compact`` (a second restyle); here
each key bound to it is born with the footer's ``compact`` already set.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

__all__ = ["SettledFooter"]


class SettledFooter(Footer):
    """``Footer`` with binding changes coalesced into one rebuild per refresh, and no rebuild
    when the keys it shows would be the same."""

    _rebuild_queued = False
    _shown: Hashable = None
    """What the keys on screen were built from (:meth:`keys_shown`); ``None`` before the first
    build."""

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Queue one rebuild (as ``Footer`` does), unless one is already waiting."""
        self._bindings_ready = True
        if not screen.app.app_focus or self._rebuild_queued:
            return
        if self.is_attached and screen is self.screen:
            self._rebuild_queued = True
            self.call_after_refresh(self._rebuild)

    def keys_shown(self) -> Hashable:
        """Everything ``Footer.compose`` reads to build the keys, as one comparable value."""
        app = self.app
        palette_key = app.COMMAND_PALETTE_BINDING
        shown = tuple(
            (key, binding, enabled, tooltip, app.get_key_display(binding))
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette_key
        )
        return (shown, self.show_command_palette, app.ENABLE_COMMAND_PALETTE)

    def compose(self) -> ComposeResult:
        """``Footer``'s keys, each created with the footer's ``compact`` state already set
        (except the command palette's, which ``Footer`` leaves compact, unbound)."""
        compact = self.compact
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

    async def _rebuild(self) -> None:
        self._rebuild_queued = False
        if not self.is_attached:
            return
        keys = self.keys_shown()
        if keys == self._shown:
            return
        self._shown = keys
        await self.recompose()
