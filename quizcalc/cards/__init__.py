"""Cards: the model, the Markdown parser, lint, and LaTeX→Unicode for display.

Importing this package is cheap: markdown-it-py, PyYAML and pylatexenc are imported on
first use, not here.
"""

from quizcalc.cards.model import (
    Card,
    CardKind,
    LintMessage,
    ParseResult,
    ProblemSpec,
    derive_card_id,
)
from quizcalc.cards.parser import parse_document, parse_markdown

__all__ = [
    "Card",
    "CardKind",
    "LintMessage",
    "ParseResult",
    "ProblemSpec",
    "derive_card_id",
    "parse_document",
    "parse_markdown",
]
