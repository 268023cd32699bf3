"""Export to an Anki package (``.apkg``) with genanki; Anki imports it headless or in the app.

What lands in Anki:

- **Notes imported from Anki** go back as Anki had them: their GUID, note type (its id,
  fields, templates, CSS), fields and card ordinals (:mod:`quizcalc.exchange.apkg_anki_notes`),
  so importing the package into the collection they came from adds nothing.
- **Notes.** Q&A cards born in quizcalc become ``quizcalc Basic`` notes; a cloze note (all
  its ``cN`` siblings) becomes one ``quizcalc Cloze`` note whose ``Text`` is the whole note;
  a problem card becomes ``options.instances`` ``quizcalc Problem`` notes, static instances
  generated with seeds derived from the card id, the instance number and ``options.seed`` (so two
  exports write the same instances), each with the answer and the worked solution on the
  back. Note types and their fields: :mod:`quizcalc.exchange.apkg_models`.
- **GUIDs.** ``genanki.guid_for(card id)`` (the cloze note id for clozes, ``(card id,
  instance index)`` for problem instances): importing a later export again *updates* the
  notes in Anki instead of duplicating them.
- **Decks.** A card's section becomes a sub-deck (``Calculus & Optimization::2.3 The chain
  rule``), with every parent deck written too; deck and note-type ids are derived from their
  names (:func:`quizcalc.exchange.apkg_models.stable_id`).
- **Text.** Every field goes through :func:`markdown_to_anki_html`: Markdown rendered, raw
  HTML escaped, math as MathJax ``\\(…\\)`` / ``\\[…\\]``, which Anki renders. Tags are kept
  (a space, which Anki does not allow in a tag, becomes ``_``).
- **Suspended** cards are suspended in Anki too.
- **Progress** (``options.with_progress``): schedules and review logs, see
  :mod:`quizcalc.exchange.apkg_progress`. A problem card's schedule and log go with its
  first instance; the other instances arrive as new cards.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import re
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import genanki

from quizcalc.exchange.anki_guid import guid_for
from quizcalc.exchange.anki_html import field_html, markdown_to_anki_html
from quizcalc.exchange.apkg_anki_notes import anki_note, group_key
from quizcalc.exchange.apkg_media import media_path, media_references
from quizcalc.exchange.apkg_models import basic_model, cloze_model, problem_model, stable_id
from quizcalc.exchange.apkg_progress import CardState, prepare_collection, write_card_states
from quizcalc.exchange.files import atomic_output, write_failure
from quizcalc.exchange.leftovers import temp_prefix
from quizcalc.exchange.model import (
    ExchangeCard,
    ExchangeError,
    ExportOptions,
    ExportReport,
    Progress,
)

__all__ = ["instance_fields", "instance_seed", "note_guid", "write_apkg"]

_CLOZE_NUMBERS = re.compile(r"\{\{c(\d+)::")

_clock = time.time
"""The export time: notes' modification time, from which Anki decides to update a note."""


def note_guid(card: ExchangeCard, instance: int | None = None) -> str:
    """The Anki GUID of ``card``'s note (of its ``instance``-th static instance, from 0)."""
    if instance is not None:
        return guid_for(card.card_id, instance)
    return guid_for(card.note_id)


def instance_seed(card_id: str, instance: int, base_seed: int) -> int:
    """The seed of a problem card's ``instance``-th static instance: same in every export."""
    text = f"{card_id}\x1f{instance}\x1f{base_seed}".encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=4).digest(), "big") % (1 << 31)


def _tags(card: ExchangeCard) -> list[str]:
    return ["_".join(tag.split()) for tag in card.tags if tag.strip()]


def _code(text: str) -> str:
    """Markdown for ``text`` shown verbatim as inline code (whatever backticks it holds)."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}" if text else ""


@dataclass(frozen=True, slots=True)
class _Note:
    """One Anki note's row and its cards' template numbers: what genanki's ``Note`` writes,
    without its per-note checks and lazy properties (a third of a large export)."""

    model: genanki.Model
    fields: list[str]
    tags: list[str]
    guid: str
    due: int
    ords: tuple[int, ...]
    """The templates (cloze numbers − 1) that get a card."""

    @classmethod
    def of(cls, note: genanki.Note) -> _Note:
        """The row of a note genanki built (an imported Anki note's)."""
        ords = tuple(card.ord for card in note.cards)
        return cls(note.model, list(note.fields), list(note.tags), note.guid, note.due, ords)


def _front_back(
    model: genanki.Model, fields: list[str], tags: list[str], guid: str, due: int
) -> _Note:
    """A note of a front/back ``model``: a card per template whose required fields are there
    (as genanki and Anki decide, from the model's ``req``)."""
    ords = tuple(
        template
        for template, how, required in _requirements(model)
        if (any if how == "any" else all)(fields[i] for i in required)
    )
    return _Note(model, fields, tags, guid, due, ords)


@lru_cache(maxsize=64)
def _requirements(model: genanki.Model) -> tuple[tuple[int, str, tuple[int, ...]], ...]:
    """genanki's ``Model._req`` (rendered with chevron once per model, not once per note)."""
    return tuple((int(t), str(how), tuple(int(i) for i in req)) for t, how, req in model._req)


@dataclass
class _Planned:
    """One Anki note to write, the deck it goes to and the cards it stands for."""

    deck: str
    note: _Note
    states: list[CardState] = field(default_factory=list)


@dataclass
class _Plan:
    notes: list[_Planned] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    cards: int = 0


def _group(cards: Sequence[ExchangeCard]) -> list[list[ExchangeCard]]:
    """Cards in order, cloze siblings (and the cards of one imported Anki note) gathered under
    their note's first card."""
    groups: list[list[ExchangeCard]] = []
    clozes: dict[str, list[ExchangeCard]] = {}
    for card in cards:
        key = group_key(card)
        if key is not None or card.kind == "cloze":
            key = key or card.note_id
            if key in clozes:
                clozes[key].append(card)
                continue
            clozes[key] = [card]
            groups.append(clozes[key])
        else:
            groups.append([card])
    return groups


def _basic(card: ExchangeCard, position: int) -> _Planned:
    guid = note_guid(card)
    fields = [
        field_html(card.html, card.question),
        field_html(card.html, card.answer),
        html.escape(card.card_id),
    ]
    note = _front_back(basic_model(), fields, _tags(card), guid, position)
    return _Planned(card.full_deck, note, [CardState(guid, 0, card, True)])


def _cloze(siblings: list[ExchangeCard], position: int, details: list[str]) -> _Planned | None:
    first = siblings[0]
    text = first.note or first.question
    numbers = {int(n) for n in _CLOZE_NUMBERS.findall(text)}
    guid = note_guid(first)
    states = []
    for card in siblings:
        number = card.cloze_number or 1
        if number not in numbers:
            details.append(f"{card.card_id}: no {{{{c{number}::…}}}} in its note; not exported")
            continue
        states.append(CardState(guid, number - 1, card, True))
    if not states:
        return None
    fields = [field_html(first.html, text), "", html.escape(first.note_id)]
    # Anki makes a card per cloze number, nested ones too (genanki's regex misses those).
    ords = tuple(n - 1 for n in sorted(numbers) if n > 0)
    note = _Note(cloze_model(), fields, _tags(first), guid, position, ords)
    return _Planned(first.full_deck, note, states)


def _imported(group: list[ExchangeCard], position: int) -> _Planned | None:
    """The Anki note an imported card (with its siblings) came from, as Anki had it."""
    first = group[0]
    if first.anki is None:
        return None
    note = anki_note(first.anki, _tags(first), position)
    if note is None:
        return None
    states = [CardState(first.anki.guid, c.anki.ord, c, True) for c in group if c.anki]
    return _Planned(first.full_deck, _Note.of(note), states)


def instance_fields(card: ExchangeCard, index: int, base_seed: int) -> list[str]:
    """The note fields of problem card ``card``'s ``index``-th static instance (from 0):
    prompt, answer, worked solution (Anki HTML), id, seed, skill. ValueError for a family or
    difficulty that does not exist."""
    from quizcalc.problems import expected_text, generate

    seed = instance_seed(card.card_id, index, base_seed)
    problem = generate(card.family or "", seed, card.difficulty or 1)
    solution = "\n".join(f"{i}. {step}" for i, step in enumerate(problem.solution, 1))
    return [
        markdown_to_anki_html(problem.prompt),
        markdown_to_anki_html(_code(expected_text(problem.answer))),
        markdown_to_anki_html(solution),
        html.escape(card.card_id),
        str(seed),
        html.escape(f"{card.family}:{card.difficulty or 1}"),
    ]


def _problems(
    card: ExchangeCard, position: int, options: ExportOptions, details: list[str]
) -> list[_Planned]:
    planned: list[_Planned] = []
    for index in range(max(options.instances, 0)):
        fields = card.instances.get(index)
        if fields is None:
            try:
                fields = instance_fields(card, index, options.seed)
            except ValueError as exc:
                details.append(f"{card.card_id}: problem card not exported ({exc})")
                return []
        guid = note_guid(card, index)
        note = _front_back(problem_model(), list(fields), _tags(card), guid, position)
        planned.append(_Planned(card.full_deck, note, [CardState(guid, 0, card, index == 0)]))
    return planned


def _plan(
    cards: Sequence[ExchangeCard], options: ExportOptions, progress: Progress | None
) -> _Plan:
    plan = _Plan()
    groups = _group(cards)
    for done, group in enumerate(groups, 1):
        position = len(plan.notes) + 1
        imported = _imported(group, position)
        if imported is not None:
            made = [imported]
        elif group[0].kind == "cloze":
            cloze = _cloze(group, position, plan.details)
            made = [cloze] if cloze else []
        elif group[0].kind == "problem":
            made = _problems(group[0], position, options, plan.details)
        else:
            made = [_basic(group[0], position)]
        if made:
            plan.notes.extend(made)
            plan.cards += len({s.card.card_id for m in made for s in m.states})
        if progress is not None:
            progress(done, len(groups))
    return plan


def _decks(plan: _Plan) -> list[tuple[genanki.Deck, list[_Note]]]:
    """A genanki deck per sub-deck used, and for each of its parents, parents first, each with
    its notes (its note types added to it, as genanki adds a deck's notes' types)."""
    decks: dict[str, tuple[genanki.Deck, list[_Note]]] = {}
    for planned in plan.notes:
        parts = planned.deck.split("::")
        for depth in range(1, len(parts) + 1):
            name = "::".join(parts[:depth])
            if name not in decks:
                decks[name] = (genanki.Deck(stable_id("deck", name), name), [])
        deck, notes = decks[planned.deck]
        deck.add_model(planned.note.model)
        notes.append(planned.note)
    return list(decks.values())


def _write_collection(
    cursor: sqlite3.Cursor,
    decks: list[tuple[genanki.Deck, list[_Note]]],
    stamp: float,
    ids: Iterator[int],
) -> None:
    """What ``genanki.Package`` writes for these decks and notes, row for row, the notes and
    cards inserted in one ``executemany`` each.

    genanki writes the schema, the collection row, the decks and the note types (kept: that is
    its knowledge of Anki's format); its notes would each be checked, then inserted with an
    ``execute`` of their own and their cards found through lazy properties: more than half of
    an export of 10,000 cards. The rows here are the ones genanki writes (ids drawn from
    ``ids`` in the same order: deck by deck, each note then its cards), so a package is the
    same as genanki makes it, row for row.
    """
    genanki.Package([deck for deck, _ in decks]).write_to_db(cursor, stamp, ids)
    mod = int(stamp)
    note_rows: list[tuple[object, ...]] = []
    card_rows: list[tuple[object, ...]] = []
    for deck, notes in decks:
        for note in notes:
            model = note.model
            if len(model.fields) != len(note.fields):
                raise ValueError(f"{note.guid}: {len(note.fields)} fields for {model.name}")
            note_id = next(ids)
            tags, fields = " " + " ".join(note.tags) + " ", "\x1f".join(note.fields)
            sort_field = note.fields[model.sort_field_index]
            note_rows.append((note_id, note.guid, model.model_id, mod, tags, fields, sort_field))
            for ord_ in note.ords:
                card_rows.append((next(ids), note_id, deck.deck_id, ord_, mod, note.due))
    cursor.executemany("INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, ?, 0, 0, '')", note_rows)
    cursor.executemany(
        "INSERT INTO cards VALUES (?, ?, ?, ?, ?, -1, 0, 0, ?, 0, 0, 0, 0, 0, 0, 0, 0, '')",
        card_rows,
    )


def _write(
    plan: _Plan,
    cards: Sequence[ExchangeCard],
    target: Path,
    with_progress: bool,
    media_dir: Path | None = None,
) -> int:
    """Write the package to ``target``; return the review-log rows written."""
    with tempfile.TemporaryDirectory(prefix=temp_prefix("export")) as folder:
        database = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(database)
        try:
            cursor = connection.cursor()
            stamp = _clock()
            _write_collection(cursor, _decks(plan), stamp, itertools.count(int(stamp * 1000)))
            day0 = prepare_collection(cursor, cards)
            states = [s for planned in plan.notes for s in planned.states]
            reviews = write_card_states(cursor, states, day0, with_progress)
            connection.commit()
        finally:
            connection.close()
        # Level 1: a third of the default level's time for a file a fifth larger.
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            archive.write(database, "collection.anki2")
            listed: dict[str, str] = {}
            for index, source in enumerate(_media_files(plan, media_dir)):
                archive.write(source, str(index))
                listed[str(index)] = source.name
            archive.writestr("media", json.dumps(listed))
    return reviews


def _media_files(plan: _Plan, folder: Path | None) -> list[Path]:
    """The files of ``folder`` that the planned notes show or play (images, sounds)."""
    if folder is None or not folder.is_dir():
        return []  # nothing to look for: no need to read every field
    names = media_references(f for planned in plan.notes for f in planned.note.fields if f)
    files = []
    for name in sorted(names):
        try:
            path = media_path(folder, name)
        except ExchangeError:
            continue
        if path.is_file():
            files.append(path)
    return files


def write_apkg(
    cards: Sequence[ExchangeCard],
    path: Path,
    options: ExportOptions,
    progress: Progress | None = None,
) -> ExportReport:
    """Write ``cards`` to the Anki package ``path`` (atomically) and report what was written.

    ``progress(done, total)`` is called as each note is built (a problem card's instances
    count as one step). Raises :class:`ExchangeError` when the file cannot be written.
    """
    plan = _plan(cards, options, progress)
    with atomic_output(path) as temporary:
        try:
            reviews = _write(plan, cards, temporary, options.with_progress, options.media_dir)
        except (sqlite3.Error, zipfile.BadZipFile, ValueError) as exc:
            raise write_failure(path, exc, "cannot write the Anki package") from exc
    return ExportReport(
        path=path, cards=plan.cards, notes=len(plan.notes), reviews=reviews, details=plan.details
    )
