"""``bayes_rule``: the probability of disease after a test result, from prior and test accuracy.

``P(D | result) = P(result | D) P(D) / P(result)``, where ``P(result)`` adds the result's
probability in the sick and in the healthy (the law of total probability). Difficulty 1: one
positive test with round numbers and a simple-fraction answer. Difficulty 2: a rare disease,
a positive or a negative result. Difficulty 3: the same test taken twice (results independent
given the disease status), both positive or one of each.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from quizcalc.problems.expected import ABS_TOL, REL_TOL, Slip, number_answer, number_text
from quizcalc.problems.family import Draft, Family, draw_until
from quizcalc.problems.numbers import is_close, latex_number, plain_number, readable, round_sig
from quizcalc.problems.writing import answer_line, how_to_answer, inline

__all__ = ["FAMILY", "posterior"]

POSITIVE = "+"
NEGATIVE = "-"

_EASY_PRIORS: tuple[str, ...] = ("0.5", "0.4", "0.3", "0.25", "0.2", "0.1", "0.05", "0.02", "0.01")
_EASY_SENSITIVITIES: tuple[str, ...] = ("0.6", "0.75", "0.8", "0.9", "0.95")
_EASY_SPECIFICITIES: tuple[str, ...] = (
    "0.6",
    "0.7",
    "0.75",
    "0.8",
    "0.85",
    "0.9",
    "0.95",
    "0.98",
    "0.99",
)
_RARE_PRIORS = ("0.001", "0.002", "0.005", "0.01", "0.02", "0.05")
_SENSITIVITIES = ("0.8", "0.85", "0.9", "0.95", "0.98", "0.99")
_SPECIFICITIES = ("0.9", "0.95", "0.97", "0.98", "0.99", "0.995")
_REPEAT_PRIORS = ("0.01", "0.02", "0.05", "0.1")


@dataclass(frozen=True)
class _Instance:
    prior: Fraction
    sensitivity: Fraction
    specificity: Fraction
    results: str
    """One character per test, in order: ``+`` positive, ``-`` negative."""


def _likelihood(result: str, sick: bool, sensitivity: Fraction, specificity: Fraction) -> Fraction:
    """``P(result | D)`` (``sick``) or ``P(result | not D)`` for one test."""
    if sick:
        return sensitivity if result == POSITIVE else 1 - sensitivity
    return 1 - specificity if result == POSITIVE else specificity


def _joint(inst: _Instance, sick: bool) -> Fraction:
    """``P(results | status)``: independent tests given the status multiply."""
    out = Fraction(1)
    for result in inst.results:
        out *= _likelihood(result, sick, inst.sensitivity, inst.specificity)
    return out


def posterior(
    prior: Fraction, sensitivity: Fraction, specificity: Fraction, results: str
) -> Fraction:
    """``P(D | results)`` by Bayes' rule, for tests independent given the disease status."""
    inst = _Instance(prior, sensitivity, specificity, results)
    sick = prior * _joint(inst, True)
    healthy = (1 - prior) * _joint(inst, False)
    return sick / (sick + healthy)


def _draw(rng: random.Random, difficulty: int) -> _Instance:
    if difficulty == 1:
        priors, sensitivities, specificities = (
            _EASY_PRIORS,
            _EASY_SENSITIVITIES,
            _EASY_SPECIFICITIES,
        )
        results = POSITIVE
    elif difficulty == 2:
        priors, sensitivities, specificities = _RARE_PRIORS, _SENSITIVITIES, _SPECIFICITIES
        results = POSITIVE if rng.random() < 0.6 else NEGATIVE
    else:
        priors, sensitivities, specificities = _REPEAT_PRIORS, _SENSITIVITIES, _SPECIFICITIES
        results = POSITIVE * 2 if rng.random() < 0.6 else POSITIVE + NEGATIVE
    return _Instance(
        Fraction(rng.choice(priors)),
        Fraction(rng.choice(sensitivities)),
        Fraction(rng.choice(specificities)),
        results,
    )


def _valid(difficulty: int) -> Callable[[_Instance], bool]:
    def valid(inst: _Instance) -> bool:
        value = posterior(inst.prior, inst.sensitivity, inst.specificity, inst.results)
        base_rate = _joint(inst, True)
        swapped = posterior(inst.prior, inst.specificity, inst.sensitivity, inst.results)
        # The two headline slips stand apart from the right value and from each other (near
        # a posterior of 1 they can all crowd within a tenth of a percent).
        if any(
            is_close(x, y, REL_TOL, ABS_TOL)
            for x, y in ((value, base_rate), (value, swapped), (base_rate, swapped))
        ):
            return False
        return difficulty > 1 or value.denominator <= 20

    return valid


def _slips(inst: _Instance) -> list[Slip]:
    """The wrong posteriors, most instructive first (number_answer drops any too near)."""
    p, s, c, results = inst.prior, inst.sensitivity, inst.specificity, inst.results
    sick = p * _joint(inst, True)
    healthy_rate = _joint(inst, False)
    given = _given_text(results)
    slips: list[Slip] = [
        (
            readable(_joint(inst, True)),
            f"That is P({given} ∣ D), how the test behaves in the sick, not P(D ∣ {given}): "
            "Bayes' rule weighs it by the base rate P(D) and divides by the probability of "
            "the results.",
            "base-rate-ignored",
        ),
        (
            readable(posterior(p, c, s, results)),
            "Sensitivity and specificity are swapped: sensitivity is P(+ ∣ D), specificity "
            "is P(− ∣ not D).",
            "sensitivity-specificity-swapped",
        ),
        (
            readable(sick),
            f"That is the joint probability P(D and {given}): divide it by P({given}), "
            "summed over the sick and the healthy.",
            "missing-evidence",
        ),
        (
            readable(sick / (sick + healthy_rate)),
            "In P(result) the healthy term needs its weight too: P(result ∣ not D) times "
            "P(not D) = 1 − P(D).",
            "unweighted-healthy-term",
        ),
    ]
    if len(results) > 1:
        slips.append(
            (
                readable(posterior(p, s, c, results[0])),
                "That uses the first test only: the second result updates the probability "
                "again (multiply both tests' probabilities, given each status).",
                "second-test-ignored",
            )
        )
    return slips


def _given_text(results: str) -> str:
    """The results as feedback writes them: ``+``, ``−``, ``+, +``."""
    return ", ".join("−" if r == NEGATIVE else "+" for r in results)


def _given_latex(results: str) -> str:
    """The results as the maths writes them: ``+``, ``-``, ``+, +``."""
    return ", ".join(results)


def _percent(value: Fraction) -> str:
    return f"{plain_number(value * 100)}%"


def build(rng: random.Random, difficulty: int) -> Draft:
    """``P(D | results)`` from prior, sensitivity and specificity."""
    inst = draw_until(rng, lambda r: _draw(r, difficulty), _valid(difficulty))
    p, s, c, results = inst.prior, inst.sensitivity, inst.specificity, inst.results
    value = posterior(p, s, c, results)
    answer = readable(value)
    given = _given_latex(results)
    target = f"P(D \\mid {given})"
    prompt = _prompt(inst, target, how_to_answer(answer))
    sick_rate, healthy_rate = _joint(inst, True), _joint(inst, False)
    sick, healthy = p * sick_rate, (1 - p) * healthy_rate
    solution = [
        f"Given the status, the {_results_words(results)} has probability "
        f"{_likelihood_line(inst, True)} in the sick and "
        f"{_likelihood_line(inst, False)} in the healthy.",
        "Total probability: "
        + inline(
            f"P({given}) = {latex_number(sick_rate)} \\cdot {latex_number(p)} + "
            f"{latex_number(healthy_rate)} \\cdot {latex_number(1 - p)} "
            f"{_equals(sick + healthy)}"
        )
        + ".",
        "Bayes' rule: "
        + inline(
            f"{target} = \\frac{{{_number(sick)}}}{{{_number(sick + healthy)}}} {_equals(value)}"
        )
        + ".",
        answer_line(number_text(answer)),
    ]
    hints = (
        f"Bayes' rule: {inline(f'{target} = ' + BAYES.format(given=given))}.",
        "The denominator adds the results' probability in the sick and in the healthy, each "
        f"weighted by how common that group is: {inline('P(D)')} and {inline('1 - P(D)')}.",
        "A false positive happens with probability one minus the specificity.",
    )
    params = {
        "prior": plain_number(p),
        "sensitivity": plain_number(s),
        "specificity": plain_number(c),
        "results": results,
    }
    slips = _slips(inst)
    return Draft(prompt, number_answer(answer, slips), tuple(solution), hints, params)


SENSITIVITY = "P(+ \\mid D)"
SPECIFICITY = "P(- \\mid \\neg D)"
BAYES = "\\frac{{P({given} \\mid D) \\, P(D)}}{{P({given})}}"


def _equals(value: Fraction) -> str:
    """``= 0.25`` for a short exact value, ``\\approx 0.05094`` (4 s.f.) for a long one."""
    shown = readable(value)
    if isinstance(shown, float):
        return f"\\approx {number_text(round_sig(shown, 4))}"
    return f"= {latex_number(shown)}"


def _number(value: Fraction) -> str:
    """A short exact value as is, a long one to 4 significant figures."""
    shown = readable(value)
    return number_text(round_sig(shown, 4)) if isinstance(shown, float) else latex_number(shown)


def _factors(inst: _Instance, sick: bool) -> str:
    status = "D" if sick else "\\neg D"
    left = ", ".join(inst.results)
    values = [
        latex_number(_likelihood(r, sick, inst.sensitivity, inst.specificity)) for r in inst.results
    ]
    return f"P({left} \\mid {status}) = " + " \\cdot ".join(values)


def _likelihood_line(inst: _Instance, sick: bool) -> str:
    """``P(+ \\mid D) = 0.9`` for one test; ``P(+, + \\mid D) = 0.9 \\cdot 0.9 = 0.81`` for two."""
    value = latex_number(_joint(inst, sick))
    if len(inst.results) == 1:
        status = "D" if sick else "\\neg D"
        return inline(f"P({inst.results} \\mid {status}) = {value}")
    return inline(f"{_factors(inst, sick)} = {value}")


def _results_words(results: str) -> str:
    if len(results) == 1:
        return "positive result" if results == POSITIVE else "negative result"
    if results == POSITIVE * 2:
        return "pair of positive results"
    return "positive-then-negative pair of results"


def _prompt(inst: _Instance, target: str, how: str) -> str:
    prior = inline(f"P(D) = {latex_number(inst.prior)}")
    sensitivity = inline(f"{SENSITIVITY} = {latex_number(inst.sensitivity)}")
    specificity = inline(f"{SPECIFICITY} = {latex_number(inst.specificity)}")
    rates = (
        f"{prior} ({_percent(inst.prior)} of people have the disease). The test is positive "
        f"for {_percent(inst.sensitivity)} of people who have it (sensitivity {sensitivity}) "
        f"and negative for {_percent(inst.specificity)} of people who do not (specificity "
        f"{specificity})."
    )
    if inst.results == POSITIVE:
        event = "A person picked at random tests positive."
    elif inst.results == NEGATIVE:
        event = "A person picked at random tests negative."
    elif inst.results == POSITIVE * 2:
        event = (
            "A person picked at random takes the test twice and is positive both times (the "
            "two results are independent given whether the person has the disease)."
        )
    else:
        event = (
            "A person picked at random takes the test twice: positive the first time, negative "
            "the second (the two results are independent given whether the person has the "
            "disease)."
        )
    return (
        f"A disease has prior probability {rates} {event}\n\n"
        f"What is the probability that they have the disease, {inline(target)}?\n\n{how}"
    )


FAMILY = Family(
    name="bayes_rule",
    title="Bayes' rule for a medical test",
    description="From prior, sensitivity and specificity to P(disease | test results).",
    build=build,
    target_seconds=(90, 150, 210),
    levels=(
        "one positive test, round numbers, a simple-fraction answer",
        "a rare disease, a positive or a negative test",
        "the same test twice (independent given the status): two positives, or one of each",
    ),
)
