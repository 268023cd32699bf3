"""``quizcalc export`` of a synced collection, read with the stdlib ``sqlite3`` driver.

An export is mostly reading: every card, its deck, its stored Anki HTML. Importing SQLAlchemy,
mapping the models and opening the whole study service cost as much again as reading and
writing 10,000 cards, and the usual export follows a sync that has nothing to do. So, as for
the first card (:mod:`~quizcalc.study.first_card`) and an unchanged sync
(:mod:`~quizcalc.study.sync_peek`), this module answers alone when it can and says ``None``
when the normal path must run:

- the collection is a SQLite file at the current schema, and the sync the command starts with
  would change nothing (a content folder that does not exist is only named, as the sync does);
- the format is one that carries Anki HTML (``.apkg``, ``.csv``, ``.tsv``, ``.txt``) and no
  progress travels (``--with-progress`` reads schedules and logs: the normal path does);
- no card came from Anki with a note type of its own (the normal path rebuilds those notes);
- every card's HTML, and each problem card's static instances, are stored and current (the
  normal path renders or generates what is missing and keeps it for next time).

The cards are picked and ordered as the normal path picks them
(:mod:`~quizcalc.study.export_selection`), their HTML checked the same way
(:func:`~quizcalc.study.anki_html_cache.current_html`), and written by the same
:func:`~quizcalc.exchange.export.export_cards`, so the file is the same either way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from quizcalc.exchange.model import ExchangeCard, ExportOptions, ExportReport, Progress
from quizcalc.study import anki_html_cache
from quizcalc.study.anki_html_cache import ANKI_FORMS, current_html
from quizcalc.study.batches import batches
from quizcalc.study.errors import use_case
from quizcalc.study.export_selection import CARD_ORDER, exchange_card, selected
from quizcalc.study.learner_tags import SETTING, parse_tag_edits
from quizcalc.study.media import media_folder
from quizcalc.study.problem_instances import instance_form, kept_instance
from quizcalc.study.sqlite_peek import open_current
from quizcalc.study.sync_peek import sync_would_change_nothing

__all__ = ["QUICK_FORMATS", "QuickExport", "export_quickly"]

QUICK_FORMATS = (".apkg", ".csv", ".tsv", ".txt")
"""The formats whose cards carry their stored Anki HTML."""

_KEYS_PER_QUERY = 500
"""Card keys per ``IN (…)`` query."""

_CARDS = f"""
SELECT cards.id, cards.card_id, cards.kind, cards.question, cards.answer, cards.section,
       cards.tags, cards.note, cards.cloze_number, cards.family, cards.difficulty,
       cards.status, cards.flag, cards.note_type_id, decks.name
FROM cards JOIN decks ON decks.id = cards.deck_id
WHERE cards.status != 'retired'
ORDER BY {CARD_ORDER}
"""


@dataclass(frozen=True)
class _Row:
    """One card as the quick path reads it (the columns of ``_CARDS``)."""

    id: int
    card_id: str
    kind: str
    question: str
    answer: str
    section: str
    tags: str
    note: str
    cloze_number: int | None
    family: str | None
    difficulty: int | None
    status: str
    flag: int
    note_type_id: int | None
    deck_name: str


@dataclass(frozen=True)
class QuickExport:
    """An export done on the quick path, and the lines its sync would have printed."""

    report: ExportReport
    """What was written."""
    notices: list[str]
    """The sync's lines (a content folder that does not exist), for stderr."""


@use_case("export the cards")
def export_quickly(
    url: str,
    content: Path | None,
    config_file: Path,
    path: Path,
    options: ExportOptions,
    progress: Progress | None = None,
) -> QuickExport | None:
    """Export as :meth:`~quizcalc.study.content.ContentUseCases.export` would after a sync of
    ``content``, when this module can (see above); ``None`` when the normal path must.

    Raises :class:`~quizcalc.study.errors.ExchangeProblem` as the normal path does (a filter
    that matches nothing, a file that cannot be written).
    """
    if path.suffix.lower() not in QUICK_FORMATS or options.with_progress:
        return None
    connection = open_current(url)
    if connection is None:
        return None
    try:
        notices = sync_would_change_nothing(connection, content, config_file)
        if notices is None:
            return None
        cards = _read(connection, options, with_instances=path.suffix.lower() == ".apkg")
    except sqlite3.Error:
        return None
    finally:
        connection.close()
    if cards is None:
        return None
    from quizcalc.exchange.export import export_cards

    if options.media_dir is None:
        options = replace(options, media_dir=media_folder(url))
    return QuickExport(export_cards(cards, path, options, progress), notices)


def _read(
    connection: sqlite3.Connection, options: ExportOptions, *, with_instances: bool
) -> list[ExchangeCard] | None:
    rows = selected([_Row(*row) for row in connection.execute(_CARDS)], options)
    if any(row.note_type_id is not None for row in rows):
        return None  # notes kept as Anki had them: the normal path rebuilds them
    stored = current_html(_stored(connection, [r.id for r in rows], ANKI_FORMS), rows)
    if stored.missing:
        return None  # rendered (and kept) by the normal path
    setting = connection.execute(
        "SELECT value FROM collection_settings WHERE name = ?", (SETTING,)
    ).fetchone()
    tag_edits = {} if setting is None else parse_tag_edits(setting[0])
    cards = [exchange_card(r, tag_edits, stored.html.get(r.id, {})) for r in rows]
    problems = [(r.id, i) for i, r in enumerate(rows) if r.kind == "problem"]
    if with_instances and problems:
        return _with_instances(connection, cards, problems, options)
    return cards


def _with_instances(
    connection: sqlite3.Connection,
    cards: list[ExchangeCard],
    problems: Sequence[tuple[int, int]],
    options: ExportOptions,
) -> list[ExchangeCard] | None:
    """``cards`` with each problem card's stored instances; None when one is not current."""
    forms = [instance_form(i) for i in range(options.instances)]
    found = _stored(connection, [key for key, _ in problems], forms)
    for key, position in problems:
        card = cards[position]
        fields: dict[int, list[str]] = {}
        for index, form in enumerate(forms):
            kept = kept_instance(found.get((key, form), ""), card, index, options.seed)
            if kept is None:
                return None  # generated (and kept) by the normal path
            fields[index] = kept
        cards[position] = replace(card, instances=fields)
    return cards


def _stored(
    connection: sqlite3.Connection, keys: Sequence[int], forms: Sequence[str]
) -> dict[tuple[int, str], str]:
    """(card key, form) → row text of the current renderer's ``card_renderings`` rows."""
    found: dict[tuple[int, str], str] = {}
    marks = ", ".join("?" for _ in forms)
    for chunk in batches(list(keys), _KEYS_PER_QUERY):
        sql = (
            "SELECT card_key, form, text FROM card_renderings WHERE renderer = ? "
            f"AND form IN ({marks}) AND card_key IN ({', '.join('?' for _ in chunk)})"
        )
        for key, form, text in connection.execute(sql, (anki_html_cache.RENDERER, *forms, *chunk)):
            found[(key, form)] = text
    return found
