"""The parser reads inline markup of headings only, and finds what a full inline parse finds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from quizcalc.cards import blocks, parse_document
from quizcalc.cards.blocks import markdown_parser

ROOT = Path(__file__).resolve().parents[2]

HOSTILE = """# A *heading* with `code` and ![alt *text*](x.png)

Q: What is **bold** across
lines, with an ![image](y.png) and a [link](z)?
A: An *answer* with \\(x_1 * y_2\\) and `code *spans*`.

- {{c1::Gradient}} descent steps *against* the gradient.
- C: The [chain rule] multiplies ***nested*** derivatives.

| a | *b* |
|---|-----|
| 1 | 2   |

## Another `heading` with **strong** text
"""


def _full_inline_parser(plain_text: bool) -> Any:
    """The shared parser, but parsing every block's inline markup (markdown-it's own rule)."""
    from markdown_it.rules_core import inline

    parser = markdown_parser.__wrapped__(plain_text)
    parser.core.ruler.at("inline", inline)
    return parser


def _sources(suffix: str) -> list[tuple[str, str]]:
    files = sorted((ROOT / "content").glob("*.md"))
    texts = [(f.stem, f.read_text("utf-8")) for f in files] + [("hostile", HOSTILE)]
    return [(name + suffix, text) for name, text in texts]


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_heading_only_inlines_read_the_same_cards(
    monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    fast = [parse_document(text, source) for source, text in _sources(suffix)]
    monkeypatch.setattr(blocks, "markdown_parser", _full_inline_parser)
    monkeypatch.setattr("quizcalc.cards.document.markdown_parser", _full_inline_parser)
    full = [parse_document(text, source) for source, text in _sources(suffix)]
    assert [(r.cards, r.problems) for r in fast] == [(r.cards, r.problems) for r in full]
    assert sum(len(r.cards) for r in fast) > 50


def test_a_paragraph_s_inline_markup_is_not_parsed() -> None:
    tokens = markdown_parser(False).parse(HOSTILE, {})
    after = {
        tokens[i - 1].type: tokens[i] for i in range(1, len(tokens)) if tokens[i].type == "inline"
    }
    assert after["paragraph_open"].children == []
    assert "strong_open" in [child.type for child in after["heading_open"].children or []]
