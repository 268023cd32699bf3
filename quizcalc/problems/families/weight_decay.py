"""``weight_decay``: an L2 penalty in the loss versus decoupled weight decay (AdamW).

An L2 penalty ``(λ/2)w²`` adds ``λw`` to the gradient, so with Adam it is averaged and divided
by ``√v̂`` like the rest of the gradient. Decoupled decay (AdamW, as PyTorch applies it) takes
``ηλw`` off the weight outside the adaptive scaling: ``w ← w − η(m̂/(√v̂ + ε) + λw)``. With
plain SGD the two coincide: ``w ← w − η(g + λw)``.

Difficulty 1: one SGD step with an L2 penalty. Difficulty 2: one bias-corrected Adam step
with an L2 penalty, or one AdamW step (exact: Adam's first step has size η). Difficulty 3: two
such steps from two given data-loss gradients (4 significant figures).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from fractions import Fraction

from quizcalc.problems.expected import REL_TOL, Slip, number_answer, number_text
from quizcalc.problems.family import Draft, Family, draw_until
from quizcalc.problems.numbers import is_close, latex_number, plain_number, readable
from quizcalc.problems.writing import answer_line, how_to_answer, inline, worked_number

__all__ = ["FAMILY", "decayed_run"]

BETA1, BETA2 = Fraction("0.9"), Fraction("0.999")
PENALTY = "(\\lambda / 2) \\, w^{2}"
SGD_RULE = "w_1 = w_0 - \\eta \\, (g_1 + \\lambda w_0)"
ADAMW_RULE = (
    "w_t = w_{t-1} - \\eta \\left( \\frac{\\hat{m}_t}{\\sqrt{\\hat{v}_t}} "
    "+ \\lambda w_{t-1} \\right)"
)
L2_GRADIENT = "g_t + \\lambda w_{t-1}"
ETA = "\\eta"
NO_EPSILON = "\\epsilon = 0"
LAMBDA_W = "\\lambda w"

Number = Fraction | float


@dataclass(frozen=True)
class DecayedRun:
    """One run: the iterates ``w_0 … w_k`` and, per step, what the optimiser saw and did."""

    w: list[Number]
    g: list[Number]
    """The gradient the optimiser used at each step (with ``λw`` when the penalty is L2)."""
    m: list[Number]
    v: list[Number]
    step: list[Number]
    """``g`` for SGD, ``m̂/√v̂`` for Adam: the step before ``η`` (and before any decay)."""


def decayed_run(
    w0: Fraction,
    gradients: tuple[Fraction, ...],
    eta: Fraction,
    lam: Fraction,
    optimiser: str,
    coupling: str,
    decay_scale: Fraction = Fraction(1),
    decay_eta: bool = True,
) -> DecayedRun:
    """The run for the data-loss ``gradients``: SGD or Adam (bias-corrected, ε = 0).

    ``coupling`` is ``l2`` (``decay_scale·λw`` joins the gradient) or ``decoupled`` (the weight
    loses ``η·decay_scale·λw`` outside the scaling; ``decay_eta=False`` drops that ``η``) or
    ``none``. Adam's first step is exactly ``η`` times a sign, kept exact; later ones are floats.
    """
    run = DecayedRun([w0], [], [], [], [])
    m: Number = Fraction(0)
    v: Number = Fraction(0)
    for t, data_gradient in enumerate(gradients, 1):
        w = run.w[-1]
        g = data_gradient + decay_scale * lam * w if coupling == "l2" else data_gradient
        if optimiser == "sgd":
            step: Number = g
        else:
            m = BETA1 * m + (1 - BETA1) * g
            v = BETA2 * v + (1 - BETA2) * g * g
            if t == 1:
                step = Fraction(1 if g > 0 else -1) if g else Fraction(0)
            else:
                step = float(m / (1 - BETA1**t)) / math.sqrt(float(v / (1 - BETA2**t)))
        new = w - eta * step
        if coupling == "decoupled":
            new -= (eta if decay_eta else 1) * decay_scale * lam * w
        run.w.append(new)
        run.g.append(g)
        run.m.append(m)
        run.v.append(v)
        run.step.append(step)
    return run


@dataclass(frozen=True)
class _Setup:
    w0: Fraction
    gradients: tuple[Fraction, ...]
    eta: Fraction
    lam: Fraction
    optimiser: str
    """``sgd`` or ``adam``."""
    coupling: str
    """``l2`` (penalty in the loss) or ``decoupled`` (AdamW)."""

    def run(
        self, coupling: str | None = None, scale: int | Fraction = 1, eta: bool = True
    ) -> DecayedRun:
        """The run as set up, or with a misconception's coupling, decay scale or η."""
        return decayed_run(
            self.w0,
            self.gradients,
            self.eta,
            self.lam,
            self.optimiser,
            coupling or self.coupling,
            Fraction(scale),
            eta,
        )

    def final(
        self, coupling: str | None = None, scale: int | Fraction = 1, eta: bool = True
    ) -> Number:
        """The last iterate of :meth:`run`, exact when it is short."""
        last = self.run(coupling, scale, eta).w[-1]
        return readable(last) if isinstance(last, Fraction) else last


def _nonzero(rng: random.Random, span: int) -> Fraction:
    return Fraction(rng.choice([v for v in range(-span, span + 1) if v]))


def _draw(rng: random.Random, difficulty: int) -> _Setup:
    w0 = _nonzero(rng, 5)
    eta = Fraction(rng.choice(["0.1", "0.5"]))
    lam = Fraction(rng.choice(["0.2", "0.5", "1"]))
    if difficulty == 1:
        return _Setup(w0, (_nonzero(rng, 6),), eta, lam, "sgd", "l2")
    coupling = rng.choice(["l2", "decoupled"])
    steps = 1 if difficulty == 2 else 2
    # Small data gradients, so the penalty's λw can outweigh one and flip Adam's step.
    gradients = tuple(_nonzero(rng, 2 if steps == 1 else 4) for _ in range(steps))
    return _Setup(w0, gradients, eta, lam, "adam", coupling)


def _valid(setup: _Setup) -> bool:
    """Every variant's first Adam gradient is non-zero (its sign decides the step)."""
    if setup.optimiser == "adam":
        for scale in (1, Fraction(1, 2), -1, 2):
            if setup.gradients[0] + scale * setup.lam * setup.w0 == 0:
                return False
    answer = setup.final()
    if answer == 0:
        return False
    # The slips that teach the most must be told apart at 4 s.f. (or be right, at level 2).
    if setup.optimiser == "sgd":
        telling = [setup.final(scale=Fraction(1, 2))]
    else:
        telling = [setup.final("decoupled" if setup.coupling == "l2" else "l2")]
    return all(v == answer or not is_close(v, answer, REL_TOL, 0, margin=15) for v in telling)


def build(rng: random.Random, difficulty: int) -> Draft:
    """The weight after one SGD step (level 1) or one or two Adam/AdamW steps (levels 2–3)."""
    setup = draw_until(rng, lambda r: _draw(r, difficulty), _valid)
    answer = setup.final()
    k = len(setup.gradients)
    prompt = _prompt(setup, k, how_to_answer(answer))
    solution = _solution(setup, k)
    solution.append(answer_line(number_text(answer)))
    other = "decoupled" if setup.coupling == "l2" else "l2"
    slips: list[Slip] = []
    if setup.optimiser == "adam":
        slips.append(
            (
                setup.final(other),
                "That applies the decay outside the adaptive scaling, as AdamW does; an L2 "
                "penalty in the loss adds λw to the gradient before Adam averages and rescales it."
                if setup.coupling == "l2"
                else "That adds λw to the gradient before the adaptive scaling, as an L2 penalty "
                "does; AdamW's decoupled decay takes ηλw off the weight outside it.",
                "decoupled-instead-of-l2" if setup.coupling == "l2" else "l2-instead-of-decoupled",
            )
        )
    slips += [
        (
            setup.final(scale=Fraction(1, 2)),
            "The derivative of (λ/2)w² is λw, not λw/2: the ½ cancels the 2 of the square."
            if setup.coupling == "l2"
            else "The decoupled decay takes ηλw off the weight, not ηλw/2.",
            "halved-decay",
        ),
        (
            setup.final(scale=2),
            "The derivative of (λ/2)w² is λw, not 2λw: the penalty already carries the ½."
            if setup.coupling == "l2"
            else "The decoupled decay takes ηλw off the weight, not 2ηλw.",
            "doubled-decay",
        ),
        (
            setup.final(scale=-1),
            "Weight decay pulls the weight towards zero: the penalty's gradient λw is added to "
            "the gradient, and the step subtracts it.",
            "decay-sign",
        ),
        (
            setup.final("none"),
            "That leaves out the weight decay: the step must also shrink the weight by the "
            "penalty's pull λw.",
            "ignored-decay",
        ),
    ]
    if setup.coupling == "decoupled":
        slips.append(
            (
                setup.final(eta=False),
                "The decoupled decay is scaled by the learning rate too: the weight loses ηλw, "
                "not λw.",
                "decay-without-eta",
            )
        )
    elif setup.optimiser == "sgd":
        slips.append(
            (
                setup.final("decoupled", eta=False),
                "The penalty's gradient λw is part of the gradient, so it is multiplied by η "
                "like the rest: the weight loses ηλw, not λw.",
                "decay-without-eta",
            )
        )
    hints = _hints(setup)
    params = {
        "w0": plain_number(setup.w0),
        "gradients": [plain_number(g) for g in setup.gradients],
        "eta": plain_number(setup.eta),
        "lambda": plain_number(setup.lam),
        "optimiser": setup.optimiser,
        "coupling": setup.coupling,
    }
    key = number_answer(answer, slips, rel_tol=REL_TOL)
    return Draft(prompt, key, tuple(solution), hints, params)


def _prompt(setup: _Setup, k: int, how: str) -> str:
    eta, lam = latex_number(setup.eta), latex_number(setup.lam)
    rates = inline(f"\\eta = {eta}")
    decay = inline(f"\\lambda = {lam}")
    start = inline(f"w_0 = {latex_number(setup.w0)}")
    gradients = ", ".join(
        inline(f"g_{t} = {latex_number(g)}") for t, g in enumerate(setup.gradients, 1)
    )
    if setup.optimiser == "sgd":
        method = (
            f"Plain gradient descent with learning rate {rates} trains a weight with an L2 "
            f"penalty {inline(PENALTY)}, {decay}, added to the loss."
        )
    elif setup.coupling == "l2":
        method = (
            f"Adam with learning rate {rates} trains a weight with an L2 penalty "
            f"{inline(PENALTY)}, {decay}, added to the loss."
        )
    else:
        method = (
            f"AdamW with learning rate {rates} trains a weight with decoupled weight decay "
            f"{decay}, applied as in PyTorch (the decay is scaled by the learning rate too)."
        )
    betas = f"\\beta_1 = {latex_number(BETA1)}, \\; \\beta_2 = {latex_number(BETA2)}"
    adam = (
        ""
        if setup.optimiser == "sgd"
        else f" Adam uses {inline(betas)}, zero initial moments, the usual bias correction "
        f"and {inline(NO_EPSILON)}."
    )
    data = "gradient" if k == 1 else "gradients"
    steps = "step 1" if k == 1 else "steps 1 and 2"
    return (
        f"{method}{adam}\n\nStarting from {start}, the data loss (without the penalty) has "
        f"{data} {gradients} at {steps}. What is {inline(f'w_{k}')}?\n\n{how}"
    )


def _solution(setup: _Setup, k: int) -> list[str]:
    run = setup.run()
    eta, lam = latex_number(setup.eta), latex_number(setup.lam)
    if setup.optimiser == "sgd":
        w0, g1 = setup.w0, setup.gradients[0]
        arithmetic = (
            f"w_1 = {latex_number(w0)} - {eta} \\, ({latex_number(g1)} + {lam} \\cdot "
            f"{_bracketed(w0)}) = {_shown(run.w[1])}"
        )
        return [
            f"The penalty {inline(PENALTY)} has gradient {inline(LAMBDA_W)}, which joins the "
            f"data gradient: {inline(SGD_RULE)}.",
            f"So {inline(arithmetic)}.",
            "With plain gradient descent an L2 penalty and decoupled weight decay give the "
            "same step; with an adaptive optimiser they do not.",
        ]
    if setup.coupling == "l2":
        lines = [
            "The L2 penalty is part of the loss, so Adam sees the gradient "
            f"{inline(L2_GRADIENT)} and averages and rescales it like any other."
        ]
    else:
        lines = [
            "AdamW runs Adam on the data gradient alone and takes the decay off the weight "
            f"outside the scaling: \\[ {ADAMW_RULE} \\]"
        ]
    for t in range(1, k + 1):
        w_prev, g, ratio = run.w[t - 1], run.g[t - 1], run.step[t - 1]
        seen = (
            f"g_{t} + \\lambda w_{t - 1} = {latex_number(setup.gradients[t - 1])} + {lam} "
            f"\\cdot {_bracketed(w_prev)} = {_shown(g)}"
            if setup.coupling == "l2"
            else f"g_{t} = {_shown(g)}"
        )
        if t == 1:
            moment = (
                "Bias-corrected, the first moments are that gradient and its square, so "
                f"{inline(f'{ratio_name(1)} = {_shown(ratio)}')} (its sign)"
            )
        else:
            m_hat = float(run.m[1]) / float(1 - BETA1**2)
            v_hat = float(run.v[1]) / float(1 - BETA2**2)
            corrected = (
                f"m_2 = {_shown(run.m[1])}, \\; v_2 = {_shown(run.v[1])}, \\; "
                f"\\hat{{m}}_2 = {_shown(m_hat)}, \\; \\hat{{v}}_2 = {_shown(v_hat)}, \\; "
                f"{ratio_name(2)} = {_shown(ratio)}"
            )
            moment = f"Then {inline(corrected)}"
        if setup.coupling == "l2":
            update = (
                f"w_{t} = {_shown(w_prev)} - {eta} \\cdot {_bracketed(ratio)} = {_shown(run.w[t])}"
            )
        else:
            update = (
                f"w_{t} = {_shown(w_prev)} - {eta} \\, ({_shown(ratio)} + {lam} \\cdot "
                f"{_bracketed(w_prev)}) = {_shown(run.w[t])}"
            )
        lines.append(f"Step {t}: Adam sees {inline(seen)}. {moment}; {inline(update)}.")
    return lines


def ratio_name(t: int) -> str:
    """``m̂ₜ/√v̂ₜ`` in LaTeX."""
    return f"\\frac{{\\hat{{m}}_{t}}}{{\\sqrt{{\\hat{{v}}_{t}}}}}"


def _hints(setup: _Setup) -> tuple[str, ...]:
    if setup.optimiser == "sgd":
        return (
            f"Differentiate the penalty: the derivative of {inline(PENALTY)} is "
            f"{inline(LAMBDA_W)}.",
            "Add it to the data gradient, then take one ordinary gradient step.",
            f"{inline(SGD_RULE)}.",
        )
    where = "An L2 penalty changes the gradient Adam sees; decoupled decay changes only the weight."
    return (
        where,
        f"With {inline(NO_EPSILON)}, bias-corrected Adam with zero initial moments moves the "
        f"first step by exactly {inline(ETA)} against the sign of the gradient it sees.",
        f"AdamW: {inline(ADAMW_RULE)}; Adam with L2: feed {inline(L2_GRADIENT)} to Adam.",
    )


FAMILY = Family(
    name="weight_decay",
    title="L2 penalty versus decoupled weight decay",
    description="Take SGD or Adam steps with an L2 penalty in the loss, or AdamW's decoupled "
    "decay, and report the weight.",
    build=build,
    target_seconds=(60, 150, 360),
    levels=(
        "one SGD step with the penalty (λ/2)w² in the loss",
        "one Adam step with an L2 penalty, or one AdamW step (exact)",
        "two Adam steps with an L2 penalty or two AdamW steps, 4 s.f.",
    ),
)


_shown = worked_number
"""A number in a worked step (:func:`~quizcalc.problems.writing.worked_number`)."""


def _bracketed(value: Number) -> str:
    return worked_number(value, bracket=True)
