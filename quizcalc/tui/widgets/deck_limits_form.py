"""One deck's own daily limits in the settings form: a deck picker and two fields.

A blank field means "the collection's limit" (shown beside it). Edits are kept per deck while
the learner switches decks, and :meth:`DeckLimitsForm.changes` gives every deck whose limits
were changed, checked, for the screen to save with the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Input, Label, Select, Static

from quizcalc.study.collection_settings import DECK_LIMIT_MAX, DeckLimits

__all__ = ["DeckLimitError", "DeckLimitsForm"]


class DeckLimitError(ValueError):
    """A deck limit the learner typed is not usable; :attr:`field` is the input's id."""

    def __init__(self, message: str, field: str, deck: str) -> None:
        super().__init__(message)
        self.field = field
        """``deck-new`` or ``deck-reviews``."""
        self.deck = deck
        """The deck whose field it is."""


def _text(value: int | None) -> str:
    return "" if value is None else str(value)


def _parse(text: str, what: str, deck: str, field: str) -> int | None:
    """A blank field is ``None`` (the collection's); otherwise a whole number in bounds."""
    if not text.strip():
        return None
    try:
        value = int(text.strip())
    except ValueError:
        raise DeckLimitError(
            f"{deck}: {what} must be a whole number, or blank for the collection's; "
            f"got {text.strip()!r}",
            field,
            deck,
        ) from None
    if not 0 <= value <= DECK_LIMIT_MAX:
        raise DeckLimitError(
            f"{deck}: {what} must be between 0 and {DECK_LIMIT_MAX}, got {value}", field, deck
        )
    return value


class DeckLimitsForm(Grid):
    """A deck picker and the chosen deck's new-card and review limits (blank: the
    collection's)."""

    FIELDS: ClassVar[tuple[tuple[str, str], ...]] = (
        ("deck-new", "New cards per day"),
        ("deck-reviews", "Reviews per day"),
    )
    """Each field's id and label."""

    def __init__(self, decks: Sequence[DeckLimits], collection_new: int, collection_reviews: int):
        super().__init__(id="settings-deck-form")
        self.decks = {limits.deck: limits for limits in decks}
        """Every deck's limits as saved, by name."""
        self.edits: dict[str, tuple[str, str]] = {}
        """The two fields' text for each deck the learner has shown, by name."""
        self.collection = (collection_new, collection_reviews)
        """The collection's limits (what a blank field means)."""
        self.shown: str | None = next(iter(self.decks), None)
        """The deck whose limits are in the fields."""

    def compose(self) -> ComposeResult:
        """The picker, then one row per limit with what a blank means."""
        yield Label("Deck")
        if self.decks:
            yield Select(
                [(name, name) for name in self.decks],
                value=self.shown,
                allow_blank=False,
                compact=True,
                id="deck-choice",
            )
        else:
            yield Static(Text("no decks yet"), id="deck-choice")
        limits = self.decks.get(self.shown or "")
        own = (limits.new_per_day, limits.reviews_per_day) if limits else (None, None)
        for (field, label), value, default in zip(self.FIELDS, own, self.collection, strict=True):
            yield Label(label)
            yield Input(_text(value), id=field, compact=True, disabled=not self.decks)
            yield Static(Text(f"blank: collection's {default}"), classes="deck-hint")

    def _fields(self) -> tuple[Input, Input]:
        return self.query_one("#deck-new", Input), self.query_one("#deck-reviews", Input)

    def on_select_changed(self, event: Select.Changed) -> None:
        """Keep the shown deck's edits and show the chosen deck's limits."""
        event.stop()
        chosen = str(event.value)
        if chosen == self.shown:
            return
        new, reviews = self._fields()
        if self.shown is not None:
            self.edits[self.shown] = (new.value, reviews.value)
        self.shown = chosen
        limits = self.decks[chosen]
        saved = (_text(limits.new_per_day), _text(limits.reviews_per_day))
        new.value, reviews.value = self.edits.get(chosen, saved)

    def changes(self) -> dict[str, tuple[int | None, int | None]]:
        """Every deck whose limits the learner changed: its new (new, reviews) limits.

        Raises :class:`DeckLimitError` for the first field that is not a usable limit.
        """
        edits = dict(self.edits)
        if self.shown is not None:
            new, reviews = self._fields()
            edits[self.shown] = (new.value, reviews.value)
        changed: dict[str, tuple[int | None, int | None]] = {}
        for deck, (new_text, reviews_text) in edits.items():
            wanted = (
                _parse(new_text, "new cards per day", deck, "deck-new"),
                _parse(reviews_text, "reviews per day", deck, "deck-reviews"),
            )
            saved = self.decks[deck]
            if wanted != (saved.new_per_day, saved.reviews_per_day):
                changed[deck] = wanted
        return changed

    def show_deck(self, deck: str) -> None:
        """Bring ``deck``'s limits into the fields (to point at a bad one)."""
        if deck != self.shown and self.decks:
            self.query_one("#deck-choice", Select).value = deck
