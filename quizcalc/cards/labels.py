"""Deck names, tags and section slugs: the labels a card carries besides its text."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath

__all__ = ["deck_name_from_source", "normalise_tag", "slugify", "split_tag_string"]

_NON_WORD = re.compile(r"[^\w]+|_+")
_WORD_SEPARATORS = re.compile(r"[-_\s]+")
_WHITESPACE = re.compile(r"\s+")
_TAG_SEPARATORS = re.compile(r"[,\s]+")


def slugify(text: str) -> str:
    """Lower-case words joined by ``-``: ``2.3 The chain rule`` → ``2-3-the-chain-rule``.

    Accents are dropped (``Fréchet`` → ``frechet``), other letters kept (``η`` stays), and
    punctuation, emoji and spaces all become single hyphens.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    without_marks = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub("-", without_marks.casefold()).strip("-")


def normalise_tag(raw: str) -> str:
    """A front-matter tag as stored: trimmed, lower-case, ``#`` dropped, spaces → ``-``."""
    tag = raw.strip().lstrip("#").strip().lower()
    return _WHITESPACE.sub("-", tag)


def split_tag_string(raw: str) -> list[str]:
    """``"calculus, optimization"`` or ``"calculus optimization"`` → both tags."""
    return [part for part in _TAG_SEPARATORS.split(raw) if part]


def deck_name_from_source(source: str) -> str:
    """``content/calculus-optimization.md`` → ``Calculus Optimization``.

    A leading number used for ordering (``01-calculus.md``) is dropped; labels that are not
    file names (``<string>``) give an empty deck name.
    """
    if not source or source.startswith("<"):
        return ""
    words = [w for w in _WORD_SEPARATORS.split(PurePath(source).stem) if w]
    if len(words) > 1 and words[0].isdigit():
        words = words[1:]
    return " ".join(word[:1].upper() + word[1:] for word in words)
