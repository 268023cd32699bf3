"""``gd_steps``: run k steps of ``w ← w − η L'(w)`` by hand on a one-dimensional loss.

Difficulty 1 is the chapter's loop on ``L(w) = (w − c)²`` for one or two steps; difficulty 2 a
general quadratic ``a w² + b w`` for three steps; difficulty 3 a quartic
``w⁴/4 + p w²/2 + q w`` (the gradient is no longer linear) for two or three steps.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from fractions import Fraction

from quizcalc.problems.descent import gd_iterates, intermediate, trajectory
from quizcalc.problems.expected import Slip, number_answer, number_text
from quizcalc.problems.family import Draft, Family, draw_until
from quizcalc.problems.numbers import latex_number, plain_number, readable
from quizcalc.problems.polynomial import Polynomial
from quizcalc.problems.writing import answer_line, how_to_answer, inline, spoken_index

__all__ = ["FAMILY"]

ETA = "\\eta = "
DL = "L'(w)"
DL0 = "L'(w_0)"
UPDATE = "\\[ w_{t+1} = w_t - \\eta \\, L'(w_t) \\]"
DOUBLED = "doubled-learning-rate"
"""Tag of the slip: the update used 2η."""
HALVED = "halved-learning-rate"
"""Tag of the slip: the update used η/2 (at difficulty 3; on the quadratics below, η/2 gives
the number forgot-factor-2 gives, and that misconception's message names both)."""

_RATES = {
    1: ("0.1", "0.2", "0.25"),
    2: ("0.05", "0.1", "0.125", "0.2", "0.25"),
    3: ("0.05", "0.1"),
}


@dataclass(frozen=True)
class _Setup:
    loss: Polynomial
    loss_latex: str
    grad_latex: str
    w0: Fraction
    eta: Fraction
    steps: int


def _draw(rng: random.Random, difficulty: int) -> _Setup:
    eta = Fraction(rng.choice(_RATES[difficulty]))
    if difficulty == 1:
        c = rng.randint(-5, 6)
        w0 = Fraction(rng.choice([v for v in range(-4, 9) if v != c]))
        loss = Polynomial.build("w", {(2,): 1, (1,): -2 * c, (0,): c * c})
        shift = f"w - {c}" if c >= 0 else f"w + {-c}"
        latex = f"({shift})^{{2}}" if c else "w^{2}"
        grad = f"2({shift})" if c else "2w"
        return _Setup(loss, latex, grad, w0, eta, rng.choice([1, 2]))
    if difficulty == 2:
        a = rng.randint(1, 3)
        b = rng.choice([v for v in range(-8, 9) if v])
        loss = Polynomial.build("w", {(2,): a, (1,): b})
        w0 = Fraction(rng.randint(-5, 5))
        return _Setup(loss, loss.latex(), loss.diff("w").latex(), w0, eta, 3)
    p = rng.randint(-2, 2)
    q = rng.choice([-2, -1, 1, 2])
    loss = Polynomial.build("w", {(4,): Fraction(1, 4), (2,): Fraction(p, 2), (1,): q})
    latex = "\\frac{w^{4}}{4}"
    if p:
        coef = "" if abs(p) == 1 else str(abs(p))
        latex += f" {'+' if p > 0 else '-'} \\frac{{{coef}w^{{2}}}}{{2}}"
    latex += f" {'+' if q > 0 else '-'} {abs(q) if abs(q) != 1 else ''}w"
    w0 = Fraction(rng.choice(["-2", "-1.5", "-1", "-0.5", "0.5", "1", "1.5", "2"]))
    return _Setup(loss, latex, loss.diff("w").latex(), w0, eta, rng.choice([2, 3]))


def _valid(setup: _Setup) -> bool:
    ws = gd_iterates(setup.loss.diff("w"), setup.w0, setup.eta, setup.steps)
    if any(abs(w) > 50 for w in ws):
        return False
    # Every step must move w, else "off by one step" answers coincide with the right one.
    return all(a != b for a, b in itertools.pairwise(ws))


def build(rng: random.Random, difficulty: int) -> Draft:
    """k exact gradient-descent steps; the answer is ``w_k``."""
    setup = draw_until(rng, lambda r: _draw(r, difficulty), _valid)
    grad = setup.loss.diff("w")
    ws = gd_iterates(grad, setup.w0, setup.eta, setup.steps)
    k = setup.steps
    answer = readable(ws[-1])

    eta = latex_number(setup.eta)
    loss_def = inline(f"L(w) = {setup.loss_latex}")
    grad_def = inline(f"L'(w) = {setup.grad_latex}")
    prompt = (
        f"Gradient descent minimises {loss_def} with learning rate {inline(ETA + eta)}, "
        f"starting from {inline(f'w_0 = {latex_number(setup.w0)}')}:\n\n"
        f"{UPDATE}\n\n"
        f"What is {inline(f'w_{k}')} after {k} step{'s' if k > 1 else ''}?\n\n"
        f"{how_to_answer(answer)}"
    )
    solution = [f"The gradient is {grad_def}."]
    for t in range(k):
        g = grad(ws[t])
        update = f"{intermediate(ws[t])} - {eta} \\cdot {intermediate(g, bracket=True)}"
        step = f"w_{t + 1} = {update} = {intermediate(ws[t + 1])}"
        solution.append(f"Step {t + 1}: {inline(step)}.")
    solution.append(answer_line(number_text(answer)))

    def run(gradient: Polynomial, rate: Fraction, steps: int) -> Fraction | float:
        return readable(gd_iterates(gradient, setup.w0, rate, steps)[-1])

    ascent = "The update subtracts the gradient: w ← w − η L'(w); adding it climbs uphill."
    square = setup.loss_latex.replace("^{2}", "²") if difficulty == 1 else "a w²"
    no_rate = "Each step moves by η·L'(w), not by L'(w): multiply the gradient by η."
    # Scaling η scales every step exactly as scaling the gradient does, so on a quadratic
    # (difficulties 1 and 2) "η/2" and "the factor 2 of the power rule went missing" are the
    # same number at every step: one message names both.
    halved = (
        "Each step went half as far as it should: either the derivative of "
        f"{square} lost the factor 2 of the power rule, or the step used η/2, not the η given."
        if difficulty < 3
        else "Each step went half as far as it should: the step is η·L'(w) with the η given, "
        "not η/2."
    )
    doubled = (
        "Each step went twice as far as it should: the step is η·L'(w) with the η given, not 2η."
    )
    slips: list[Slip] = [(run(grad.scaled(-1), setup.eta, k), ascent, "sign-error")]
    if difficulty < 3:
        slips.append((run(grad.scaled(Fraction(1, 2)), setup.eta, k), halved, "forgot-factor-2"))
    slips.append((run(grad, Fraction(1), k), no_rate, "forgot-learning-rate"))
    if k > 1:
        early = (
            f"That is {spoken_index('w', k - 1)}: {spoken_index('w', k)} takes {k} updates, "
            "counting from w₀."
        )
        slips.append((run(grad, setup.eta, k - 1), early, "off-by-one-steps"))
    late = (
        f"That is {spoken_index('w', k + 1)}: {spoken_index('w', k)} takes only {k} "
        f"update{'s' if k > 1 else ''} from w₀."
    )
    slips.append((run(grad, setup.eta, k + 1), late, "off-by-one-steps"))
    # Last, so the slips above keep every tie; near, because both runs approach the same
    # minimum and may end within a percent of the right answer.
    slips.append((run(grad, 2 * setup.eta, k), doubled, DOUBLED))
    if difficulty == 3:
        slips.append((run(grad, setup.eta / 2, k), halved, HALVED))

    hints = (
        f"Differentiate first: {inline(DL)} is a formula in {inline('w')}.",
        f"One step: evaluate {inline(DL0)}, multiply by {inline(ETA + eta)}, "
        f"subtract the result from {inline('w_0')}.",
        f"Repeat {k} times, always using the newest {inline('w')}."
        if k > 1
        else "One step is all it takes.",
    )
    label = f"{inline(ETA + eta)}, {loss_def}"
    params = {
        "loss": setup.loss.plain(),
        "w0": plain_number(setup.w0),
        "eta": plain_number(setup.eta),
        "steps": k,
        "iterates": [str(w) for w in ws],
    }
    return Draft(
        prompt,
        number_answer(answer, slips, learning_rate=setup.eta, near={DOUBLED, HALVED}),
        tuple(solution),
        hints,
        params,
        trajectory(setup.loss, ws, label),
    )


FAMILY = Family(
    name="gd_steps",
    title="Gradient descent by hand",
    description="Take k steps of w ← w − η L'(w) on a one-dimensional loss and report wₖ.",
    build=build,
    target_seconds=(90, 150, 240),
    levels=(
        "L(w) = (w − c)², η ∈ {0.1, 0.2, 0.25}, 1 or 2 steps",
        "L(w) = a w² + b w, 3 steps",
        "quartic L(w) = w⁴/4 + p w²/2 + q w (non-linear gradient), 2 or 3 steps, 4 s.f.",
    ),
)
