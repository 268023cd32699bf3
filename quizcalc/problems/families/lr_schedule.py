"""``lr_schedule``: the learning rate at step t under step decay, or warmup then cosine decay.

Step decay multiplies ``η₀`` by ``γ`` every ``s`` steps: ``η_t = η₀ γ^⌊t/s⌋``. Linear warmup
then cosine decay rises as ``η_max t/W`` to step ``W``, then follows half a cosine period,
``η_t = η_min + (η_max − η_min) · ½(1 + cos(π (t − W)/(T − W)))``, down to ``η_min`` at ``T``.

Difficulty 1: step decay (exact). Difficulty 2: warmup then cosine to zero, at a step where
the cosine is a familiar value (or still in the warmup). Difficulty 3: warmup then cosine to a
floor ``η_min > 0`` at any step of the decay (4 significant figures).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from fractions import Fraction

from quizcalc.problems.expected import REL_TOL, Slip, number_answer, number_text
from quizcalc.problems.family import Draft, Family, draw_until
from quizcalc.problems.numbers import latex_number, plain_number, readable
from quizcalc.problems.writing import answer_line, how_to_answer, inline, worked_number

__all__ = ["FAMILY", "cosine_rate", "step_rate"]

Number = Fraction | float

COSINE = (
    "\\eta_t = \\eta_{\\min} + (\\eta_{\\max} - \\eta_{\\min}) \\cdot \\tfrac{1}{2} "
    "\\left(1 + \\cos\\left(\\pi \\, \\frac{t - W}{T - W}\\right)\\right)"
)
WARMUP = "\\eta_t = \\eta_{\\max} \\, \\frac{t}{W}"
STEP = "\\eta_t = \\eta_0 \\, \\gamma^{k}, \\quad k = \\lfloor t / s \\rfloor"
FLOOR = "\\lfloor t / s \\rfloor"
ETA0 = "\\eta_0"
GAMMA_ETA0 = "\\gamma \\eta_0"
ETA_MAX = "\\eta_{\\max}"
PROGRESS = "p = \\frac{t - W}{T - W}"

_EXACT_COSINES = {
    Fraction(0): Fraction(1),
    Fraction(1, 3): Fraction(1, 2),
    Fraction(1, 2): Fraction(0),
    Fraction(2, 3): Fraction(-1, 2),
    Fraction(1): Fraction(-1),
}
"""cos(πp) for the progress values where it is rational."""


def cos_pi(p: Fraction) -> Number:
    """``cos(π p)``, exact where it is rational."""
    return _EXACT_COSINES.get(p, math.cos(math.pi * p))


def _clean(value: Number) -> Number:
    return readable(value) if isinstance(value, Fraction) else value


def step_rate(eta0: Fraction, gamma: Fraction, every: int, t: int) -> Fraction:
    """Step decay: ``η₀ γ^⌊t/s⌋``."""
    return eta0 * gamma ** (t // every)


@dataclass(frozen=True)
class Cosine:
    """Linear warmup from 0 over ``warmup`` steps, then half a cosine to ``low`` at ``total``."""

    high: Fraction
    low: Fraction
    warmup: int
    total: int

    def progress(self, t: int) -> Fraction:
        """How far through the decay step ``t`` is: 0 at ``W``, 1 at ``T``."""
        return Fraction(t - self.warmup, self.total - self.warmup)


def cosine_rate(schedule: Cosine, t: int, half: bool = True, warmup: bool = True) -> Number:
    """The rate at step ``t``; ``half=False`` drops the ½(1 + ·), ``warmup=False`` runs the
    cosine over all ``T`` steps from step 0 (both misconceptions)."""
    if warmup and t < schedule.warmup:
        return _clean(schedule.high * Fraction(t, schedule.warmup))
    p = schedule.progress(t) if warmup else Fraction(t, schedule.total)
    p = min(max(p, Fraction(0)), Fraction(1))
    c = cos_pi(p)
    shape = (1 + c) / 2 if half else c
    return _clean(schedule.low + (schedule.high - schedule.low) * shape)


# --- difficulty 1: step decay -----------------------------------------------------------------


@dataclass(frozen=True)
class _Step:
    eta0: Fraction
    gamma: Fraction
    every: int
    t: int


def _draw_step(rng: random.Random) -> _Step:
    every = rng.choice([5, 10, 20, 25, 30, 50, 100])
    drops = rng.randint(1, 3)
    # A third of the steps sit on a boundary, where the off-by-one slips bite hardest.
    offset = rng.choice([0, 0, -1, rng.randint(1, every - 1), rng.randint(1, every - 1)])
    t = drops * every + offset
    eta0 = Fraction(rng.choice(["1", "0.1", "0.5", "0.01", "0.2"]))
    return _Step(eta0, Fraction(rng.choice(["0.1", "0.5"])), every, t)


def _step_decay(rng: random.Random) -> Draft:
    setup = _draw_step(rng)
    eta0, gamma, every, t = setup.eta0, setup.gamma, setup.every, setup.t
    k = t // every
    answer = step_rate(eta0, gamma, every, t)
    e0, g = latex_number(eta0), latex_number(gamma)
    start = "\\eta_0 = " + e0
    factor = "\\gamma = " + g
    block = f"s = {every}"
    prompt = (
        f"A step-decay schedule starts at {inline(start)} and multiplies the learning rate by "
        f"{inline(factor)} every {inline(block)} steps: steps 0 to {every - 1} use "
        f"{inline(ETA0)}, steps {every} to {2 * every - 1} use {inline(GAMMA_ETA0)}, and so "
        f"on. What is the learning rate at step {inline(f't = {t}')}?\n\n{how_to_answer(answer)}"
    )
    drops = f"\\lfloor {t} / {every} \\rfloor = {k}"
    value = f"\\eta_{{{t}}} = {e0} \\cdot {g}^{{{k}}} = {latex_number(answer)}"
    solution = [
        f"Step decay: {inline(STEP)}.",
        f"Drops so far: {inline(drops)}.",
        f"So {inline(value)}.",
        answer_line(plain_number(answer)),
    ]
    slips: list[Slip] = [
        (
            step_rate(eta0, gamma, every, t + every),
            "That is one drop too many: the rate drops after each full block of s steps, "
            "so step t has had ⌊t/s⌋ drops.",
            "off-by-one-drops",
        ),
        (
            float(eta0) * float(gamma) ** (t / every),
            "That decays smoothly, γ^(t/s); step decay holds the rate flat within a block, "
            "γ^⌊t/s⌋.",
            "continuous-decay",
        ),
    ]
    if k >= 1:
        slips.insert(
            1,
            (
                step_rate(eta0, gamma, every, t - every),
                "That is one drop too few: count the blocks of s steps completed, ⌊t/s⌋ "
                "(step s itself already uses γη₀).",
                "off-by-one-drops",
            ),
        )
    if k >= 2:
        slips.append(
            (
                eta0 * gamma * k,
                "The factor γ is applied once per drop: γ to the power ⌊t/s⌋, not γ times ⌊t/s⌋.",
                "gamma-times-drops",
            )
        )
    hints = (
        f"Count the drops: {inline(FLOOR)}.",
        f"Steps 0 to {inline('s - 1')} have had no drop; step {inline('s')} is the first with one.",
        f"{inline(STEP)}.",
    )
    params = {
        "kind": "step",
        "eta0": plain_number(eta0),
        "gamma": plain_number(gamma),
        "every": every,
        "t": t,
    }
    key = number_answer(answer, slips, rel_tol=REL_TOL)
    return Draft(prompt, key, tuple(solution), hints, params)


# --- difficulties 2 and 3: warmup then cosine -------------------------------------------------


def _draw_cosine(rng: random.Random, difficulty: int) -> tuple[Cosine, int]:
    high = Fraction(rng.choice(["0.1", "0.01", "0.001", "0.5", "0.003"]))
    warmup = rng.choice([2, 3, 4, 5, 6, 10])
    if difficulty == 2:
        span = rng.choice([6, 12, 24, 36])
        schedule = Cosine(high, Fraction(0), warmup, warmup + span)
        if rng.random() < 0.25:
            return schedule, rng.randint(1, warmup - 1)
        p = rng.choice(
            [
                Fraction(1, 3),
                Fraction(1, 2),
                Fraction(2, 3),
                Fraction(1, 6),
                Fraction(5, 6),
                Fraction(1, 4),
                Fraction(3, 4),
            ]
        )
        if (p * span).denominator != 1:
            p = Fraction(1, 2)
        return schedule, warmup + int(p * span)
    span = rng.choice([10, 15, 20, 30, 40, 45, 90])
    low = high / rng.choice([10, 20, 100])
    schedule = Cosine(high, low, warmup, warmup + span)
    return schedule, warmup + rng.randint(1, span - 1)


def _cosine_valid(candidate: tuple[Cosine, int]) -> bool:
    schedule, t = candidate
    answer = cosine_rate(schedule, t)
    return answer != schedule.low and answer != schedule.high


def _warmup_cosine(rng: random.Random, difficulty: int) -> Draft:
    schedule, t = draw_until(rng, lambda r: _draw_cosine(r, difficulty), _cosine_valid)
    high, low, warmup, total = schedule.high, schedule.low, schedule.warmup, schedule.total
    answer = cosine_rate(schedule, t)
    hi, lo = latex_number(high), latex_number(low)
    top = "\\eta_{\\max} = " + hi
    floor = "\\eta_{\\min} = " + lo
    prompt = (
        f"A learning-rate schedule warms up linearly from 0 at step 0 to {inline(top)} at "
        f"step {inline(f'W = {warmup}')}, then decays along half a cosine period from "
        f"{inline(ETA_MAX)} at step {inline('W')} to {inline(floor)} at step "
        f"{inline(f'T = {total}')}. What is the learning rate at step {inline(f't = {t}')}?"
        f"\n\n{how_to_answer(answer)}"
    )
    if t < warmup:
        value = f"\\eta_{{{t}}} = {hi} \\cdot \\frac{{{t}}}{{{warmup}}} = {_shown(answer)}"
        solution = [
            f"Step {t} is still in the warmup ({inline(f't < W = {warmup}')}): {inline(WARMUP)}.",
            f"So {inline(value)}.",
        ]
    else:
        p = schedule.progress(t)
        c = cos_pi(p)
        progress = f"\\frac{{{t} - {warmup}}}{{{total} - {warmup}}} = {latex_number(p)}"
        cosine = f"\\cos({latex_number(p)} \\pi) = {_shown(c)}"
        value = (
            f"\\eta_{{{t}}} = {lo} + ({hi} - {lo}) \\cdot \\tfrac{{1}}{{2}} (1 + {_bracketed(c)}) "
            f"= {_shown(answer)}"
        )
        solution = [
            f"Step {t} is past the warmup, so the cosine applies: {inline(COSINE)}.",
            f"Progress through the decay: {inline(progress)}, and {inline(cosine)}.",
            f"So {inline(value)}.",
        ]
    solution.append(answer_line(number_text(answer)))
    slips: list[Slip] = []
    if t >= warmup:
        slips += [
            (
                cosine_rate(schedule, t, half=False),
                "Cosine decay uses ½(1 + cos(πp)), which runs from 1 to 0 as the progress p "
                "goes from 0 to 1; cos(πp) alone runs from 1 to −1.",
                "no-half-one-plus",
            ),
            (
                cosine_rate(schedule, t, warmup=False),
                "The cosine starts after the warmup: its progress is (t − W)/(T − W), not t/T.",
                "ignored-warmup",
            ),
        ]
        if low:
            slips += [
                (
                    cosine_rate(Cosine(high, Fraction(0), warmup, total), t),
                    "The cosine ends at the floor, not at zero: it adds the floor to the "
                    "decayed gap between the peak and the floor.",
                    "ignored-floor",
                ),
                (
                    _clean(low + high * (1 + cos_pi(schedule.progress(t))) / 2),
                    "The cosine scales the gap between the peak and the floor, not the peak "
                    "itself: otherwise the rate would start above the peak.",
                    "floor-not-subtracted",
                ),
            ]
    slips += [
        (
            cosine_rate(schedule, t - 1),
            "That is the rate one step earlier, at t − 1: evaluate the schedule at step t itself.",
            "off-by-one-step",
        ),
        (
            cosine_rate(schedule, t + 1),
            "That is the rate one step later, at t + 1: evaluate the schedule at step t itself.",
            "off-by-one-step",
        ),
    ]
    hints = (
        f"First decide the phase: warmup while {inline('t < W')}, cosine after.",
        f"Warmup: {inline(WARMUP)}. Cosine: the progress is {inline(PROGRESS)}.",
        f"{inline(COSINE)}.",
    )
    params = {
        "kind": "cosine",
        "eta_max": plain_number(high),
        "eta_min": plain_number(low),
        "warmup": warmup,
        "total": total,
        "t": t,
    }
    key = number_answer(answer, slips, rel_tol=REL_TOL)
    return Draft(prompt, key, tuple(solution), hints, params)


def build(rng: random.Random, difficulty: int) -> Draft:
    """The learning rate at one step: step decay (level 1), warmup then cosine (2–3)."""
    if difficulty == 1:
        return _step_decay(rng)
    return _warmup_cosine(rng, difficulty)


FAMILY = Family(
    name="lr_schedule",
    title="Learning-rate schedules",
    description="The learning rate at step t under step decay, or linear warmup then cosine decay.",
    build=build,
    target_seconds=(45, 90, 150),
    levels=(
        "step decay η₀ γ to the power ⌊t/s⌋ (exact)",
        "warmup then cosine to zero, at a step where the cosine is familiar",
        "warmup then cosine to a floor above zero at any step, 4 s.f.",
    ),
)


_shown = worked_number
"""A number in a worked step (:func:`~quizcalc.problems.writing.worked_number`)."""


def _bracketed(value: Number) -> str:
    return worked_number(value, bracket=True)
