"""LaTeX math inside Markdown → readable Unicode, for showing cards in a terminal.

Only the math segments change (``\\( \\)``, ``\\[ \\]``, ``$ $``, ``$$ $$``); the rest of the
Markdown, and anything inside code spans or fenced code blocks, is left as written — but for
image and sound references, which a terminal cannot show: they read ``[image: name]``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from quizcalc.cards.spans import Span, code_spans, math_spans

__all__ = ["MATH_FENCE_INFO", "DisplayRenderer", "latex_to_unicode", "media_placeholders"]

MATH_FENCE_INFO = "quizcalc-math"
"""The info string of the fenced block that holds a two-dimensional formula."""

DisplayRenderer = Callable[[str], "str | None"]
"""Draws display math (no delimiters) as a multi-line picture, or None for the one-line form."""

_FENCE_OPEN = re.compile(r" {0,3}(`{3,}|~{3,})")
_MATH_MARKERS = ("\\(", "\\[", "$")


def _fenced_blocks(text: str) -> list[Span]:
    """Character ranges of fenced code blocks (an unclosed fence runs to the end)."""
    blocks: list[Span] = []
    fence: str | None = None
    block_start = 0
    position = 0
    for line in text.splitlines(keepends=True):
        if fence is None:
            match = _FENCE_OPEN.match(line)
            if match is not None and not (match.group(1)[0] == "`" and "`" in line[match.end() :]):
                fence, block_start = match.group(1), position
        else:
            stripped = line.strip()
            if stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
                blocks.append((block_start, position + len(line)))
                fence = None
        position += len(line)
    if fence is not None:
        blocks.append((block_start, len(text)))
    return blocks


def _convert_prose(
    text: str, render: Callable[[str], str], display: DisplayRenderer | None = None
) -> str:
    """Replace each math segment of ``text`` (no code fences in it) by its rendering."""
    pieces: list[str] = []
    position = 0
    for start, end in math_spans(text, code_spans(text)):
        segment = text[start:end]
        is_display = display_segment(segment)
        inner = segment[2:-2] if segment.startswith(("\\(", "\\[", "$$")) else segment[1:-1]
        indent = ""
        try:
            picture = display(inner) if display is not None and is_display else None
            if picture:
                indent = _item_indent(text[text.rfind("\n", 0, start) + 1 : start])
                rendered = _math_fence(picture, indent)
            else:
                rendered = render(inner)
        except Exception:  # odd LaTeX: show it as written rather than fail
            rendered = segment
        if inner.strip() and not rendered.strip():
            rendered = segment
        before = text[position:start]
        if is_display:
            before = before.rstrip(" \t")
            if before and not before.endswith("\n"):
                before += "\n"
            after = text[end:]
            if after.strip(" \t") and not after.lstrip(" \t").startswith("\n"):
                rendered += "\n" + indent
                while end < len(text) and text[end] in " \t":
                    end += 1
        pieces.extend((before, rendered))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


_LIST_ITEM = re.compile(r"[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?")


def _item_indent(prefix: str) -> str:
    """The indent that keeps a block inside the list item whose line starts with ``prefix``
    (``1. Then `` → three spaces; none outside a list)."""
    match = _LIST_ITEM.match(prefix)
    return " " * len(match.group()) if match is not None else ""


def _math_fence(picture: str, indent: str) -> str:
    """A drawn formula as a fenced block (indented to stay inside a list item)."""
    lines = [f"```{MATH_FENCE_INFO}", *picture.split("\n"), "```"]
    return "\n".join(indent + line for line in lines)


def display_segment(segment: str) -> bool:
    """True for display math (``\\[…\\]``, ``$$…$$``), which gets a line of its own."""
    return segment.startswith(("\\[", "$$"))


_IMAGE = re.compile(r"!\[[^\]\n]*\]\((?:<([^<>\n]+)>|([^()\s]+))\)")
_SOUND = re.compile(r"\[sound:([^\]\n]+)\]")


def media_placeholders(text: str) -> str:
    """Images and Anki sounds as the terminal shows them: ``[image: cat.jpg]``,
    ``[sound: hello.mp3]`` (the stored text keeps the reference itself)."""
    if "![" in text:
        text = _IMAGE.sub(lambda m: f"[image: {m[1] or m[2]}]", text)
    if "[sound:" in text:
        text = _SOUND.sub(lambda m: f"[sound: {m[1]}]", text)
    return text


def latex_to_unicode(text: str, *, display: DisplayRenderer | None = None) -> str:
    """Markdown ``text`` with its LaTeX math rendered as Unicode (never raises).

    ``\\(\\nabla f\\)`` → ``∇f``, ``\\(\\frac{a}{b}\\)`` → ``a/b``, ``\\(x^2\\)`` → ``x²``,
    ``\\(\\mathbb{R}^n\\)`` → ``ℝⁿ``. Display math (``\\[ \\]``, ``$$ $$``) gets a line of its
    own; with ``display`` (``quizcalc.typeset``'s two-dimensional layout) a formula it draws
    becomes a fenced block (info string ``MATH_FENCE_INFO``) holding the picture. Images and
    sounds show as ``[image: name]`` / ``[sound: name]``. pylatexenc is imported on the first
    call that finds math.
    """
    text = media_placeholders(text)
    try:
        if not any(marker in text for marker in _MATH_MARKERS):
            return text
        from quizcalc.cards.math_text import math_to_unicode

        pieces: list[str] = []
        position = 0
        for start, end in _fenced_blocks(text):
            pieces.append(_convert_prose(text[position:start], math_to_unicode, display))
            pieces.append(text[start:end])
            position = end
        pieces.append(_convert_prose(text[position:], math_to_unicode, display))
        return "".join(pieces)
    except Exception:
        return text
