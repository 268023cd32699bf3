"""Cloze deletions: Anki's ``{{c1::text::hint}}`` and hashcards' ``C: The [gradient] points up.``

A cloze note becomes one card per cloze number. For number N the question shows N's
deletions as ``[...]`` (or ``[hint]``) and every other deletion's text plainly; the answer is
the full text with N's deletions in bold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizcalc.cards.spans import code_spans, protected_mask

__all__ = ["ClozeNote", "Deletion", "has_anki_cloze", "parse_anki_cloze", "parse_bracket_cloze"]

_ANKI_OPENER = re.compile(r"\{\{c(\d+)::")


@dataclass(frozen=True)
class Deletion:
    """One hidden span of a cloze note."""

    number: int
    """The N of ``{{cN::`` (hashcards brackets are numbered 1, 2, … in order)."""
    start: int
    """Where the markup starts in the note's text."""
    end: int
    """Just past the markup's end."""
    text: str
    """The hidden text as written."""
    hint: str = ""
    """Anki's optional ``::hint``, shown in place of ``...``."""


@dataclass(frozen=True)
class ClozeNote:
    """A text with its deletions, plus problems found reading the markup."""

    text: str
    deletions: tuple[Deletion, ...] = ()
    problems: tuple[str, ...] = ()
    broken: bool = False
    """Some ``{{cN::`` could not be read (unclosed, or numbered below 1): its raw markup is
    still in the text, so no card may be made from the note."""

    def numbers(self) -> list[int]:
        """Cloze numbers that have at least one non-empty deletion, ascending."""
        return sorted({d.number for d in self.deletions if d.text.strip()})

    def _render(self, number: int, *, hide: bool) -> str:
        pieces: list[str] = []
        position = 0
        for deletion in self.deletions:
            pieces.append(self.text[position : deletion.start])
            if deletion.number != number:
                pieces.append(deletion.text)
            elif hide:
                pieces.append(f"[{deletion.hint or '...'}]")
            else:
                pieces.append(f"**{deletion.text}**")
            position = deletion.end
        pieces.append(self.text[position:])
        return "".join(pieces).strip()

    def question(self, number: int) -> str:
        """The text with deletion ``number`` hidden and the others shown."""
        return self._render(number, hide=True)

    def answer(self, number: int) -> str:
        """The full text with deletion ``number`` marked in bold."""
        return self._render(number, hide=False)


def has_anki_cloze(text: str) -> bool:
    """True when ``text`` has a ``{{cN::`` opener outside code spans."""
    if "{{c" not in text:
        return False
    in_code = _code_mask(text)
    return any(not in_code[match.start()] for match in _ANKI_OPENER.finditer(text))


def _code_mask(text: str) -> bytearray:
    """1 for characters inside code spans (cloze markup inside math still counts)."""
    mask = bytearray(len(text))
    for start, end in code_spans(text):
        mask[start:end] = b"\x01" * (end - start)
    return mask


def _anki_body_end(text: str, position: int) -> tuple[int, int] | None:
    """Find the ``}}`` closing a deletion body starting at ``position``.

    Braces balance (so ``{{c1::\\frac{a}{b}}}`` keeps ``\\frac{a}{b}``) and ``\\{`` is literal.
    Returns ``(body_end, hint_separator)`` with ``hint_separator`` = -1 when there is no hint,
    or None when another ``{{cN::`` opens first (clozes do not nest) or the text ends; so
    each character is scanned once however many openers are left unclosed.
    """
    depth = 0
    separator = -1
    index = position
    length = len(text)
    while index < length:
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "{":
            if _ANKI_OPENER.match(text, index):
                return None
            depth += 1
        elif char == "}":
            if depth == 0 and text.startswith("}}", index):
                return index, separator
            depth = max(0, depth - 1)
        elif char == ":" and depth == 0 and separator < 0 and text.startswith("::", index):
            separator = index
            index += 2
            continue
        elif char == "\n" and text.startswith("\n\n", index):
            return None
        index += 1
    return None


def parse_anki_cloze(text: str) -> ClozeNote:
    """Read every ``{{cN::text}}`` / ``{{cN::text::hint}}`` outside code spans."""
    in_code = _code_mask(text)
    deletions: list[Deletion] = []
    problems: list[str] = []
    broken = False
    position = 0
    while True:
        match = _ANKI_OPENER.search(text, position)
        if match is None:
            break
        if in_code[match.start()]:
            position = match.end()
            continue
        number = int(match.group(1)) if len(match.group(1)) < 7 else 0
        found = _anki_body_end(text, match.end())
        if found is None:
            broken = True
            problems.append(
                f"unclosed cloze {{{{c{match.group(1)}::… (add the closing }}}}; "
                "clozes cannot be nested)"
            )
            position = match.end()
            continue
        body_end, separator = found
        body = text[match.end() : separator if separator >= 0 else body_end]
        hint = text[separator + 2 : body_end].strip() if separator >= 0 else ""
        position = body_end + 2
        if number < 1:
            broken = True
            problems.append(f"cloze number must be 1 or more in {{{{c{match.group(1)}::")
            continue
        if not body.strip():
            problems.append(f"empty cloze {{{{c{number}::}}}}: put the hidden text after ::")
        deletions.append(Deletion(number, match.start(), position, body, hint))
    return ClozeNote(text, tuple(deletions), tuple(problems), broken)


def _is_link_text(text: str, opener: int, closer: int) -> bool:
    """True when ``[...]`` at ``opener..closer`` is Markdown link/image/footnote syntax."""
    if opener > 0 and text[opener - 1] == "!":
        return True
    if text.startswith("^", opener + 1):
        return True
    return text[closer + 1 : closer + 2] in ("(", "[")


def parse_bracket_cloze(text: str) -> ClozeNote:
    """Read hashcards' ``[deletion]`` brackets, numbered 1, 2, … (links are left alone)."""
    mask = protected_mask(text)
    deletions: list[Deletion] = []
    problems: list[str] = []
    stack: list[int] = []
    skip_next_group = False
    for index, char in enumerate(text):
        if mask[index] or (char in "[]" and index > 0 and text[index - 1] == "\\"):
            continue
        if char == "[":
            stack.append(index)
        elif char == "]" and stack:
            opener = stack.pop()
            if stack:
                continue
            if skip_next_group:  # the ``[ref]`` of a ``[text][ref]`` link
                skip_next_group = False
                continue
            if _is_link_text(text, opener, index):
                skip_next_group = text[index + 1 : index + 2] == "["
                continue
            body = text[opener + 1 : index]
            if not body.strip():
                problems.append("empty cloze deletion []: put the hidden text in the brackets")
            deletions.append(Deletion(len(deletions) + 1, opener, index + 1, body))
    if not deletions:
        problems.append("C: cloze has no [deletions]: wrap the text to hide in [brackets]")
    return ClozeNote(text, tuple(deletions), tuple(problems))
