"""Display maths drawn in two dimensions: what the learner sees, exactly."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizcalc.typeset import display_math, render_markdown


def _drawn(latex: str, width: int = 80) -> str:
    picture = display_math(latex, width)
    assert picture is not None, latex
    return picture


def test_a_matrix_is_an_aligned_grid_in_tall_brackets() -> None:
    assert _drawn(r"A = \begin{bmatrix} 4 & 1 \\ 1 & 16 \end{bmatrix}") == (
        "A = ⎡ 4   1 ⎤\n    ⎣ 1  16 ⎦"
    )


def test_cases_is_a_brace_block() -> None:
    latex = r"\mathrm{ReLU}(x) = \begin{cases} x & x > 0 \\ 0 & \text{otherwise} \end{cases}"
    assert _drawn(latex) == ("          ⎧ x   x > 0\nReLU(x) = ⎨\n          ⎩ 0   otherwise")


def test_the_gaussian_density_stacks_the_fraction_in_its_exponent() -> None:
    latex = r"f(x) = \frac{1}{\sigma\sqrt{2\pi}} e^{-\frac{(x-\mu)^2}{2\sigma^2}}"
    assert _drawn(latex) == (
        "                (x - μ)²\n"
        "              - ────────\n"
        "         1        2σ²\n"
        "f(x) = ───── e\n"
        "          __\n"
        "       σ √2π"
    )


def test_limits_sit_above_and_below_sums_and_lim() -> None:
    assert _drawn(r"\sum_{i=1}^{n} x_i^2") == " n\n ∑  xᵢ²\ni=1"
    assert _drawn(r"f'(x) = \lim_{h \to 0} \frac{f(x+h) - f(x)}{h}") == (
        "            f(x + h) - f(x)\nf'(x) = lim ───────────────\n        h→0        h"
    )


def test_left_right_brackets_grow_with_their_contents() -> None:
    assert _drawn(r"\nabla f = \left( \frac{\partial f}{\partial w_1}, \dots \right)") == (
        "     ⎛∂f    ⎞\n∇f = ⎜───, …⎟\n     ⎝∂w₁   ⎠"
    )


def test_a_fraction_of_fractions_has_the_longer_main_rule() -> None:
    assert _drawn(r"\frac{a}{\frac{b}{c}}") == " a\n───\n b\n ─\n c"
    assert _drawn(r"-\frac{1}{2}") == "  1\n- ─\n  2"  # a minus keeps clear of the rule


def test_scripts_are_all_unicode_or_all_raised_in_one_formula() -> None:
    # y has no subscript character: x is lowered too rather than written fₓ.
    assert _drawn(r"\frac{f_x}{f_y}") == "f\n x\n──\nf\n y"


def test_aligned_equations_line_up_on_their_relation() -> None:
    assert _drawn(r"\begin{aligned} f(x) &= x^2 + 1 \\ g &= 2x \end{aligned}") == (
        "f(x) = x² + 1\n   g = 2x"
    )


@pytest.mark.parametrize(
    "latex",
    [
        r"\nabla f",  # flat anyway: the one-line form is the same and flows with the text
        r"\begin{tikzpicture} x \end{tikzpicture}",  # unknown environment
        r"\frac{a}{b} \\ c",  # a line break outside a grid
        r"\left( x",  # unbalanced
    ],
)
def test_what_the_layout_does_not_draw_falls_back_to_one_line(latex: str) -> None:
    assert display_math(latex, 80) is None


def test_a_formula_wider_than_the_space_stays_one_line() -> None:
    latex = r"\frac{a + b + c + d + e}{2}"
    assert display_math(latex, 17) == "a + b + c + d + e\n─────────────────\n        2"
    assert display_math(latex, 16) is None
    assert render_markdown(rf"\[{latex}\]", 16) == "(a + b + c + d + e)/2"


def test_display_math_in_markdown_becomes_a_math_fence_and_inline_stays_on_the_line() -> None:
    text = "Solve \\[ \\frac{a}{b} = 1 \\] for \\(b_1\\). `\\[x\\]` stays code."
    assert render_markdown(text, 80) == (
        "Solve\n```quizcalc-math\na\n─ = 1\nb\n```\nfor b₁. `\\[x\\]` stays code."
    )


def test_a_picture_inside_a_list_item_stays_in_the_item() -> None:
    text = "1. Then \\[ \\frac{a}{b} \\] so.\n2. Next"
    assert render_markdown(text, 80) == (
        "1. Then\n   ```quizcalc-math\n   a\n   ─\n   b\n   ```\n   so.\n2. Next"
    )


def test_cloze_blanks_inside_display_math_are_laid_out_too() -> None:
    assert (
        _drawn(r"\int_0^1 x\,dx = \frac{[...]}{2}")
        == "           [...]\n∫₀¹ x dx = ─────\n             2"
    )


_LATEXISH = st.lists(
    st.sampled_from(
        [
            "\\frac", "\\sqrt", "\\left(", "\\right)", "\\left.", "\\right|", "\\begin{cases}",
            "\\end{cases}", "\\begin{bmatrix}", "\\end{bmatrix}", "\\begin{aligned}",
            "\\end{aligned}", "&", "\\\\", "{", "}", "^", "_", "x", "2", "+", "-", "=", "(", ")",
            "\\sum", "\\lim", "\\int", "\\text{if }", "\\mathbf{v}", "\\alpha", "\\binom", " ",
            "[", "]", "\\unknown", "$", "\\[", "\\]", "%", "~", "\\!", "\\operatorname{tr}",
        ]
    )
    | st.text(max_size=3),
    max_size=25,
).map("".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(latex=_LATEXISH, width=st.integers(min_value=0, max_value=100))
def test_the_layout_never_raises_and_never_exceeds_the_width(latex: str, width: int) -> None:
    picture = display_math(latex, width)
    if picture is not None:
        assert max(len(line) for line in picture.split("\n")) <= width
        assert len(picture.split("\n")) > 1
    render_markdown(f"\\[{latex}\\] and \\({latex}\\)", width)
