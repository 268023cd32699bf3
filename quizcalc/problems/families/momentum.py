"""``momentum``: heavy-ball gradient descent by hand, ``v ← βv − η L'(w)``, ``w ← w + v``.

Difficulty 1: two steps on ``(w − c)²`` from rest, report ``w_2``. Difficulty 2: three steps
on ``a(w − c)²``, report ``w_3`` or ``v_3``. Difficulty 3: four steps on ``a w² + b w`` with a
non-zero starting velocity, report ``w_4`` or ``v_4``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from fractions import Fraction

from quizcalc.problems.descent import intermediate, momentum_iterates, trajectory
from quizcalc.problems.expected import Slip, number_answer, number_text
from quizcalc.problems.family import Draft, Family, draw_until
from quizcalc.problems.numbers import latex_number, plain_number, readable
from quizcalc.problems.polynomial import Polynomial
from quizcalc.problems.writing import answer_line, how_to_answer, inline, spoken_index

__all__ = ["FAMILY"]

ETA = "\\eta = "
BETA = "\\beta = "
UPDATE = "\\[ v_{t+1} = \\beta v_t - \\eta \\, L'(w_t), \\qquad w_{t+1} = w_t + v_{t+1} \\]"
DOUBLED = "doubled-learning-rate"
"""Tag of the slip: the velocity update used 2η."""
HALVED = "halved-learning-rate"
"""Tag of the slip: the velocity update used η/2."""


@dataclass(frozen=True)
class _Setup:
    loss: Polynomial
    loss_latex: str
    w0: Fraction
    v0: Fraction
    eta: Fraction
    beta: Fraction
    steps: int
    target: str
    """``w`` or ``v``: which quantity the learner reports."""


def _shifted_square(a: int, c: int) -> tuple[Polynomial, str]:
    loss = Polynomial.build("w", {(2,): a, (1,): -2 * a * c, (0,): a * c * c})
    inner = "w" if c == 0 else f"w - {c}" if c > 0 else f"w + {-c}"
    body = "w^{2}" if c == 0 else f"({inner})^{{2}}"
    return loss, body if a == 1 else f"{a}{body}"


def _draw(rng: random.Random, difficulty: int) -> _Setup:
    if difficulty == 1:
        c = rng.randint(-3, 4)
        loss, latex = _shifted_square(1, c)
        w0 = Fraction(rng.choice([v for v in range(-4, 7) if v != c]))
        beta = Fraction(rng.choice(["0.5", "0.9"]))
        return _Setup(loss, latex, w0, Fraction(0), Fraction("0.1"), beta, 2, "w")
    if difficulty == 2:
        c = rng.randint(-3, 4)
        loss, latex = _shifted_square(rng.randint(1, 2), c)
        w0 = Fraction(rng.choice([v for v in range(-4, 7) if v != c]))
        beta = Fraction(rng.choice(["0.5", "0.8", "0.9"]))
        eta = Fraction(rng.choice(["0.05", "0.1"]))
        return _Setup(loss, latex, w0, Fraction(0), eta, beta, 3, rng.choice("wv"))
    a = rng.randint(1, 2)
    b = rng.choice([v for v in range(-6, 7) if v])
    loss = Polynomial.build("w", {(2,): a, (1,): b})
    w0 = Fraction(rng.randint(-4, 4))
    v0 = Fraction(rng.choice(["-1", "-0.5", "0.5", "1"]))
    beta = Fraction(rng.choice(["0.8", "0.9"]))
    eta = Fraction(rng.choice(["0.05", "0.1", "0.2"]))
    return _Setup(loss, loss.latex(), w0, v0, eta, beta, 4, rng.choice("wv"))


def _run(setup: _Setup, grad: Polynomial, steps: int) -> tuple[list[Fraction], list[Fraction]]:
    return momentum_iterates(grad, setup.w0, setup.v0, setup.eta, setup.beta, steps)


def _valid(setup: _Setup) -> bool:
    ws, vs = _run(setup, setup.loss.diff("w"), setup.steps)
    final = ws[-1] if setup.target == "w" else vs[-1]
    return final != 0 and all(abs(w) < 50 for w in ws)


def _stale(setup: _Setup, grad: Polynomial) -> Fraction:
    """w ← w + v_old, then v ← βv − η L'(w): the velocity lags a step."""
    w, v = setup.w0, setup.v0
    for _ in range(setup.steps):
        w, v = w + v, setup.beta * v - setup.eta * grad(w)
    return w if setup.target == "w" else v


def build(rng: random.Random, difficulty: int) -> Draft:
    """k exact momentum steps; the answer is ``w_k`` or ``v_k``."""
    setup = draw_until(rng, lambda r: _draw(r, difficulty), _valid)
    grad = setup.loss.diff("w")
    k, target = setup.steps, setup.target
    ws, vs = _run(setup, grad, k)
    exact = ws[-1] if target == "w" else vs[-1]
    answer = readable(exact)
    eta, beta = latex_number(setup.eta), latex_number(setup.beta)

    start = f"w_0 = {latex_number(setup.w0)}, \\; v_0 = {latex_number(setup.v0)}"
    prompt = _prompt(setup, eta, beta, start, how_to_answer(answer))
    solution = [f"The gradient is {inline(_derivative(grad))}."]
    for t in range(k):
        g = grad(ws[t])
        v_step = (
            f"v_{t + 1} = {beta} \\cdot {intermediate(vs[t], True)}"
            f" - {eta} \\cdot {intermediate(g, True)} = {intermediate(vs[t + 1])}"
        )
        w_step = (
            f"w_{t + 1} = {intermediate(ws[t])} + {intermediate(vs[t + 1], True)}"
            f" = {intermediate(ws[t + 1])}"
        )
        solution.append(f"Step {t + 1}: {inline(v_step)}, then {inline(w_step)}.")
    solution.append(answer_line(number_text(answer)))

    def pick(run: tuple[list[Fraction], list[Fraction]], index: int = -1) -> Fraction | float:
        return readable(run[0][index] if target == "w" else run[1][index])

    other = "v" if target == "w" else "w"
    plain_gd = momentum_iterates(grad, setup.w0, Fraction(0), setup.eta, Fraction(0), k)
    slips: list[Slip] = [
        (
            readable(plain_gd[0][-1] if target == "w" else plain_gd[1][-1]),
            "That is plain gradient descent: momentum keeps β times the previous velocity.",
            "ignored-momentum",
        ),
        (
            pick(_run(setup, grad.scaled(-1), k)),
            "The velocity update subtracts the gradient: v ← βv − η L'(w).",
            "sign-error",
        ),
        (
            readable(vs[-1] if target == "w" else ws[-1]),
            f"That is {spoken_index(other, k)}; the question asks for {spoken_index(target, k)}.",
            "wrong-quantity",
        ),
        (
            readable(_stale(setup, grad)),
            "Update v first, then move w by the new velocity vₜ₊₁, not the old one.",
            "stale-velocity",
        ),
        (
            pick(_run(setup, grad, k - 1)),
            f"That is {spoken_index(target, k - 1)}: one step short.",
            "off-by-one-steps",
        ),
        (
            pick(_run(setup, grad, k + 1)),
            f"That is {spoken_index(target, k + 1)}: one step too many.",
            "off-by-one-steps",
        ),
        # Last, so the slips above keep every tie; near, because near the minimum the runs
        # may end within a percent of each other.
        (
            pick(_run(replace(setup, eta=2 * setup.eta), grad, k)),
            "Each velocity update took twice the gradient step it should: v ← βv − η L'(w) "
            "uses the η given, not 2η.",
            DOUBLED,
        ),
        (
            pick(_run(replace(setup, eta=setup.eta / 2), grad, k)),
            "Each velocity update took half the gradient step it should: v ← βv − η L'(w) "
            "uses the η given, not η/2.",
            HALVED,
        ),
    ]
    v_rule = f"v_{{t+1}} = {beta} v_t - {eta} L'(w_t)"
    hints = (
        "Keep a small table with columns \\(t\\), \\(w_t\\), \\(L'(w_t)\\), \\(v_t\\).",
        f"Each step: first {inline(v_rule)}, then {inline('w_{t+1} = w_t + v_{t+1}')}.",
        "The velocity carries \\(\\beta\\) of its old value: far from the minimum, steps grow.",
    )
    label = (
        f"momentum {inline(BETA + beta)}, {inline(ETA + eta)}, {inline(LOSS + setup.loss_latex)}"
    )
    params = {
        "loss": setup.loss.plain(),
        "w0": plain_number(setup.w0),
        "v0": plain_number(setup.v0),
        "eta": plain_number(setup.eta),
        "beta": plain_number(setup.beta),
        "steps": k,
        "target": target,
        "w": [str(w) for w in ws],
        "v": [str(v) for v in vs],
    }
    return Draft(
        prompt,
        number_answer(answer, slips, learning_rate=setup.eta, near={DOUBLED, HALVED}),
        tuple(solution),
        hints,
        params,
        trajectory(setup.loss, ws, label),
    )


def _prompt(setup: _Setup, eta: str, beta: str, start: str, how: str) -> str:
    k, target = setup.steps, setup.target
    loss = inline(f"L(w) = {setup.loss_latex}")
    rates = f"{inline(ETA + eta)} and {inline(BETA + beta)}"
    return (
        f"Gradient descent with momentum minimises {loss} with {rates}, "
        f"starting from {inline(start)}:\n\n{UPDATE}\n\n"
        f"What is {inline(f'{target}_{k}')} after {k} steps?\n\n{how}"
    )


LOSS = "L(w) = "


def _derivative(grad: Polynomial) -> str:
    return "L'(w) = " + grad.latex()


FAMILY = Family(
    name="momentum",
    title="Momentum by hand",
    description="Run a few steps of v ← βv − η L'(w), w ← w + v and report wₖ or vₖ.",
    build=build,
    target_seconds=(120, 180, 300),
    levels=(
        "(w − c)², from rest, β ∈ {0.5, 0.9}, η = 0.1, report w₂",
        "a(w − c)², from rest, 3 steps, report w₃ or v₃",
        "a w² + b w with a starting velocity, 4 steps, report w₄ or v₄ (4 s.f. if long)",
    ),
)
