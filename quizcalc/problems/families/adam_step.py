"""``adam_step``: one or two Adam updates by hand, bias correction included.

Adam keeps ``m ← β₁m + (1 − β₁)g`` and ``v ← β₂v + (1 − β₂)g²`` from zero, corrects them to
``m̂ = m/(1 − β₁ᵗ)``, ``v̂ = v/(1 − β₂ᵗ)`` and steps ``w ← w − η m̂/(√v̂ + ε)``. With ``ε = 0``
the first step is exactly ``η`` against the gradient's sign, whatever its size.

Difficulty 1: one step from a given gradient (an exact answer). Difficulty 2: two steps from
two given gradients, default betas. Difficulty 3: two steps on ``a(w − c)²``, where the
second gradient is taken at the new point, with other betas (both to 4 significant figures).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from quizcalc.problems.descent import intermediate
from quizcalc.problems.expected import REL_TOL, Slip, number_answer, number_text
from quizcalc.problems.family import Draft, Family, draw_until
from quizcalc.problems.numbers import latex_number, plain_number, readable
from quizcalc.problems.writing import answer_line, how_to_answer, inline, paren

__all__ = ["FAMILY", "AdamRun", "adam_run"]

MOMENTS = (
    "m_t = \\beta_1 m_{t-1} + (1 - \\beta_1) g_t, \\qquad "
    "v_t = \\beta_2 v_{t-1} + (1 - \\beta_2) g_t^{2}"
)
CORRECTED = (
    "\\hat{m}_t = \\frac{m_t}{1 - \\beta_1^{t}}, \\qquad \\hat{v}_t = \\frac{v_t}{1 - \\beta_2^{t}}"
)
UPDATE = "w_t = w_{t-1} - \\eta \\frac{\\hat{m}_t}{\\sqrt{\\hat{v}_t} + \\epsilon}"
NO_EPSILON = "\\epsilon = 0"
ETA = "\\eta"


@dataclass(frozen=True)
class AdamRun:
    """The iterates of one Adam run: ``w_0 … w_k``, the gradients and raw moments used."""

    w: list[float]
    g: list[Fraction]
    m: list[Fraction]
    v: list[Fraction]


def adam_run(
    w0: Fraction,
    gradient_at: Callable[[int, float], Fraction],
    steps: int,
    eta: Fraction,
    beta1: Fraction,
    beta2: Fraction,
    correct: bool = True,
    root: bool = True,
    direction: int = -1,
) -> AdamRun:
    """Adam from zero moments with ``ε = 0``; ``gradient_at(t, w)`` is the gradient at step t.

    ``correct=False`` skips the bias correction, ``root=False`` divides by ``v̂`` instead of
    ``√v̂``, ``direction=+1`` climbs: the misconceptions, run the same way.
    """
    w, m, v = [float(w0)], Fraction(0), Fraction(0)
    gs: list[Fraction] = []
    ms: list[Fraction] = []
    vs: list[Fraction] = []
    for t in range(1, steps + 1):
        g = gradient_at(t, w[-1])
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat, v_hat = (m / (1 - beta1**t), v / (1 - beta2**t)) if correct else (m, v)
        scale = math.sqrt(v_hat) if root else float(v_hat)
        w.append(w[-1] + direction * float(eta) * float(m_hat) / scale)
        gs.append(g)
        ms.append(m)
        vs.append(v)
    return AdamRun(w, gs, ms, vs)


@dataclass(frozen=True)
class _Setup:
    w0: Fraction
    eta: Fraction
    beta1: Fraction
    beta2: Fraction
    steps: int
    given: tuple[Fraction, ...]
    """Gradients given outright (levels 1–2); empty when a loss is given (level 3)."""
    a: int = 0
    c: int = 0
    """The loss ``a(w − c)²`` of level 3."""

    def gradient_at(self, t: int, w: float) -> Fraction:
        """The gradient used at step ``t`` (1-based) from the parameter ``w``."""
        if self.given:
            return self.given[t - 1]
        # w is exact at level 3 (see _valid); limit_denominator undoes float noise only.
        return 2 * self.a * (Fraction(w).limit_denominator(10**6) - self.c)

    def run(
        self,
        *,
        correct: bool = True,
        root: bool = True,
        direction: int = -1,
        swap_betas: bool = False,
        gradient_at: Callable[[int, float], Fraction] | None = None,
    ) -> AdamRun:
        """This setup's Adam run, or a misconception's (see :func:`adam_run`)."""
        beta1, beta2 = (self.beta2, self.beta1) if swap_betas else (self.beta1, self.beta2)
        return adam_run(
            self.w0,
            gradient_at or self.gradient_at,
            self.steps,
            self.eta,
            beta1,
            beta2,
            correct=correct,
            root=root,
            direction=direction,
        )


def _nonzero(rng: random.Random, low: int, high: int, avoid: tuple[int, ...] = ()) -> int:
    return rng.choice([v for v in range(low, high + 1) if v and v not in avoid])


def _draw(rng: random.Random, difficulty: int) -> _Setup:
    default = Fraction("0.9"), Fraction("0.999")
    if difficulty == 1:
        g = Fraction(_nonzero(rng, -8, 8, (-1, 1)))
        eta = Fraction(rng.choice(["0.1", "0.01", "0.001", "0.5"]))
        # w₀ a few steps η from zero: a step of η is then no rounding of w₀ at 4 s.f.
        w0 = eta * rng.randint(-10, 10)
        return _Setup(w0, eta, *default, 1, (g,))
    if difficulty == 2:
        g1 = _nonzero(rng, -6, 6)
        g2 = rng.choice([v for v in range(-6, 7) if v not in (0, g1)])
        # From w₀ = 0, w₂ is the two steps themselves: 4 s.f. of it tell the slips apart.
        eta = Fraction(rng.choice(["1", "0.1", "0.01", "0.001"]))
        return _Setup(Fraction(0), eta, *default, 2, (Fraction(g1), Fraction(g2)))
    a, c = rng.randint(1, 3), rng.randint(-1, 1)
    w0 = Fraction(rng.choice([v for v in range(-4, 5) if v != c]))
    eta = Fraction(rng.choice(["0.5", "1"]))
    beta1 = Fraction(rng.choice(["0.9", "0.8", "0.5"]))
    beta2 = Fraction(rng.choice(["0.999", "0.99", "0.9"]))
    return _Setup(w0, eta, beta1, beta2, 2, (), a, c)


def _valid(setup: _Setup) -> bool:
    run = setup.run()
    if not setup.given:
        # After one step w₁ = w₀ ∓ η is exact; the second gradient must not vanish.
        return setup.gradient_at(2, run.w[1]) != 0
    return True


def _step_line(setup: _Setup, run: AdamRun, t: int) -> str:
    """One step of the worked solution: moments, their correction, the update."""
    b1, b2 = setup.beta1, setup.beta2
    m, v, g = run.m[t - 1], run.v[t - 1], run.g[t - 1]
    m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
    previous = "0" if t == 1 else intermediate(run.m[t - 2], True)
    previous_v = "0" if t == 1 else intermediate(run.v[t - 2], True)
    b1s, b2s = latex_number(b1), latex_number(b2)
    moments = (
        f"m_{t} = {b1s} \\cdot {previous} + {latex_number(1 - b1)} \\cdot "
        f"{paren(g)} = {intermediate(m)}, \\; v_{t} = {b2s} \\cdot {previous_v} + "
        f"{latex_number(1 - b2)} \\cdot {paren(g)}^{{2}} = {intermediate(v)}"
    )
    corrected = (
        f"\\hat{{m}}_{t} = {intermediate(m_hat)}, \\; \\hat{{v}}_{t} = {intermediate(v_hat)}"
    )
    ratio = float(m_hat) / math.sqrt(v_hat)
    step = (
        f"w_{t} = {_shown(run.w[t - 1])} - {latex_number(setup.eta)} \\cdot "
        f"\\frac{{\\hat{{m}}_{t}}}{{\\sqrt{{\\hat{{v}}_{t}}}}} = {_shown(run.w[t - 1])} - "
        f"{latex_number(setup.eta)} \\cdot {_shown(ratio, True)} = {_shown(run.w[t])}"
    )
    return (
        f"Step {t}, with gradient {inline(f'g_{t} = {latex_number(g)}')}: {inline(moments)}; "
        f"corrected {inline(corrected)}; then {inline(step)}."
    )


def _shown(value: float, bracket: bool = False) -> str:
    """A float iterate: exact when it is a short decimal, else 6 significant figures."""
    exact = Fraction(value).limit_denominator(1000)
    text = latex_number(exact) if abs(float(exact) - value) < 1e-12 else number_text(value)
    return f"({text})" if bracket and value < 0 else text


def build(rng: random.Random, difficulty: int) -> Draft:
    """``w`` after one (level 1) or two (levels 2–3) bias-corrected Adam steps."""
    setup = draw_until(rng, lambda r: _draw(r, difficulty), _valid)
    run = setup.run()
    k = setup.steps
    final: Fraction | float = run.w[-1]
    if k == 1:
        final = setup.w0 - setup.eta * (1 if run.g[0] > 0 else -1)
    answer = readable(final) if isinstance(final, Fraction) else final

    b1, b2, eta = (latex_number(v) for v in (setup.beta1, setup.beta2, setup.eta))
    hyper = f"\\eta = {eta}, \\; \\beta_1 = {b1}, \\; \\beta_2 = {b2}"
    start = f"w_0 = {latex_number(setup.w0)}"
    if setup.given:
        gradients = ", ".join(inline(f"g_{t} = {latex_number(g)}") for t, g in enumerate(run.g, 1))
        where = (
            f"The loss gradient at step 1 is {gradients}."
            if k == 1
            else f"The loss gradients at steps 1 and 2 are {gradients}."
        )
    else:
        loss = f"L(w) = {_loss_latex(setup.a, setup.c)}"
        where = (
            f"The loss is {inline(loss)}; each step uses its gradient at the current {inline('w')}."
        )
    prompt = (
        f"Adam, with {inline(hyper)}, starts from {inline(start)} with both moment estimates "
        f"at zero and uses the usual bias correction. Take {inline(NO_EPSILON)}: at its "
        f"usual size it changes nothing at 4 significant figures.\n\n{where}\n\n"
        f"What is {inline(f'w_{k}')}?\n\n{how_to_answer(answer)}"
    )
    solution = [
        f"Adam keeps {inline(MOMENTS)}, corrects them to {inline(CORRECTED)} and updates "
        f"{inline(UPDATE)}.",
    ]
    if not setup.given:
        derivative = f"L'(w) = {_gradient_latex(setup.a, setup.c)}"
        solution.append(f"The gradient is {inline(derivative)}.")
    solution += [_step_line(setup, run, t) for t in range(1, k + 1)]
    solution.append(
        "At step 1 the corrected moments are exactly g and g squared, so the first step is "
        f"{inline(ETA)} against the gradient's sign, whatever its size."
    )
    solution.append(answer_line(number_text(answer)))

    slips: list[Slip] = [
        (
            setup.run(correct=False).w[-1],
            "That skips the bias correction: m and v start at zero, so divide them by "
            "1 − β₁ᵗ and 1 − β₂ᵗ before the update.",
            "no-bias-correction",
        ),
        (
            setup.run(direction=1).w[-1],
            "The update moves against the gradient: w ← w − η m̂/(√v̂ + ε).",
            "sign-error",
        ),
        (
            setup.run(root=False).w[-1],
            "Adam divides by the square root √v̂ of the second moment, not by v̂ itself.",
            "no-square-root",
        ),
        (
            setup.run(swap_betas=True).w[-1],
            "The betas are swapped: β₁ averages the gradients (m), β₂ their squares (v).",
            "swapped-betas",
        ),
        (
            _sgd(setup),
            "That is plain gradient descent, w − η g: Adam divides the averaged gradient by "
            "the root of the averaged squared gradient.",
            "sgd-step",
        ),
    ]
    if not setup.given:
        slips.append(
            (
                setup.run(gradient_at=lambda t, w: setup.gradient_at(1, float(setup.w0))).w[-1],
                "The second step needs the gradient at w₁, the new point, not at w₀ again.",
                "stale-gradient",
            )
        )
    hints = (
        f"Start from {inline('m_0 = v_0 = 0')} and update {inline(MOMENTS)}.",
        f"Correct the bias: {inline(CORRECTED)}.",
        f"Then {inline(UPDATE)}; at step 1 this is {inline(ETA)} times the sign of "
        f"{inline('g_1')}.",
    )
    params = {
        "w0": plain_number(setup.w0),
        "eta": plain_number(setup.eta),
        "beta1": plain_number(setup.beta1),
        "beta2": plain_number(setup.beta2),
        "steps": k,
        "gradients": [plain_number(g) for g in setup.given],
        "loss": [setup.a, setup.c] if not setup.given else None,
    }
    # 0.1 % even for an integer answer, so a slip typed to 4 s.f. is still recognised.
    key = number_answer(answer, slips, rel_tol=REL_TOL)
    return Draft(prompt, key, tuple(solution), hints, params)


def _sgd(setup: _Setup) -> Fraction | float:
    """Plain gradient descent with the same η and gradients (taken at its own iterates)."""
    w = setup.w0
    for t in range(1, setup.steps + 1):
        w -= setup.eta * setup.gradient_at(t, float(w))
    return readable(w)


def _loss_latex(a: int, c: int) -> str:
    inner = "w" if c == 0 else f"w - {c}" if c > 0 else f"w + {-c}"
    body = "w^{2}" if c == 0 else f"({inner})^{{2}}"
    return body if a == 1 else f"{a}{body}"


def _gradient_latex(a: int, c: int) -> str:
    inner = "w" if c == 0 else f"(w - {c})" if c > 0 else f"(w + {-c})"
    return f"{2 * a}{inner}"


FAMILY = Family(
    name="adam_step",
    title="Adam steps by hand",
    description="Run one or two Adam updates with bias correction and report the parameter.",
    build=build,
    target_seconds=(60, 240, 360),
    levels=(
        "one step from a given gradient (the step is η against its sign)",
        "two steps from w₀ = 0 with two given gradients, β₁ = 0.9, β₂ = 0.999, 4 s.f.",
        "two steps on a(w − c)², gradient at each new point, other betas, 4 s.f.",
    ),
)
