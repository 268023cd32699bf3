"""``lr_divergence``: will gradient descent converge? Learning rate against curvature.

On a quadratic each step multiplies the distance to the minimum by ``r = 1 − ηλ`` along each
curvature direction, so the story is told by ``ηλ_max``: below 1 it converges monotonically
(exactly 1: in one step), between 1 and 2 it converges while oscillating, at exactly 2 it
oscillates forever, above 2 it diverges. Instances stay at least 2 % away from the
boundaries unless they sit exactly on one (built with exact rationals).

Difficulty 1 gives the curvature λ; difficulty 2 hides it in ``a(w − c)²`` (λ = 2a, the
classic trap); difficulty 3 is a 2-D quadratic whose Hessian eigenvalues are ``2a ± q`` (only
the largest matters). A quarter of instances ask instead for the stability threshold
``η* = 2/λ_max`` (a number).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction

from quizcalc.grading.answers import Answer
from quizcalc.problems.expected import Slip, choice_answer, number_answer
from quizcalc.problems.family import Draft, Family, draw_until
from quizcalc.problems.model import Trajectory
from quizcalc.problems.numbers import latex_number, plain_number
from quizcalc.problems.writing import answer_line, how_to_answer, inline

__all__ = ["FAMILY", "OPTIONS", "classify"]

MONOTONE = "converges monotonically"
OSCILLATING = "converges with oscillation"
FOREVER = "oscillates forever"
DIVERGES = "diverges"
OPTIONS = (MONOTONE, OSCILLATING, FOREVER, DIVERGES)
"""The four fates of gradient descent on a quadratic, in order of growing η."""

_RATES = tuple(
    Fraction(r)
    for r in (
        *("0.01", "0.02", "0.05", "0.1", "0.125", "0.15", "0.2", "0.25", "0.3"),
        *("0.4", "0.5", "0.6", "0.75", "0.8", "1", "1.2", "1.5", "2"),
    )
)
_MARGIN = Fraction(2, 100)
"""Relative distance an η must keep from 1/λ and 2/λ unless it is exactly on one."""
_PLOT_STEPS = 12


def classify(eta_lambda: Fraction) -> str:
    """The fate of GD on a quadratic whose largest curvature times η is ``eta_lambda``."""
    if eta_lambda <= 1:
        return MONOTONE
    if eta_lambda < 2:
        return OSCILLATING
    return FOREVER if eta_lambda == 2 else DIVERGES


def _clear_of_boundaries(x: Fraction) -> bool:
    return all(x == b or abs(x - b) >= _MARGIN * b for b in (1, 2))


@dataclass(frozen=True)
class _Setup:
    difficulty: int
    a: int
    """d1: λ itself; d2: the coefficient of (w − c)²; d3: the diagonal coefficient."""
    q: int
    """d3: the cross coefficient (Hessian off-diagonal); 0 otherwise."""
    c: int
    eta: Fraction
    w0: tuple[int, int]

    @property
    def lam_max(self) -> Fraction:
        """The largest curvature (Hessian eigenvalue)."""
        if self.difficulty == 1:
            return Fraction(self.a)
        return Fraction(2 * self.a + abs(self.q))

    @property
    def lam_min(self) -> Fraction:
        """The smallest curvature (Hessian eigenvalue)."""
        return self.lam_max if self.difficulty < 3 else Fraction(2 * self.a - abs(self.q))


def _draw(rng: random.Random, difficulty: int, target: str | None) -> _Setup:
    eta = rng.choice(_RATES)
    w0 = (rng.choice([-3, -2, -1, 1, 2, 3]), rng.choice([-2, -1, 1, 2]))
    if difficulty == 1:
        return _Setup(1, rng.choice([1, 2, 3, 4, 5, 8, 10]), 0, 0, eta, w0)
    if difficulty == 2:
        return _Setup(2, rng.choice([1, 2, 3, 4, 5]), 0, rng.randint(-3, 3), eta, w0)
    a = rng.randint(1, 4)
    q = rng.choice([v for v in range(-2 * a + 1, 2 * a) if v])
    if w0[0] + (1 if q > 0 else -1) * w0[1] == 0:
        w0 = (w0[0], -w0[1])  # a start on the flat eigenvector would never feel λ_max
    return _Setup(3, a, q, 0, eta, w0)


def _valid(setup: _Setup, target: str | None) -> bool:
    x = setup.eta * setup.lam_max
    if not _clear_of_boundaries(x) or x > 4:
        return False
    if target is None:  # the threshold variant: 2/λ_max should be a readable number
        return (2 / setup.lam_max).denominator <= 20
    return classify(x) == target


def build(rng: random.Random, difficulty: int) -> Draft:
    """Either classify GD's fate (choice) or find the stability threshold 2/λ_max (number)."""
    ask_threshold = rng.random() < 0.25
    target = None if ask_threshold else rng.choice(OPTIONS)
    setup = draw_until(rng, lambda r: _draw(r, difficulty, target), lambda s: _valid(s, target))
    loss_text, curvature_lines = _describe(setup)
    x = setup.eta * setup.lam_max
    cls = classify(x)
    solution = list(curvature_lines)
    eta = latex_number(setup.eta)
    lam = latex_number(setup.lam_max)
    answer: Answer
    if ask_threshold:
        threshold = 2 / setup.lam_max
        prompt = _threshold_prompt(loss_text, threshold)
        solution.append(
            f"Each step multiplies the distance to the minimum, along the steepest direction, "
            f"by {inline('r = 1 - ' + ETA_LAM)}; convergence needs {inline('|r| < 1')}, i.e. "
            f"{inline('0 < ' + ETA_LAM + ' < 2')}."
        )
        value = latex_number(threshold)
        substituted = _over(2, lam)
        result = f"{substituted} = {value}" if value != substituted else value
        solution.append(f"So {inline(f'{ETA_STAR} = {TWO_OVER} = {result}')}.")
        solution.append(answer_line(plain_number(threshold)))
        answer = number_answer(threshold, _threshold_slips(setup))
    else:
        prompt = _classify_prompt(loss_text, eta)
        r = 1 - x
        solution.append(_r_line(difficulty, eta, lam, r))
        solution.append(RULES)
        solution.append(_verdict_line(setup, cls))
        solution.append(answer_line(cls))
        answer = choice_answer(OPTIONS, cls, _choice_slips(setup, cls))
    hints = (
        "Find the curvature: the second derivative (in 2-D, the Hessian's largest eigenvalue).",
        f"Compare {inline(ETA)} with {inline(ONE_OVER)} and {inline(TWO_OVER)}: one step "
        f"multiplies the error by {inline('1 - ' + ETA_LAM)}.",
        f"{inline(f'|1 - {ETA_LAM}| < 1')} converges; a negative {inline('1 - ' + ETA_LAM)} flips "
        "sides every step.",
    )
    params = {
        "mode": "threshold" if ask_threshold else "classify",
        "a": setup.a,
        "q": setup.q,
        "c": setup.c,
        "eta": plain_number(setup.eta),
        "lambda_max": plain_number(setup.lam_max),
        "lambda_min": plain_number(setup.lam_min),
        # The start: a position (its distance to the minimum w* = c is never 0).
        "w0": list(setup.w0) if difficulty == 3 else setup.c + setup.w0[0],
        "class": cls,
    }
    return Draft(prompt, answer, tuple(solution), hints, params, _trajectory(setup, cls))


ETA_LAM = "\\eta \\lambda"
ETA = "\\eta"
ONE_OVER = "\\frac{1}{\\lambda}"
TWO_OVER = "\\frac{2}{\\lambda}"
ETA_STAR = "\\eta^*"
LAMBDA = "\\lambda"
RULES = (
    "Rules: \\(\\eta\\lambda \\le 1\\) converges monotonically (\\(= 1\\): in one step); "
    "\\(1 < \\eta\\lambda < 2\\) converges while oscillating; \\(\\eta\\lambda = 2\\) oscillates "
    "forever; \\(\\eta\\lambda > 2\\) diverges."
)


def _over(top: int, bottom: str) -> str:
    """``\\frac{2}{3}``, unreduced, as the solution substitutes it."""
    return f"\\frac{{{top}}}{{{bottom}}}"


def _threshold_prompt(loss_text: str, threshold: Fraction) -> str:
    return (
        "Plain gradient descent \\(w_{t+1} = w_t - \\eta \\nabla L(w_t)\\) with a fixed learning "
        f"rate runs on {loss_text}\n\n"
        "Find the stability threshold: the learning rate \\(\\eta^*\\) such that GD converges "
        "from any start for every \\(0 < \\eta < \\eta^*\\), and no longer converges at "
        f"\\(\\eta = \\eta^*\\).\n\n{how_to_answer(threshold)}"
    )


def _classify_prompt(loss_text: str, eta: str) -> str:
    options = "\n".join(f"{i}. {option}" for i, option in enumerate(OPTIONS, start=1))
    return (
        f"Plain gradient descent \\(w_{{t+1}} = w_t - \\eta \\nabla L(w_t)\\) with learning rate "
        f"\\(\\eta = {eta}\\) runs on {loss_text}\n\n"
        "Starting away from the minimum, what does it do?\n\n"
        f"{options}\n\nAnswer with the option's text or its number."
    )


def _describe(setup: _Setup) -> tuple[str, list[str]]:
    """The loss as the prompt states it, and the solution lines that find λ_max."""
    lam = latex_number(setup.lam_max)
    if setup.difficulty == 1:
        text = (
            f"a quadratic loss whose curvature (second derivative) is \\(\\lambda = {lam}\\)"
            " everywhere."
        )
        return text, [f"The curvature is given: \\(\\lambda = {lam}\\)."]
    if setup.difficulty == 2:
        shift = "w" if setup.c == 0 else f"w - {setup.c}" if setup.c > 0 else f"w + {-setup.c}"
        coef = str(setup.a) if setup.a != 1 else ""
        body = f"{coef}w^{{2}}" if setup.c == 0 else f"{coef}({shift})^{{2}}"
        text = f"\\(L(w) = {body}\\)."
        line = f"Curvature: \\(\\lambda = L''(w) = 2 \\cdot {setup.a} = {lam}\\) (not {setup.a})."
        return text, [line]
    a, q = setup.a, setup.q
    cross = f" {'+' if q > 0 else '-'} {abs(q) if abs(q) != 1 else ''}w_1 w_2"
    coef = "" if a == 1 else str(a)
    text = f"\\(L(w_1, w_2) = {coef}w_1^{{2}}{cross} + {coef}w_2^{{2}}\\)."
    hessian = f"\\begin{{bmatrix}} {2 * a} & {q} \\\\ {q} & {2 * a} \\end{{bmatrix}}"
    lines = [
        f"The Hessian is \\[ H = {hessian} \\] with eigenvalues \\(2a \\pm |q| = {2 * a} \\pm "
        f"{abs(q)}\\): \\(\\lambda_{{\\min}} = {latex_number(setup.lam_min)}\\), "
        f"\\(\\lambda_{{\\max}} = {lam}\\) (eigenvectors \\((1, \\pm 1)\\)).",
        "The steepest direction (largest eigenvalue) is the first to go unstable, so "
        f"\\(\\lambda = \\lambda_{{\\max}} = {lam}\\) decides.",
    ]
    return text, lines


def _r_line(difficulty: int, eta: str, lam: str, r: Fraction) -> str:
    where = " along the steepest direction" if difficulty == 3 else ""
    return (
        f"Each step multiplies the distance to the minimum{where} by "
        f"\\(r = 1 - \\eta\\lambda = 1 - {eta} \\cdot {lam} = {latex_number(r)}\\)."
    )


def _verdict_line(setup: _Setup, cls: str) -> str:
    x = latex_number(setup.eta * setup.lam_max)
    if cls == MONOTONE and setup.eta * setup.lam_max == 1:
        return (
            "Here \\(\\eta\\lambda = 1\\) exactly: \\(r = 0\\), so a single step lands on the "
            "minimum (counted as converging monotonically)."
        )
    return f"Here \\(\\eta\\lambda = {x}\\): {_REASONS[cls]}, so GD {cls}."


_REASONS = {
    MONOTONE: "\\(0 \\le r < 1\\), so every step shrinks the distance and stays on the same side",
    OSCILLATING: "\\(-1 < r < 0\\), so each step overshoots to the other side, but by less",
    FOREVER: "\\(r = -1\\), so each step jumps to the mirror point at the same distance",
    DIVERGES: "\\(r < -1\\), so each step overshoots by more than the distance it started from",
}


def _choice_slips(setup: _Setup, cls: str) -> list[tuple[str, str, str]]:
    """For each wrong option, the most likely reasoning behind it and a tutor's reply.

    The replies are shown before the learner gives up, so they name the slip (which curvature,
    which threshold, which strict inequality) and never the right option, nor the value of ηλ
    or r that would settle it.
    """
    x = setup.eta * setup.lam_max
    slips: list[tuple[str, str, str]] = []
    if setup.difficulty == 2:
        wrong = classify(setup.eta * setup.a)
        message = (
            f"The curvature of {setup.a}(w − c)² is L'' = 2·{setup.a} = {2 * setup.a}, not "
            f"{setup.a}: redo ηλ with λ = {2 * setup.a}."
        )
        slips.append((wrong, message, "curvature-is-2a"))
    if setup.difficulty == 3:
        wrong = classify(setup.eta * setup.lam_min)
        message = (
            f"The largest curvature sets the limit: use λₘₐₓ = {setup.lam_max}, not λₘᵢₙ = "
            f"{setup.lam_min}."
        )
        slips.append((wrong, message, "smallest-eigenvalue"))
        wrong = classify(setup.eta * 2 * setup.a)
        message = (
            f"The cross term w₁w₂ changes the curvature: the Hessian's eigenvalues are "
            f"{2 * setup.a} ± {abs(setup.q)}, not just its diagonal {2 * setup.a}."
        )
        slips.append((wrong, message, "ignored-coupling"))
    if cls == FOREVER:
        slips.append(
            (
                DIVERGES,
                "Divergence needs |r| = |1 − ηλ| > 1 strictly, a distance that grows: "
                "compute r exactly, not just whether η reaches 2/λ.",
                "boundary-case",
            )
        )
        slips.append(
            (
                OSCILLATING,
                "Converging needs |r| = |1 − ηλ| < 1 strictly, an overshoot that shrinks: "
                "compute r exactly, not just whether η is above 1/λ.",
                "boundary-case",
            )
        )
    if x == 1:
        slips.append(
            (
                OSCILLATING,
                "Oscillating needs an overshoot, r = 1 − ηλ < 0 strictly (η > 1/λ): "
                "compute r exactly for this η.",
                "boundary-case",
            )
        )
    if 1 < x < 2:
        slips.append(
            (
                DIVERGES,
                "You seem to have compared η with 1/λ: that is where GD starts to overshoot, "
                "not where it stops converging; compare η with 2/λ too.",
                "threshold-1-vs-2",
            )
        )
        slips.append(
            (
                MONOTONE,
                "You seem to have compared η with 2/λ only: an η above 1/λ already "
                "overshoots the minimum; compare η with 1/λ too.",
                "threshold-1-vs-2",
            )
        )
    if x > 2:
        slips.append(
            (
                OSCILLATING,
                "An overshoot (η > 1/λ) only shrinks while η < 2/λ: you seem to have compared "
                "η with 1/λ only; compare it with 2/λ too.",
                "threshold-1-vs-2",
            )
        )
    if x < 1:
        slips.append(
            (
                OSCILLATING,
                "Oscillating needs an overshoot, r = 1 − ηλ < 0, i.e. η > 1/λ: compare η with 1/λ.",
                "threshold-1-vs-2",
            )
        )
    generic = (
        "Use the stability rule: one step multiplies the distance to the minimum by "
        "r = 1 − ηλ; find λ, then compare ηλ with 1 and with 2."
    )
    slips.extend((option, generic, "stability-rule") for option in OPTIONS)
    return [slip for slip in slips if slip[0] != cls]


def _threshold_slips(setup: _Setup) -> list[Slip]:
    lam = setup.lam_max
    slips: list[Slip] = [
        (
            1 / lam,
            "1/λ is where GD starts to overshoot the minimum, not where it stops converging.",
            "monotone-bound",
        ),
        (
            lam / 2,
            "Upside down: a sharper curvature (bigger λ) needs a smaller learning rate.",
            "inverted",
        ),
    ]
    if setup.difficulty == 2:
        slips.append(
            (
                Fraction(2, setup.a),
                f"The curvature of {setup.a}(w − c)² is 2·{setup.a}, not {setup.a}.",
                "curvature-is-2a",
            )
        )
    if setup.difficulty == 3:
        slips.append(
            (
                2 / setup.lam_min,
                "The sharpest direction fails first: use λₘₐₓ, not λₘᵢₙ.",
                "smallest-eigenvalue",
            )
        )
        slips.append(
            (
                Fraction(2, 2 * setup.a),
                "The cross term changes the curvature: use the "
                "Hessian's largest eigenvalue, not its diagonal entry.",
                "ignored-coupling",
            )
        )
    return slips


def _trajectory(setup: _Setup, cls: str) -> Trajectory:
    """The error along the steepest direction for a dozen steps: the picture is the lesson."""
    r = 1 - setup.eta * setup.lam_max
    start = Fraction(setup.w0[0])
    if setup.difficulty == 3:  # the component along the top eigenvector (1, ±1)/√2
        start = (setup.w0[0] + (1 if setup.q > 0 else -1) * setup.w0[1]) / Fraction(2)
    errors = [start * r**t for t in range(_PLOT_STEPS + 1)]
    lam = setup.lam_max
    if setup.difficulty == 2:
        ws = tuple(float(setup.c + e) for e in errors)
    else:
        ws = tuple(float(e) for e in errors)
    losses = tuple(float(lam * e * e / 2) for e in errors)
    label = (
        f"{inline(f'{ETA} = {latex_number(setup.eta)}')}, "
        f"{inline(f'{LAMBDA} = {latex_number(lam)}')}: {cls}"
    )
    if setup.difficulty == 3:
        label += f" ({inline('w')} along the steepest direction)"
    return Trajectory(ws, losses, label)


FAMILY = Family(
    name="lr_divergence",
    title="Learning rate vs curvature",
    description="Predict whether GD converges, oscillates or diverges from η and the curvature.",
    build=build,
    target_seconds=(45, 75, 120),
    levels=(
        "curvature λ given; classify η (or find 2/λ)",
        "L(w) = a(w − c)²: the curvature is 2a, not a",
        "2-D quadratic with a cross term: Hessian eigenvalues 2a ± q, the largest decides",
    ),
)
