"""The Training Deep Networks deck: it parses cleanly, covers its sections, and its formulas hold.

The structure tests pin what a learner relies on (every topic has a section, every section has
a fill-in-the-formula card and a "why" card, ids are stable). The formula tests each name the
card they guard: they first check that the card still states the formula, then check the
formula itself with SymPy (or NumPy, where the claim is about numbers).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sympy as sp
from sympy import stats
from textual.pilot import Pilot

from quizcalc.cards import lint_paths
from quizcalc.cards.model import Card, CardKind
from tests.content.deck_files import DeckFile, assert_practice_skills, note_id

REPO_ROOT = Path(__file__).resolve().parents[2]
DECK_PATH = REPO_ROOT / "content" / "training-deep-networks.md"
DECK = DeckFile(DECK_PATH)
deck_text, all_cards, deck_cards = DECK.text, DECK.all_cards, DECK.written_cards

DECK_NAME = "Training Deep Networks"
DECK_TAGS = {"deep-learning", "training", "ml-interview"}
ID_PREFIX = "tr-"

SECTIONS = (
    "Gradients of the output layer",
    "Backpropagation through a two-layer MLP",
    "Matrix calculus and the normal equations",
    "Adaptive optimizers and weight decay",
    "Vanishing and exploding gradients",
    "The Taylor view of a step",
    "Learning-rate schedules and Nesterov momentum",
    "Lagrange multipliers and KKT",
)
"""The deck's sections, in reading order (one per topic group of the brief)."""

MIN_CARDS = 45

PRACTICE_FAMILIES = {
    "softmax_cross_entropy",
    "sigmoid_bce",
    "mlp_backprop",
    "regression_gradient",
    "adam_step",
    "weight_decay",
    "vanishing_gradient",
    "lr_schedule",
}
"""The problem families practised in this deck (one ```problem card per skill)."""


def card(card_id: str) -> Card:
    """The card (for a cloze note: its first card) whose written id is ``card_id``."""
    for candidate in deck_cards():
        if note_id(candidate) == card_id:
            return candidate
    raise KeyError(card_id)


def card_text(card_id: str) -> str:
    """The card's source as written in the file: from its id comment to the next card or
    heading (a cloze note keeps its ``{{c1::...}}`` markup)."""
    card(card_id)  # the id must belong to a parsed card, not just appear in a comment
    start = deck_text().index(f"<!-- id: {card_id} -->")
    following = re.search(r"^(?:<!-- id:|#)", deck_text()[start + 1 :], re.MULTILINE)
    end = start + 1 + following.start() if following else len(deck_text())
    return deck_text()[start:end]


def states(card_id: str, *fragments: str) -> None:
    """Fail, naming the card, unless its text still contains every LaTeX ``fragment``."""
    text = card_text(card_id)
    missing = [fragment for fragment in fragments if fragment not in text]
    assert not missing, f"{card_id} no longer states {missing}"


def is_why_card(found: Card) -> bool:
    return found.kind is CardKind.BASIC and found.question.lstrip().startswith("Why ")


# --- the deck as a whole -----------------------------------------------------------------------


def test_deck_lints_clean() -> None:
    problems = lint_paths([DECK_PATH])
    assert problems == [], "\n".join(str(problem) for problem in problems)


def test_deck_has_at_least_45_cards() -> None:
    assert len(deck_cards()) >= MIN_CARDS


def test_deck_name_and_tags_come_from_front_matter() -> None:
    for found in deck_cards():
        assert found.deck == DECK_NAME, found.id
        assert set(found.tags) >= DECK_TAGS, found.id


def test_sections_are_the_chosen_ones_in_order() -> None:
    in_order = list(dict.fromkeys(found.section for found in deck_cards()))
    assert in_order == list(SECTIONS)


def test_every_card_has_an_explicit_unique_prefixed_id() -> None:
    written = re.findall(r"<!--\s*id:\s*(\S+?)\s*-->", deck_text())
    duplicates = [card_id for card_id, count in Counter(written).items() if count > 1]
    assert duplicates == []
    malformed = [
        card_id
        for card_id in written
        if not re.fullmatch(rf"{ID_PREFIX}[a-z0-9]+(?:-[a-z0-9]+)*", card_id)
    ]
    assert malformed == []
    assert all(found.explicit_id for found in deck_cards())
    assert {note_id(found) for found in all_cards()} == set(written)
    assert len({found.id for found in deck_cards()}) == len(deck_cards())


def test_no_id_clashes_with_the_rest_of_the_content_folder() -> None:
    problems = lint_paths([DECK_PATH.parent])
    clashes = [str(problem) for problem in problems if "duplicate" in problem.message.lower()]
    assert clashes == []


@pytest.mark.parametrize("section", SECTIONS)
def test_each_section_has_a_cloze_card_and_a_why_card(section: str) -> None:
    cards = [found for found in deck_cards() if found.section == section]
    assert any(found.kind is CardKind.CLOZE for found in cards), section
    assert any(is_why_card(found) for found in cards), section
    assert len({note_id(found) for found in cards}) >= 5, section


def test_every_card_renders_without_raw_latex() -> None:
    """What the reviewer prints for every card, at 80 columns, has no LaTeX command or brace."""
    from quizcalc.typeset import render_text

    leftovers = {}
    for found in deck_cards():
        for side in (found.question, found.answer):
            rendered = render_text(side, 78)
            raw = re.findall(r"\\[A-Za-z]+|[{}]", rendered)
            if raw:
                leftovers[found.id] = raw
    assert leftovers == {}


# --- gradients of the output layer -------------------------------------------------------------


def softmax(logits: list[sp.Symbol]) -> list[sp.Expr]:
    total = sum(sp.exp(z) for z in logits)
    return [sp.exp(z) / total for z in logits]


def sigmoid(z: sp.Expr) -> sp.Expr:
    return 1 / (1 + sp.exp(-z))


def test_softmax_cross_entropy_gradient_is_p_minus_y_for_soft_targets() -> None:
    """tr-softmax-ce-gradient, tr-cloze-softmax-ce: d(CE)/dz = p - y; its entries sum to 0."""
    states("tr-softmax-ce-gradient", r"p - y", r"-y_k + p_k")
    states("tr-cloze-softmax-ce", r"{{c1::\(p - y\)}}", "{{c2::zero}}")
    z = list(sp.symbols("z1:5", real=True))
    y1, y2, y3 = sp.symbols("y1:4", nonnegative=True)
    y = [y1, y2, y3, 1 - y1 - y2 - y3]  # a soft target: entries sum to 1
    p = softmax(z)
    loss = -sum(yk * sp.log(pk) for yk, pk in zip(y, p, strict=True))
    gradient = [sp.diff(loss, zk) for zk in z]
    for grad_k, pk, yk in zip(gradient, p, y, strict=True):
        assert sp.simplify(grad_k - (pk - yk)) == 0
    assert sp.simplify(sum(gradient)) == 0


def test_softmax_jacobian_is_diag_p_minus_p_p_transpose() -> None:
    """tr-softmax-jacobian: J = diag(p) - p p^T, J 1 = 0, and J^T (-y/p) = p - y."""
    states(
        "tr-softmax-jacobian", r"J = \operatorname{diag}(p) - p\,p^\top", r"p_i(\delta_{ij} - p_j)"
    )
    z = sp.Matrix(sp.symbols("z1:4", real=True))
    p = sp.Matrix(softmax(list(z)))
    jacobian = p.jacobian(z)
    assert sp.simplify(jacobian - (sp.diag(*p) - p * p.T)) == sp.zeros(3, 3)
    assert sp.simplify(jacobian * sp.ones(3, 1)) == sp.zeros(3, 1)
    assert sp.simplify(jacobian - jacobian.T) == sp.zeros(3, 3)
    y = sp.Matrix([sp.Rational(1, 5), sp.Rational(3, 10), sp.Rational(1, 2)])
    upstream = sp.Matrix([-y[k] / p[k] for k in range(3)])  # dL/dp of the cross-entropy
    assert sp.simplify(jacobian.T * upstream - (p - y)) == sp.zeros(3, 1)
    # positive semi-definite at a sample point: eigenvalues >= 0, one of them 0
    at_point = jacobian.subs({z[0]: 1, z[1]: -2, z[2]: sp.Rational(1, 2)}).evalf()
    eigenvalues = np.linalg.eigvalsh(np.array(at_point.tolist(), dtype=float))
    assert eigenvalues.min() > -1e-12 and abs(eigenvalues).min() < 1e-12


def test_sigmoid_derivative_and_binary_cross_entropy_gradient() -> None:
    """tr-sigmoid-bce-gradient, tr-cloze-sigmoid-derivative: σ' = σ(1-σ), dBCE/dz = σ(z) - y."""
    states("tr-sigmoid-bce-gradient", r"\sigma(z) - y", r"\frac{dL}{dp} = \frac{p - y}{p(1 - p)}")
    states("tr-cloze-sigmoid-derivative", r"\sigma'(z) = \sigma(z)\,(1 - \sigma(z))")
    z, y = sp.symbols("z y", real=True)
    s = sigmoid(z)
    assert sp.simplify(sp.diff(s, z) - s * (1 - s)) == 0
    loss = -(y * sp.log(s) + (1 - y) * sp.log(1 - s))
    assert sp.simplify(sp.diff(loss, z) - (s - y)) == 0
    p = sp.symbols("p", positive=True)
    bce_in_p = -(y * sp.log(p) + (1 - y) * sp.log(1 - p))
    assert sp.simplify(sp.diff(bce_in_p, p) - (p - y) / (p * (1 - p))) == 0


def test_squared_error_through_a_sigmoid_keeps_the_saturating_factor() -> None:
    """tr-why-ce-not-mse-on-sigmoid: d/dz ½(σ - y)² = (p - y) p (1 - p), tiny when saturated."""
    states("tr-why-ce-not-mse-on-sigmoid", r"(p - y)\,p(1 - p)")
    z, y = sp.symbols("z y", real=True)
    s = sigmoid(z)
    gradient = sp.diff((s - y) ** 2 / 2, z)
    assert sp.simplify(gradient - (s - y) * s * (1 - s)) == 0
    confidently_wrong = gradient.subs({z: -10, y: 1})
    assert abs(float(confidently_wrong)) < 1e-4  # MSE: almost no push
    assert abs(float((s - y).subs({z: -10, y: 1}))) > 0.99  # cross-entropy: nearly -1


def test_softmax_is_unchanged_by_a_common_shift() -> None:
    """tr-softmax-shift: softmax(z + c) = softmax(z), so subtracting max z is safe."""
    states("tr-softmax-shift", r"e^{z_k - c} / \sum_j e^{z_j - c} = e^{z_k} / \sum_j e^{z_j}")
    z = list(sp.symbols("z1:4", real=True))
    c = sp.symbols("c", real=True)
    shifted = softmax([zk + c for zk in z])
    for a, b in zip(shifted, softmax(z), strict=True):
        assert sp.simplify(a - b) == 0


# --- backprop through a two-layer MLP ----------------------------------------------------------


def mlp_loss(params: dict[str, np.ndarray], x: np.ndarray, y: np.ndarray) -> float:
    """Mean cross-entropy of the card's two-layer ReLU MLP (examples as rows)."""
    z1 = x @ params["W1"] + params["b1"]
    h = np.maximum(0.0, z1)
    z2 = h @ params["W2"] + params["b2"]
    z2 = z2 - z2.max(axis=1, keepdims=True)
    log_p = z2 - np.log(np.exp(z2).sum(axis=1, keepdims=True))
    return float(-(y * log_p).sum() / x.shape[0])


def mlp_backward(
    params: dict[str, np.ndarray], x: np.ndarray, y: np.ndarray
) -> dict[str, np.ndarray]:
    """The backward pass exactly as card tr-mlp-backward lists it."""
    batch = x.shape[0]
    z1 = x @ params["W1"] + params["b1"]
    h = np.maximum(0.0, z1)
    z2 = h @ params["W2"] + params["b2"]
    p = np.exp(z2 - z2.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    d_z2 = (p - y) / batch
    d_h = d_z2 @ params["W2"].T
    d_z1 = d_h * (z1 > 0)
    return {
        "W2": h.T @ d_z2,
        "b2": d_z2.T @ np.ones(batch),
        "W1": x.T @ d_z1,
        "b1": d_z1.T @ np.ones(batch),
        "X": d_z1 @ params["W1"].T,
    }


def test_mlp_backward_pass_matches_finite_differences_with_the_stated_shapes() -> None:
    """tr-mlp-backward, tr-mlp-forward-shapes: every listed gradient, and its shape."""
    states(
        "tr-mlp-backward",
        r"\(dZ_2 = (P - Y)/B\)",
        r"\(dW_2 = H^\top dZ_2\), \(h \times K\)",
        r"\(dH = dZ_2 W_2^\top\), \(B \times h\)",
        r"\(dZ_1 = dH \odot [Z_1 > 0]\)",
        r"\(dW_1 = X^\top dZ_1\), \(d \times h\)",
        r"\(dX = dZ_1 W_1^\top\), \(B \times d\)",
    )
    batch, d, hidden, classes = 5, 4, 6, 3
    rng = np.random.default_rng(7)
    x = rng.normal(size=(batch, d))
    y = np.eye(classes)[rng.integers(0, classes, size=batch)]
    params = {
        "W1": rng.normal(size=(d, hidden)),
        "b1": rng.normal(size=hidden),
        "W2": rng.normal(size=(hidden, classes)),
        "b2": rng.normal(size=classes),
    }
    grads = mlp_backward(params, x, y)
    expected_shapes = {"W1": (d, hidden), "b1": (hidden,), "W2": (hidden, classes)}
    expected_shapes |= {"b2": (classes,), "X": (batch, d)}
    assert {name: grad.shape for name, grad in grads.items()} == expected_shapes
    step = 1e-6
    for name in ("W1", "b1", "W2", "b2"):
        numeric = np.zeros_like(params[name])
        for index in np.ndindex(params[name].shape):
            plus = {key: value.copy() for key, value in params.items()}
            minus = {key: value.copy() for key, value in params.items()}
            plus[name][index] += step
            minus[name][index] -= step
            numeric[index] = (mlp_loss(plus, x, y) - mlp_loss(minus, x, y)) / (2 * step)
        np.testing.assert_allclose(grads[name], numeric, rtol=1e-5, atol=1e-8, err_msg=name)
    numeric_x = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += step
        minus[index] -= step
        numeric_x[index] = (mlp_loss(params, plus, y) - mlp_loss(params, minus, y)) / (2 * step)
    np.testing.assert_allclose(grads["X"], numeric_x, rtol=1e-5, atol=1e-8)


def test_linear_layer_gradients_put_the_transposes_where_the_shapes_say() -> None:
    """tr-cloze-linear-layer-grads, tr-shape-rule, tr-why-bias-gradient-sums, symbolically."""
    states("tr-cloze-linear-layer-grads", r"{{c1::\(X^\top (\partial L/\partial Z)\)}}")
    states("tr-cloze-linear-layer-grads", r"{{c2::\((\partial L/\partial Z)\, W^\top\)}}")
    states(
        "tr-why-bias-gradient-sums",
        r"\partial L/\partial b_k = \sum_i (\partial L/\partial Z)_{ik}",
    )
    x = sp.Matrix(2, 3, sp.symbols("x1:7"))
    w = sp.Matrix(3, 2, sp.symbols("w1:7"))
    b = sp.Matrix(1, 2, sp.symbols("b1:3"))
    upstream = sp.Matrix(2, 2, sp.symbols("g1:5"))  # dL/dZ for a loss linear in Z
    z = x * w + sp.ones(2, 1) * b
    loss = sum(upstream[i, j] * z[i, j] for i in range(2) for j in range(2))
    d_w = sp.Matrix(3, 2, lambda i, j: sp.diff(loss, w[i, j]))
    d_x = sp.Matrix(2, 3, lambda i, j: sp.diff(loss, x[i, j]))
    d_b = sp.Matrix(1, 2, lambda i, j: sp.diff(loss, b[i, j]))
    assert sp.expand(d_w - x.T * upstream) == sp.zeros(3, 2)
    assert sp.expand(d_x - upstream * w.T) == sp.zeros(2, 3)
    assert sp.expand(d_b - sp.ones(1, 2) * upstream) == sp.zeros(1, 2)  # column sums


# --- matrix calculus and the normal equations --------------------------------------------------


def gradient(expr: sp.Expr, variables: sp.Matrix) -> sp.Matrix:
    return sp.Matrix([sp.diff(expr, v) for v in variables])


def test_gradients_of_linear_and_quadratic_forms() -> None:
    """tr-grad-linear-form, tr-grad-quadratic-form, tr-cloze-quadratic-form."""
    states("tr-grad-linear-form", r"\nabla_x (a^\top x) = a")
    states("tr-grad-quadratic-form", r"\nabla_x (x^\top A x) = (A + A^\top) x")
    states("tr-cloze-quadratic-form", r"{{c1::\((A + A^\top)\,x\)}}", r"{{c2::\(2Ax\)}}")
    x = sp.Matrix(sp.symbols("x1:4"))
    a = sp.Matrix(sp.symbols("a1:4"))
    matrix = sp.Matrix(3, 3, sp.symbols("A1:10"))  # not symmetric
    assert gradient((a.T * x)[0], x) == a
    assert gradient((x.T * a)[0], x) == a
    quadratic = (x.T * matrix * x)[0]
    assert sp.expand(gradient(quadratic, x) - (matrix + matrix.T) * x) == sp.zeros(3, 1)
    assert sp.hessian(quadratic, list(x)) == matrix + matrix.T
    assert sp.expand(gradient(quadratic, x) - 2 * matrix * x) != sp.zeros(3, 1)
    symmetric = (matrix + matrix.T) / 2
    quadratic_sym = sp.expand((x.T * symmetric * x)[0])
    assert sp.expand(gradient(quadratic_sym, x) - 2 * symmetric * x) == sp.zeros(3, 1)


def test_least_squares_gradient_and_its_expansion() -> None:
    """tr-least-squares-gradient: ∇‖Xw - y‖² = 2Xᵀ(Xw - y), via the stated expansion."""
    states("tr-least-squares-gradient", r"2X^\top (Xw - y)")
    states("tr-least-squares-gradient", r"w^\top X^\top X w - 2 y^\top X w + y^\top y")
    x = sp.Matrix(4, 2, sp.symbols("x1:9"))
    y = sp.Matrix(sp.symbols("y1:5"))
    w = sp.Matrix(sp.symbols("w1:3"))
    residual = x * w - y
    loss = (residual.T * residual)[0]
    expansion = (w.T * x.T * x * w - 2 * y.T * x * w + y.T * y)[0]
    assert sp.expand(loss - expansion) == 0
    assert sp.expand(gradient(loss, w) - 2 * x.T * (x * w - y)) == sp.zeros(2, 1)
    assert sp.expand(sp.hessian(loss, list(w)) - 2 * x.T * x) == sp.zeros(2, 2)


def test_normal_equations_give_the_least_squares_minimizer() -> None:
    """tr-normal-equations, tr-why-called-normal: XᵀXw = Xᵀy, residual ⟂ columns, X⁺y."""
    states("tr-normal-equations", r"X^\top X \, w = X^\top y", r"X^{+} y")
    states("tr-why-called-normal", r"X^\top (y - Xw) = 0")
    rng = np.random.default_rng(3)
    x = rng.normal(size=(12, 3))
    y = rng.normal(size=12)
    w = np.linalg.solve(x.T @ x, x.T @ y)
    np.testing.assert_allclose(w, np.linalg.lstsq(x, y, rcond=None)[0], rtol=1e-10)
    np.testing.assert_allclose(x.T @ (y - x @ w), 0, atol=1e-10)
    for _ in range(20):  # no other point does better
        other = w + rng.normal(scale=0.1, size=3)
        assert np.sum((x @ other - y) ** 2) > np.sum((x @ w - y) ** 2)
    # rank deficient: a duplicated column; X⁺y solves the normal equations with least norm
    deficient = np.column_stack([x, x[:, 0]])
    w_plus = np.linalg.pinv(deficient) @ y
    np.testing.assert_allclose(deficient.T @ deficient @ w_plus, deficient.T @ y, atol=1e-9)
    null = np.array([1.0, 0.0, 0.0, -1.0])  # deficient @ null == 0
    np.testing.assert_allclose(deficient @ null, 0, atol=1e-12)
    assert np.linalg.norm(w_plus) < np.linalg.norm(w_plus + 0.5 * null)


def test_least_squares_hessian_is_positive_semidefinite() -> None:
    """tr-why-normal-equations-global: vᵀXᵀXv = ‖Xv‖² ≥ 0."""
    states("tr-why-normal-equations-global", r"v^\top X^\top X v = \lVert Xv \rVert^2 \ge 0")
    x = sp.Matrix(3, 2, sp.symbols("x1:7", real=True))
    v = sp.Matrix(sp.symbols("v1:3", real=True))
    xv = x * v
    assert sp.expand((v.T * x.T * x * v)[0] - (xv.T * xv)[0]) == 0


def test_gram_matrix_squares_the_condition_number() -> None:
    """tr-why-not-invert-gram: κ(XᵀX) = κ(X)² in the 2-norm."""
    states("tr-why-not-invert-gram", r"\kappa(X^\top X) = \kappa(X)^2")
    rng = np.random.default_rng(11)
    x = rng.normal(size=(30, 4)) @ np.diag([1.0, 10.0, 100.0, 1000.0])
    assert np.linalg.cond(x.T @ x) == pytest.approx(np.linalg.cond(x) ** 2, rel=1e-6)


def test_ridge_normal_equations_and_their_eigenvalues() -> None:
    """tr-ridge-normal-equations: (XᵀX + λI)w = Xᵀy; eigenvalues shift up by λ."""
    states("tr-ridge-normal-equations", r"(X^\top X + \lambda I)\, w = X^\top y")
    x = sp.Matrix(3, 2, sp.symbols("x1:7"))
    y = sp.Matrix(sp.symbols("y1:4"))
    w = sp.Matrix(sp.symbols("w1:3"))
    lam = sp.symbols("lambda", positive=True)
    residual = x * w - y
    loss = (residual.T * residual)[0] + lam * (w.T * w)[0]
    stationarity = gradient(loss, w) - 2 * ((x.T * x + lam * sp.eye(2)) * w - x.T * y)
    assert sp.expand(stationarity) == sp.zeros(2, 1)
    rank_one = np.outer([1.0, 2.0], [1.0, 2.0])  # XᵀX of a rank-deficient X: singular
    eigen = np.linalg.eigvalsh(rank_one + 0.3 * np.eye(2))
    np.testing.assert_allclose(eigen, np.linalg.eigvalsh(rank_one) + 0.3)
    assert eigen.min() > 0


# --- adaptive optimizers and weight decay ------------------------------------------------------


def adam_steps(
    gradients: list[np.ndarray],
    *,
    eta: float = 1e-3,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
) -> list[np.ndarray]:
    """The weight changes of Adam, exactly as card tr-adam writes the update."""
    m = np.zeros_like(gradients[0])
    v = np.zeros_like(gradients[0])
    changes = []
    for t, g in enumerate(gradients, start=1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        changes.append(-eta * m_hat / (np.sqrt(v_hat) + eps))
    return changes


def test_adam_bias_correction_recovers_a_constant_gradient_exactly() -> None:
    """tr-adam, tr-why-adam-bias-correction, tr-cloze-adam-bias-correction."""
    states(
        "tr-adam", r"\hat m_t = \frac{m_t}{1 - \beta_1^t}", r"\hat v_t = \frac{v_t}{1 - \beta_2^t}"
    )
    states("tr-adam", r"\beta_1 = 0.9", r"\beta_2 = 0.999", r"\epsilon = 10^{-8}")
    states("tr-cloze-adam-bias-correction", r"\hat m_t = m_t / (1 - \beta_1^t)")
    states("tr-cloze-adam-bias-correction", r"\hat v_t = v_t / (1 - \beta_2^t)")
    states("tr-why-adam-bias-correction", r"m_t = (1 - \beta_1) \sum_{i=1}^{t} \beta_1^{t-i} g_i")
    g, beta = sp.symbols("g beta", positive=True)
    m = sp.Integer(0)
    for t in range(1, 7):
        m = beta * m + (1 - beta) * g
        assert sp.simplify(m / (1 - beta**t) - g) == 0
        weights = sum((1 - beta) * beta ** (t - i) for i in range(1, t + 1))
        assert sp.simplify(weights - (1 - beta**t)) == 0
    # the first step without the corrections, with β1 = 0.9, β2 = 0.999
    states(
        "tr-why-adam-bias-correction", r"1/\sqrt{0.001} \approx 32", r"0.1/\sqrt{0.001} \approx 3.2"
    )
    m1, v1 = 0.1, 0.001  # times g and g²
    assert m1 / np.sqrt(v1) == pytest.approx(3.2, abs=0.05)  # neither corrected
    assert 1 / np.sqrt(v1) == pytest.approx(32, abs=0.5)  # only m corrected


def test_adam_ignores_the_scale_of_the_loss_and_steps_eta_on_a_constant_gradient() -> None:
    """tr-adam-scale-invariance: c·loss gives the same Adam steps; constant g moves by η."""
    states("tr-adam-scale-invariance", "almost exactly \\(\\eta\\) per step")
    rng = np.random.default_rng(5)
    gradients = [rng.normal(size=3) for _ in range(50)]
    plain = adam_steps(gradients, eps=0.0)
    scaled = adam_steps([250.0 * g for g in gradients], eps=0.0)
    for a, b in zip(plain, scaled, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    constant = adam_steps([np.array([4.0, -0.02, 300.0])] * 20, eta=1e-3)
    for change in constant:
        np.testing.assert_allclose(np.abs(change), 1e-3, rtol=1e-5)


def test_adagrad_rates_only_shrink_and_rmsprop_weights_recent_steps() -> None:
    """tr-adagrad (the effective rate never grows), tr-why-rmsprop-forgets (recent window)."""
    states("tr-adagrad", r"G_t = G_{t-1} + g_t^2")
    states("tr-rmsprop", r"v_t = \rho\, v_{t-1} + (1 - \rho)\, g_t^2")
    states("tr-why-rmsprop-forgets", r"\(1/(1 - \rho)\) steps")
    rng = np.random.default_rng(2)
    gradients = np.concatenate([rng.normal(scale=5.0, size=100), rng.normal(scale=0.01, size=400)])
    total, ema, rho = 0.0, 0.0, 0.9
    adagrad_rates, rmsprop_rates = [], []
    for g in gradients:
        total += g * g
        ema = rho * ema + (1 - rho) * g * g
        adagrad_rates.append(1 / np.sqrt(total))
        rmsprop_rates.append(1 / np.sqrt(ema))
    assert all(b <= a for a, b in itertools.pairwise(adagrad_rates))
    # after the steep phase ends, RMSProp's rate recovers; AdaGrad's stays small
    assert rmsprop_rates[-1] > 100 * rmsprop_rates[99]
    assert adagrad_rates[-1] < 1.01 * adagrad_rates[99]
    window = round(1 / (1 - rho))
    assert sum((1 - rho) * rho**k for k in range(window)) > 0.6  # "mostly" the last 10 steps


def test_l2_penalty_is_weight_decay_for_plain_sgd() -> None:
    """tr-l2-equals-decay-for-sgd, tr-cloze-sgd-weight-decay: w - η(g + λw) = (1 - ηλ)w - ηg."""
    states(
        "tr-l2-equals-decay-for-sgd",
        r"w - \eta (g + \lambda w) = (1 - \eta \lambda)\, w - \eta\, g",
    )
    states("tr-cloze-sgd-weight-decay", r"{{c1::\(1 - \eta\lambda\)}}", "{{c2::AdamW}}")
    w, g, eta, lam = sp.symbols("w g eta lambda", real=True)
    penalty_gradient = sp.diff(lam / 2 * w**2, w)
    assert sp.expand(w - eta * (g + penalty_gradient) - ((1 - eta * lam) * w - eta * g)) == 0


def decay_effect(kind: str, lam: float, steps: int = 200) -> np.ndarray:
    """How much smaller two weights end up with decay ``lam`` than without, under Adam with an
    L2 penalty (``"l2"``) or AdamW (``"adamw"``); gradients alternate ±10 and ±0.1."""

    def run(decay: float) -> np.ndarray:
        w, m, v = np.ones(2), np.zeros(2), np.zeros(2)
        eta, beta1, beta2, eps = 1e-3, 0.9, 0.999, 1e-8
        for t in range(1, steps + 1):
            g = np.array([10.0, 0.1]) * (1 if t % 2 else -1)
            if kind == "l2":
                g = g + decay * w
            m = beta1 * m + (1 - beta1) * g
            v = beta2 * v + (1 - beta2) * g * g
            step = (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps)
            if kind == "adamw":
                step = step + decay * w
            w = w - eta * step
        return w

    return run(0.0) - run(lam)


def test_adam_l2_decays_large_gradient_weights_less_and_adamw_decays_all_alike() -> None:
    """tr-adamw, tr-why-adamw: under Adam+L2 the weight with large gradients is barely decayed;
    AdamW shrinks both at the rate ηλ per step."""
    states("tr-adamw", r"\frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon} + \lambda\, w_{t-1}")
    states("tr-adamw", "weights whose gradients have been large are decayed less")
    l2 = decay_effect("l2", 0.1)
    decoupled = decay_effect("adamw", 0.1)
    assert l2[0] * 20 < l2[1]  # |g| = 10 vs 0.1: the big-gradient weight escapes the penalty
    assert decoupled[0] == pytest.approx(decoupled[1], rel=1e-9)
    assert decoupled[0] == pytest.approx(1 - (1 - 1e-3 * 0.1) ** 200, rel=0.01)  # ηλ per step


# --- vanishing and exploding gradients ---------------------------------------------------------


def test_sigmoid_and_tanh_derivative_maxima() -> None:
    """tr-sigmoid-tanh-derivative-bounds, tr-cloze-sigmoid-quarter: σ' ≤ ¼ and tanh' ≤ 1, at 0."""
    states("tr-cloze-sigmoid-quarter", r"{{c1::\(\tfrac14\)}}", r"{{c2::\(z = 0\)}}")
    states("tr-sigmoid-tanh-derivative-bounds", r"\tanh'(z) = 1 - \tanh^2(z)")
    z = sp.symbols("z", real=True)
    s = sp.symbols("s", real=True)  # stands for σ(z)
    assert sp.expand(sp.Rational(1, 4) - s * (1 - s) - (s - sp.Rational(1, 2)) ** 2) == 0
    sigma_prime = sp.diff(sigmoid(z), z)
    assert sp.solve(sp.diff(sigma_prime, z), z) == [0]
    assert sp.simplify(sigma_prime.subs(z, 0)) == sp.Rational(1, 4)
    tanh_prime = sp.diff(sp.tanh(z), z)
    assert sp.simplify(tanh_prime - (1 - sp.tanh(z) ** 2)) == 0
    assert tanh_prime.subs(z, 0) == 1
    assert sp.limit(sigma_prime, z, sp.oo) == 0 and sp.limit(tanh_prime, z, sp.oo) == 0


def test_a_chain_of_sigmoids_shrinks_the_gradient_by_at_least_four_per_layer() -> None:
    """tr-depth-product: |∂h_n/∂h_0| ≤ 4^-n when every |w_l| ≤ 1; below 1e-6 at n = 10."""
    states("tr-depth-product", r"\(4^{-n}\)", r"below \(10^{-6}\)")
    assert sp.Rational(1, 4) ** 10 < sp.Rational(1, 10**6)
    rng = np.random.default_rng(4)
    for _ in range(200):
        weights = rng.uniform(-1, 1, size=10)
        h, product = rng.uniform(-3, 3), 1.0
        for w in weights:
            s = 1 / (1 + np.exp(-w * h))
            product *= s * (1 - s) * w
            h = s
        assert abs(product) <= 4.0**-10


def test_variance_of_a_weighted_sum_with_zero_mean_weights() -> None:
    """tr-variance-of-sum: Var(Σ w_i x_i) = n Var(w) E[x²], even when x has a nonzero mean."""
    states("tr-variance-of-sum", r"n \operatorname{Var}(w)\, \mathbb{E}[x^2]")
    scale = sp.Rational(3, 2)
    weights = [
        stats.FiniteRV(f"w{i}", {-scale: sp.Rational(1, 2), scale: sp.Rational(1, 2)})
        for i in range(3)
    ]
    inputs = [
        stats.FiniteRV(f"x{i}", {0: sp.Rational(1, 2), 2: sp.Rational(1, 2)}) for i in range(3)
    ]
    y = sum(w * x for w, x in zip(weights, inputs, strict=True))
    second_moment = stats.E(inputs[0] ** 2)
    assert second_moment == 2 and stats.E(inputs[0]) == 1  # inputs not centred
    assert stats.variance(y) == 3 * stats.variance(weights[0]) * second_moment


def test_he_and_xavier_variances() -> None:
    """tr-he-init (E[ReLU(z)²] = ½E[z²]), tr-xavier-init (uniform bound √(6/(n_in+n_out)))."""
    states("tr-he-init", r"\mathbb{E}[\max(0, z)^2] = \mathbb{E}[z^2] / 2", r"2 / n_{\text{in}}")
    states(
        "tr-xavier-init",
        r"\frac{2}{n_{\text{in}} + n_{\text{out}}}",
        r"\sqrt{6/(n_{\text{in}} + n_{\text{out}})}",
    )
    states(
        "tr-cloze-init-variances",
        r"{{c1::\(2/(n_{\text{in}} + n_{\text{out}})\)}}",
        r"{{c2::\(2/n_{\text{in}}\)}}",
    )
    sigma = sp.symbols("sigma", positive=True)
    z = stats.Normal("z", 0, sigma)
    relu_squared = sp.Piecewise((z**2, z > 0), (0, True))
    assert sp.simplify(stats.E(relu_squared) - stats.E(z**2) / 2) == 0
    fan_in, fan_out = sp.symbols("n_in n_out", positive=True)
    bound = sp.sqrt(6 / (fan_in + fan_out))
    uniform = stats.Uniform("u", -bound, bound)
    assert sp.simplify(stats.variance(uniform) - 2 / (fan_in + fan_out)) == 0
    # He keeps a ReLU stack's mean square steady; 1/n_in halves it at every layer
    rng = np.random.default_rng(9)
    width, depth = 256, 12

    def mean_square_ratio(variance: float) -> float:
        h = rng.normal(size=(512, width))
        start = np.mean(h**2)
        for _ in range(depth):
            h = np.maximum(0.0, h @ rng.normal(scale=np.sqrt(variance), size=(width, width)))
        return float(np.mean(h**2) / start)

    assert 0.5 < mean_square_ratio(2 / width) < 2
    assert 0.5 < mean_square_ratio(1 / width) / 2.0**-depth < 2


def test_clipping_by_norm_keeps_direction_and_clipping_by_value_may_not() -> None:
    """tr-gradient-clipping, tr-why-clipping-no-cure-vanishing."""
    states(
        "tr-gradient-clipping",
        r"g \leftarrow g \cdot \min\!\left(1, \frac{c}{\lVert g \rVert}\right)",
    )
    threshold = 1.0

    def clip_norm(g: np.ndarray) -> np.ndarray:
        return g * min(1.0, threshold / np.linalg.norm(g))

    big = np.array([30.0, -40.0, 0.5])
    clipped = clip_norm(big)
    assert np.linalg.norm(clipped) == pytest.approx(threshold)
    assert np.dot(clipped, big) / (np.linalg.norm(clipped) * np.linalg.norm(big)) == pytest.approx(
        1
    )
    small = np.array([1e-7, -2e-7, 0.0])
    np.testing.assert_array_equal(clip_norm(small), small)  # a vanishing gradient stays tiny
    by_value = np.clip(big, -threshold, threshold)
    cosine = np.dot(by_value, big) / (np.linalg.norm(by_value) * np.linalg.norm(big))
    assert cosine < 0.99


# --- the Taylor view of a step -----------------------------------------------------------------


def test_second_order_taylor_model_of_a_gradient_step() -> None:
    """tr-taylor-step: exact on a quadratic; best step ‖g‖²/(gᵀHg), useful below twice that."""
    states("tr-taylor-step", r"f(w) - \eta \lVert g \rVert^2 + \frac{\eta^2}{2}\, g^\top H g")
    states("tr-taylor-step", r"\eta^* = \lVert g \rVert^2 / (g^\top H g)")
    eta = sp.symbols("eta", positive=True)
    w = sp.Matrix(sp.symbols("w1:3"))
    hessian = sp.Matrix([[3, 1], [1, 2]])
    b = sp.Matrix([1, -4])
    f = (w.T * hessian * w / 2 + b.T * w)[0]
    point = {w[0]: 2, w[1]: -1}
    g = gradient(f, w).subs(point)
    stepped = f.subs({w[0]: 2 - eta * g[0], w[1]: -1 - eta * g[1]}, simultaneous=True)
    model = f.subs(point) - eta * (g.T * g)[0] + eta**2 / 2 * (g.T * hessian * g)[0]
    assert sp.expand(stepped - model) == 0
    curvature, slope = (g.T * hessian * g)[0], (g.T * g)[0]
    assert sp.solve(sp.diff(model, eta), eta) == [slope / curvature]
    assert sp.solve(model - f.subs(point), eta) == [2 * slope / curvature]  # η > 0


def test_descent_lemma_step_range_and_best_step() -> None:
    """tr-smooth-descent-lemma, tr-cloze-step-limit: η(1 - Lη/2) > 0 iff 0 < η < 2/L;
    largest at η = 1/L, where it is 1/(2L)."""
    states(
        "tr-smooth-descent-lemma", r"f(w) - \eta \left(1 - \frac{L\eta}{2}\right) \lVert g \rVert^2"
    )
    states("tr-smooth-descent-lemma", r"\lVert g \rVert^2 / (2L)")
    states("tr-cloze-step-limit", r"{{c1::\(0 < \eta < 2/L\)}}", r"{{c2::\(\eta = 1/L\)}}")
    eta = sp.symbols("eta", real=True)
    lipschitz = sp.symbols("L", positive=True)
    guaranteed = eta * (1 - lipschitz * eta / 2)
    assert sp.solve(sp.diff(guaranteed, eta), eta) == [1 / lipschitz]
    assert sp.simplify(guaranteed.subs(eta, 1 / lipschitz) - 1 / (2 * lipschitz)) == 0
    for value in (sp.Rational(1, 3), sp.Integer(4)):  # two curvatures
        condition = guaranteed.subs(lipschitz, value) > 0
        positive = sp.solve_univariate_inequality(condition, eta, relational=False)
        assert positive == sp.Interval.open(0, 2 / value)


def test_gradient_descent_on_a_quadratic_converges_exactly_below_two_over_l() -> None:
    """tr-why-critical-step-size: factor 1 - ηL; |1 - ηL| < 1 iff 0 < η < 2/L; bounce at 2/L."""
    states("tr-why-critical-step-size", r"(1 - \eta L)\, w", r"\(0 < \eta < 2/L\)")
    eta = sp.symbols("eta", real=True)
    curvature = sp.Integer(5)
    factor = 1 - eta * curvature
    converging = sp.solve_univariate_inequality(sp.Abs(factor) < 1, eta, relational=False)
    assert converging == sp.Interval.open(0, 2 / curvature)
    w0 = sp.Integer(3)
    iterates = [w0]
    for _ in range(4):
        iterates.append(factor.subs(eta, 2 / curvature) * iterates[-1])
    assert iterates == [3, -3, 3, -3, 3]


def quadratic_error_factor(eta: float, eigenvalues: np.ndarray) -> float:
    """The worst per-step error factor of gradient descent on a quadratic, max |1 - ηλ|."""
    return float(np.max(np.abs(1 - eta * eigenvalues)))


def test_condition_number_sets_the_gradient_descent_rate() -> None:
    """tr-condition-number, tr-cloze-condition-number: 1 - 1/κ at η = 1/λmax, and the best
    fixed step 2/(λmax + λmin) gives (κ - 1)/(κ + 1), better than any other step."""
    states("tr-condition-number", r"\eta = 2/(\lambda_{\max} + \lambda_{\min})")
    states("tr-condition-number", r"\((\kappa - 1)/(\kappa + 1)\)", r"\(1 - 1/\kappa\)")
    states("tr-cloze-condition-number", r"{{c1::\(\kappa = \lambda_{\max} / \lambda_{\min}\)}}")
    states("tr-cloze-condition-number", r"{{c2::\(\frac{\kappa - 1}{\kappa + 1}\)}}")
    small, large = sp.symbols("lambda_min lambda_max", positive=True)
    kappa = large / small
    best = 2 / (large + small)
    assert sp.simplify((1 - best * small) - (kappa - 1) / (kappa + 1)) == 0
    assert sp.simplify((best * large - 1) - (kappa - 1) / (kappa + 1)) == 0
    assert sp.simplify((1 - small / large) - (1 - 1 / kappa)) == 0
    eigenvalues = np.array([0.5, 3.0, 40.0])
    optimum = quadratic_error_factor(2 / (40.0 + 0.5), eigenvalues)
    assert optimum == pytest.approx((80 - 1) / (80 + 1))
    for eta in np.linspace(0.001, 2 / 40.0, 400):
        assert quadratic_error_factor(float(eta), eigenvalues) >= optimum - 1e-12


def test_newton_step_minimizes_a_quadratic_in_one_step() -> None:
    """tr-newton-step: δ = -H⁻¹g lands on the minimizer whatever the conditioning."""
    states("tr-newton-step", r"\delta = -H^{-1} g")
    hessian = sp.diag(1000, sp.Rational(1, 1000))  # κ = 10⁶
    b = sp.Matrix([7, -2])
    w = sp.Matrix(sp.symbols("w1:3"))
    f = (w.T * hessian * w / 2 - b.T * w)[0]
    start = sp.Matrix([5, 9])
    g = gradient(f, w).subs(dict(zip(w, start, strict=True)))
    after = start - hessian.inv() * g
    assert gradient(f, w).subs(dict(zip(w, after, strict=True))) == sp.zeros(2, 1)


# --- learning-rate schedules and Nesterov momentum ---------------------------------------------


def test_cosine_schedule_endpoints_midpoint_and_shape() -> None:
    """tr-cosine-schedule, tr-cloze-cosine."""
    states("tr-cosine-schedule", r"\eta_{\min} + \frac{1}{2}\left(\eta_{\max} - \eta_{\min}\right)")
    states("tr-cosine-schedule", r"\left(1 + \cos \frac{\pi t}{T}\right)")
    states(
        "tr-cloze-cosine", r"{{c1::\((\eta_{\max} + \eta_{\min})/2\)}}", r"{{c2::\(\eta_{\min}\)}}"
    )
    states(
        "tr-cloze-cosine",
        r"\eta_{\min} + (\eta_{\max} - \eta_{\min})\,(1 + \cos(\pi t / T)) / 2",
    )
    t = sp.symbols("t", nonnegative=True)
    total = sp.symbols("T", positive=True)
    low, high = sp.symbols("eta_min eta_max", positive=True)
    eta = low + (high - low) * (1 + sp.cos(sp.pi * t / total)) / 2
    assert sp.simplify(eta.subs(t, 0) - high) == 0
    assert sp.simplify(eta.subs(t, total) - low) == 0
    assert sp.simplify(eta.subs(t, total / 2) - (high + low) / 2) == 0
    slope = sp.diff(eta, t)
    assert slope.subs(t, 0) == 0 and sp.simplify(slope.subs(t, total)) == 0  # slow at both ends
    turning = sp.solve(sp.diff(slope, t).subs(total, 1), t)
    assert [point for point in turning if 0 <= point <= 1] == [sp.Rational(1, 2)]  # fastest


def test_transformer_schedule_warms_up_linearly_then_decays_as_inverse_sqrt() -> None:
    """tr-inverse-sqrt-schedule: the two branches meet at the warmup length."""
    states("tr-inverse-sqrt-schedule", r"\min\!\left(t^{-1/2},\; t \cdot T_w^{-3/2}\right)")
    t, warmup = sp.symbols("t T_w", positive=True)
    rising, falling = t * warmup ** sp.Rational(-3, 2), t ** sp.Rational(-1, 2)
    assert sp.solve(sp.Eq(rising, falling), t) == [warmup]
    assert (rising - falling).subs({warmup: 4000, t: 1000}) < 0  # warmup: the rising branch rules
    assert (rising - falling).subs({warmup: 4000, t: 9000}) > 0


def test_warmup_ramp_and_robbins_monro_conditions() -> None:
    """tr-warmup (η_max·t/T_w reaches η_max at T_w), tr-why-decay-lr (1/t meets Robbins–Monro)."""
    states("tr-warmup", r"\eta_t = \eta_{\max} \cdot t / T_w")
    states(
        "tr-why-decay-lr",
        r"\sum_t \eta_t = \infty",
        r"\sum_t \eta_t^2 < \infty",
        r"\eta_t \propto 1/t",
    )
    t = sp.symbols("t", positive=True, integer=True)
    assert sp.summation(1 / t, (t, 1, sp.oo)) == sp.oo
    assert sp.summation(1 / t**2, (t, 1, sp.oo)) == sp.pi**2 / 6
    assert (
        sp.summation(sp.Rational(1, 100), (t, 1, sp.oo)) == sp.oo
    )  # a constant rate: Σ η² = ∞ too


def steps_to_converge(method: str, eigenvalues: np.ndarray, tolerance: float = 1e-6) -> int:
    """Iterations until ‖w‖ < tolerance on f(w) = ½ Σ λ_i w_i², with η = 1/λmax."""
    eta = 1 / eigenvalues.max()
    kappa = eigenvalues.max() / eigenvalues.min()
    beta = (np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1) if method != "gd" else 0.0
    w, v = np.ones_like(eigenvalues), np.zeros_like(eigenvalues)
    for step in range(1, 100_000):
        look = w + beta * v if method == "nesterov" else w
        v = beta * v - eta * eigenvalues * look  # the card's update, ∇f(x) = λ ⊙ x
        w = w + v
        if np.linalg.norm(w) < tolerance:
            return step
    raise AssertionError(f"{method} did not converge")


def test_nesterov_needs_about_sqrt_kappa_times_fewer_steps_than_gradient_descent() -> None:
    """tr-nesterov, tr-cloze-nesterov, tr-why-nesterov-lookahead."""
    states("tr-nesterov", r"v \leftarrow \beta v - \eta \nabla f(w + \beta v)")
    states("tr-cloze-nesterov", r"{{c1::\(v \leftarrow \beta v - \eta \nabla f(w + \beta v)\)}}")
    states("tr-cloze-nesterov", r"{{c2::\(w \leftarrow w + v\)}}")
    states("tr-why-nesterov-lookahead", r"\(O(1/k^2)\)", r"\(\sqrt{\kappa}\)")
    eigenvalues = np.array([1.0, 30.0, 400.0])  # κ = 400, √κ = 20
    plain = steps_to_converge("gd", eigenvalues)
    nesterov = steps_to_converge("nesterov", eigenvalues)
    assert nesterov * 8 < plain  # the ideal ratio is √κ = 20


# --- Lagrange multipliers and KKT --------------------------------------------------------------


def test_lagrange_example_closest_point_of_a_line() -> None:
    """tr-lagrange-example: x = y = ½, λ = -1, minimum ½."""
    states("tr-lagrange-example", r"\mathcal{L} = x^2 + y^2 + \lambda (x + y - 1)")
    states(
        "tr-lagrange-example",
        r"\(x = y = \tfrac12\), \(\lambda = -1\)",
        r"minimum value is \(\tfrac12\)",
    )
    x, y, lam = sp.symbols("x y lambda", real=True)
    lagrangian = x**2 + y**2 + lam * (x + y - 1)
    solutions = sp.solve([sp.diff(lagrangian, v) for v in (x, y, lam)], [x, y, lam], dict=True)
    half = sp.Rational(1, 2)
    assert solutions == [{x: half, y: half, lam: -1}]
    assert (x**2 + y**2).subs(solutions[0]) == half
    assert (x**2 + y**2).subs({x: half + 0.1, y: half - 0.1}) > half  # a neighbour on the line


def test_multiplier_is_the_derivative_of_the_optimal_value() -> None:
    """tr-multiplier-sensitivity: with L = f - λ(h - c), λ = df*/dc (here f* = c²/2, λ = c)."""
    states("tr-multiplier-sensitivity", r"\mathcal{L} = f(x) - \lambda (h(x) - c)")
    states(
        "tr-multiplier-sensitivity", r"\lambda = d f^* / dc", r"\(f^* = c^2/2\) and \(\lambda = c\)"
    )
    x, y, lam, c = sp.symbols("x y lambda c", real=True)
    lagrangian = x**2 + y**2 - lam * (x + y - c)
    [solution] = sp.solve([sp.diff(lagrangian, v) for v in (x, y, lam)], [x, y, lam], dict=True)
    optimal_value = (x**2 + y**2).subs(solution)
    assert sp.simplify(optimal_value - c**2 / 2) == 0
    assert sp.simplify(solution[lam] - sp.diff(optimal_value, c)) == 0


def kkt_solutions(
    objective: sp.Expr, x: sp.Symbol, mu: sp.Symbol
) -> list[dict[sp.Symbol, sp.Expr]]:
    """Every point meeting the KKT conditions of min objective subject to x - 1 ≤ 0."""
    constraint = x - 1
    stationarity = sp.diff(objective, x) + mu * sp.diff(constraint, x)
    candidates = sp.solve([stationarity, mu * constraint], [x, mu], dict=True)
    return [s for s in candidates if constraint.subs(s) <= 0 and s[mu] >= 0]


def test_kkt_example_active_and_inactive_constraint() -> None:
    """tr-kkt-example, tr-kkt-conditions, tr-cloze-complementary-slackness."""
    states("tr-kkt-example", r"\(x = 1\), and \(\mu = 2(2 - 1) = 2 \ge 0\)")
    states("tr-kkt-conditions", r"\mu_i\, g_i(x^*) = 0", r"\mu_i \ge 0")
    states(
        "tr-cloze-complementary-slackness",
        r"{{c1::\(\mu_i \ge 0\)}}",
        r"{{c2::\(\mu_i\, g_i(x^*) = 0\)}}",
    )
    x, mu = sp.symbols("x mu", real=True)
    assert kkt_solutions((x - 2) ** 2, x, mu) == [{x: 1, mu: 2}]
    assert kkt_solutions((x - sp.Rational(1, 2)) ** 2, x, mu) == [{x: sp.Rational(1, 2), mu: 0}]
    # the KKT point is the constrained minimum: a grid over the feasible side agrees
    grid = np.linspace(-3, 1, 4001)
    assert grid[np.argmin((grid - 2) ** 2)] == pytest.approx(1.0)


def test_hard_margin_svm_weights_come_from_margin_points_only() -> None:
    """tr-svm-kkt: α_i > 0 only on the margin, and w = Σ α_i y_i x_i."""
    states(
        "tr-svm-kkt",
        r"w = \sum_i \alpha_i y_i x_i",
        r"\alpha_i \big(y_i(w^\top x_i + b) - 1\big) = 0",
    )
    # Two points per class on a line, separable at 0: the margin points are ±1.
    points = [sp.Integer(-3), sp.Integer(-1), sp.Integer(1), sp.Integer(4)]
    labels = [-1, -1, 1, 1]
    w, b = sp.symbols("w b", real=True)
    alphas = sp.symbols("a1:5", nonnegative=True)
    # the SVM's primal optimum (max margin): w = 1, b = 0
    solution = {w: 1, b: 0}
    margins = [label * (w * point + b) for point, label in zip(points, labels, strict=True)]
    assert [m.subs(solution) for m in margins] == [3, 1, 1, 4]
    stationarity_w = w - sum(
        a * label * p for a, label, p in zip(alphas, labels, points, strict=True)
    )
    stationarity_b = sum(a * label for a, label in zip(alphas, labels, strict=True))
    slackness = [a * (m - 1) for a, m in zip(alphas, margins, strict=True)]
    equations = [e.subs(solution) for e in (stationarity_w, stationarity_b, *slackness)]
    [multipliers] = sp.solve(equations, alphas, dict=True)
    assert multipliers == {
        alphas[0]: 0,
        alphas[1]: sp.Rational(1, 2),
        alphas[2]: sp.Rational(1, 2),
        alphas[3]: 0,
    }


# --- the hardest card in the reviewer, at 80×24 ------------------------------------------------

HARDEST_CARD = "tr-adam"
"""The card with the densest display maths: two lines of stacked fractions with hats,
subscripts, powers and a square root."""

RAW_LATEX = re.compile(r"\\[A-Za-z]+|[{}]")


def single_card_folder(folder: Path, card_id: str) -> Path:
    """A content folder holding the deck's front matter and the card ``card_id`` alone."""
    front_matter = deck_text()[: deck_text().index("---", 3) + 3]
    folder.mkdir()
    (folder / "hardest.md").write_text(f"{front_matter}\n\n{card_text(card_id)}", "utf-8")
    return folder


def test_hardest_card_renders_its_display_maths_at_80x24(
    snap_compare: Callable[..., bool],
    tmp_path: Path,
    new_database: Callable[[Path], Path],
) -> None:
    """The answer side of the Adam card as the reviewer shows it in an 80×24 terminal: the
    bias-corrected moments drawn as stacked fractions, no LaTeX command or brace left."""
    from quizcalc.tui.app import make_app
    from quizcalc.tui.widgets.math_markdown import load_typeset
    from tests.tui.conftest import NOW, FakeClock, screen_text, wait_ready, wait_until

    load_typeset()
    content = single_card_folder(tmp_path / "content", HARDEST_CARD)
    app = make_app(
        db=str(new_database(tmp_path / "q.sqlite3")),
        content=content,
        now=lambda: NOW,
        environ={
            "QUIZCALC_CONFIG": str(tmp_path / "config.toml"),
            "XDG_DATA_HOME": str(tmp_path / "data"),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
        },
        clock=FakeClock(),
        start="review",
    )
    app.animation_level = "none"
    app._disable_notifications = True
    seen: list[str] = []

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: "Adam update" in screen_text(app))
        await pilot.press("space")
        await wait_until(pilot, lambda: "elementwise" in screen_text(app))
        await pilot.pause()
        seen.append(screen_text(app))

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
    [screen] = seen
    assert RAW_LATEX.findall(screen) == []
    assert "m̂ₜ" in screen and "1 - β₁ᵗ" in screen and "√v̂ₜ" in screen.replace(" ", "")
    fraction_bars = [line for line in screen.splitlines() if "───" in line]
    assert fraction_bars, "the bias corrections should be drawn as stacked fractions"


def test_the_practice_cards_are_the_decks_own_skills() -> None:
    """Each problem card sits under a section's Practice heading and names a family this deck
    teaches, and every family the deck teaches has one."""
    assert_practice_skills(DECK, PRACTICE_FAMILIES)
