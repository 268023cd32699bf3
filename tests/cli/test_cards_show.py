"""``quizcalc cards show ID``: a card as the reviewer draws it, for scripts and tests."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quizcalc.cards import parse_markdown
from quizcalc.cards.spans import code_spans
from quizcalc.cli.main import cli
from quizcalc.typeset import render_text
from tests.conftest import REPO_ROOT

DECK = """# Maths

<!-- id: relu -->
Q: Write ReLU and the Hessian of \\(f(x, y) = 2x^2 + xy + 3y^2\\).
A: \\[ \\mathrm{ReLU}(x) = \\begin{cases} x & x > 0 \\\\ 0 & \\text{otherwise} \\end{cases} \\]
and \\[ H = \\begin{bmatrix} 4 & 1 \\\\ 1 & 6 \\end{bmatrix} \\]

<!-- id: gaussian -->
Q: The normal density?
A: $$ f(x) = \\frac{1}{\\sigma\\sqrt{2\\pi}} e^{-\\frac{(x-\\mu)^2}{2\\sigma^2}} $$
"""


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="quizcalc")


@pytest.fixture
def deck(tmp_path: Path, new_database: Callable[[Path], Path]) -> list[str]:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "maths.md").write_text(DECK, encoding="utf-8")
    return ["--db", str(new_database(tmp_path / "q.sqlite3")), "--content", str(notes)]


def test_cards_show_draws_display_maths_in_two_dimensions(deck: list[str]) -> None:
    result = _invoke(*deck, "cards", "show", "relu", "--width", "80")
    assert result.exit_code == 0, (result.output, result.exception)
    assert result.stdout == (
        "Question\n"
        "Write ReLU and the Hessian of f(x, y) = 2x² + xy + 3y².\n"
        "\n"
        "Answer\n"
        "          ⎧ x   x > 0\n"
        "ReLU(x) = ⎨\n"
        "          ⎩ 0   otherwise\n"
        "and\n"
        "H = ⎡ 4  1 ⎤\n"
        "    ⎣ 1  6 ⎦\n"
    )
    gaussian = _invoke(*deck, "cards", "show", "gaussian", "--width", "80")
    assert gaussian.stdout.split("Answer\n")[1] == (
        "                (x - μ)²\n"
        "              - ────────\n"
        "         1        2σ²\n"
        "f(x) = ───── e\n"
        "          __\n"
        "       σ √2π\n"
    )


def test_a_formula_wider_than_width_is_printed_on_one_line(deck: list[str]) -> None:
    result = _invoke(*deck, "cards", "show", "gaussian", "--width", "20")
    assert result.exit_code == 0, (result.output, result.exception)
    assert result.stdout.split("Answer\n")[1] == "f(x) = 1/(σ √(2π)) e^(-(x - μ)^2/(2σ^2))\n"


def test_an_unknown_card_id_is_one_line_naming_it(deck: list[str]) -> None:
    result = _invoke(*deck, "cards", "show", "no-such-card")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines()[-1] == (
        "quizcalc: no-such-card: no card has this id; `quizcalc cards list` shows the ids"
    )


_LATEX_LEFT = re.compile(r"\\[A-Za-z]+|\\[\[\]()]|[{}]")


def test_every_bundled_card_renders_without_latex_at_80_columns() -> None:
    """What `cards show` prints for every card of the bundled deck: no \\frac, \\begin,
    \\mathbf… and no TeX brace survives (code spans and blocks are left as written)."""
    cards = [
        card
        for path in sorted((REPO_ROOT / "content").glob("*.md"))
        for card in parse_markdown(path.read_text(encoding="utf-8"), source=str(path))
    ]
    assert len(cards) >= 90
    for card in cards:
        for text in (card.question, card.answer):
            shown = render_text(text, 80)
            prose = "".join(
                shown[start:end] for start, end in _outside(code_spans(shown), len(shown))
            )
            prose = re.sub(r"(?ms)^```.*?^```", "", prose)
            left = _LATEX_LEFT.findall(prose)
            # a set written \{0, 1\} is shown with its braces: those are maths, not TeX
            sets = min(text.count("\\{"), text.count("\\}"))
            assert left.count("{") <= sets and left.count("}") <= sets, (card.id, shown)
            assert not [token for token in left if token not in "{}"], (card.id, shown)
            assert all(len(line) <= 80 for line in shown.splitlines() if "─" in line or "⎡" in line)


def _outside(spans: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    kept, position = [], 0
    for start, end in sorted(spans):
        kept.append((position, start))
        position = end
    kept.append((position, length))
    return kept
