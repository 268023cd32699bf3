"""The collection's settings and each deck's own limits: read, saved, extended for today.

Part of :class:`~quizcalc.study.service.StudyService`. The collection's settings
(:data:`~quizcalc.config.COLLECTION_SETTINGS`: daily limits, the study day, relearning,
leeches, drill defaults) live in its database, so they travel with backups and to other
devices; ``config.toml`` keeps the device's own preferences. The first time a collection
without settings is opened, the values then in ``config.toml`` are copied in, once
(:meth:`CollectionSettingsUseCases.adopt_settings`); from then on ``config.toml``'s copies are
not used, and a value there that differs from the collection's is named in a warning
(:func:`ignored_file_settings`) rather than silently ignored.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from quizcalc.config import COLLECTION_SETTINGS, Config, validate_settings
from quizcalc.store.models import CollectionSettingRecord, DeckOptionsRecord, DeckRecord
from quizcalc.study.collection_base import CollectionAccess, sql_runner
from quizcalc.study.collection_values import StoredSettings, read_stored_settings
from quizcalc.study.errors import InvalidRequest, use_case

__all__ = [
    "DECK_LIMIT_MAX",
    "CollectionSettingsUseCases",
    "DeckLimits",
    "ignored_file_settings",
    "write_collection_settings",
]

DECK_LIMIT_MAX = 10_000
"""The largest daily limit or extension a deck may have (the collection's new-card bound)."""


@dataclass(frozen=True)
class DeckLimits:
    """One deck's daily limits as the settings screen and ``quizcalc decks`` show them."""

    deck: str
    """The deck's name."""
    new_per_day: int | None
    """Its own new-card limit (``None``: the collection's)."""
    reviews_per_day: int | None
    """Its own review limit (``None``: the collection's)."""
    extra_new: int
    """Today's extension of the new-card limit (0 when none, or given another day)."""
    extra_reviews: int
    """Today's extension of the review limit."""
    new_today: int
    """The new-card limit in force today: its own or the collection's, plus the extension."""
    reviews_today: int
    """The review limit in force today."""


def write_collection_settings(session: Session, values: Mapping[str, Any]) -> None:
    """Store ``values`` (collection settings, by name) in the collection, replacing those."""
    for name, value in values.items():
        if name not in COLLECTION_SETTINGS:
            continue
        session.merge(CollectionSettingRecord(name=name, value=json.dumps(value)))


def ignored_file_settings(file_values: Mapping[str, Any], config: Config, path: Path) -> str | None:
    """One line naming what ``path`` sets that the collection now decides, if it differs.

    ``file_values`` are the settings the file sets explicitly; ``config`` the ones in force
    (the collection's). ``None`` when the file agrees with the collection or sets none of them.
    """
    current = asdict(config)
    differing = [
        f"{name} = {json.dumps(value)} (the collection has {json.dumps(current[name])})"
        for name, value in file_values.items()
        if name in COLLECTION_SETTINGS and current[name] != value
    ]
    if not differing:
        return None
    return (
        f"{path}: not used: {'; '.join(differing)}: daily limits and other study settings are "
        "now saved in the collection (they travel with its backups); change them in Settings "
        "or with `quizcalc settings set NAME VALUE`, and delete the line"
        + ("s" if len(differing) > 1 else "")
        + " from the file"
    )


def _check_limit(what: str, value: int | None, deck: str, *, low: int = 0) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidRequest(f"{deck}: {what} must be a whole number, got {value!r}")
    if not low <= value <= DECK_LIMIT_MAX:
        raise InvalidRequest(
            f"{deck}: {what} must be between {low} and {DECK_LIMIT_MAX}, got {value}"
        )


class CollectionSettingsUseCases(CollectionAccess):
    """The collection's settings and each deck's own limits."""

    settings_problems: tuple[str, ...] = ()
    """Stored settings that could not be used (one line each), found when the collection was
    opened or its settings last read."""
    settings_warning: str | None = None
    """What ``config.toml`` sets that the collection now decides, when it differs (one line,
    shown once by the screen or command that opened the collection)."""

    def _apply(self, stored: StoredSettings) -> None:
        self.config = stored.over(self.config)
        self.fsrs_parameters = stored.fsrs_parameters
        self.settings_problems = tuple(stored.problems)

    @use_case("read the collection's settings")
    def adopt_settings(self) -> None:
        """Put the collection's settings in force; a collection without any gets the current
        ones (``config.toml``'s, on first open), once, in one write transaction."""
        with self.transaction() as session:
            stored = read_stored_settings(sql_runner(session))
        if stored.empty:
            with self.transaction(write=True) as session:
                stored = read_stored_settings(sql_runner(session))  # another window was first?
                if stored.empty:
                    values = {name: getattr(self.config, name) for name in COLLECTION_SETTINGS}
                    write_collection_settings(session, values)
                    stored = StoredSettings(values)
        self._apply(stored)

    @use_case("read the collection's settings")
    def reload_settings(self) -> Config:
        """Read the collection's settings again (another window may have changed them)."""
        with self.transaction() as session:
            self._apply(read_stored_settings(sql_runner(session)))
        return self.config

    @use_case("save the collection's settings")
    def save_collection_settings(self, values: Mapping[str, Any]) -> Config:
        """Check ``values`` (collection settings, by name) and store them in the collection.

        A bad or unknown one raises :class:`~quizcalc.study.errors.InvalidSetting` naming it,
        and nothing is written. A change of scheduler rebuilds every card's schedule from the
        review log in the same transaction (:mod:`quizcalc.study.schedule_rebuild`). Returns
        the settings now in force.
        """
        unknown = sorted(set(values) - set(COLLECTION_SETTINGS))
        if unknown:
            raise InvalidRequest(
                f"{unknown[0]} is not one of the collection's settings (they are: "
                f"{', '.join(COLLECTION_SETTINGS)}); the device's own are in config.toml"
            )
        validate_settings(values)
        with self.transaction(write=True) as session:
            stored = read_stored_settings(sql_runner(session))  # under the lock: the truth
            before = stored.over(self.config)
            write_collection_settings(session, values)
            after = replace(before, **values)
            if after.algorithm != before.algorithm:
                from quizcalc.study.schedule_rebuild import rebuild_schedules

                self.config, self.fsrs_parameters = after, stored.fsrs_parameters
                rebuild_schedules(session, self.scheduler_settings)
        self.config = replace(self.config, **values)
        return self.config

    # --- per-deck limits -------------------------------------------------------------------

    def _deck(self, session: Session, name: str) -> DeckRecord:
        deck = session.scalars(select(DeckRecord).where(DeckRecord.name == name)).first()
        if deck is None:
            names = session.scalars(select(DeckRecord.name).order_by(DeckRecord.name)).all()
            known = ", ".join(names) if names else "none yet"
            raise InvalidRequest(f"no deck named {name!r}; the decks are: {known}")
        return deck

    def _limits(self, name: str, options: DeckOptionsRecord | None, today: date) -> DeckLimits:
        own_new = options.new_per_day if options else None
        own_reviews = options.reviews_per_day if options else None
        extended = options is not None and options.extended_day == today
        extra_new = options.extra_new if options and extended else 0
        extra_reviews = options.extra_reviews if options and extended else 0
        return DeckLimits(
            deck=name,
            new_per_day=own_new,
            reviews_per_day=own_reviews,
            extra_new=extra_new,
            extra_reviews=extra_reviews,
            new_today=(self.config.new_per_day if own_new is None else own_new) + extra_new,
            reviews_today=(self.config.max_reviews_per_day if own_reviews is None else own_reviews)
            + extra_reviews,
        )

    @use_case("read the decks' limits")
    def deck_limits(self, now: datetime) -> list[DeckLimits]:
        """Every deck's limits on ``now``'s study day, by deck name."""
        today = self.today(now)
        with self.transaction() as session:
            options = {o.deck_id: o for o in session.scalars(select(DeckOptionsRecord))}
            decks = session.execute(
                select(DeckRecord.id, DeckRecord.name).order_by(DeckRecord.name)
            )
            return [self._limits(name, options.get(key), today) for key, name in decks]

    @use_case("save the deck's limits")
    def set_deck_limits(
        self, deck: str, now: datetime, *, new_per_day: int | None, reviews_per_day: int | None
    ) -> DeckLimits:
        """Give ``deck`` its own daily limits (``None``: the collection's); today's extension
        is kept. An unknown deck or a bad number raises
        :class:`~quizcalc.study.errors.InvalidRequest` naming it, and nothing changes."""
        _check_limit("new cards per day", new_per_day, deck)
        _check_limit("reviews per day", reviews_per_day, deck)
        with self.transaction(write=True) as session:
            record = self._deck(session, deck)
            options = _options_of(session, record.id)
            options.new_per_day = new_per_day
            options.reviews_per_day = reviews_per_day
            if not _is_plain(options):
                return self._limits(deck, options, self.today(now))
            session.execute(delete(DeckOptionsRecord).where(DeckOptionsRecord.deck_id == record.id))
            return self._limits(deck, None, self.today(now))

    @use_case("raise today's limit")
    def extend_today(
        self, deck: str, now: datetime, *, new: int = 0, reviews: int = 0
    ) -> DeckLimits:
        """Let ``deck`` show ``new`` more new cards and ``reviews`` more reviews today only
        (custom study's "increase today's limit"); extending again the same day adds up.

        The extension is served before the other decks' share and lifts the collection's
        limit by as much. An unknown deck or a bad number raises
        :class:`~quizcalc.study.errors.InvalidRequest`, and nothing changes.
        """
        _check_limit("the extra new cards", new, deck)
        _check_limit("the extra reviews", reviews, deck)
        if new == 0 and reviews == 0:
            raise InvalidRequest(
                f"{deck}: nothing to extend: give more new cards or reviews than 0"
            )
        today = self.today(now)
        with self.transaction(write=True) as session:
            record = self._deck(session, deck)
            options = _options_of(session, record.id)
            if options.extended_day != today:
                options.extended_day, options.extra_new, options.extra_reviews = today, 0, 0
            options.extra_new = min(DECK_LIMIT_MAX, options.extra_new + new)
            options.extra_reviews = min(DECK_LIMIT_MAX, options.extra_reviews + reviews)
            return self._limits(deck, options, today)


def _is_plain(options: DeckOptionsRecord) -> bool:
    """True when the row says nothing the defaults do not (no own limits, no extension)."""
    return (
        options.new_per_day is None
        and options.reviews_per_day is None
        and not options.extra_new
        and not options.extra_reviews
    )


def _options_of(session: Session, deck_id: int) -> DeckOptionsRecord:
    """The deck's options row, added (with no limits of its own) when it has none yet."""
    options = session.get(DeckOptionsRecord, deck_id)
    if options is None:
        options = DeckOptionsRecord(deck_id=deck_id, extra_new=0, extra_reviews=0)
        session.add(options)
    return options
