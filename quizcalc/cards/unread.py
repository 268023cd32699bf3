"""The last check of a parse: every line that looks like a card became one or was reported.

Markdown puts text in places the card walk does not read as cards: code (an unclosed
```` ``` ```` turns the rest of the file into code), HTML blocks, tables, headings, lists that
continue an answer. Instead of a rule per construct, this check looks at what is left: a line
that starts with ``Q:``/``C:``, holds an Anki cloze ``{{cN::`` or opens a ```` ```problem ````
block, and made neither a card nor a message, is reported with where it ended up.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from quizcalc.cards.blocks import CARD_PREFIX
from quizcalc.cards.cloze import has_anki_cloze
from quizcalc.cards.model import Card, CardKind, LintMessage
from quizcalc.cards.problem_block import PROBLEM_INFO

if TYPE_CHECKING:
    from markdown_it.token import Token

__all__ = ["unread_card_lines"]

_CONTAINERS = re.compile(r"(?:[ \t]*(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t])))*[ \t]*")
"""Quote markers and list bullets in front of a line's text."""
_PROBLEM_FENCE = re.compile(rf"(`{{3,}}|~{{3,}})[ \t]*{PROBLEM_INFO}\b")
_LEAVES = frozenset(
    {
        "paragraph_open",
        "heading_open",
        "fence",
        "code_block",
        "html_block",
        "table_open",
        "front_matter",
    }
)
"""Block tokens that hold text (their ``map`` is the lines they cover)."""


@dataclass(frozen=True)
class _Marker:
    line: int
    """0-based."""
    what: str
    """How the line looks like a card: ``Q:``, ``C:``, ``a cloze``, ``a problem block``."""


def _markers(lines: list[str]) -> list[_Marker]:
    found: list[_Marker] = []
    for number, line in enumerate(lines):
        if ":" not in line and "`" not in line and "~" not in line:
            continue  # every marker has one of these: the common line is skipped cheaply
        text = line[_CONTAINERS.match(line).end() :]  # type: ignore[union-attr]
        prefix = CARD_PREFIX.match(text)
        letter = (prefix.group(2) or prefix.group(3)) if prefix else ""
        if letter in ("Q", "C"):
            found.append(_Marker(number, f"{letter}:"))
        elif _PROBLEM_FENCE.match(text):
            found.append(_Marker(number, "a problem block"))
        elif has_anki_cloze(line):
            found.append(_Marker(number, "a cloze"))
    return found


def _leaf_at(leaves: list[Token], starts: list[int], line: int) -> Token | None:
    """The text block covering ``line`` (leaves come in line order and do not overlap)."""
    index = bisect_right(starts, line) - 1
    if index < 0:
        return None
    token = leaves[index]
    return token if token.map is not None and line < token.map[1] else None


def _is_closed(fence: Token, lines: list[str]) -> bool:
    """True when the fence has its closing line (an unclosed fence runs to the end)."""
    start, end = fence.map or (0, 0)
    if end - start < 2:
        return False
    last = lines[end - 1].strip()
    marker = fence.markup[:1]
    return bool(marker) and last.startswith(fence.markup) and not last.strip(marker)


def _any_within(sorted_lines: list[int], first: int, last: int) -> bool:
    """True when some line in ``sorted_lines`` is in ``first..last``."""
    index = bisect_left(sorted_lines, first)
    return index < len(sorted_lines) and sorted_lines[index] <= last


def _shows(fence: Token, marker: _Marker, lines: list[str]) -> bool:
    """True when the code block ``fence`` holds the marked line as an example on purpose.

    A ```` ```problem ```` line inside a ```` ``` ```` block cannot be nested there: an
    earlier ```` ``` ```` was left open and the problem block's end closed it.
    """
    if marker.what != "a problem block":
        return True
    text = lines[marker.line][_CONTAINERS.match(lines[marker.line]).end() :]  # type: ignore[union-attr]
    inner = _PROBLEM_FENCE.match(text)
    run = inner.group(1) if inner else ""
    return fence.markup[:1] != run[:1] or len(fence.markup) > len(run)


def _is_comment(block: Token) -> bool:
    """True for a closed ``<!-- … -->`` HTML comment (a card commented out)."""
    text = block.content.strip()
    return block.type == "html_block" and text.startswith("<!--") and "-->" in text


def _why(marker: _Marker, leaf: Token | None, lines: list[str]) -> str:
    """Why the marked line is not a card, and what to do."""
    what = f"this line looks like a card ({marker.what}) but is not read as one"
    if leaf is None:
        return f"{what}; check the Markdown around it"
    start = (leaf.map or (0, 0))[0] + 1
    if leaf.type == "fence":
        if not _is_closed(leaf, lines):
            return (
                f"{what}: it is inside the code block opened at line {start}, which is never "
                f"closed; close that block with {leaf.markup}"
            )
        return (
            f"{what}: the code block opened at line {start} runs over it (a {leaf.markup} "
            f"above was left open); close that block with {leaf.markup}"
        )
    if leaf.type == "code_block":
        return f"{what}: indented 4 spaces or more, Markdown reads it as code; remove the indent"
    if leaf.type == "html_block":
        return (
            f"{what}: it is inside the HTML block that starts at line {start}; "
            "leave a blank line between the HTML and the card"
        )
    if leaf.type == "table_open":
        return f"{what}: it is a row of the table at line {start}; leave a blank line before it"
    if leaf.type == "front_matter":
        return (
            f"{what}: it is inside the front matter that the --- on line {start} opens; "
            "a file of cards must not start with ---"
        )
    if leaf.type == "heading_open":
        return f"{what}: it is a heading; put the card on its own line below the heading"
    if leaf.level > 0:
        return (
            f"{what}: it is inside a list or quote (only clozes and term::definition lines "
            "are read there); take it out, with a blank line before it"
        )
    return f"{what}: start it on a line of its own, with a blank line before it"


def unread_card_lines(
    tokens: Iterable[Token],
    lines: list[str],
    cards: Collection[Card],
    problems: Collection[LintMessage],
    skipped: Collection[int] = (),
) -> list[tuple[int, str]]:
    """(1-based line, message) for each card-like line that made no card and no message.

    ``skipped`` are 0-based lines already reported as unread (nested too deeply).
    """
    leaves = [token for token in tokens if token.type in _LEAVES and token.map is not None]
    starts = [token.map[0] for token in leaves if token.map is not None]
    reported = {problem.line for problem in problems}
    card_lines = sorted(reported | {card.line for card in cards})
    cloze_lines = sorted(reported | {c.line for c in cards if c.kind is CardKind.CLOZE})
    left_out = set(skipped)
    found: list[tuple[int, str]] = []
    grouped: dict[int, list[int]] = {}
    """id of a block that is not a paragraph → [its message's index in found, more lines]."""
    for marker in _markers(lines):
        if marker.line in left_out:
            continue
        leaf = _leaf_at(leaves, starts, marker.line)
        if (
            leaf is not None
            and leaf.type == "fence"
            and _is_closed(leaf, lines)
            and leaf.info.split()[:1] != [PROBLEM_INFO]
            and _shows(leaf, marker, lines)
        ):
            continue  # code, written as code on purpose
        if leaf is not None and _is_comment(leaf):
            continue  # commented out on purpose
        if leaf is not None and leaf.map is not None:
            if marker.what == "a cloze":
                block = (leaf.map[0] + 1, leaf.map[1])
                if _any_within(cloze_lines, *block):
                    continue
            elif marker.what == "a problem block":
                if _any_within(card_lines, leaf.map[0] + 1, leaf.map[1]):
                    continue
            elif _any_within(card_lines, marker.line + 1, marker.line + 1):
                continue
        if leaf is not None and leaf.type != "paragraph_open" and id(leaf) in grouped:
            grouped[id(leaf)][1] += 1
            continue
        found.append((marker.line + 1, _why(marker, leaf, lines)))
        if leaf is not None:
            grouped[id(leaf)] = [len(found) - 1, 0]
    for index, more in grouped.values():
        if more:
            line, message = found[index]
            found[index] = (line, f"{message} ({more} more such line(s) below, in the same block)")
    return found
