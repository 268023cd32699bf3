"""Cards: the model, the Markdown parser, lint, and LaTeX→Unicode for display.

Importing this package loads only the model: the parser (and markdown-it-py, PyYAML,
pylatexenc behind it) loads on first use of a function that needs it, so a screen that only
shows cards does not pay for parsing.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from quizcalc.cards.model import (
    Card,
    CardKind,
    LintMessage,
    ParseResult,
    ProblemSpec,
    derive_card_id,
    derive_cloze_id,
)

if TYPE_CHECKING:
    from quizcalc.cards.display import latex_to_unicode
    from quizcalc.cards.lint import find_card_files, lint_paths, parse_paths, read_card_file
    from quizcalc.cards.parser import parse_document, parse_markdown

__all__ = [
    "Card",
    "CardKind",
    "LintMessage",
    "ParseResult",
    "ProblemSpec",
    "derive_card_id",
    "derive_cloze_id",
    "find_card_files",
    "latex_to_unicode",
    "lint_paths",
    "parse_document",
    "parse_markdown",
    "parse_paths",
    "read_card_file",
]

_LAZY = {
    "latex_to_unicode": "quizcalc.cards.display",
    "find_card_files": "quizcalc.cards.lint",
    "lint_paths": "quizcalc.cards.lint",
    "parse_paths": "quizcalc.cards.lint",
    "read_card_file": "quizcalc.cards.lint",
    "parse_document": "quizcalc.cards.parser",
    "parse_markdown": "quizcalc.cards.parser",
}


def __getattr__(name: str) -> Any:
    """Load a parser/lint/display function on first access (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
