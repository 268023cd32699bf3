"""The Linear Algebra for ML deck: it parses, it covers its outline, and its formulas are true.

The structural tests guard the deck's shape (sections, ids, a cloze and a "why" card in every
section, clean rendering). The formula tests check, with SymPy and NumPy, each formula, rule and
worked example a card states; every one names the card it guards, so a failure points at it.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from quizcalc.cards import lint_paths
from quizcalc.cards.model import Card, CardKind
from quizcalc.typeset.markdown import render_text
from tests.content.deck_files import DeckFile, assert_practice_skills, note_id
from tests.content.test_deck_accuracy import CONNECTIVE_START, REFERS_BACK

REPO_ROOT = Path(__file__).resolve().parents[2]
DECK_PATH = REPO_ROOT / "content" / "linear-algebra.md"
DECK = DeckFile(DECK_PATH)
deck_text, all_cards, deck_cards = DECK.text, DECK.all_cards, DECK.written_cards

DECK_NAME = "Linear Algebra for ML"
SECTIONS = (
    "Vectors, norms and similarity",
    "Matrix products and shapes",
    "Transpose, inverse and determinants",
    "Rank, null space and independence",
    "Eigenvalues and definite matrices",
    "Orthogonal matrices and projections",
    "SVD and PCA",
    "Low-rank approximation, pseudo-inverse and conditioning",
    "Tensor shapes and broadcasting",
)
MIN_CARDS = 45
ID_PREFIX = "la-"

_LATEX_LEFT = re.compile(r"\\[A-Za-z]+|\\[\[\]()]|[{}]")
_CODE_SPAN = re.compile(r"`[^`]*`")

PRACTICE_FAMILIES = {
    "matrix_shapes",
    "eigen_2x2",
}
"""The problem families practised in this deck (one ```problem card per skill)."""


def card(card_id: str) -> Card:
    """The (first) card of the note with this id."""
    return next(c for c in deck_cards() if note_id(c) == card_id)


def full_text(card_id: str) -> str:
    """Everything a note says: the question and the answer (a cloze's answer is its full text)."""
    found = card(card_id)
    return f"{found.question}\n{found.answer}"


def mat(rows: list[list[int]]) -> sp.Matrix:
    return sp.Matrix(rows)


def singular_values(matrix: sp.Matrix) -> list[sp.Expr]:
    """Exact singular values, largest first."""
    values = [sp.sqrt(v) for v, k in (matrix.T * matrix).eigenvals().items() for _ in range(k)]
    return sorted((sp.nsimplify(sp.simplify(v)) for v in values), key=float, reverse=True)


# --- the deck's shape ----------------------------------------------------------------------


def test_the_deck_parses_without_problems() -> None:
    assert lint_paths([DECK_PATH]) == []


def test_the_deck_has_its_name_tags_and_enough_cards() -> None:
    cards = deck_cards()
    assert len(cards) >= MIN_CARDS
    assert {c.deck for c in cards} == {DECK_NAME}
    assert all(c.tags[:2] == ("linear-algebra", "ml-interview") for c in cards)


def test_the_sections_are_the_outline_in_order_each_with_cards() -> None:
    order = list(dict.fromkeys(c.section for c in deck_cards()))
    assert tuple(order) == SECTIONS
    per_section = Counter(c.section for c in deck_cards())
    assert min(per_section.values()) >= 4, per_section


def test_every_card_has_a_unique_explicit_prefixed_kebab_case_id() -> None:
    written = re.findall(r"<!--\s*id:\s*(\S+?)\s*-->", deck_text())
    assert [i for i, n in Counter(written).items() if n > 1] == []
    assert all(re.fullmatch(r"la-[a-z0-9]+(?:-[a-z0-9]+)*", i) for i in written), written
    assert all(c.explicit_id for c in deck_cards())
    assert {note_id(c) for c in all_cards()} == set(written)
    assert len({c.id for c in deck_cards()}) == len(deck_cards())


@pytest.mark.parametrize("section", SECTIONS)
def test_every_section_has_a_cloze_and_a_why_card(section: str) -> None:
    cards = [c for c in deck_cards() if c.section == section]
    assert any(c.kind is CardKind.CLOZE for c in cards), section
    whys = [c for c in cards if c.kind is CardKind.BASIC and c.question.startswith("Why ")]
    assert whys, section


def test_no_card_leans_on_another_card() -> None:
    leaning = {
        c.id: c.question
        for c in deck_cards()
        if CONNECTIVE_START.match(c.question.strip()) or REFERS_BACK.search(c.question)
    }
    assert leaning == {}
    pointing = [c.id for c in deck_cards() if re.search(r"\b(previous|above)\b", c.answer)]
    assert pointing == []


def test_math_delimiters_are_balanced_in_every_card() -> None:
    for c in deck_cards():
        for text in (c.question, c.answer):
            opened = None
            for token in re.findall(r"\\[()\[\]]", text):
                if token in (r"\(", r"\["):
                    assert opened is None, (c.id, token)
                    opened = token
                else:
                    assert (opened, token) in ((r"\(", r"\)"), (r"\[", r"\]")), (c.id, token)
                    opened = None
            assert opened is None, c.id


def test_every_card_renders_without_latex_left_at_80_columns() -> None:
    for c in deck_cards():
        for text in (c.question, c.answer):
            shown = render_text(text, 80)
            prose = _CODE_SPAN.sub("", shown)
            assert _LATEX_LEFT.findall(prose) == [], (c.id, shown)
            drawn = [line for line in shown.splitlines() if "─" in line or "⎡" in line]
            assert all(len(line) <= 80 for line in drawn), c.id


# --- vectors, norms and similarity -----------------------------------------------------------

x1, x2, x3, y1, y2, y3 = sp.symbols("x1 x2 x3 y1 y2 y3", real=True)
X_VEC = sp.Matrix([x1, x2, x3])
Y_VEC = sp.Matrix([y1, y2, y3])


def test_la_vector_norms_example_and_ordering() -> None:
    text = full_text("la-vector-norms")
    for norm, value in (("1", 7), ("2", 5), (r"\infty", 4)):
        assert rf"\lVert x \rVert_{norm} = {value}\)" in text
    x = sp.Matrix([3, -4])
    assert (sum(abs(v) for v in x), sp.sqrt(x.dot(x)), max(abs(v) for v in x)) == (7, 5, 4)
    rng = np.random.default_rng(0)
    for _ in range(200):
        v = rng.normal(size=rng.integers(1, 8))
        l1, l2, linf = np.abs(v).sum(), np.linalg.norm(v), np.abs(v).max()
        assert linf <= l2 + 1e-12 and l2 <= l1 + 1e-12


def test_la_norm_properties_l0_count_is_not_homogeneous() -> None:
    assert "fails homogeneity" in full_text("la-norm-properties")
    v = np.array([1.0, 0.0, 2.0])
    assert np.count_nonzero(3 * v) != 3 * np.count_nonzero(v)


def test_la_cosine_similarity_ignores_positive_scaling_and_flips_with_negative() -> None:
    c = sp.symbols("c", positive=True)

    def cosine(a: sp.Matrix, b: sp.Matrix) -> sp.Expr:
        return a.dot(b) / (sp.sqrt(a.dot(a)) * sp.sqrt(b.dot(b)))

    assert sp.simplify(cosine(c * X_VEC, Y_VEC) - cosine(X_VEC, Y_VEC)) == 0
    assert sp.simplify(cosine(-c * X_VEC, Y_VEC) + cosine(X_VEC, Y_VEC)) == 0


def test_la_why_normalize_embeddings_distance_is_a_function_of_the_dot_product() -> None:
    assert r"2 - 2\, x^\top y" in full_text("la-why-normalize-embeddings")
    squared_distance = (X_VEC - Y_VEC).dot(X_VEC - Y_VEC)
    identity = squared_distance - (X_VEC.dot(X_VEC) + Y_VEC.dot(Y_VEC) - 2 * X_VEC.dot(Y_VEC))
    assert sp.expand(identity) == 0  # with both norms 1 this is 2 - 2 x.y


def test_la_cloze_cauchy_schwarz_lagrange_identity() -> None:
    """‖x‖²‖y‖² − (x·y)² is a sum of squares of 2×2 minors: never negative, and zero exactly
    when every minor vanishes, i.e. when x and y are linearly dependent."""
    assert "linearly dependent" in full_text("la-cloze-cauchy-schwarz")
    gap = X_VEC.dot(X_VEC) * Y_VEC.dot(Y_VEC) - X_VEC.dot(Y_VEC) ** 2
    minors = sp.Matrix.hstack(X_VEC, Y_VEC)
    squares = sum(
        minors.extract([i, j], [0, 1]).det() ** 2 for i in range(3) for j in range(i + 1, 3)
    )
    assert sp.expand(gap - squares) == 0


def test_la_why_l1_sparse_zero_is_optimal_exactly_when_the_slope_is_within_lambda() -> None:
    """One weight, data loss ½(w − z)² (slope −z at 0): with λ|w| the minimiser is 0 for
    |z| ≤ λ; with λw² it is z/(1 + 2λ), never 0 for z ≠ 0."""
    w = sp.symbols("w", real=True)
    lam = sp.Rational(1, 2)
    for z in (sp.Rational(3, 10), sp.Rational(-1, 2), sp.Rational(2, 5)):
        l1 = (w - z) ** 2 / 2 + lam * sp.Abs(w)
        for side in (sp.Interval.open(0, sp.oo), sp.Interval.open(-sp.oo, 0)):
            assert sp.solveset(l1 - l1.subs(w, 0) < 0, w, side) == sp.S.EmptySet
        l2 = (w - z) ** 2 / 2 + lam * w**2
        assert sp.solve(sp.diff(l2, w), w) == [z / (1 + 2 * lam)]
    z = sp.Rational(7, 10)  # slope larger than λ: the L1 optimum moves off zero
    l1 = (w - z) ** 2 / 2 + lam * sp.Abs(w)
    assert l1.subs(w, z - lam) < l1.subs(w, 0)


# --- matrix products and shapes --------------------------------------------------------------


def test_la_matmul_algebra_example_does_not_commute_but_associates() -> None:
    text = full_text("la-matmul-algebra")
    assert r"\begin{bmatrix} 0 & 1 \\ 0 & 0 \end{bmatrix}" in text
    a, b = mat([[0, 1], [0, 0]]), mat([[0, 0], [1, 0]])
    assert a * b == mat([[1, 0], [0, 0]]) and b * a == mat([[0, 0], [0, 1]])
    p, q, r = (sp.Matrix(2, 2, sp.symbols(f"{n}:4")) for n in "pqr")
    assert sp.expand((p * q) * r - p * (q * r)) == sp.zeros(2, 2)


def test_la_why_matmul_order_costs() -> None:
    text = full_text("la-why-matmul-order")
    assert r"n^3" in text and r"2n^2" in text

    def cost(m: int, n: int, q: int) -> int:
        return m * n * q  # la-matmul-shapes: m n q multiplications

    n = 1000
    assert cost(n, n, n) + cost(n, n, 1) == n**3 + n**2 == 1_001_000_000
    assert 2 * cost(n, n, 1) == 2_000_000
    a, b = sp.Matrix(2, 2, sp.symbols("a:4")), sp.Matrix(2, 2, sp.symbols("b:4"))
    x = sp.Matrix(sp.symbols("v:2"))
    assert sp.expand((a * b) * x - a * (b * x)) == sp.zeros(2, 1)


def test_la_matmul_shapes_and_outer_product_rank() -> None:
    a, b = sp.ones(2, 3), sp.ones(3, 5)
    assert (a * b).shape == (2, 5)
    u, v = sp.Matrix([1, 2, 3]), sp.Matrix([4, 5])
    assert (u * v.T).shape == (3, 2) and (u * v.T).rank() == 1
    assert (sp.zeros(3, 1) * v.T).rank() == 0
    assert "rank is 1" in full_text("la-outer-product")


def test_la_dense_layer_shapes() -> None:
    batch, d_in, d_out = 4, 3, 2
    x, w, b = np.ones((batch, d_in)), np.ones((d_in, d_out)), np.ones(d_out)
    assert (x @ w + b).shape == (batch, d_out)
    assert w.size + b.size == d_in * d_out + d_out
    assert r"d_{in} d_{out} + d_{out}" in full_text("la-dense-layer-shapes")


# --- transpose, inverse and determinants ----------------------------------------------------


def test_la_cloze_transpose_rules() -> None:
    """Each rule as the card writes it, ``(XY…)^\\top = Z^\\top …``, holds for symbolic matrices."""
    text = card("la-cloze-transpose-rules").answer  # the full text, no blank
    blanks = [c.id for c in deck_cards() if note_id(c) == "la-cloze-transpose-rules"]
    # both rules are hidden at once, so neither blank is given away by the other rule
    assert blanks == ["la-cloze-transpose-rules::c1"]
    a = sp.Matrix(2, 3, sp.symbols("a:6"))
    b = sp.Matrix(3, 4, sp.symbols("b:12"))
    c = sp.Matrix(4, 2, sp.symbols("c:8"))
    matrices = {"A": a, "B": b, "C": c}
    rules = re.findall(r"\\\(\(([A-Z]+)\)\^\\top = ((?:[A-Z]\^\\top ?)+)\\\)", text)
    assert [product for product, _ in rules] == ["AB", "ABC"], text
    for product, transposes in rules:
        left = sp.prod([matrices[name] for name in product]).T
        right = sp.prod([matrices[name].T for name in re.findall(r"([A-Z])\^", transposes)])
        assert sp.expand(left - right) == sp.zeros(*left.shape), (product, transposes)


def test_la_inverse_product_and_transpose_rules() -> None:
    assert r"(AB)^{-1} = B^{-1} A^{-1}" in full_text("la-inverse-product")
    a = sp.Matrix(2, 2, sp.symbols("a:4"))
    b = sp.Matrix(2, 2, sp.symbols("b:4"))
    c = sp.symbols("c", nonzero=True)
    assert sp.simplify((a * b).inv() - b.inv() * a.inv()) == sp.zeros(2, 2)
    assert sp.simplify(a.T.inv() - a.inv().T) == sp.zeros(2, 2)
    assert sp.simplify((c * a).inv() - a.inv() / c) == sp.zeros(2, 2)


def test_la_inverse_of_sum_counterexamples() -> None:
    eye = sp.eye(2)
    assert (eye + eye).inv() == eye / 2 != eye.inv() + eye.inv()
    a = mat([[1, 2], [3, 4]])
    assert a.det() != 0 and (a + (-a)).det() == 0


def test_la_invertible_conditions_agree_on_examples() -> None:
    for m in (mat([[2, 1], [1, 2]]), mat([[1, 2], [2, 4]]), mat([[0, 1, 0], [0, 0, 1], [1, 0, 0]])):
        n = m.shape[0]
        invertible = m.det() != 0
        assert invertible == (m.rank() == n) == (m.nullspace() == [])
        assert invertible == (0 not in m.eigenvals())
        assert invertible == all(s > 0 for s in singular_values(m))


def test_la_determinant_rules() -> None:
    text = full_text("la-determinant-rules")
    assert r"\det(cA) = c^n \det A" in text
    a = sp.Matrix(3, 3, sp.symbols("a:9"))
    b = sp.Matrix(3, 3, sp.symbols("b:9"))
    c = sp.symbols("c")
    assert sp.expand((a * b).det() - a.det() * b.det()) == 0
    assert sp.expand(a.T.det() - a.det()) == 0
    assert sp.expand((c * a).det() - c**3 * a.det()) == 0
    a2 = sp.Matrix(2, 2, sp.symbols("p:4"))
    assert sp.simplify(a2.inv().det() - 1 / a2.det()) == 0
    assert sp.expand((a2 + sp.eye(2)).det() - (a2.det() + 1)) != 0  # no rule for sums


def test_la_determinant_meaning_2x2_formula() -> None:
    a, b, c, d = sp.symbols("a b c d")
    assert sp.Matrix([[a, b], [c, d]]).det() == a * d - b * c
    assert r"\(ad - bc\)" in full_text("la-determinant-meaning")


def test_la_why_det_not_conditioning_examples() -> None:
    text = full_text("la-why-det-not-conditioning")
    assert r"10^{-100}" in text and r"1/t" in text and r"t^2" in text
    assert sp.Rational(1, 10) ** 100 == sp.Rational(1, 10**100)  # det(0.1 I) in 100 dimensions
    t = sp.symbols("t", positive=True)
    shear = sp.Matrix([[1, t], [0, 1]])
    assert shear.det() == 1
    eigen = list((shear.T * shear).eigenvals())  # the squared singular values
    small, large = sorted(eigen, key=lambda e: float(e.subs(t, 10)))
    assert sp.limit(sp.sqrt(small) * t, t, sp.oo) == 1  # smallest singular value ≈ 1/t
    assert sp.limit(sp.sqrt(large / small) / t**2, t, sp.oo) == 1  # condition number ≈ t²


# --- rank, null space and independence ------------------------------------------------------


def test_la_cloze_rank_nullity_on_rank_deficient_matrices() -> None:
    blanks = [c.id for c in deck_cards() if note_id(c) == "la-cloze-rank-nullity"]
    # n and "columns" are hidden together, so neither blank is given away by the other
    assert blanks == ["la-cloze-rank-nullity::c1"]
    rng = np.random.default_rng(1)
    for _ in range(20):
        m, n, r = (int(v) for v in rng.integers(1, 6, size=3))
        r = min(r, m, n)
        a = sp.Matrix(rng.integers(-3, 4, (m, r))) * sp.Matrix(rng.integers(-3, 4, (r, n)))
        assert a.rank() + len(a.nullspace()) == n
        assert a.rank() <= r  # la-rank-of-product


def test_la_rank_definition_row_rank_equals_column_rank() -> None:
    a = mat([[1, 2, 3], [2, 4, 6], [1, 0, 1]])
    assert a.rank() == a.T.rank() == 2
    assert sum(1 for s in singular_values(a) if s != 0) == 2


def test_la_null_space_solutions_differ_by_null_space_vectors() -> None:
    a = mat([[1, 2, 3], [2, 4, 6]])
    b = sp.Matrix([6, 12])
    x0 = sp.Matrix([1, 1, 1])
    assert a * x0 == b
    [n1, n2] = a.nullspace()
    s, t = sp.symbols("s t")
    assert sp.expand(a * (x0 + s * n1 + t * n2)) == b


def test_la_why_gram_singular_more_features_than_examples() -> None:
    x = mat([[1, 2, 0, 1, 3], [0, 1, 1, 2, 1], [2, 0, 1, 1, 1]])  # n = 3 examples, d = 5
    gram = x.T * x
    assert gram.rank() == x.rank() == 3 and gram.det() == 0
    lam = sp.symbols("lambda", positive=True)
    shifted = (gram + lam * sp.eye(5)).det()
    assert all(c > 0 for c in sp.Poly(shifted, lam).coeffs())  # > 0 for every λ > 0


def test_la_orthogonal_complements() -> None:
    a = mat([[1, 0], [1, 1], [0, 1]])
    [y] = a.T.nullspace()
    assert all(y.dot(a[:, j]) == 0 for j in range(2))
    assert a.rank() + len(a.T.nullspace()) == 3


# --- eigenvalues and definite matrices ------------------------------------------------------


def test_la_eigen_2x2_example() -> None:
    text = full_text("la-eigen-2x2-example")
    assert r"\lambda = 3" in text and r"\lambda = 1" in text
    a = mat([[2, 1], [1, 2]])
    vectors = {value: vecs[0] for value, _, vecs in a.eigenvects()}
    assert set(vectors) == {1, 3}
    assert vectors[3] / vectors[3][0] == sp.Matrix([1, 1])
    assert vectors[1] / vectors[1][0] == sp.Matrix([1, -1])
    assert a.trace() == 4 and a.det() == 3


def test_la_cloze_trace_det_eigen_from_the_characteristic_polynomial() -> None:
    """det(λI − A) = λ³ − tr(A) λ² + … − det A; by Vieta the roots sum to tr A and multiply to
    det A, for every 3×3 matrix."""
    a = sp.Matrix(3, 3, sp.symbols("a:9"))
    lam = sp.symbols("lambda")
    coeffs = a.charpoly(lam).all_coeffs()
    assert sp.expand(coeffs[1] + a.trace()) == 0
    assert sp.expand(coeffs[3] + a.det()) == 0
    m = mat([[4, 1, 0], [2, 3, 0], [1, 1, 5]])
    roots = [v for v, k in m.eigenvals().items() for _ in range(k)]
    assert sum(roots) == m.trace() and sp.prod(roots) == m.det()


def test_la_eigen_not_always_real_examples() -> None:
    assert set(mat([[0, -1], [1, 0]]).eigenvals()) == {sp.I, -sp.I}
    jordan = mat([[1, 1], [0, 1]])
    assert jordan.eigenvals() == {1: 2}
    assert len(jordan.eigenvects()[0][2]) == 1 and not jordan.is_diagonalizable()


def test_la_spectral_theorem_symmetric_2x2_has_real_eigenvalues() -> None:
    a, b, c = sp.symbols("a b c", real=True)
    sym = sp.Matrix([[a, b], [b, c]])
    lam = sp.symbols("lambda")
    discriminant = sp.discriminant(sym.charpoly(lam).as_expr(), lam)
    assert sp.expand(discriminant - ((a - c) ** 2 + 4 * b**2)) == 0  # never negative
    m = mat([[2, 1, 0], [1, 2, 1], [0, 1, 2]])
    q, d = m.diagonalize(normalize=True)
    assert sp.simplify(q.T * q) == sp.eye(3)
    assert sp.simplify(q * d * q.T - m) == sp.zeros(3, 3)


def test_la_eigen_functions_on_an_example() -> None:
    a = mat([[2, 1], [1, 2]])
    assert set((a**3).eigenvals()) == {1, 27}
    assert set(a.inv().eigenvals()) == {1, sp.Rational(1, 3)}
    assert set((a + 5 * sp.eye(2)).eigenvals()) == {6, 8}


def test_la_why_power_iteration_aligns_with_the_dominant_eigenvector() -> None:
    a = np.array([[2.0, 1.0], [1.0, 2.0]])  # eigenvalues 3 and 1, dominant vector (1, 1)
    v = np.array([1.0, 0.0])
    for _ in range(30):
        v = a @ v
    direction = v / np.linalg.norm(v)
    assert np.allclose(direction, np.array([1.0, 1.0]) / np.sqrt(2), atol=1e-12)


def test_la_positive_definite_tests() -> None:
    text = full_text("la-positive-definite")
    assert r"\begin{bmatrix} 0 & 0 \\ 0 & -1 \end{bmatrix}" in text
    trap = mat([[0, 0], [0, -1]])
    minors = [trap[:k, :k].det() for k in (1, 2)]
    assert all(m >= 0 for m in minors) and not trap.is_positive_semidefinite
    pd = mat([[2, -1], [-1, 2]])
    assert all(pd[:k, :k].det() > 0 for k in (1, 2)) and pd.is_positive_definite
    low = pd.cholesky()
    assert low * low.T == pd and all(low[i, i] > 0 for i in range(2))


def test_la_psd_entry_traps() -> None:
    positive_entries = mat([[1, 2], [2, 1]])
    assert set(positive_entries.eigenvals()) == {3, -1}
    x = sp.Matrix([1, -1])
    assert (x.T * positive_entries * x)[0] == -2
    assert set(mat([[2, -1], [-1, 2]]).eigenvals()) == {1, 3}


def test_la_why_gram_psd_quadratic_form_is_a_squared_norm() -> None:
    x = sp.Matrix(3, 2, sp.symbols("x:6", real=True))
    v = sp.Matrix(sp.symbols("v:2", real=True))
    assert sp.expand((v.T * x.T * x * v)[0] - (x * v).dot(x * v)) == 0
    assert r"K_{ij} = k(x_i, x_j)" in full_text("la-why-gram-psd")
    features = np.random.default_rng(8).normal(size=(3, 6))  # φ(x_1), …, φ(x_6) as columns
    gram = features.T @ features  # K_ij = φ(x_i)ᵀ φ(x_j): 6 points in a 3-D feature space
    assert np.all(np.linalg.eigvalsh(gram) >= -1e-10) and np.linalg.matrix_rank(gram) == 3


def test_la_cloze_psd_eigen() -> None:
    text = full_text("la-cloze-psd-eigen")
    assert "strictly positive" in text and "non-negative" in text
    blanks = [c.id for c in deck_cards() if note_id(c) == "la-cloze-psd-eigen"]
    # both conditions are hidden at once: either one shown would give the other away
    assert blanks == ["la-cloze-psd-eigen::c1"]
    assert mat([[1, 0], [0, 0]]).is_positive_semidefinite
    assert not mat([[1, 0], [0, 0]]).is_positive_definite


# --- orthogonal matrices and projections ----------------------------------------------------


def test_la_orthogonal_matrix_properties() -> None:
    theta = sp.symbols("theta", real=True)
    rotation = sp.Matrix([[sp.cos(theta), -sp.sin(theta)], [sp.sin(theta), sp.cos(theta)]])
    reflection = mat([[1, 0], [0, -1]])
    v = sp.Matrix(sp.symbols("v:2", real=True))
    for q in (rotation, reflection):
        assert sp.simplify(q.T * q) == sp.eye(2)
        assert sp.simplify((q * v).dot(q * v) - v.dot(v)) == 0
    assert sp.simplify(rotation.det()) == 1 and reflection.det() == -1
    assert mat([[2, 0], [0, 2]]).T * mat([[2, 0], [0, 2]]) != sp.eye(2)  # orthogonal, not unit


def test_la_projection_onto_line_example_and_residual() -> None:
    assert r"p = (2, 0)" in full_text("la-projection-onto-line")
    a, b = sp.Matrix([1, 0]), sp.Matrix([2, 3])
    p = (a.dot(b) / a.dot(a)) * a
    assert p == sp.Matrix([2, 0])
    a = sp.Matrix(sp.symbols("a:3", real=True))
    b = sp.Matrix(sp.symbols("b:3", real=True))
    residual = b - (a.dot(b) / a.dot(a)) * a
    assert sp.simplify(residual.dot(a)) == 0
    assert (a * a.T / a.dot(a)).subs(dict(zip(a, (1, 2, 2), strict=True))).rank() == 1


def test_la_cloze_projection_matrix_and_its_eigenvalues() -> None:
    a = mat([[1, 0], [1, 1], [1, 2], [0, 3]])
    p = a * (a.T * a).inv() * a.T
    assert p * p == p and p == p.T
    assert set(p.eigenvals()) == {0, 1}  # la-why-projection-eigenvalues
    assert p.trace() == p.rank() == 2


def test_la_least_squares_projection_normal_equations() -> None:
    a = mat([[1, 0], [1, 1], [1, 2]])
    b = sp.Matrix([1, 2, 4])
    x_hat = (a.T * a).inv() * a.T * b
    assert a.T * (b - a * x_hat) == sp.zeros(2, 1)
    q, r = a.QRdecomposition()  # la-qr-decomposition: the same solution from R x = Qᵀ b
    assert sp.simplify(r.inv() * q.T * b - x_hat) == sp.zeros(2, 1)


def test_la_cloze_condition_squared_and_qr() -> None:
    a = mat([[1, 1], [0, 1], [1, 0]])
    sigma = singular_values(a)
    kappa_a = sigma[0] / sigma[-1]
    gram_eigen = sorted((a.T * a).eigenvals(), reverse=True)
    kappa_gram = gram_eigen[0] / gram_eigen[-1]
    assert sp.simplify(kappa_gram - kappa_a**2) == 0
    assert r"\kappa(A^\top A) = \kappa(A)^2" in full_text("la-qr-decomposition")


# --- SVD and PCA ----------------------------------------------------------------------------


def test_la_svd_definition_and_eigen_link() -> None:
    rng = np.random.default_rng(2)
    a = rng.normal(size=(5, 3))
    u, s, vt = np.linalg.svd(a)
    sigma = np.zeros((5, 3))
    sigma[:3, :3] = np.diag(s)
    assert np.allclose(u @ sigma @ vt, a)
    assert np.allclose(u.T @ u, np.eye(5)) and np.allclose(vt @ vt.T, np.eye(3))
    assert np.all(np.diff(s) <= 0) and np.all(s >= 0)
    assert np.allclose(a @ vt.T, u[:, :3] * s)  # A v_i = σ_i u_i
    assert np.allclose(np.sort(np.linalg.eigvalsh(a.T @ a))[::-1], s**2)
    gram_vectors = np.linalg.eigh(a.T @ a)[1][:, ::-1]
    assert np.allclose(np.abs(np.sum(gram_vectors * vt.T, axis=0)), 1)  # same directions
    assert np.isclose(np.linalg.norm(a, 2), s[0])  # la-svd-geometry


def test_la_svd_vs_eigen_examples() -> None:
    assert singular_values(sp.diag(1, -2)) == [2, 1]
    nilpotent = mat([[0, 1], [0, 0]])
    assert nilpotent.eigenvals() == {0: 2}
    assert singular_values(nilpotent) == [1, 0]
    psd = mat([[2, 1], [1, 2]])
    assert singular_values(psd) == sorted(psd.eigenvals(), reverse=True)
    assert "Exactly when the matrix is symmetric positive semi-definite" in full_text(
        "la-svd-vs-eigen"
    )
    upper = mat([[1, 1], [0, 2]])  # non-symmetric, eigenvalues 1 and 2 (real, positive)
    assert set(upper.eigenvals()) == {1, 2} and set(singular_values(upper)) != {1, 2}


def _pca_data() -> np.ndarray:
    rng = np.random.default_rng(3)
    return rng.normal(size=(50, 4)) @ rng.normal(size=(4, 4)) + np.array([10.0, -5.0, 3.0, 8.0])


def test_la_pca_via_svd_matches_the_covariance_eigenvectors() -> None:
    x = _pca_data()
    n = x.shape[0]
    centred = x - x.mean(axis=0)
    u, s, vt = np.linalg.svd(centred, full_matrices=False)
    covariance = np.cov(x, rowvar=False)  # divides by n - 1
    values, vectors = np.linalg.eigh(covariance)
    assert np.allclose(values[::-1], s**2 / (n - 1))
    assert np.allclose(np.abs(np.sum(vectors[:, ::-1] * vt.T, axis=0)), 1)
    assert np.allclose(centred @ vt.T, u * s)
    assert np.allclose((centred @ vt.T).var(axis=0, ddof=1), s**2 / (n - 1))


def test_la_why_center_pca_uncentred_first_vector_points_at_the_mean() -> None:
    x = _pca_data()
    mean_direction = x.mean(axis=0) / np.linalg.norm(x.mean(axis=0))
    first_uncentred = np.linalg.svd(x, full_matrices=False)[2][0]
    first_centred = np.linalg.svd(x - x.mean(axis=0), full_matrices=False)[2][0]
    assert abs(first_uncentred @ mean_direction) > 0.99
    assert abs(first_centred @ mean_direction) < 0.99


def test_la_cloze_explained_variance_is_a_share_of_the_total_variance() -> None:
    x = _pca_data()
    n = x.shape[0]
    s = np.linalg.svd(x - x.mean(axis=0), compute_uv=False)
    total_variance = np.trace(np.cov(x, rowvar=False))
    assert np.isclose(total_variance, np.sum(s**2) / (n - 1))
    k = 2
    assert np.isclose(
        np.sum(s[:k] ** 2) / np.sum(s**2), np.sum(s[:k] ** 2 / (n - 1)) / total_variance
    )


# --- low-rank approximation, pseudo-inverse and conditioning --------------------------------


def test_la_eckart_young_errors_and_optimality() -> None:
    rng = np.random.default_rng(4)
    a = rng.normal(size=(6, 5))
    u, s, vt = np.linalg.svd(a, full_matrices=False)
    for k in range(1, 5):
        a_k = (u[:, :k] * s[:k]) @ vt[:k]
        assert np.linalg.matrix_rank(a_k) == k
        spectral, frobenius = np.linalg.norm(a - a_k, 2), np.linalg.norm(a - a_k, "fro")
        assert np.isclose(spectral, s[k])  # la-cloze-eckart-young-error
        assert np.isclose(frobenius, np.sqrt(np.sum(s[k:] ** 2)))
        for _ in range(50):  # no random rank-k matrix does better
            b = rng.normal(size=(6, k)) @ rng.normal(size=(k, 5))
            assert np.linalg.norm(a - b, 2) >= spectral - 1e-12
            assert np.linalg.norm(a - b, "fro") >= frobenius - 1e-12


def test_la_low_rank_storage_example() -> None:
    text = full_text("la-low-rank-storage")
    assert "0.5 million" in text and "16.8 million" in text
    m = n = 4096
    k = 64
    assert round(k * (m + n) / 1e6, 1) == 0.5 and round(m * n / 1e6, 1) == 16.8
    assert k < m * n / (m + n)


def test_la_pseudo_inverse_closed_forms() -> None:
    tall = mat([[1, 0], [1, 1], [1, 2]])
    wide = tall.T
    square = mat([[2, 1], [1, 1]])
    assert tall.pinv() == (tall.T * tall).inv() * tall.T
    assert tall.pinv() * tall == sp.eye(2)
    assert wide.pinv() == wide.T * (wide * wide.T).inv()
    assert wide * wide.pinv() == sp.eye(2)
    assert square.pinv() == square.inv()
    rank_one = mat([[1, 2], [2, 4]])  # σ₁ = 5, σ₂ = 0: A⁺ = A/25
    assert rank_one.pinv() == rank_one / 25


def test_la_pseudo_inverse_least_squares_is_the_minimum_norm_minimiser() -> None:
    a = mat([[1, 1, 0], [1, 1, 0], [0, 0, 1]])  # rank 2, inconsistent for this b
    b = sp.Matrix([1, 3, 2])
    x_plus = a.pinv() * b
    assert a.T * (b - a * x_plus) == sp.zeros(3, 1)  # it minimises ‖Ax − b‖
    [null] = a.nullspace()
    assert x_plus.dot(null) == 0  # orthogonal to the null space: the shortest minimiser
    t = sp.symbols("t", real=True)
    other = x_plus + t * null  # every other minimiser
    assert sp.solve(sp.diff(other.dot(other), t), t) == [0]
    numeric, *_ = np.linalg.lstsq(np.array(a, dtype=float), np.array(b, dtype=float), rcond=None)
    assert np.allclose(numeric, np.array(x_plus, dtype=float))


def test_la_condition_number_two_definitions_agree() -> None:
    a = mat([[3, 1], [1, 2]])
    sigma = singular_values(a)
    inverse_sigma = singular_values(a.inv())
    assert sp.simplify(sigma[0] * inverse_sigma[0] - sigma[0] / sigma[-1]) == 0
    rng = np.random.default_rng(5)
    m = rng.normal(size=(4, 4))
    s = np.linalg.svd(m, compute_uv=False)
    assert np.isclose(np.linalg.cond(m), s[0] / s[-1])
    assert np.isclose(np.linalg.norm(m, 2) * np.linalg.norm(np.linalg.inv(m), 2), s[0] / s[-1])


def test_la_why_ridge_conditioning_formula() -> None:
    text = full_text("la-why-ridge-conditioning")
    assert r"\frac{\sigma_{\max}^2 + \lambda}{\sigma_{\min}^2 + \lambda}" in text
    rng = np.random.default_rng(6)
    x = rng.normal(size=(20, 4))
    s = np.linalg.svd(x, compute_uv=False)
    for lam in (0.1, 1.0, 10.0):
        shifted = np.linalg.eigvalsh(x.T @ x + lam * np.eye(4))
        assert np.isclose(shifted.max() / shifted.min(), (s[0] ** 2 + lam) / (s[-1] ** 2 + lam))
        assert shifted.max() / shifted.min() < (s[0] / s[-1]) ** 2
    smax, smin, lam = sp.symbols("sigma_max sigma_min lambda", positive=True)
    gap = smax**2 / smin**2 - (smax**2 + lam) / (smin**2 + lam)
    assert sp.factor(gap) == lam * (smax - smin) * (smax + smin) / (smin**2 * (smin**2 + lam))


# --- tensor shapes and broadcasting ---------------------------------------------------------


def broadcast_by_the_card(first: tuple[int, ...], second: tuple[int, ...]) -> tuple[int, ...]:
    """la-broadcasting-rules, as written: align right, pad with 1s, sizes equal or one is 1."""
    width = max(len(first), len(second))
    a = (1,) * (width - len(first)) + first
    b = (1,) * (width - len(second)) + second
    if any(x != y and 1 not in (x, y) for x, y in zip(a, b, strict=True)):
        raise ValueError("incompatible")
    return tuple(y if x == 1 else x for x, y in zip(a, b, strict=True))  # the size that is not 1


def test_la_broadcasting_rules_agree_with_numpy() -> None:
    assert "the size that is not 1" in full_text("la-broadcasting-rules")
    rng = np.random.default_rng(7)
    for _ in range(500):
        # sizes 0 to 3: a 1 against a 0 gives 0, the size that is not 1 (not the larger one)
        shapes = [tuple(int(v) for v in rng.integers(0, 4, rng.integers(0, 5))) for _ in "ab"]
        try:
            expected: tuple[int, ...] | None = np.broadcast_shapes(*shapes)
        except ValueError:
            expected = None
        try:
            ours: tuple[int, ...] | None = broadcast_by_the_card(*shapes)
        except ValueError:
            ours = None
        assert ours == expected, shapes


def _shape(text: str) -> tuple[int, ...]:
    return tuple(int(v) for v in text.split(",") if v.strip())


def test_la_broadcasting_examples_each_stated_result_is_numpy_s() -> None:
    answer = card("la-broadcasting-examples").answer
    bullet = re.compile(r"^- \(([\d, ]+)\) and \(([\d, ]+)\) (?:give \(([\d, ]+)\)|is an error)")
    stated = [bullet.match(line) for line in answer.splitlines() if line.startswith("- ")]
    assert len(stated) == 4 and all(stated), answer
    for match in stated:
        assert match is not None
        first, second = _shape(match[1]), _shape(match[2])
        if match[3] is None:
            with pytest.raises(ValueError):
                np.zeros(first) + np.zeros(second)
        else:
            assert (np.zeros(first) + np.zeros(second)).shape == _shape(match[3]), match[0]
    assert (np.zeros((2, 3)) + np.zeros((2, 1))).shape == (2, 3)  # the card's suggested fix


def test_la_why_broadcast_loss_bug() -> None:
    y_pred = np.array([[1.0], [2.0], [3.0]])
    y = np.array([1.0, 2.0, 3.0])
    silently_wrong = (y_pred - y) ** 2
    assert silently_wrong.shape == (3, 3) and silently_wrong.mean() > 0
    assert ((y_pred.squeeze(-1) - y) ** 2).mean() == 0 == ((y_pred - y.reshape(-1, 1)) ** 2).mean()


def test_la_cloze_keepdims() -> None:
    x = np.arange(12.0).reshape(3, 4)
    centred = x - x.mean(axis=1, keepdims=True)
    assert x.mean(axis=1, keepdims=True).shape == (3, 1)
    assert np.allclose(centred.mean(axis=1), 0)
    with pytest.raises(ValueError):
        x - x.mean(axis=1)  # shape (3,) against (3, 4): the last axes are 3 and 4


def test_la_batched_matmul_shapes() -> None:
    batch, heads, n, k, m = 2, 3, 4, 5, 6
    assert (np.ones((batch, n, k)) @ np.ones((k, m))).shape == (batch, n, m)
    assert (np.ones((batch, 1, n, k)) @ np.ones((heads, k, m))).shape == (batch, heads, n, m)
    assert (np.ones((n, k)) @ np.ones(k)).shape == (n,)
    assert (np.ones(n) @ np.ones((n, k))).shape == (k,)


def test_la_attention_shapes() -> None:
    batch, heads, length, dim = 2, 4, 7, 8
    q = k = v = np.ones((batch, heads, length, dim))
    scores = q @ np.swapaxes(k, -2, -1)
    assert scores.shape == (batch, heads, length, length)
    assert (scores @ v).shape == (batch, heads, length, dim)


def test_la_why_reshape_not_transpose() -> None:
    batch, length, heads, dim = 2, 3, 4, 5
    x = np.arange(batch * length * heads * dim).reshape(batch, length, heads * dim)
    right = x.reshape(batch, length, heads, dim).transpose(0, 2, 1, 3)
    wrong = x.reshape(batch, heads, length, dim)
    assert right.shape == wrong.shape
    for h in range(heads):  # head h of position t is features h·d … h·d + d − 1 of position t
        assert np.array_equal(right[:, h], x[:, :, h * dim : (h + 1) * dim])
    assert not np.array_equal(right, wrong)


# --- the cards state the formulas the checks above verify -------------------------------------

VERIFIED_FORMULAS = [
    ("la-cloze-projection-matrix", r"A (A^\top A)^{-1} A^\top"),
    ("la-least-squares-projection", r"A^\top A \hat{x} = A^\top b"),
    ("la-projection-onto-line", r"p = \frac{a^\top b}{a^\top a} \, a"),
    ("la-cloze-condition-squared", r"\kappa_2(A^\top A) = \kappa_2(A)^2"),
    ("la-eckart-young", r"\lVert A - A_k \rVert_2 = \sigma_{k+1}"),
    ("la-eckart-young", r"\sqrt{\sigma_{k+1}^2 + \dots + \sigma_r^2}"),
    ("la-cloze-eckart-young-error", r"\lVert A - A_k \rVert_2 = \sigma_{k+1}"),
    ("la-pca-via-svd", r"\sigma_i^2 / (n - 1)"),
    ("la-pca-via-svd", r"\tilde{X} V = U \Sigma"),
    ("la-cloze-explained-variance", r"\frac{\sum_{i=1}^{k} \sigma_i^2}{\sum_{i} \sigma_i^2}"),
    ("la-pseudo-inverse", r"A^{+} = (A^\top A)^{-1} A^\top"),
    ("la-pseudo-inverse", r"A^{+} = A^\top (A A^\top)^{-1}"),
    ("la-condition-number", r"\frac{\sigma_{\max}(A)}{\sigma_{\min}(A)}"),
    ("la-svd-eigen-link", r"\sigma_i = \sqrt{\lambda_i(A^\top A)}"),
    ("la-svd-geometry", r"\lVert A \rVert_2 = \sigma_1"),
    ("la-inverse-transpose", r"(A^\top)^{-1} = (A^{-1})^\top"),
    ("la-inverse-transpose", r"(cA)^{-1} = A^{-1} / c"),
    ("la-why-gram-psd", r"v^\top X^\top X v = (Xv)^\top (Xv) = \lVert Xv \rVert_2^2"),
    ("la-cloze-rank-nullity", r"\operatorname{rank} A + \dim N(A) = n"),
    ("la-eigen-functions", r"\(\lambda + c\) for \(A + cI\)"),
]


@pytest.mark.parametrize(("card_id", "formula"), VERIFIED_FORMULAS)
def test_the_card_states_the_verified_formula(card_id: str, formula: str) -> None:
    """The formula a check above proves is the one the card shows (its full, answer side)."""
    assert formula in card(card_id).answer, (card_id, formula)


def test_the_practice_cards_are_the_decks_own_skills() -> None:
    """Each problem card sits under a section's Practice heading and names a family this deck
    teaches, and every family the deck teaches has one."""
    assert_practice_skills(DECK, PRACTICE_FAMILIES)
