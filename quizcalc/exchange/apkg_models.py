"""The Anki note types (and deck ids) an ``.apkg`` export writes, with stable ids.

Anki matches an imported note type by its id and a deck by its name, so both ids are derived
from names here: exporting again and re-importing reuses the note types and decks already in
the learner's collection instead of adding ``quizcalc Basic-2`` and friends.

Three note types, each with a hidden ``Id`` field holding the quizcalc card id (the cloze
note id for clozes), so that reading a package back into quizcalc recovers ids exactly:

- ``quizcalc Basic``: ``Front``, ``Back``, ``Id`` (one card);
- ``quizcalc Cloze``: ``Text`` (the whole note, every ``{{cN::…}}``), ``Back Extra``, ``Id``
  (one card per deletion);
- ``quizcalc Problem``: ``Prompt``, ``Answer``, ``Solution``, ``Id``, ``Seed``, ``Skill``
  (``family:difficulty``, so a re-import restores the problem card; one card; a
  problem card is written as several such notes, one per static instance, all with the same
  ``Id`` and each with the seed that generated it).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import genanki

__all__ = [
    "BASIC_MODEL_NAME",
    "CLOZE_MODEL_NAME",
    "PROBLEM_MODEL_NAME",
    "basic_model",
    "cloze_model",
    "problem_model",
    "stable_id",
]

BASIC_MODEL_NAME = "quizcalc Basic"
"""Q&A cards."""
CLOZE_MODEL_NAME = "quizcalc Cloze"
"""Cloze notes (siblings ``c1``, ``c2`` … are cards of one note)."""
PROBLEM_MODEL_NAME = "quizcalc Problem"
"""Static instances of a generated-problem card."""

_LOW, _HIGH = 1 << 30, 1 << 31
"""The id range genanki recommends for models and decks."""

_CSS = """\
.card { font-family: sans-serif; font-size: 20px; text-align: left; color: black;
        background-color: white; }
.cloze { font-weight: bold; color: blue; }
.nightMode .cloze { color: lightblue; }
.answer-line { margin-top: 0.5em; }
.solution { margin-top: 1em; }
"""


def stable_id(kind: str, name: str) -> int:
    """An id in genanki's recommended range, fixed for ``kind`` and ``name``.

    ``stable_id("deck", "Calculus::2.3 The chain rule")`` is the same in every export.
    """
    digest = hashlib.blake2b(f"quizcalc {kind}::{name}".encode(), digest_size=8).digest()
    return _LOW + int.from_bytes(digest, "big") % (_HIGH - _LOW)


@lru_cache(maxsize=1)
def basic_model() -> genanki.Model:
    """``quizcalc Basic``: Front / Back, the card id kept in a field no template shows."""
    return genanki.Model(
        stable_id("model", BASIC_MODEL_NAME),
        BASIC_MODEL_NAME,
        fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Id"}],
        templates=[
            {
                "name": "Card 1",
                "qfmt": "{{Front}}",
                "afmt": '{{FrontSide}}\n\n<hr id="answer">\n\n{{Back}}',
            }
        ],
        css=_CSS,
    )


@lru_cache(maxsize=1)
def cloze_model() -> genanki.Model:
    """``quizcalc Cloze``: the note's text with every deletion, an extra back field, the id."""
    return genanki.Model(
        stable_id("model", CLOZE_MODEL_NAME),
        CLOZE_MODEL_NAME,
        fields=[{"name": "Text"}, {"name": "Back Extra"}, {"name": "Id"}],
        templates=[
            {
                "name": "Cloze",
                "qfmt": "{{cloze:Text}}",
                "afmt": "{{cloze:Text}}<br>\n{{Back Extra}}",
            }
        ],
        css=_CSS,
        model_type=genanki.Model.CLOZE,
    )


@lru_cache(maxsize=1)
def problem_model() -> genanki.Model:
    """``quizcalc Problem``: prompt in front; answer and worked solution on the back."""
    return genanki.Model(
        stable_id("model", PROBLEM_MODEL_NAME),
        PROBLEM_MODEL_NAME,
        fields=[
            {"name": "Prompt"},
            {"name": "Answer"},
            {"name": "Solution"},
            {"name": "Id"},
            {"name": "Seed"},
            {"name": "Skill"},
        ],
        templates=[
            {
                "name": "Problem",
                "qfmt": "{{Prompt}}",
                "afmt": (
                    '{{FrontSide}}\n\n<hr id="answer">\n\n'
                    '<div class="answer-line"><b>Answer:</b> {{Answer}}</div>\n'
                    '<div class="solution">{{Solution}}</div>'
                ),
            }
        ],
        css=_CSS,
    )
