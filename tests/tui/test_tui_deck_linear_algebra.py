"""The Linear Algebra for ML deck's most LaTeX-heavy cards, as the reviewer draws them at 80×24.

Each test syncs a content folder holding one card of the real deck (its own front matter and
section heading kept, so deck and section are the real ones) and looks at the answer side: no
TeX command or brace may be left on screen, and the formulas must appear typeset.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from quizcalc.tui.app import QuizcalcApp
from tests.tui.conftest import screen_text, wait_ready, wait_until

DECK_PATH = Path(__file__).resolve().parents[2] / "content" / "linear-algebra.md"

HARDEST = "la-condition-number"
"""The card with the most LaTeX in the deck: a displayed fraction of singular values, norms,
an inverse, an inequality chain and a logarithm."""

LATEX_LEFT = re.compile(r"\\(frac|sum|sigma|lVert|rVert|kappa|top|max|min|log)\b|[{}]")


def one_card_deck(card_id: str) -> str:
    """The deck's front matter, the card's section heading and the card itself, alone."""
    text = DECK_PATH.read_text(encoding="utf-8")
    front_matter = text[: text.index("---", 3) + 3]
    start = text.index(f"<!-- id: {card_id} -->")
    heading = text.rfind("\n## ", 0, start)
    section = text[heading : text.index("\n", heading + 1)]
    ends = [text.find(mark, start + 1) for mark in ("<!-- id:", "\n## ")]
    end = min([e for e in ends if e != -1], default=len(text))
    return f"{front_matter}\n{section}\n\n{text[start:end].strip()}\n"


@pytest.fixture
def card_app(
    request: pytest.FixtureRequest, content: Path, build_app: Callable[..., QuizcalcApp]
) -> QuizcalcApp:
    """A reviewer over a content folder holding one card of the deck (``HARDEST`` unless the
    test is parametrised with another id)."""
    card_id = getattr(request, "param", HARDEST)
    (content / "calculus.md").unlink()
    (content / "linear-algebra.md").write_text(one_card_deck(card_id), encoding="utf-8")
    return build_app(start="review", toasts=False)


def test_one_card_deck_keeps_the_card_whole() -> None:
    deck = one_card_deck(HARDEST)
    assert deck.startswith("---\ndeck: Linear Algebra for ML\n")
    assert "## Low-rank approximation, pseudo-inverse and conditioning" in deck
    assert deck.count("<!-- id:") == 1 and "significant digits" in deck


def _typeset(app: QuizcalcApp) -> bool:
    return "─" in screen_text(app) and "σ" in screen_text(app)


@pytest.mark.parametrize(
    ("card_app", "question", "drawn"),
    [
        (HARDEST, "condition number", ["κ(A) = ‖A‖₂ ‖A⁻¹‖₂ =", "σₘₐₓ(A)", "σₘᵢₙ(A)", "log₁₀"]),
        ("la-eckart-young", "Eckart–Young", ["Aₖ = ∑", "‖A - Aₖ‖₂ = σₖ₊₁", "√⎜"]),
    ],
    indirect=["card_app"],
)
async def test_the_answer_is_typeset_with_no_latex_left(
    card_app: QuizcalcApp, question: str, drawn: list[str]
) -> None:
    async with card_app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: question in screen_text(card_app))
        await pilot.press("space")
        await wait_until(pilot, lambda: _typeset(card_app))
        shown = screen_text(card_app)
        assert LATEX_LEFT.findall(shown) == [], shown
        assert r"\(" not in shown and r"\[" not in shown
        for piece in drawn:
            assert piece in shown, (piece, shown)


def test_snapshot_the_condition_number_answer(
    snap_compare: Callable[..., bool], card_app: QuizcalcApp
) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: "condition number" in screen_text(card_app))
        await pilot.press("space")
        await wait_until(pilot, lambda: _typeset(card_app))

    assert snap_compare(card_app, terminal_size=(80, 24), run_before=run_before)
