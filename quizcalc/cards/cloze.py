"""Cloze deletions: Anki's ``{{c1::text::hint}}`` and hashcards' ``C: The [gradient] points up.``

A cloze note becomes one card per cloze number. For number N the question shows N's
deletions as ``[...]`` (or ``[hint]``) and every other deletion's text plainly; the answer is
the full text with N's deletions in bold. Deletions nest as in Anki
(``{{c1::Gradient {{c2::descent}}}}``: c1 hides the whole span, c2 only ``descent``). A
deletion inside LaTeX math stays valid LaTeX: its blank is ``[...]`` and its answer the bare
text (Markdown emphasis would show as stray ``*`` in the rendered formula).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizcalc.cards.spans import code_spans, math_spans, protected_mask

__all__ = ["ClozeNote", "Deletion", "has_anki_cloze", "parse_anki_cloze", "parse_bracket_cloze"]

_ANKI_OPENER = re.compile(r"\{\{c(\d+)::")
MAX_NESTING = 8
"""Deletions nested deeper than this make the note broken (Anki's own notes nest 2–3)."""


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
    """The hidden text as written (with any nested deletion's markup)."""
    hint: str = ""
    """Anki's optional ``::hint``, shown in place of ``...``."""
    body_start: int = -1
    """Where ``text`` starts in the note's text (-1: just inside a one-character opener)."""
    inner: tuple[Deletion, ...] = ()
    """Deletions nested in this one, in order."""
    in_math: bool = False
    """The deletion sits inside LaTeX math (``\\(…\\)``, ``$…$``…)."""

    @property
    def body(self) -> tuple[int, int]:
        """``(start, end)`` of ``text`` in the note's text."""
        start = self.body_start if self.body_start >= 0 else self.start + 1
        return start, start + len(self.text)

    def walk(self) -> list[Deletion]:
        """This deletion and every deletion nested in it."""
        found = [self]
        for child in self.inner:
            found.extend(child.walk())
        return found


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
        every = [d for top in self.deletions for d in top.walk()]
        return sorted({d.number for d in every if self._plain(d).strip()})

    def _plain(self, deletion: Deletion) -> str:
        """A deletion's text with every nested deletion shown (no markup)."""
        start, end = deletion.body
        return self._render(start, end, deletion.inner, 0, hide=False)

    def _render(
        self, start: int, end: int, deletions: tuple[Deletion, ...], number: int, *, hide: bool
    ) -> str:
        pieces: list[str] = []
        position = start
        for deletion in deletions:
            pieces.append(self.text[position : deletion.start])
            if deletion.number != number:
                body_start, body_end = deletion.body
                pieces.append(self._render(body_start, body_end, deletion.inner, number, hide=hide))
            elif hide:
                blank = deletion.hint or "..."
                if deletion.in_math and deletion.hint:
                    blank = f"\\text{{{deletion.hint}}}"
                pieces.append(f"[{blank}]")
            elif deletion.in_math:
                pieces.append(self._plain(deletion))
            else:
                pieces.append(_emphasis(self._plain(deletion)))
            position = deletion.end
        pieces.append(self.text[position:end])
        return "".join(pieces)

    def question(self, number: int) -> str:
        """The text with deletion ``number`` hidden and the others shown."""
        return self._render(0, len(self.text), self.deletions, number, hide=True).strip()

    def answer(self, number: int) -> str:
        """The full text with deletion ``number`` marked in bold (bare inside math)."""
        return self._render(0, len(self.text), self.deletions, number, hide=False).strip()


def _emphasis(text: str) -> str:
    """``text`` in bold, blanks around it kept outside the ``**`` (else no emphasis)."""
    core = text.strip()
    if not core:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}**{core}**{trail}"


def has_anki_cloze(text: str) -> bool:
    """True when ``text`` has a ``{{cN::`` opener outside code spans."""
    if "{{c" not in text:
        return False
    in_code = _mask(text, code_spans(text))
    return any(not in_code[match.start()] for match in _ANKI_OPENER.finditer(text))


def _mask(text: str, spans: list[tuple[int, int]]) -> bytearray:
    """1 for characters inside ``spans``."""
    mask = bytearray(len(text))
    for start, end in spans:
        mask[start:end] = b"\x01" * (end - start)
    return mask


@dataclass
class _Reader:
    """Reads one ``{{cN::…}}`` and the deletions nested in it."""

    text: str
    in_math: bytearray
    too_deep: bool = False
    """The last :meth:`read` failed on nesting deeper than :data:`MAX_NESTING`."""

    def read(self, opener: re.Match[str], depth: int = 1) -> Deletion | None:
        """The deletion opened by ``opener``, or None when it (or one inside) is unclosed.

        Braces balance (so ``{{c1::\\frac{a}{b}}}`` keeps ``\\frac{a}{b}``), ``\\{`` is
        literal, and a blank line ends the search; a deletion nested more than
        :data:`MAX_NESTING` deep counts as unclosed.
        """
        self.too_deep = depth > MAX_NESTING
        if self.too_deep:
            return None
        text = self.text
        braces = 0
        separator = -1
        inner: list[Deletion] = []
        index = opener.end()
        while index < len(text):
            char = text[index]
            if char == "\\":
                index += 2
                continue
            if char == "{":
                nested = _ANKI_OPENER.match(text, index)
                if nested is not None:
                    child = self.read(nested, depth + 1)
                    if child is None:
                        return None  # too_deep stays as the nested read left it
                    inner.append(child)
                    index = child.end
                    continue
                braces += 1
            elif char == "}":
                if braces == 0 and text.startswith("}}", index):
                    return self._deletion(opener, index, separator, tuple(inner))
                braces = max(0, braces - 1)
            elif char == ":" and braces == 0 and separator < 0 and text.startswith("::", index):
                separator = index
                index += 2
                continue
            elif char == "\n" and text.startswith("\n\n", index):
                return None
            index += 1
        return None

    def _deletion(
        self, opener: re.Match[str], body_end: int, separator: int, inner: tuple[Deletion, ...]
    ) -> Deletion:
        number = int(opener.group(1)) if len(opener.group(1)) < 7 else 0
        body = self.text[opener.end() : separator if separator >= 0 else body_end]
        hint = self.text[separator + 2 : body_end].strip() if separator >= 0 else ""
        inside = [child for child in inner if child.end <= opener.end() + len(body)]
        return Deletion(
            number,
            opener.start(),
            body_end + 2,
            body,
            hint,
            opener.end(),
            tuple(inside),
            bool(self.in_math[opener.start()]),
        )


def parse_anki_cloze(text: str) -> ClozeNote:
    """Read every ``{{cN::text}}`` / ``{{cN::text::hint}}`` outside code spans, nested too."""
    code = code_spans(text)
    in_code = _mask(text, code)
    reader = _Reader(text, _mask(text, math_spans(text, code)))
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
        deletion = reader.read(match)
        if deletion is None:
            broken = True
            problems.append(
                f"clozes nested more than {MAX_NESTING} deep in {{{{c{match.group(1)}::… "
                "(nest fewer)"
                if reader.too_deep
                else f"unclosed cloze {{{{c{match.group(1)}::… (add the closing }}}})"
            )
            position = match.end()
            continue
        position = deletion.end
        bad = [d for d in deletion.walk() if d.number < 1]
        if bad:
            broken = True
            problems.extend(
                f"cloze number must be 1 or more in {{{{c{_digits(text, d.start)}::" for d in bad
            )
            continue
        problems.extend(
            f"empty cloze {{{{c{d.number}::}}}}: put the hidden text after ::"
            for d in deletion.walk()
            if not d.text.strip()
        )
        deletions.append(deletion)
    return ClozeNote(text, tuple(deletions), tuple(problems), broken)


def _digits(text: str, start: int) -> str:
    """The number as written in the ``{{cN::`` at ``start``."""
    match = _ANKI_OPENER.match(text, start)
    return match.group(1) if match else "?"


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
