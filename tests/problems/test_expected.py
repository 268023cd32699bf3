"""Answer keys: which slips are kept, and how near the right answer a *near* slip may sit."""

from __future__ import annotations

from fractions import Fraction

from quizcalc.problems.expected import number_answer


def test_a_near_slip_is_kept_only_where_the_grader_can_tell_it_from_rounding() -> None:
    right = Fraction("1.0046")  # 1.00 to 3 significant figures

    def kept(value: str, near: bool = True) -> bool:
        slips = [(Fraction(value), "That is the exact derivative.", "exact-not-estimate")]
        answer = number_answer(right, slips, near={"exact-not-estimate"} if near else ())
        return bool(answer.misconceptions)

    assert not kept("1.0035")  # 1.1 tolerances: no answer tells them apart
    assert not kept("1")  # 4.6 tolerances, but it is the right value one figure short
    assert kept("0.9985")  # 6.1 tolerances, and no early rounding lands on it
    assert not kept("0.9985", near=False)  # any other slip needs ten tolerances
    assert kept("0.98", near=False)


def test_a_near_slip_needs_only_three_tolerances_from_an_earlier_slip() -> None:
    slips = [
        (Fraction(2), "Off by one step.", "off-by-one-steps"),
        (Fraction("2.012"), "Twice η.", "doubled-learning-rate"),  # 0.6 % away
    ]
    near = {"doubled-learning-rate"}
    right = Fraction("3.5")
    assert [m.tag for m in number_answer(right, slips, near=near).misconceptions] == [
        "off-by-one-steps",
        "doubled-learning-rate",
    ]
    assert [m.tag for m in number_answer(right, slips).misconceptions] == ["off-by-one-steps"]
