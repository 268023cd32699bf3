"""A problem card's static ``.apkg`` instances, generated once and kept in ``card_renderings``.

An ``.apkg`` export writes each problem card as ``instances`` static notes, each a problem
generated from a seed derived from the card id, the instance number and the export's seed
(:func:`~quizcalc.exchange.apkg_export.instance_fields`). Generating them imports SymPy and
builds every instance: the largest cost left in an export once card texts were rendered at
sync. The fields are a pure function of (card id, family, difficulty, instance, seed) *and
the code that generates them*, so they are kept in form ``apkg_instance:<n>`` under a digest
of all of those, the code included (:func:`code_version`: the problem generators' source,
the renderer's version, SymPy's and Python's versions). A row whose digest differs is made
again, never used: an upgrade of a generator, an export with another ``--seed`` or a card
that now names another skill all regenerate.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizcalc.exchange.model import ExchangeCard
from quizcalc.study.rendering_seal import opened, sealed

if TYPE_CHECKING:  # the export's quick path reads instances with sqlite3 (kept_instance)
    from sqlalchemy.orm import Session

__all__ = ["Instances", "code_version", "instance_form", "kept_instance", "stored_instances"]

_PREFIX = "apkg_instance:"


def instance_form(index: int) -> str:
    """The ``card_renderings`` form of instance ``index`` (from 0)."""
    return f"{_PREFIX}{index}"


@cache
def code_version() -> str:
    """A digest of what an instance's fields depend on besides its card and seed: the source
    of :mod:`quizcalc.problems` and of the export's field layout, the HTML renderer's version,
    SymPy's and Python's versions."""
    import quizcalc.exchange.apkg_export as layout
    import quizcalc.problems as problems
    from quizcalc.study.anki_html_cache import RENDERER

    digest = hashlib.blake2b(digest_size=16)
    folder = Path(problems.__file__).parent
    for path in [*sorted(folder.rglob("*.py")), Path(layout.__file__)]:
        digest.update(path.as_posix().removeprefix(folder.as_posix()).encode())
        digest.update(path.read_bytes())
    try:
        sympy = metadata.version("sympy")
    except metadata.PackageNotFoundError:
        sympy = "none"
    digest.update(f"{RENDERER}\x1f{sympy}\x1f{sys.version_info[:2]}".encode())
    return digest.hexdigest()


def _key(card: ExchangeCard, index: int, base_seed: int) -> str:
    skill = f"{card.family or ''}\x1f{card.difficulty or 1}"
    text = f"{code_version()}\x1f{card.card_id}\x1f{skill}\x1f{index}\x1f{base_seed}"
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def kept_instance(stored: str, card: ExchangeCard, index: int, base_seed: int) -> list[str] | None:
    """The fields of ``card``'s ``index``-th instance kept in the row text ``stored``, when
    they were generated for this card, instance, seed and code; else None (make them again)."""
    return _opened(stored, _key(card, index, base_seed))


def _opened(stored: str, digest: str) -> list[str] | None:
    """The fields kept in ``stored`` if it was made under ``digest`` (and reads), else None."""
    kept = opened(stored, digest)
    if kept is None:
        return None
    try:
        fields = json.loads(kept)
    except ValueError:
        return None
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        return None
    return fields


@dataclass
class Instances:
    """Problem cards' instance fields: stored and current, or generated now (to store)."""

    fields: dict[int, dict[int, list[str]]] = field(default_factory=dict)
    """Card key → {instance number: note fields}."""
    fresh: list[dict[str, Any]] = field(default_factory=list)
    """``card_renderings`` rows for the instances generated now."""


def stored_instances(
    session: Session,
    cards: Sequence[tuple[int, ExchangeCard]],
    count: int,
    base_seed: int,
) -> Instances:
    """The first ``count`` instances of each (card key, problem card): read where current,
    generated (and returned as rows to store) where missing or stale. A card whose skill
    does not exist is left to the export, which reports it."""
    from sqlalchemy import select

    from quizcalc.exchange.apkg_export import instance_fields
    from quizcalc.store.models import CardRenderingRecord
    from quizcalc.study.anki_html_cache import RENDERER

    result = Instances()
    if not cards or count <= 0:
        return result
    forms = [instance_form(i) for i in range(count)]
    found: dict[tuple[int, str], str] = {}
    keys = [key for key, _ in cards]
    for start in range(0, len(keys), 500):
        query = select(
            CardRenderingRecord.card_key, CardRenderingRecord.form, CardRenderingRecord.text
        ).where(
            CardRenderingRecord.card_key.in_(keys[start : start + 500]),
            CardRenderingRecord.form.in_(forms),
            CardRenderingRecord.renderer == RENDERER,
        )
        found.update(((key, form), text) for key, form, text in session.execute(query))
    for key, card in cards:
        for index, form in enumerate(forms):
            digest = _key(card, index, base_seed)
            kept = _opened(found.get((key, form), ""), digest)
            if kept is not None:
                result.fields.setdefault(key, {})[index] = kept
                continue
            try:
                made = instance_fields(card, index, base_seed)
            except ValueError:
                break
            result.fields.setdefault(key, {})[index] = made
            text = sealed(digest, json.dumps(made, ensure_ascii=False))
            result.fresh.append({"card_key": key, "form": form, "renderer": RENDERER, "text": text})
    return result
