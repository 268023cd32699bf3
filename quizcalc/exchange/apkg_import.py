"""Import an Anki package (``.apkg``): notes become quizcalc cards, with Anki's history.

Notes → cards:

* A note of a cloze type (or whose first field has ``{{cN::``) becomes one quizcalc cloze
  note: its first field (``Text``) is read as Markdown and split into one card per cloze
  number, exactly as the Markdown parser would; its other fields (``Back Extra``) are added
  below every card's answer under their names.
* Any other foreign note gives one basic card per card Anki made of it, each rendered from its
  own template (a reverse card asks the back), with the fields no template shows added to
  the answer under their names, and each with its own history
  (:mod:`quizcalc.exchange.apkg_note_cards`). An Image Occlusion note cannot be shown here: it
  is skipped and named; a template filter quizcalc does not apply is named once per import.
* Card ids: for our own note types (``quizcalc Basic``/``quizcalc Cloze``, written by
  :mod:`quizcalc.exchange.apkg_export`), the note's ``Id`` field, so re-importing our package
  maps onto the same cards; for any other note, ``anki-<guid>``. A cloze card adds ``::cN``,
  the card of a note's template *n* > 1 adds ``::tN``.
* Our ``quizcalc Problem`` notes are static instances of a generated problem card. Their
  ``Skill`` field (``family:difficulty``) restores the problem card itself, once, with the
  history of the instance that carries it; the instances are not cards here. An instance
  without a usable ``Skill`` (an unknown family) is reported, one line per problem card.
* Deck ``Calculus::2.3 The chain rule`` → deck ``Calculus``, section ``2.3 The chain rule``;
  a card in a filtered deck counts as in its home deck.
* Notes that cannot be cards (empty question or answer, a cloze without deletions, an unknown
  note type) are skipped, each with its reason. Media files are not read here: images
  (``![](name)`` in the Markdown) and ``[sound:name]`` stay as references an export writes
  back, and the report counts them in one line (the study layer copies the package's media
  files into the collection's media folder: :mod:`quizcalc.study.media`).

History (:attr:`ForeignDeck.progress`, applied only with ``--with-progress``): each revlog
row becomes a review with quality from Anki's button (Again 1, Hard 3, Good 4, Easy 5);
manual rows (set due date, forget, reschedule: no button) are not answers, so they are kept
apart (:attr:`ExchangeCard.manual`), as Anki wrote them, for an export to give back. The
schedule before and after each row is rebuilt from the row: the interval before is its
``lastIvl``, the interval after its ``ivl`` — both as Anki wrote them, a learning step's
negative number of seconds included, so an export writes the row back unchanged — and the
ease as Anki set it (repetitions count successful day-level recalls, a lapse is a failed
answer on a card with repetitions; a learning step is due the same day), and the final
schedule is the card's own (interval, ease, lapses, due day). Times become study days in
this computer's time zone with the default 04:00 rollover; Anki's due days (counted from the
collection's creation day) become dates the same way. A suspended card is marked so its
status follows.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from quizcalc.cards.cloze import has_anki_cloze
from quizcalc.cards.model import Card, CardKind, LintMessage, ProblemSpec
from quizcalc.config import Config
from quizcalc.exchange.anki_html import anki_html_to_markdown
from quizcalc.exchange.anki_identity import AnkiIdentity, AnkiNoteType
from quizcalc.exchange.anki_notes import cards_from_fields, split_full_deck
from quizcalc.exchange.apkg_note_cards import (
    extra_fields,
    image_occlusion_line,
    is_image_occlusion,
    template_cards,
    with_extras,
)
from quizcalc.exchange.apkg_reader import (
    AnkiCard,
    AnkiCollection,
    AnkiNote,
    AnkiReview,
    read_collection,
)
from quizcalc.exchange.imports import ForeignDeck
from quizcalc.exchange.limits import ImportLimits
from quizcalc.exchange.model import (
    AnkiManualRow,
    ExchangeCard,
    ExchangeReview,
    ExchangeSchedule,
)

__all__ = [
    "ANKI_QUALITY",
    "ID_FIELD",
    "OUR_NOTETYPES",
    "SEED_FIELD",
    "manual_rows",
    "media_note",
    "read_apkg",
    "reviews_from_revlog",
]

OUR_NOTETYPES = "quizcalc"
"""Note types named ``quizcalc …`` are our own export's (:mod:`quizcalc.exchange.apkg_models`)."""

ID_FIELD = "id"
"""In our note types, the field (any case) that holds the quizcalc card id."""

SEED_FIELD = "seed"
"""In our note types, a field only a problem card's static instance has."""

SKILL_FIELD = "skill"
"""In our problem note type, the ``family:difficulty`` the instance was drawn from."""

ANKI_QUALITY = {1: 1, 2: 3, 3: 4, 4: 5}
"""Anki's answer buttons (Again, Hard, Good, Easy) as SM-2 qualities (below 3 fails)."""

ROLLOVER_HOUR = Config().rollover_hour
"""Study days of imported reviews start at the default rollover hour."""

_IMAGE = re.compile(r"<img\b", re.IGNORECASE)
_SOUND = re.compile(r"\[sound:[^\]]+\]")

_EPOCH_SECONDS = 1_000_000_000
"""A learning card's ``due`` above this is a time in seconds, below it a day number."""


def _local_day(moment: datetime) -> date:
    # As quizcalc.scheduling.study_day.study_day, in this computer's time zone (exchange sits below
    # the study layer, so it does not import it).
    return (moment.astimezone() - timedelta(hours=ROLLOVER_HOUR)).date()


def _collection_day(created: int, day_number: int) -> date:
    start = datetime.fromtimestamp(created, UTC).astimezone().date() if created else date.today()
    return start + timedelta(days=day_number)


def _due(card: AnkiCard, created: int) -> date | None:
    due = card.original_due if card.original_deck_id and card.original_due else card.due
    if card.type == 0:
        return None
    if card.type in (1, 3) and due > _EPOCH_SECONDS:
        return _local_day(datetime.fromtimestamp(due, UTC))
    return _collection_day(created, due)


def reviews_from_revlog(rows: list[AnkiReview]) -> tuple[list[ExchangeReview], ExchangeSchedule]:
    """Anki's revlog rows for one card as reviews, oldest first, and the state they end in.

    Rows without an answer button (manual reschedules) are left out (see :func:`manual_rows`).
    A learning step's interval (negative: seconds) is kept as Anki wrote it.
    """
    state = ExchangeSchedule()
    reviews: list[ExchangeReview] = []
    for row in rows:
        quality = ANKI_QUALITY.get(row.ease)
        if quality is None or row.type >= 4:
            continue
        reviewed_at = datetime.fromtimestamp(row.id / 1000, UTC)
        day = _local_day(reviewed_at)
        interval = row.interval
        before = replace(state, interval=row.last_interval)
        if quality < 3:
            repetitions = 0
        elif row.interval > 0:
            repetitions = state.repetitions + 1
        else:
            repetitions = state.repetitions  # a learning step: still on the same day
        lapses = state.lapses + (1 if quality < 3 and state.repetitions > 0 else 0)
        easiness = max(row.factor / 1000, 1.3) if row.factor > 0 else state.easiness
        after = ExchangeSchedule(
            repetitions=repetitions,
            easiness=easiness,
            interval=interval,
            due=day + timedelta(days=max(interval, 0)),
            lapses=lapses,
            reviews=state.reviews + 1,
            last_reviewed_at=reviewed_at,
        )
        reviews.append(
            ExchangeReview(
                reviewed_at=reviewed_at,
                study_day=day,
                quality=quality,
                kind="review",
                before=before,
                after=after,
                duration_ms=row.time_ms if row.time_ms > 0 else None,
            )
        )
        state = after
    return reviews, state


def manual_rows(rows: list[AnkiReview]) -> tuple[AnkiManualRow, ...]:
    """One card's revlog rows without an answer button (set due date, forget, …), as written."""
    return tuple(
        AnkiManualRow(
            anki_id=row.id,
            ease=row.ease,
            ivl=row.interval,
            last_ivl=row.last_interval,
            factor=row.factor,
            time_ms=row.time_ms,
            type=row.type,
        )
        for row in rows
        if row.ease not in ANKI_QUALITY or row.type >= 4
    )


def _progress(card: Card, anki: AnkiCard, collection: AnkiCollection) -> ExchangeCard | None:
    rows = collection.reviews.get(anki.id, [])
    reviews, state = reviews_from_revlog(rows)
    manual = manual_rows(rows)
    suspended = anki.queue == -1
    if anki.type == 0 and not reviews and not manual and not suspended:
        return None
    schedule = ExchangeSchedule(
        repetitions=state.repetitions,
        easiness=max(anki.factor / 1000, 1.3) if anki.factor > 0 else state.easiness,
        interval=max(anki.interval, 0),
        due=_due(anki, collection.created),
        lapses=anki.lapses,
        reviews=len(reviews),
        last_reviewed_at=reviews[-1].reviewed_at if reviews else None,
    )
    if anki.type == 0:
        schedule = ExchangeSchedule(reviews=len(reviews))
    return ExchangeCard(
        card_id=card.id,
        kind=card.kind.value,
        deck=card.deck,
        question=card.question,
        answer=card.answer,
        section=card.section,
        tags=card.tags,
        note=card.note,
        cloze_number=card.cloze_number,
        suspended=suspended,
        schedule=schedule,
        reviews=tuple(reviews),
        manual=manual,
    )


def _label(note: AnkiNote) -> str:
    text = " ".join(anki_html_to_markdown(note.fields[0] if note.fields else "").split())
    return f"note {note.guid} ({text[:40] + '…' if len(text) > 40 else text!r})"


def _plain(value: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "", value)).strip()


def _note_cards(
    note: AnkiNote, position: int, collection: AnkiCollection, source: str, deck: _Reading
) -> None:
    notetype = collection.notetypes.get(note.notetype_id)
    if notetype is None:
        deck.problems.append(LintMessage(source, 0, f"{_label(note)}: unknown note type; skipped"))
        deck.skipped += 1
        return
    names = [name.strip().casefold() for name in notetype.fields]
    ours = notetype.name.casefold().startswith(OUR_NOTETYPES)
    own_id = ""
    fields = list(note.fields)
    if ours and ID_FIELD in names and names.index(ID_FIELD) < len(fields):
        own_id = _plain(fields[names.index(ID_FIELD)])
        if SEED_FIELD in names:
            _problem_instance(note, names, own_id, (source, position), collection, deck)
            return
        fields.pop(names.index(ID_FIELD))
    anki_cards = collection.cards.get(note.id, [])
    if is_image_occlusion(notetype, note):
        deck.problems.append(
            LintMessage(source, 0, image_occlusion_line(note, notetype, anki_cards))
        )
        deck.skipped += 1
        return
    for value in fields:
        deck.images += len(_IMAGE.findall(value))
        deck.sounds += len(_SOUND.findall(value))
    markdown = [anki_html_to_markdown(value) for value in fields]
    cloze = notetype.cloze or bool(markdown and has_anki_cloze(markdown[0]))
    if cloze and "::c" in own_id:
        own_id = own_id.rsplit("::c", 1)[0]
    deck_name, section = _home_deck(note, collection)
    base = Card(
        id=own_id or f"anki-{note.guid}",
        kind=CardKind.BASIC,
        question="",
        answer="",
        section=section,
        tags=note.tags,
        source=source,
        line=position,
        deck=deck_name or "Default",
        explicit_id=True,
    )
    if not cloze and not ours and notetype.templates:
        made = template_cards(note, notetype, anki_cards, base)
        for name in made.unrendered:
            deck.unrendered.setdefault(name, notetype.name)
        _keep(note, made.cards, made.reasons, collection, deck, source, each_drops=True)
        _identify(note, notetype, made.cards, deck)
        return
    cards, reasons = cards_from_fields(
        markdown,
        cloze=cloze,
        deck=base.deck,
        section=section,
        tags=note.tags,
        card_id=base.id,
        source=source,
        line=position,
    )
    if cloze and not ours:
        extras = extra_fields(notetype, note.fields, {notetype.fields[0]})
        cards = [with_extras(card, extras) for card in cards]
    by_ord = {anki.ord: anki for anki in anki_cards}
    pairs = [
        (card, by_ord.get((card.cloze_number or 1) - 1 if cloze else min(by_ord, default=0)))
        for card in cards
    ]
    _keep(note, pairs, reasons, collection, deck, source, each_drops=False)
    if not ours:
        _identify(note, notetype, pairs, deck)


def _identify(
    note: AnkiNote,
    notetype: AnkiNoteType,
    pairs: list[tuple[Card, AnkiCard | None]],
    deck: _Reading,
) -> None:
    """Remember each card's Anki note, note type and ordinal, for exports back to Anki."""
    for card, anki in pairs:
        ord_ = anki.ord if anki is not None else max((card.cloze_number or 1) - 1, 0)
        deck.identity[card.id] = AnkiIdentity(note.guid, ord_, notetype, note.fields)


def _keep(
    note: AnkiNote,
    pairs: list[tuple[Card, AnkiCard | None]],
    reasons: list[str],
    collection: AnkiCollection,
    deck: _Reading,
    source: str,
    *,
    each_drops: bool,
) -> None:
    """Keep a note's cards (with their history), and report ``reasons``.

    ``each_drops``: every reason is a card left out (else they are warnings, unless no card
    was made at all).
    """
    if not pairs:
        suffix = "; skipped"
    elif each_drops:
        suffix = "; that card skipped"
    else:  # warnings about cards that were made
        suffix = ""
    deck.skipped += bool(suffix and reasons)
    deck.problems.extend(LintMessage(source, 0, f"{_label(note)}: {r}{suffix}") for r in reasons)
    for card, anki in pairs:
        deck.cards.append(card)
        if anki is not None:
            progress = _progress(card, anki, collection)
            if progress is not None:
                deck.progress[card.id] = progress


def _home_deck(note: AnkiNote, collection: AnkiCollection) -> tuple[str, str]:
    """The note's deck and section, from its first card's home deck (not a filtered deck)."""
    anki_cards = collection.cards.get(note.id, [])
    home = anki_cards[0].original_deck_id or anki_cards[0].deck_id if anki_cards else 0
    return split_full_deck(collection.decks.get(home, ""))


def _skill(note: AnkiNote, names: list[str]) -> ProblemSpec | None:
    """The ``family:difficulty`` of one of our problem instances, if known here."""
    from quizcalc.problems.catalog import FAMILY_NAMES

    if SKILL_FIELD not in names or names.index(SKILL_FIELD) >= len(note.fields):
        return None
    family, _, level = _plain(note.fields[names.index(SKILL_FIELD)]).partition(":")
    if family not in FAMILY_NAMES or level not in {"1", "2", "3"}:
        return None
    return ProblemSpec(family, int(level))


def _problem_instance(
    note: AnkiNote,
    names: list[str],
    own_id: str,
    where: tuple[str, int],
    collection: AnkiCollection,
    deck: _Reading,
) -> None:
    """One static instance: restores its problem card (once), else counts it as skipped.

    ``where`` is the package and the note's position in it (the card's source and line).
    """
    card_id = own_id or note.guid
    spec = _skill(note, names)
    if spec is None:
        deck.instances[card_id] = deck.instances.get(card_id, 0) + 1
        return
    if card_id not in deck.problem_ids:
        deck_name, section = _home_deck(note, collection)
        card = Card(
            id=card_id,
            kind=CardKind.PROBLEM,
            question=spec.question,
            answer="",
            section=section,
            tags=note.tags,
            source=where[0],
            line=where[1],
            deck=deck_name or "Default",
            explicit_id=True,
            problem=spec,
        )
        deck.problem_ids[card_id] = card
        deck.cards.append(card)
    card = deck.problem_ids[card_id]
    if card.id in deck.progress:
        return
    for anki in collection.cards.get(note.id, []):
        progress = _progress(card, anki, collection)
        if progress is not None:
            deck.progress[card.id] = progress
            return


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def media_note(images: int, sounds: int) -> str:
    """The one report line about a package's images and sounds (kept as references)."""
    found = " and ".join(_count(n, noun) for n, noun in ((images, "image"), (sounds, "sound")) if n)
    one = images + sounds == 1
    kept = "is kept as a reference" if one else "are kept as references"
    return (
        f"{found} {kept} (an .apkg export puts {'it' if one else 'them'} back, with"
        f" {'its file' if one else 'their files'}); the terminal shows "
        f"{'it' if one else 'them'} as [image: name] and [sound: name]"
    )


@dataclass
class _Reading(ForeignDeck):
    instances: dict[str, int] = field(default_factory=dict)
    """Problem card id → static instances of it that name no usable skill."""
    problem_ids: dict[str, Card] = field(default_factory=dict)
    """Problem card id → the problem card its instances restored."""
    unrendered: dict[str, str] = field(default_factory=dict)
    """Template filter quizcalc does not apply → a note type using it."""
    images: int = 0
    sounds: int = 0


def read_apkg(path: Path, limits: ImportLimits | None = None) -> ForeignDeck:
    """Read an Anki package into cards, skipped notes (with reasons) and per-card history.

    Raises :class:`~quizcalc.exchange.ExchangeError` for a file that is not a readable Anki
    package or is past one of ``limits`` (see :mod:`quizcalc.exchange.apkg_reader`).
    """
    collection = read_collection(path, limits)
    deck = _Reading()
    source = str(path)
    deck.problems.extend(LintMessage(source, 0, line) for line in collection.media.refused)
    for position, note in enumerate(collection.notes, start=1):
        _note_cards(note, position, collection, source, deck)
    if deck.images or deck.sounds:
        deck.problems.append(LintMessage(source, 0, media_note(deck.images, deck.sounds)))
    for card_id, count in deck.instances.items():
        deck.problems.append(
            LintMessage(
                source,
                0,
                f"problem card {card_id}: its {count} static instance(s) were not imported "
                "(problem cards are generated afresh; import the Markdown that defines them)",
            )
        )
    for name, notetype in deck.unrendered.items():
        deck.problems.append(
            LintMessage(
                source,
                0,
                f"note type {notetype!r}: its template filter {name!r} is not applied "
                "(the field is shown as written)",
            )
        )
    return ForeignDeck(deck.cards, deck.problems, deck.progress, deck.skipped, deck.identity)
