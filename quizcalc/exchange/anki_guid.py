"""Anki note GUIDs as genanki makes them, without importing genanki.

A quizcalc note's GUID is ``genanki.guid_for(note id)`` (``(card id, instance)`` for a problem
card's static instances): the first 8 bytes of the SHA-256 of the values joined by ``__``,
written in Anki's base-91 alphabet. An export of 10,000 cards computes 10,000 of them, and
genanki's loop (a bytewise shift, a list reversed and joined) was a sixth of its time; this is
the same function, equal on every input (``tests/exchange/test_anki_guid.py`` checks so
against genanki itself).
"""

from __future__ import annotations

import hashlib

__all__ = ["guid_for"]

_ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
)
"""Anki's base-91 digits (genanki's ``BASE91_TABLE``), in order."""


def guid_for(*values: object) -> str:
    """``genanki.guid_for(*values)``: the GUID Anki gets for a note made from ``values``."""
    text = "__".join(str(value) for value in values)
    number = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")
    digits: list[str] = []
    while number:
        number, digit = divmod(number, 91)
        digits.append(_ALPHABET[digit])
    return "".join(reversed(digits))
