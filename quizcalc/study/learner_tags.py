"""Tags the learner adds or removes in the app, kept apart from the tags a card's file gives it.

``cards.tags`` is what the card's source says (front matter, headings, an Anki file's tags):
every sync rewrites it from the file. A tag added in Browse therefore cannot live there — the
next sync would silently drop it — and cannot go into the file either: a bundled deck is not
the learner's to edit, an ``.apkg`` is not text, and the Markdown format has no per-card tag
line. So the learner's edits are kept as an overlay, by card id (stable across edits and
retirement), in the collection's ``collection_settings`` table under :data:`SETTING` (JSON):

    {"<card id>": {"added": ["hard"], "removed": ["calculus"]}}

A card's tags are then its file's tags less the ones the learner removed, plus the ones the
learner added (:func:`effective_tags`) — what Browse shows and searches, what exports write.
Syncs never touch the overlay, so an added tag survives any edit of the file, and a removed
file tag stays removed (adding it back in the app lifts the removal). The overlay travels with
the JSON backup (which carries ``collection_settings``).

This module is the one place that knows where the overlay is stored: moving it to a column
of its own later changes these functions only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from quizcalc.cards.labels import normalise_tag, split_tag_string
from quizcalc.study.errors import InvalidRequest

if TYPE_CHECKING:  # SQLAlchemy loads with the store: the export's quick path reads the overlay
    from sqlalchemy.orm import Session  # with sqlite3 (parse_tag_edits) and never imports it

__all__ = [
    "SETTING",
    "TagEdits",
    "checked_tag",
    "checked_tags",
    "effective_tags",
    "load_tag_edits",
    "parse_tag_edits",
    "save_tag_edits",
    "with_tag",
    "without_tag",
]

SETTING = "learner_tags"
"""The ``collection_settings`` row holding the overlay."""


@dataclass(frozen=True)
class TagEdits:
    """One card's tag edits made in the app."""

    added: tuple[str, ...] = ()
    """Tags the learner added (not in the card's file)."""
    removed: tuple[str, ...] = ()
    """Tags of the card's file the learner removed."""


def checked_tag(raw: str) -> str:
    """``raw`` spelled as a stored tag (``#Hard Ones`` → ``hard-ones``); InvalidRequest if blank."""
    tag = normalise_tag(raw)
    if not tag:
        raise InvalidRequest(f"“{raw}” is not a tag: type a word such as hard or calculus::limits")
    return tag


def checked_tags(raw: str) -> tuple[str, ...]:
    """The tags typed in ``raw`` (separated by spaces or commas), each as :func:`checked_tag`."""
    tags = tuple(dict.fromkeys(checked_tag(part) for part in split_tag_string(raw)))
    if not tags:
        raise InvalidRequest("no tag given: type a word such as hard or calculus::limits")
    return tags


def effective_tags(source_tags: str, edits: TagEdits | None) -> tuple[str, ...]:
    """A card's tags: its file's (``cards.tags``, space-separated) with the learner's edits."""
    tags = source_tags.split()
    if edits is None:
        return tuple(tags)
    removed = set(edits.removed)
    return tuple(dict.fromkeys([*(t for t in tags if t not in removed), *edits.added]))


def load_tag_edits(session: Session) -> dict[str, TagEdits]:
    """Every card's edits by card id (an unreadable overlay reads as none: it is never lost,
    only rewritten by the next tag edit)."""
    from quizcalc.store.models import CollectionSettingRecord

    record = session.get(CollectionSettingRecord, SETTING)
    return {} if record is None else parse_tag_edits(record.value)


def parse_tag_edits(value: str) -> dict[str, TagEdits]:
    """The overlay stored as ``value`` (the :data:`SETTING` row's JSON), by card id; an
    unreadable one reads as none."""
    try:
        data = json.loads(value)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    edits: dict[str, TagEdits] = {}
    for card_id, entry in data.items():
        if not isinstance(entry, dict):
            continue
        added = entry.get("added", [])
        removed = entry.get("removed", [])
        edits[str(card_id)] = TagEdits(
            tuple(t for t in added if isinstance(t, str)) if isinstance(added, list) else (),
            tuple(t for t in removed if isinstance(t, str)) if isinstance(removed, list) else (),
        )
    return edits


def save_tag_edits(session: Session, edits: Mapping[str, TagEdits]) -> None:
    """Write the whole overlay (cards with no edits left are dropped from it)."""
    data = {
        card_id: {"added": list(e.added), "removed": list(e.removed)}
        for card_id, e in sorted(edits.items())
        if e.added or e.removed
    }
    value = json.dumps(data, ensure_ascii=False, sort_keys=True)
    from quizcalc.store.models import CollectionSettingRecord

    record = session.get(CollectionSettingRecord, SETTING)
    if record is None:
        session.add(CollectionSettingRecord(name=SETTING, value=value))
    else:
        record.value = value


def with_tag(source_tags: Iterable[str], edits: TagEdits | None, tag: str) -> TagEdits:
    """The edits after adding ``tag`` to a card whose file gives it ``source_tags``."""
    edits = edits or TagEdits()
    removed = tuple(t for t in edits.removed if t != tag)
    if tag in source_tags or tag in edits.added:
        return TagEdits(edits.added, removed)
    return TagEdits((*edits.added, tag), removed)


def without_tag(source_tags: Iterable[str], edits: TagEdits | None, tag: str) -> TagEdits:
    """The edits after removing ``tag`` from a card whose file gives it ``source_tags``."""
    edits = edits or TagEdits()
    added = tuple(t for t in edits.added if t != tag)
    if tag in source_tags and tag not in edits.removed:
        return TagEdits(added, (*edits.removed, tag))
    return TagEdits(added, edits.removed)
