"""The Information Theory & Losses deck's heaviest cards, reviewed at 80×24: no raw LaTeX.

The cards are taken from ``content/information-theory-losses.md`` as written, so a formula
edited into something the renderer cannot read shows up here as leftover LaTeX.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.widgets.math_markdown import MathMarkdown
from tests.content.test_deck_information_theory import DECK_PATH, note_sources
from tests.tui.conftest import screen_text, wait_ready, wait_until

SMALL = (80, 24)

HARDEST_CARD = "it-kl-gaussians"
"""The card with the most LaTeX commands: a cloze over the KL divergence of two Gaussians."""

DISPLAY_MATH_CARDS = (
    "it-mse-gaussian-likelihood",
    "it-mutual-information-definition",
    "it-perplexity-definition",
    "it-kl-definition",
)
"""Basic cards whose answers hold the deck's largest display formulas."""

RAW_LATEX = re.compile(r"\\[A-Za-z]+|\\[()\[\]]|[{}]")
"""A command (``\\frac``, ``\\sum``), a math delimiter, or a brace left for the reader."""


def _front_matter() -> str:
    text = DECK_PATH.read_text(encoding="utf-8")
    return text[: text.index("---", 3) + 3] + "\n\n"


def _one_card_deck(content: Path, card_id: str) -> None:
    """Replace the content folder's deck with the one note ``card_id`` of our deck."""
    for old in content.glob("*.md"):
        old.unlink()
    source = f"{_front_matter()}## Section\n\n<!-- id: {card_id} -->\n{note_sources()[card_id]}"
    (content / "information-theory.md").write_text(source, encoding="utf-8")


def _shown_text(app: QuizcalcApp) -> str:
    """Everything the reviewer's Markdown widgets render, scrolled out of view or not."""
    return "\n".join(widget._shown or "" for widget in app.screen.query(MathMarkdown))


def _answer_shown(app: QuizcalcApp) -> bool:
    return "nats; it is zero only when" in screen_text(app)


def test_the_hardest_card_renders_without_raw_latex_at_80x24(
    snap_compare: Callable[..., bool], build_app: Callable[..., QuizcalcApp], content: Path
) -> None:
    _one_card_deck(content, HARDEST_CARD)
    app = build_app(start="review", toasts=False)
    seen: dict[str, str] = {}

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: "two univariate Gaussians" in screen_text(app))
        seen["question"] = screen_text(app)
        await pilot.press("space")
        await wait_until(pilot, lambda: _answer_shown(app))
        seen["answer"] = screen_text(app)
        seen["rendered"] = _shown_text(app)

    matches_snapshot = snap_compare(app, terminal_size=SMALL, run_before=run_before)
    assert "[...]" in seen["question"]
    assert "log(σ₂/σ₁) + (σ₁² + (μ₁ - μ₂)²)/(2σ₂²) - 1/2 nats" in seen["rendered"]
    for side, text in seen.items():
        assert RAW_LATEX.findall(text) == [], f"{side}: {RAW_LATEX.findall(text)}"
    assert matches_snapshot


@pytest.mark.parametrize("card_id", DISPLAY_MATH_CARDS)
async def test_display_formulas_are_drawn_without_raw_latex_at_80x24(
    build_app: Callable[..., QuizcalcApp], content: Path, card_id: str
) -> None:
    _one_card_deck(content, card_id)
    app = build_app(start="review", toasts=False)
    async with app.run_test(size=SMALL) as pilot:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: bool(_shown_text(app)))  # the question is up
        await pilot.press("space")
        await wait_until(pilot, lambda: "─" in _shown_text(app))  # a fraction bar: drawn in 2-D
        shown = _shown_text(app)
    assert RAW_LATEX.findall(shown) == [], RAW_LATEX.findall(shown)
