"""How a ``card_renderings`` row says what it was made from: a digest, a colon, the rendering.

Every cached rendering (the first frame's one-line question, the ``.apkg`` export's HTML, a
problem card's static instances) is trusted only when it was made from the card's text as it
is now. The row's text therefore starts with a digest of what it was made from;
:func:`opened` hands the rendering back only when that digest still matches, so an edit, a
restore or a write from another window can never bring back a stale rendering — it is just
made again. Standard library only: the first frame reads these rows.
"""

from __future__ import annotations

import hashlib

__all__ = ["digest", "opened", "sealed"]


def digest(text: str) -> str:
    """A short digest (16 hex digits) of ``text``, the thing a rendering is made from."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def sealed(made_from: str, rendering: str) -> str:
    """The row text storing ``rendering`` under the digest ``made_from``."""
    return f"{made_from}:{rendering}"


def opened(stored: str, made_from: str) -> str | None:
    """The rendering in the row text ``stored`` when it was sealed under ``made_from``;
    ``None`` when it was made from something else."""
    head = f"{made_from}:"
    return stored[len(head) :] if stored.startswith(head) else None
