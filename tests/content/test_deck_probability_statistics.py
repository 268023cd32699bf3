"""The Probability & Statistics deck: it parses, it is complete, and its formulas are true.

Each formula check names the card it guards and first asserts that the card still states the
formula checked, so a reworded card and a wrong formula both fail here, pointing at the card.
SymPy (``sympy.stats`` where it fits) does the checking.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import sympy as sp
from sympy import stats

from quizcalc.cards import lint_paths, parse_markdown
from quizcalc.cards.model import Card, CardKind

REPO_ROOT = Path(__file__).resolve().parents[2]
DECK_PATH = REPO_ROOT / "content" / "probability-statistics.md"

SECTIONS = (
    "Random variables, expectation and variance",
    "Common distributions",
    "Conditional probability and Bayes",
    "Limit theorems",
    "Estimation: MLE, MAP, bias and variance",
    "Confidence intervals and hypothesis tests",
    "Sampling and the bootstrap",
)
MIN_CARDS = 45
ID_PREFIX = "ps-"


@cache
def deck_text() -> str:
    """The deck file as written."""
    return DECK_PATH.read_text(encoding="utf-8")


@cache
def deck_cards() -> tuple[Card, ...]:
    """Every card the deck file makes (one per cloze deletion)."""
    return tuple(parse_markdown(deck_text(), source=str(DECK_PATH)))


def note_id(card: Card) -> str:
    """The id written above the card: a cloze note's cards share it."""
    return card.id.split("::", 1)[0] if card.kind is CardKind.CLOZE else card.id


def card_text(card_id: str) -> str:
    """What the card with this written id says: question and answer, or a cloze note's source."""
    matches = [card for card in deck_cards() if note_id(card) == card_id]
    assert matches, f"no card {card_id!r} in the deck"
    first = matches[0]
    if first.kind is CardKind.CLOZE:
        return first.note
    return f"{first.question}\n{first.answer}"


def says(card_id: str, *fragments: str) -> None:
    """Fail, naming the card, unless it still states every fragment (LaTeX as written)."""
    text = card_text(card_id)
    missing = [fragment for fragment in fragments if fragment not in text]
    assert missing == [], f"{card_id} no longer states {missing}"


def is_why_card(card: Card) -> bool:
    """A card asking for a reason: its question starts with "Why"."""
    return card.kind is CardKind.BASIC and card.question.lstrip().startswith("Why")


# --- the deck parses and is complete ---------------------------------------------------------


def test_the_deck_file_has_no_problems() -> None:
    assert lint_paths([DECK_PATH]) == []


def test_front_matter_names_the_deck_and_its_tags() -> None:
    assert {card.deck for card in deck_cards()} == {"Probability & Statistics"}
    for card in deck_cards():
        assert card.tags[:3] == ("probability", "statistics", "ml-interview"), card.id


def test_the_deck_has_enough_cards() -> None:
    assert len(deck_cards()) >= MIN_CARDS


def test_the_sections_are_the_planned_ones_in_order() -> None:
    in_order = list(dict.fromkeys(card.section for card in deck_cards()))
    assert in_order == list(SECTIONS)


def test_every_card_has_a_unique_prefixed_explicit_id() -> None:
    written = re.findall(r"<!--\s*id:\s*(\S+?)\s*-->", deck_text())
    assert [card_id for card_id, count in Counter(written).items() if count > 1] == []
    assert all(re.fullmatch(r"ps(?:-[a-z0-9]+)+", card_id) for card_id in written), written
    assert all(card.explicit_id for card in deck_cards())
    assert {note_id(card) for card in deck_cards()} == set(written)
    assert len({card.id for card in deck_cards()}) == len(deck_cards())


def test_no_card_is_a_generated_problem() -> None:
    assert [card.id for card in deck_cards() if card.kind is CardKind.PROBLEM] == []


@pytest.mark.parametrize("section", SECTIONS)
def test_each_section_mixes_cloze_why_and_plain_cards(section: str) -> None:
    cards = [card for card in deck_cards() if card.section == section]
    assert any(card.kind is CardKind.CLOZE for card in cards), section
    assert any(is_why_card(card) for card in cards), section
    assert sum(card.kind is CardKind.BASIC and not is_why_card(card) for card in cards) >= 1


def test_every_card_has_a_question_and_an_answer() -> None:
    for card in deck_cards():
        assert card.question.strip() and card.answer.strip(), card.id


def test_math_delimiters_are_balanced() -> None:
    texts = [("file", deck_text())]
    texts += [(card.id, field) for card in deck_cards() for field in (card.question, card.answer)]
    for where, text in texts:
        open_kind = None
        for token in re.findall(r"\\[()\[\]]", text):
            if token in (r"\(", r"\["):
                assert open_kind is None, f"{where}: {token} opened inside {open_kind}"
                open_kind = token
            else:
                expected = r"\)" if open_kind == r"\(" else r"\]"
                assert token == expected, f"{where}: {token} closes {open_kind}"
                open_kind = None
        assert open_kind is None, f"{where}: {open_kind} never closed"


LEANS_ON_ANOTHER_CARD = re.compile(
    r"^(and|also|but|so|then|similarly|likewise)\b|\bprevious\b|\bas before\b|\babove\b", re.I
)


def test_every_question_stands_alone() -> None:
    leaning = [card.id for card in deck_cards() if LEANS_ON_ANOTHER_CARD.search(card.question)]
    assert leaning == []


# --- SymPy checks: random variables, expectation and variance --------------------------------

REAL_A, REAL_B = sp.symbols("a b", real=True)
MU = sp.Symbol("mu", real=True)
SIGMA = sp.Symbol("sigma", positive=True)
P_SUCCESS = sp.Symbol("p", positive=True)
RATE = sp.Symbol("lambda", positive=True)


def test_ps_density_above_one_uniform_half_has_density_two_and_area_one() -> None:
    says("ps-density-above-one", r"Uniform\((0, 1/2)\) has density 2")
    x = sp.Symbol("x", real=True)
    narrow = stats.Uniform("U", 0, sp.Rational(1, 2))
    pdf = stats.density(narrow)(x)
    assert pdf.subs(x, sp.Rational(1, 4)) == 2
    assert sp.integrate(pdf, (x, -sp.oo, sp.oo)) == 1


def test_ps_expectation_linearity_holds_for_dependent_variables() -> None:
    says("ps-expectation-linearity", r"a\,\mathbb{E}[X] + b\,\mathbb{E}[Y]", "independent")
    die = stats.Die("D", 6)
    square = die**2  # completely dependent on the die
    assert stats.E(REAL_A * die + REAL_B * square) == sp.expand(
        REAL_A * stats.E(die) + REAL_B * stats.E(square)
    )


@pytest.mark.parametrize("n", range(1, 7))
def test_ps_linearity_why_useful_a_shuffle_leaves_one_card_in_place_on_average(n: int) -> None:
    says("ps-linearity-why-useful", r"\(n \cdot 1/n = 1\)")
    shuffles = list(itertools.permutations(range(n)))
    fixed = sum(sum(card == place for place, card in enumerate(order)) for order in shuffles)
    assert sp.Rational(fixed, len(shuffles)) == 1


def test_ps_variance_definition_shortcut_agrees_with_the_definition() -> None:
    says(
        "ps-variance-definition",
        r"\mathbb{E}\left[(X - \mathbb{E}[X])^2\right] = \mathbb{E}[X^2] - (\mathbb{E}[X])^2",
    )
    for variable in (
        stats.Binomial("B", 5, P_SUCCESS),
        stats.Poisson("Po", RATE),
        stats.Normal("N", MU, SIGMA),
    ):
        definition = stats.E((variable - stats.E(variable)) ** 2)
        shortcut = stats.E(variable**2) - stats.E(variable) ** 2
        assert sp.simplify(definition - shortcut) == 0
        assert sp.simplify(stats.variance(variable) - shortcut) == 0


def test_ps_variance_affine_scale_squares_and_shift_vanishes() -> None:
    says("ps-variance-affine", r"a^2 \operatorname{Var}(X)", r"\(|a|\)")
    for variable in (stats.Normal("N", MU, SIGMA), stats.Poisson("Po", RATE)):
        shifted = stats.variance(REAL_A * variable + REAL_B)
        assert sp.simplify(shifted - REAL_A**2 * stats.variance(variable)) == 0
        assert sp.sqrt(sp.simplify(shifted)).equals(sp.Abs(REAL_A) * stats.std(variable))


def test_ps_variance_of_sum_covariance_term_and_independent_difference() -> None:
    says(
        "ps-variance-of-sum",
        r"\operatorname{Var}(X) + \operatorname{Var}(Y) + 2\operatorname{Cov}(X, Y)",
        r"\operatorname{Var}(X + X) = 4\operatorname{Var}(X)",
    )
    s1, s2 = sp.symbols("sigma1 sigma2", positive=True)
    x, noise = stats.Normal("X", 0, s1), stats.Normal("W", 0, s2)
    y = 3 * x + noise  # correlated with x
    expected = stats.variance(x) + stats.variance(y) + 2 * stats.covariance(x, y)
    assert sp.simplify(stats.variance(x + y) - expected) == 0
    assert stats.covariance(x, y) != 0
    assert sp.simplify(stats.variance(x - noise) - (s1**2 + s2**2)) == 0  # independent
    assert sp.simplify(stats.variance(x + x) - 4 * stats.variance(x)) == 0


def test_ps_covariance_shortcut_and_bilinearity() -> None:
    says(
        "ps-covariance",
        r"\mathbb{E}[XY] - \mathbb{E}[X]\,\mathbb{E}[Y]",
        r"\operatorname{Cov}(aX + b, cY + d) = ac\,\operatorname{Cov}(X, Y)",
    )
    c, d = sp.symbols("c d", real=True)
    u, v = stats.Normal("U", 0, 2), stats.Normal("V", 0, 1)
    x, y = u + 1, u - 2 * v - 1
    shortcut = stats.E(sp.expand(x * y)) - stats.E(x) * stats.E(y)
    assert sp.simplify(stats.covariance(x, y) - shortcut) == 0
    scaled = stats.covariance(REAL_A * x + REAL_B, c * y + d)
    assert sp.simplify(scaled - REAL_A * c * stats.covariance(x, y)) == 0
    assert stats.covariance(x, x) == stats.variance(x)


def test_ps_independent_product_expectation_factorises() -> None:
    says("ps-independent-product", r"\mathbb{E}[X]\,\mathbb{E}[Y]")
    x, y = stats.Poisson("Po", RATE), stats.Normal("N", MU, SIGMA)
    assert sp.simplify(stats.E(x * y) - stats.E(x) * stats.E(y)) == 0
    assert sp.simplify(stats.covariance(x, y)) == 0


def test_ps_correlation_is_plus_or_minus_one_for_a_linear_relation() -> None:
    says("ps-correlation", r"\frac{\operatorname{Cov}(X, Y)}{\sigma_X \sigma_Y}", r"\([-1, 1]\)")
    x = stats.Normal("X", MU, SIGMA)
    slope = sp.Symbol("b", positive=True)
    assert sp.simplify(stats.correlation(x, REAL_A + slope * x)) == 1
    assert sp.simplify(stats.correlation(x, REAL_A - slope * x)) == -1
    noisy = x + stats.Normal("W", 0, 1)
    rho = sp.simplify(stats.correlation(x, noisy))
    assert rho == SIGMA / sp.sqrt(SIGMA**2 + 1)  # strictly between 0 and 1
    assert sp.simplify(1 - rho**2) == 1 / (SIGMA**2 + 1)  # positive: |rho| < 1


def test_ps_correlation_scale_free_is_unchanged_by_positive_rescaling() -> None:
    says("ps-correlation-scale-free", r"\rho(aX + b, cY + d) = \rho(X, Y)")
    a, c = sp.symbols("a c", positive=True)
    b, d = sp.symbols("b d", real=True)
    u, v = stats.Normal("U", 0, 1), stats.Normal("V", 0, 1)
    x, y = u, u + 2 * v
    rho = sp.simplify(stats.correlation(x, y))
    assert sp.simplify(stats.correlation(a * x + b, c * y + d) - rho) == 0
    assert sp.simplify(stats.correlation(-a * x + b, c * y + d) + rho) == 0  # sign flips
    assert sp.simplify(stats.covariance(100 * x, y) - 100 * stats.covariance(x, y)) == 0


def test_ps_uncorrelated_not_independent_x_and_x_squared() -> None:
    says("ps-uncorrelated-not-independent", r"Y = X^2", r"\operatorname{Cov}(X, Y)")
    x = stats.Normal("X", 0, 1)
    assert stats.covariance(x, x**2) == 0
    # Dependent: E[X^2 * Y] = E[X^4] = 3 differs from E[X^2] E[Y] = 1.
    assert stats.E(x**2 * x**2) == 3 and stats.E(x**2) * stats.E(x**2) == 1
