"""LaTeX in card text reads naturally in a terminal; the Markdown around it is untouched."""

from __future__ import annotations

import pytest

from quizcalc.cards import latex_to_unicode


@pytest.mark.parametrize(
    ("markdown", "shown"),
    [
        (r"\(\nabla f\)", "∇f"),
        (r"\(\eta\)", "η"),
        (r"\(\frac{a}{b}\)", "a/b"),
        (r"\(\frac{\partial f}{\partial w_1}\)", "∂f/∂w₁"),
        (r"\(\frac{f(x+h) - f(x)}{h}\)", "(f(x + h) - f(x))/h"),
        (r"\(\frac{1}{1 + e^{-z}}\)", "1/(1 + e⁻ᶻ)"),
        (r"\(x^2\)", "x²"),
        (r"\(w_1\)", "w₁"),
        (r"\(w_i\)", "wᵢ"),
        (r"\(w_{ij}\)", "w_ij"),
        (r"\(x_{t+1}\)", "xₜ₊₁"),
        (r"\(e^{-x/2}\)", "e^(-x/2)"),
        (r"\(e^{2x^2}\)", "e^(2x^2)"),  # not e^2x², which reads as e² · x²; nor e^(2x²): mixed
        (r"\(e^{x^2}\)", "e^(x^2)"),
        (r"\(x^\top A x\)", "xᵀAx"),
        (r"\(\mathbb{R}^n\)", "ℝⁿ"),
        (r"\(f: \mathbb{R}^n \to \mathbb{R}^m\)", "f: ℝⁿ → ℝᵐ"),
        (r"\(\lim_{h \to 0} \frac{f(x+h) - f(x)}{h}\)", "lim_(h→0) (f(x + h) - f(x))/h"),
        (r"\(\sum_{i=1}^{n} x_i^2\)", "∑ᵢ₌₁ⁿ xᵢ²"),
        (r"\(a \le b\), \(a \cdot b\), \(\partial\), \(\dots\)", "a ≤ b, a · b, ∂, …"),
        (r"\(w \leftarrow w - \eta \nabla L(w)\)", "w ← w - η∇L(w)"),
        (r"\(\sqrt{x^2 + y^2}\)", "√(x² + y²)"),
        (r"\(\|x\|_2 \ne 0\)", "‖x‖₂ ≠ 0"),
        (r"\(\text{loss if } y = 1\)", "loss if y = 1"),
        (r"\(-\nabla f\)", "-∇f"),
        (r"$x^2$ and $$y_1$$", "x² and\ny₁"),
        (r"\(\frac{d}{dx} \sin x\)", "d/dx sin x"),  # not d/dxsin x
        (r"\(\frac{\partial f}{\partial x}\cos y\)", "∂f/∂x cos y"),
        (r"\(\frac{1}{2} x\)", "1/2 x"),
        (r"\(-\frac{1}{2}\)", "-1/2"),
        (r"\(\sqrt{x} y\)", "√x y"),
        (r"\(2 \sin x\)", "2 sin x"),
        # One expression writes all its scripts one way, and a flat fraction keeps its grouping.
        (r"\(e^{-\frac{(x-\mu)^2}{2\sigma^2}}\)", "e^(-(x - μ)^2/(2σ^2))"),
        (r"\(f_x = 2x, f_y = 2y\)", "f_x = 2x, f_y = 2y"),
        (r"\(\frac{\partial f_i}{\partial x_j}\)", "∂f_i/∂x_j"),
        (r"\(a_{ij}^{(l)}\)", "a_ij^(l)"),
        (r"\(\frac{1}{\sigma\sqrt{2\pi}}\)", "1/(σ √(2π))"),
        (r"\(\frac{1}{(x-1)(x+1)}\)", "1/((x - 1)(x + 1))"),
        (r"\(\frac{1}{(x-1)^2}\)", "1/(x - 1)²"),
        # A denominator of subscripted factors is bracketed: not σ_X times 1/σ_Y.
        (r"\(\frac{\operatorname{Cov}(X, Y)}{\sigma_X \sigma_Y}\)", "Cov(X, Y)/(σ_Xσ_Y)"),
        (r"\(\frac{a}{n_1 n_2}\)", "a/(n₁n₂)"),
        (r"\(\frac{1}{x_i}\)", "1/xᵢ"),
        (r"\(\frac{a}{x_1^2}\)", "a/x₁²"),
        # An inline division binds tight, whatever comes after the slash.
        (r"\(\sigma / \sqrt{n}\)", "σ/√n"),
        (r"\(1/\sqrt{t}\)", "1/√t"),
        # Environments read as one line: a matrix by rows, cases as value, condition.
        (r"\(\begin{bmatrix} 4 & 1 \\ 1 & 6 \end{bmatrix}\)", "[4 1; 1 6]"),
        (r"\(\begin{pmatrix} a \\ b \end{pmatrix}\)", "(a; b)"),
        (
            r"\(\mathrm{ReLU}(x) = \begin{cases} x & x > 0 \\ 0 & \text{otherwise} \end{cases}\)",
            "ReLU(x) = {x, x > 0; 0, otherwise}",
        ),
    ],
)
def test_math_reads_as_unicode(markdown: str, shown: str) -> None:
    assert latex_to_unicode(markdown) == shown


def test_only_math_changes_and_markdown_stays() -> None:
    text = "**Step** \\(\\eta\\) in [the docs](http://x) — `\\(code\\)` and\n\n- item \\(x^2\\)"
    assert (
        latex_to_unicode(text)
        == "**Step** η in [the docs](http://x) — `\\(code\\)` and\n\n- item x²"
    )


def test_display_math_gets_its_own_line() -> None:
    text = "Take \\[ f'(x) = \\lim_{h \\to 0} \\frac{f(x+h) - f(x)}{h} \\] to finish."
    assert latex_to_unicode(text) == "Take\nf'(x) = lim_(h→0) (f(x + h) - f(x))/h\nto finish."
    on_own_line = "Then:\n\n\\[ \\nabla f \\]\n\nDone."
    assert latex_to_unicode(on_own_line) == "Then:\n\n∇f\n\nDone."


def test_code_blocks_and_currency_are_left_alone() -> None:
    text = "```python\nprint('\\(x\\)', '$y$')\n```\n\nIt costs $5 and $10, not \\(x_1\\)."
    assert latex_to_unicode(text) == (
        "```python\nprint('\\(x\\)', '$y$')\n```\n\nIt costs $5 and $10, not x₁."
    )


def test_unclosed_or_odd_latex_is_shown_as_written() -> None:
    assert latex_to_unicode("an unclosed \\( x") == "an unclosed \\( x"
    assert latex_to_unicode("\\(\\begin{foo}\\)") == "\\(\\begin{foo}\\)"
    assert latex_to_unicode("") == ""


def test_function_names_and_primes_hug_their_parentheses() -> None:
    assert latex_to_unicode(r"\(f(x) = \cos{\left(x^{3} \right)}\)") == "f(x) = cos(x³)"
    assert latex_to_unicode(r"\(f''(x) + g'(u)\)") == "f''(x) + g'(u)"
