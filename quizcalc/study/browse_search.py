"""The browse search syntax (Anki's, for the terms quizcalc has): parse once, match each card.

``gradient tag:calc* -is:suspended "chain rule" deck:ml`` — terms separated by spaces all
have to hold (AND); a ``-`` in front negates a term; double quotes keep a phrase together
(``"gradient descent"``, ``tag:"x y"`` is not needed: tags have no spaces).

========================  ============================================================
``word``, ``"a phrase"``  in the question, the answer or the card id (case-insensitive)
``tag:NAME``              a tag, or a child tag (``tag:calc`` matches ``calc::limits``);
                          ``tag:none`` — cards without tags
``deck:NAME``             the deck or one under it (``deck:ml`` matches ``ML::Optim``)
``section:NAME``          the section path, from any level (``section:"2.3 The chain rule"``)
``family:NAME``           a problem card's family (``family:chain_rule``)
``kind:K``                ``basic``, ``cloze`` or ``problem``
``flag:N``                Anki's flag: ``flag:0`` none, ``flag:1`` red … ``flag:7`` purple
                          (or its colour: ``flag:green``)
``is:due``                due today or overdue (a new card is not due)
``is:new``                never answered
``is:review``             answered at least once
``is:suspended``          suspended
``is:leech``              lapses at or above the leech threshold
``is:retired``            removed from its file (retired cards show only when asked for)
========================  ============================================================

``tag:``, ``deck:``, ``section:`` and ``family:`` are case-insensitive and take ``*`` as a
wildcard (``deck:calc*``). A term this module does not know raises :class:`SearchSyntaxError`,
whose message is one line naming the term and what is understood instead. Pure Python: no
database, no Textual; :mod:`quizcalc.study.browse` applies it to the rows it reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from quizcalc.study.card_marks import FLAG_NAMES

__all__ = [
    "IS_VALUES",
    "SearchItem",
    "SearchSyntaxError",
    "SearchTerm",
    "asks_for_retired",
    "parse_search",
    "search_matches",
]

IS_VALUES = ("due", "new", "review", "suspended", "leech", "retired")
"""What ``is:`` takes."""

KINDS = ("basic", "cloze", "problem")
"""What ``kind:`` takes."""

FIELDS = ("tag", "deck", "section", "family", "kind", "flag", "is")
"""The ``name:`` prefixes the syntax knows."""

UNDERSTOOD = "tag: deck: section: family: kind: flag: is:"
"""The ``name:`` terms, as an error message lists them."""


class SearchSyntaxError(ValueError):
    """A search term that is not understood; the message is one line saying so and why."""


@dataclass(frozen=True)
class SearchItem:
    """What a search looks at in one card (the browse query fills it from its rows)."""

    question: str
    answer: str
    card_id: str
    deck: str
    section: str
    tags: tuple[str, ...]
    kind: str
    family: str | None
    status: str
    """``"active"``, ``"suspended"`` or ``"retired"``."""
    due: date | None
    reviews: int
    leech: bool
    flag: int = 0
    """Anki's flag: 0 none, 1–7 its colours."""


@dataclass(frozen=True)
class SearchTerm:
    """One parsed term: ``field`` (``"text"`` for free text), its ``value``, negated or not."""

    field: str
    value: str
    negated: bool
    matcher: Callable[[SearchItem, date], bool]
    """Whether an item (on a study day) satisfies the term, before negation."""


_TOKEN = re.compile(r'(-?)(?:([A-Za-z]+):)?(?:"([^"]*)"?|(\S+))')


def _wildcard(pattern: str) -> re.Pattern[str]:
    """``calc*`` → a case-insensitive full-match regex; only ``*`` is special."""
    parts = (re.escape(part) for part in pattern.casefold().split("*"))
    return re.compile(".*".join(parts), re.DOTALL)


def _hierarchy(value: str) -> Callable[[str], bool]:
    """Matches a ``::`` name equal to ``value`` or under it (wildcards allowed)."""
    exact = _wildcard(value)
    under = _wildcard(value + "::*")

    def matches(name: str) -> bool:
        name = name.casefold()
        return bool(exact.fullmatch(name) or under.fullmatch(name))

    return matches


def _section(value: str) -> Callable[[str], bool]:
    """Matches a section path containing ``value``'s parts in a row, from any level."""
    wanted = [_wildcard(part.strip()) for part in value.split("::") if part.strip()]

    def matches(section: str) -> bool:
        parts = [p.strip().casefold() for p in section.split("::")]
        return any(
            all(w.fullmatch(p) for w, p in zip(wanted, parts[i : i + len(wanted)], strict=True))
            for i in range(len(parts) - len(wanted) + 1)
        )

    return matches


def _is(value: str) -> Callable[[SearchItem, date], bool]:
    checks: dict[str, Callable[[SearchItem, date], bool]] = {
        "due": lambda i, today: i.due is not None and i.due <= today,
        "new": lambda i, _today: i.due is None and i.reviews == 0,
        "review": lambda i, _today: i.reviews > 0,
        "suspended": lambda i, _today: i.status == "suspended",
        "leech": lambda i, _today: i.leech,
        "retired": lambda i, _today: i.status == "retired",
    }
    return checks[value]


def _matcher(name: str, value: str, raw: str) -> Callable[[SearchItem, date], bool]:
    """The test for ``name:value`` (``raw`` is the term as typed, for error messages)."""
    if name == "text":
        needle = value.casefold()
        return lambda i, _today: (
            needle in i.question.casefold()
            or needle in i.answer.casefold()
            or needle in i.card_id.casefold()
        )
    if not value:
        raise SearchSyntaxError(f"“{raw}” needs a value, e.g. {name}:calc* (* is a wildcard)")
    if name == "is":
        if value.casefold() not in IS_VALUES:
            raise SearchSyntaxError(f"“{raw}” not understood: is: takes {', '.join(IS_VALUES)}")
        return _is(value.casefold())
    if name == "kind":
        if value.casefold() not in KINDS:
            raise SearchSyntaxError(f"“{raw}” not understood: kind: takes {', '.join(KINDS)}")
        kind = value.casefold()
        return lambda i, _today: i.kind == kind
    if name == "flag":
        wanted = value.casefold()
        colours = [name.split()[-1] for name in FLAG_NAMES]  # "no flag" → "flag"
        number = int(wanted) if wanted.isdecimal() else None
        if number is None and wanted in colours[1:]:
            number = colours.index(wanted)
        if number is None or not 0 <= number < len(FLAG_NAMES):
            raise SearchSyntaxError(
                f"“{raw}” not understood: flag: takes 0 (none) to 7, or red … purple"
            )
        return lambda i, _today: i.flag == number
    if name == "tag":
        if value.casefold() == "none":
            return lambda i, _today: not i.tags
        tag = _hierarchy(value)
        return lambda i, _today: any(tag(t) for t in i.tags)
    if name == "deck":
        deck = _hierarchy(value)
        return lambda i, _today: deck(i.deck)
    if name == "section":
        section = _section(value)
        return lambda i, _today: section(i.section)
    family = _wildcard(value)
    return lambda i, _today: i.family is not None and bool(family.fullmatch(i.family.casefold()))


def parse_search(text: str) -> tuple[SearchTerm, ...]:
    """The terms of ``text`` (blank: none, everything matches); SearchSyntaxError if one is bad.

    A ``name:`` prefix the syntax does not know is an error rather than free text, so a typo
    (``tg:calc``) is not silently a search for the letters; quote it to search for the text
    (``"tg:calc"``).
    """
    terms: list[SearchTerm] = []
    for match in _TOKEN.finditer(text):
        negated, name, quoted, bare = match.groups()
        raw = match.group(0)
        value = quoted if quoted is not None else bare
        if name is None and re.fullmatch(r"[A-Za-z]+:", value):
            name, value = value[:-1], ""  # ``tag:`` with nothing after it
        if name is None:
            if value == "" or (value == "-" and not negated):
                continue
            field_name = "text"
        else:
            field_name = name.casefold()
            if field_name not in FIELDS:
                raise SearchSyntaxError(f'“{raw}” unknown: use {UNDERSTOOD} or "quotes"')
        terms.append(SearchTerm(field_name, value, bool(negated), _matcher(field_name, value, raw)))
    return tuple(terms)


def search_matches(terms: tuple[SearchTerm, ...], item: SearchItem, today: date) -> bool:
    """True when ``item`` satisfies every term (a negated term must not hold)."""
    return all(term.matcher(item, today) != term.negated for term in terms)


def asks_for_retired(terms: tuple[SearchTerm, ...]) -> bool:
    """True when a term asks for retired cards (``is:retired``), which are hidden otherwise."""
    return any(t.field == "is" and t.value.casefold() == "retired" and not t.negated for t in terms)
