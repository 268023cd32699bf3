"""The Calculus & Optimization deck says exactly what is true, and every card stands alone.

Each test here pins a correction a reader asked for: it fails on the text the deck had before
and passes now. Where a card states a formula, SymPy checks the formula as well as the wording.
"""

from __future__ import annotations

import re

import sympy as sp

from quizcalc.cards.model import Card, CardKind
from quizcalc.problems import generate
from tests.content.test_deck import card_by_note_id, deck_cards

PROBLEM_SEEDS = range(200)
"""Instances drawn when a card's rule is compared with a problem family's answers."""


def card(card_id: str) -> Card:
    return card_by_note_id()[card_id]


def list_items(text: str) -> list[str]:
    return [line[2:] for line in text.splitlines() if line.startswith("- ")]


# --- the Hessian test at a critical point ----------------------------------------------------


def second_order_verdict(eigenvalues: list[sp.Expr]) -> str:
    """The card's rule: what the Hessian's eigenvalues say about a critical point."""
    positive = any(value > 0 for value in eigenvalues)
    negative = any(value < 0 for value in eigenvalues)
    if positive and negative:
        return "saddle point"
    if all(value > 0 for value in eigenvalues):
        return "minimum"
    if all(value < 0 for value in eigenvalues):
        return "maximum"
    return "inconclusive"


def test_hessian_card_calls_mixed_signs_a_saddle_even_with_zero_eigenvalues() -> None:
    answer = card("hessian-classify-critical-point").answer
    assert "some eigenvalues are zero the test is inconclusive" not in answer
    items = list_items(answer)
    saddle = [item for item in items if "a saddle point" in item]
    inconclusive = [item for item in items if "inconclusive" in item]
    assert len(saddle) == 1 and "zero" in saddle[0], items
    assert len(inconclusive) == 1, items
    assert "semi-definite" in inconclusive[0] and "all of one sign" in inconclusive[0]
    assert "strict local minimum" in answer and "strict local maximum" in answer


def test_hessian_card_examples_share_a_semidefinite_hessian_but_not_a_verdict() -> None:
    answer = card("hessian-classify-critical-point").answer
    assert r"x^2 + y^4" in answer and r"x^2 + y^3" in answer
    x, y, t = sp.symbols("x y t", real=True)
    minimum, saddle = x**2 + y**4, x**2 + y**3
    origin = {x: 0, y: 0}
    for f in (minimum, saddle):
        assert sp.hessian(f, (x, y)).subs(origin) == sp.diag(2, 0)
        assert second_order_verdict(list(sp.diag(2, 0).eigenvals())) == "inconclusive"
    assert sp.ask(sp.Q.nonnegative(minimum), sp.Q.real(x) & sp.Q.real(y))
    # x^2 + y^3 is above 0 along x and below 0 along negative y: neither minimum nor maximum.
    assert saddle.subs({x: t, y: 0}) == t**2
    assert saddle.subs({x: 0, y: -t}) == -(t**3)


def test_mixed_signs_with_a_zero_eigenvalue_make_a_saddle() -> None:
    x, y, z, t = sp.symbols("x y z t", real=True)
    f = x**2 - y**2 + z**4
    h = sp.hessian(f, (x, y, z)).subs({x: 0, y: 0, z: 0})
    assert sorted(h.eigenvals()) == [-2, 0, 2]
    assert second_order_verdict(list(h.eigenvals())) == "saddle point"
    assert f.subs({x: t, y: 0, z: 0}) == t**2  # up along x
    assert f.subs({x: 0, y: t, z: 0}) == -(t**2)  # down along y


def test_the_card_rule_agrees_with_the_hessian_classify_problems() -> None:
    for seed in PROBLEM_SEEDS:
        params = generate("hessian_classify", seed, 3).params
        eigenvalues = list(sp.Matrix(params["hessian"]).eigenvals())
        expected = second_order_verdict(eigenvalues)
        assert params["verdict"] == expected, (seed, params)


# --- epochs and iterations -------------------------------------------------------------------


def test_epoch_card_names_both_conventions_for_the_last_partial_batch() -> None:
    answer = card("epoch-vs-iteration").answer
    assert "drop_last=False" in answer and "drop_last=True" in answer
    assert r"\lceil N / B \rceil" in answer and r"\lfloor N / B \rfloor" in answer
    assert "rounded up" not in answer


def test_epoch_card_example_matches_both_conventions() -> None:
    answer = card("epoch-vs-iteration").answer
    match = re.search(r"([\d,]+) examples with \\\(B = (\d+)\\\) give (\d+) .* and (\d+)", answer)
    assert match, answer
    n, b = int(match[1].replace(",", "")), int(match[2])
    kept, dropped = int(match[3]), int(match[4])
    assert n % b != 0
    assert kept == sp.ceiling(sp.Rational(n, b)) and dropped == sp.floor(sp.Rational(n, b))


def test_the_card_conventions_agree_with_the_epochs_iterations_problems() -> None:
    for seed in PROBLEM_SEEDS:
        problem = generate("epochs_iterations", seed, 2)
        p = problem.params
        ratio = sp.Rational(p["examples"], p["batch"])
        per_epoch = sp.floor(ratio) if p["drop_last"] else sp.ceiling(ratio)
        assert f"drop_last={p['drop_last']}" in problem.prompt
        assert re.search(rf"= {per_epoch}\b", "\n".join(problem.solution)), (seed, p)


# --- the learning rate -----------------------------------------------------------------------


def test_small_learning_rate_question_stands_on_its_own() -> None:
    question = card("lr-too-low").question
    assert not re.match(r"(and|also|what about|then)\b", question, re.IGNORECASE)
    assert "learning rate" in question and "small" in question


OVERSTATED_LEARNING_RATE = re.compile(
    r"no other (setting|choice|hyperparameter)|nothing else can|can(not|'t)? rescue", re.I
)


def test_no_card_says_nothing_else_can_make_up_for_a_bad_learning_rate() -> None:
    claims = [
        c.id for c in deck_cards() if OVERSTATED_LEARNING_RATE.search(f"{c.question}\n{c.answer}")
    ]
    assert claims == []


def test_learning_rate_card_names_what_reduces_the_sensitivity() -> None:
    answer = card("lr-role").answer
    for remedy in ("schedule", "warmup", "Adam", "normalization"):
        assert remedy in answer
    assert "less sensitive" in answer and "base learning rate" in answer


# --- convexity and gradient descent ----------------------------------------------------------


def test_convexity_card_states_when_gradient_descent_finds_the_optimum() -> None:
    answer = card("convexity-why-matters").answer
    assert "any starting point" not in answer and "exactly one minimizer" not in answer
    assert "at most one minimizer" in answer
    assert "minimizer must exist" in answer and r"e^x" in answer
    assert "L\\)-smooth" in answer and r"0 < \eta < 2/L" in answer


def test_exp_is_convex_without_a_minimizer() -> None:
    x = sp.symbols("x", real=True)
    f = sp.exp(x)
    assert sp.diff(f, x, 2).is_positive
    assert sp.solveset(sp.diff(f, x), x, sp.S.Reals) == sp.S.EmptySet


def test_gradient_descent_on_an_l_smooth_quadratic_converges_exactly_below_2_over_l() -> None:
    eta, lip = sp.symbols("eta L", positive=True)
    w = sp.symbols("w", real=True)
    f = lip / 2 * w**2  # L-smooth: f'' = L
    factor = sp.simplify((w - eta * sp.diff(f, w)) / w)  # one GD step multiplies w by this
    assert factor == 1 - eta * lip
    assert sp.solveset(sp.Abs(factor) < 1, eta, sp.S.Reals) == sp.Interval.open(0, 2 / lip)
    assert factor.subs(eta, 2 / lip) == -1  # bounces between w0 and -w0 forever


# --- every card stands alone -----------------------------------------------------------------

CONNECTIVE_START = re.compile(
    r"(and|also|but|so|then|next|now|or|plus|similarly|likewise|conversely|again)\b"
    r"|(what|how) about\b",
    re.IGNORECASE,
)
REFERS_BACK = re.compile(
    r"\b(the )?previous\b|\babove\b|\bearlier (card|question)|\bas before\b"
    r"|\bthis (chapter|section|deck|card)\b|\bsection \d",
    re.IGNORECASE,
)


def test_no_question_leans_on_another_card() -> None:
    leaning = {
        c.id: c.question
        for c in deck_cards()
        if c.kind is not CardKind.PROBLEM
        and (CONNECTIVE_START.match(c.question.strip()) or REFERS_BACK.search(c.question))
    }
    assert leaning == {}


def test_no_answer_points_into_the_deck_layout() -> None:
    pointing = {
        c.id: match[0]
        for c in deck_cards()
        if (match := re.search(r"\bthis (chapter|section|deck)\b|\bsection \d", c.answer, re.I))
    }
    assert pointing == {}
