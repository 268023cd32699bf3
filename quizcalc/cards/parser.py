"""Markdown → cards: the public entry points.

The syntaxes (native ``Q:``/``A:``, interview notes, Anki and hashcards clozes, Obsidian
cards, ```` ```problem ```` blocks, explicit ids) are documented in ``content/FORMAT.md``.
Line numbers come from markdown-it's token maps; answers are sliced from the source lines so
their Markdown stays exactly as written.
"""

from __future__ import annotations

from collections.abc import Collection

from quizcalc.cards.document import DocumentParser
from quizcalc.cards.model import Card, LintMessage, ParseResult

__all__ = ["PLAIN_TEXT_SUFFIXES", "parse_document", "parse_markdown"]

PLAIN_TEXT_SUFFIXES = (".txt",)
"""Sources read as plain text: ``#`` lines are not headings, numbered titles are."""


def parse_document(
    text: str, source: str = "<string>", *, known_families: Collection[str] | None = None
) -> ParseResult:
    """Parse one Markdown document into its cards and the problems found (never raises).

    ``source`` labels cards and messages (``content/x.md:12: Q without an answer``) and names
    the default deck; a ``.txt`` source is read as plain text (``#`` lines are not headings,
    numbered title lines like ``2.1 — Title`` are). With ``known_families``, problem blocks
    naming another family are reported. A card whose id repeats an earlier one is dropped and
    reported.
    """
    if not isinstance(text, str):
        text = str(text)
    plain_text = source.lower().endswith(PLAIN_TEXT_SUFFIXES)
    parser = DocumentParser(text, source, known_families, plain_text)
    try:
        return parser.parse()
    except Exception as exc:  # a parser bug must not take the app down; say so and go on
        result = parser.out.result()
        message = f"internal parser error ({type(exc).__name__}); please report this file"
        result.problems.append(LintMessage(source, 1, message))
        return result


def parse_markdown(text: str, source: str = "<string>") -> list[Card]:
    """The cards of one Markdown document, in order (never raises; see ``parse_document``)."""
    return parse_document(text, source).cards
