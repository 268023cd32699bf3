"""The Probability & Statistics deck: it parses, it is complete, and its formulas are true.

Each formula check names the card it guards and first asserts that the card still states the
formula checked, so a reworded card and a wrong formula both fail here, pointing at the card.
SymPy (``sympy.stats`` where it fits) does the checking.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sympy as sp
from sympy import stats
from textual.pilot import Pilot

from quizcalc.cards import lint_paths, parse_markdown
from quizcalc.cards.model import Card, CardKind
from quizcalc.tui.app import QuizcalcApp
from tests.content.deck_files import DeckFile, assert_practice_skills, note_id
from tests.tui.conftest import (  # noqa: F401  (fixtures the reviewer test below uses)
    build_app,
    clock,
    config_file,
    content,
    db_path,
    environ,
    screen_text,
    typeset_loaded,
    wait_ready,
    wait_until,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
DECK_PATH = REPO_ROOT / "content" / "probability-statistics.md"
DECK = DeckFile(DECK_PATH)
deck_text, all_cards, deck_cards = DECK.text, DECK.all_cards, DECK.written_cards

SECTIONS = (
    "Random variables, expectation and variance",
    "Common distributions",
    "Conditional probability and Bayes",
    "Limit theorems",
    "Estimation: MLE, MAP, bias and variance",
    "Confidence intervals and hypothesis tests",
    "Sampling and the bootstrap",
)
MIN_CARDS = 45
ID_PREFIX = "ps-"

PRACTICE_FAMILIES = {"bayes_rule", "expectation_variance"}
"""The problem families practised in this deck (one ```problem card per skill)."""


def card_text(card_id: str) -> str:
    """What the card with this written id says: question and answer, or a cloze note's source."""
    matches = [card for card in deck_cards() if note_id(card) == card_id]
    assert matches, f"no card {card_id!r} in the deck"
    first = matches[0]
    if first.kind is CardKind.CLOZE:
        return first.note
    return f"{first.question}\n{first.answer}"


def says(card_id: str, *fragments: str) -> None:
    """Fail, naming the card, unless it still states every fragment (LaTeX as written)."""
    text = card_text(card_id)
    missing = [fragment for fragment in fragments if fragment not in text]
    assert missing == [], f"{card_id} no longer states {missing}"


def is_why_card(card: Card) -> bool:
    """A card asking for a reason: its question starts with "Why"."""
    return card.kind is CardKind.BASIC and card.question.lstrip().startswith("Why")


# --- the deck parses and is complete ---------------------------------------------------------


def test_the_deck_file_has_no_problems() -> None:
    assert lint_paths([DECK_PATH]) == []


def test_front_matter_names_the_deck_and_its_tags() -> None:
    assert {card.deck for card in deck_cards()} == {"Probability & Statistics"}
    for card in deck_cards():
        assert card.tags[:3] == ("probability", "statistics", "ml-interview"), card.id


def test_the_deck_has_enough_cards() -> None:
    assert len(deck_cards()) >= MIN_CARDS


def test_the_sections_are_the_planned_ones_in_order() -> None:
    in_order = list(dict.fromkeys(card.section for card in deck_cards()))
    assert in_order == list(SECTIONS)


def test_every_card_has_a_unique_prefixed_explicit_id() -> None:
    written = re.findall(r"<!--\s*id:\s*(\S+?)\s*-->", deck_text())
    assert [card_id for card_id, count in Counter(written).items() if count > 1] == []
    assert all(re.fullmatch(r"ps(?:-[a-z0-9]+)+", card_id) for card_id in written), written
    assert all(card.explicit_id for card in deck_cards())
    assert {note_id(card) for card in all_cards()} == set(written)
    assert len({card.id for card in deck_cards()}) == len(deck_cards())


@pytest.mark.parametrize("section", SECTIONS)
def test_each_section_mixes_cloze_why_and_plain_cards(section: str) -> None:
    cards = [card for card in deck_cards() if card.section == section]
    assert any(card.kind is CardKind.CLOZE for card in cards), section
    assert any(is_why_card(card) for card in cards), section
    assert sum(card.kind is CardKind.BASIC and not is_why_card(card) for card in cards) >= 1


def test_every_card_has_a_question_and_an_answer() -> None:
    for card in deck_cards():
        assert card.question.strip() and card.answer.strip(), card.id


LEANS_ON_ANOTHER_CARD = re.compile(
    r"^(and|also|but|so|then|similarly|likewise)\b|\bprevious\b|\bas before\b|\babove\b", re.I
)


def test_every_question_stands_alone() -> None:
    leaning = [card.id for card in deck_cards() if LEANS_ON_ANOTHER_CARD.search(card.question)]
    assert leaning == []


# --- SymPy checks: random variables, expectation and variance --------------------------------

REAL_A, REAL_B = sp.symbols("a b", real=True)
MU = sp.Symbol("mu", real=True)
SIGMA = sp.Symbol("sigma", positive=True)
P_SUCCESS = sp.Symbol("p", positive=True)
RATE = sp.Symbol("lambda", positive=True)


def test_ps_density_above_one_uniform_half_has_density_two_and_area_one() -> None:
    says("ps-density-above-one", r"Uniform\((0, 1/2)\) has density 2")
    x = sp.Symbol("x", real=True)
    narrow = stats.Uniform("U", 0, sp.Rational(1, 2))
    pdf = stats.density(narrow)(x)
    assert pdf.subs(x, sp.Rational(1, 4)) == 2
    assert sp.integrate(pdf, (x, -sp.oo, sp.oo)) == 1


def test_ps_expectation_linearity_holds_for_dependent_variables() -> None:
    says("ps-expectation-linearity", r"a\,\mathbb{E}[X] + b\,\mathbb{E}[Y]", "independent")
    die = stats.Die("D", 6)
    square = die**2  # completely dependent on the die
    assert stats.E(REAL_A * die + REAL_B * square) == sp.expand(
        REAL_A * stats.E(die) + REAL_B * stats.E(square)
    )


@pytest.mark.parametrize("n", range(1, 7))
def test_ps_linearity_why_useful_a_shuffle_leaves_one_card_in_place_on_average(n: int) -> None:
    says("ps-linearity-why-useful", r"\(n \cdot 1/n = 1\)")
    shuffles = list(itertools.permutations(range(n)))
    fixed = sum(sum(card == place for place, card in enumerate(order)) for order in shuffles)
    assert sp.Rational(fixed, len(shuffles)) == 1


def test_ps_variance_definition_shortcut_agrees_with_the_definition() -> None:
    says(
        "ps-variance-definition",
        r"\mathbb{E}\left[(X - \mathbb{E}[X])^2\right] = \mathbb{E}[X^2] - (\mathbb{E}[X])^2",
    )
    for variable in (
        stats.Binomial("B", 5, P_SUCCESS),
        stats.Poisson("Po", RATE),
        stats.Normal("N", MU, SIGMA),
    ):
        definition = stats.E((variable - stats.E(variable)) ** 2)
        shortcut = stats.E(variable**2) - stats.E(variable) ** 2
        assert sp.simplify(definition - shortcut) == 0
        assert sp.simplify(stats.variance(variable) - shortcut) == 0


def test_ps_variance_affine_scale_squares_and_shift_vanishes() -> None:
    says("ps-variance-affine", r"a^2 \operatorname{Var}(X)", r"\(|a|\)")
    for variable in (stats.Normal("N", MU, SIGMA), stats.Poisson("Po", RATE)):
        shifted = stats.variance(REAL_A * variable + REAL_B)
        assert sp.simplify(shifted - REAL_A**2 * stats.variance(variable)) == 0
        assert sp.sqrt(sp.simplify(shifted)).equals(sp.Abs(REAL_A) * stats.std(variable))


def test_ps_variance_of_sum_covariance_term_and_independent_difference() -> None:
    says(
        "ps-variance-of-sum",
        r"\operatorname{Var}(X) + \operatorname{Var}(Y) + 2\operatorname{Cov}(X, Y)",
        r"\operatorname{Var}(X + X) = 4\operatorname{Var}(X)",
    )
    s1, s2 = sp.symbols("sigma1 sigma2", positive=True)
    x, noise = stats.Normal("X", 0, s1), stats.Normal("W", 0, s2)
    y = 3 * x + noise  # correlated with x
    expected = stats.variance(x) + stats.variance(y) + 2 * stats.covariance(x, y)
    assert sp.simplify(stats.variance(x + y) - expected) == 0
    assert stats.covariance(x, y) != 0
    assert sp.simplify(stats.variance(x - noise) - (s1**2 + s2**2)) == 0  # independent
    assert sp.simplify(stats.variance(x + x) - 4 * stats.variance(x)) == 0


def test_ps_covariance_shortcut_and_bilinearity() -> None:
    says(
        "ps-covariance",
        r"\mathbb{E}[XY] - \mathbb{E}[X]\,\mathbb{E}[Y]",
        r"\operatorname{Cov}(aX + b, cY + d) = ac\,\operatorname{Cov}(X, Y)",
    )
    c, d = sp.symbols("c d", real=True)
    u, v = stats.Normal("U", 0, 2), stats.Normal("V", 0, 1)
    x, y = u + 1, u - 2 * v - 1
    shortcut = stats.E(sp.expand(x * y)) - stats.E(x) * stats.E(y)
    assert sp.simplify(stats.covariance(x, y) - shortcut) == 0
    scaled = stats.covariance(REAL_A * x + REAL_B, c * y + d)
    assert sp.simplify(scaled - REAL_A * c * stats.covariance(x, y)) == 0
    assert stats.covariance(x, x) == stats.variance(x)


def test_ps_independent_product_expectation_factorises() -> None:
    says("ps-independent-product", r"\mathbb{E}[X]\,\mathbb{E}[Y]")
    x, y = stats.Poisson("Po", RATE), stats.Normal("N", MU, SIGMA)
    assert sp.simplify(stats.E(x * y) - stats.E(x) * stats.E(y)) == 0
    assert sp.simplify(stats.covariance(x, y)) == 0


def test_ps_correlation_is_plus_or_minus_one_for_a_linear_relation() -> None:
    says("ps-correlation", r"\frac{\operatorname{Cov}(X, Y)}{\sigma_X \, \sigma_Y}", r"\([-1, 1]\)")
    x = stats.Normal("X", MU, SIGMA)
    slope = sp.Symbol("b", positive=True)
    assert sp.simplify(stats.correlation(x, REAL_A + slope * x)) == 1
    assert sp.simplify(stats.correlation(x, REAL_A - slope * x)) == -1
    noisy = x + stats.Normal("W", 0, 1)
    rho = sp.simplify(stats.correlation(x, noisy))
    assert rho == SIGMA / sp.sqrt(SIGMA**2 + 1)  # strictly between 0 and 1
    assert sp.simplify(1 - rho**2) == 1 / (SIGMA**2 + 1)  # positive: |rho| < 1


def test_ps_correlation_scale_free_is_unchanged_by_positive_rescaling() -> None:
    says("ps-correlation-scale-free", r"\rho(aX + b, cY + d) = \rho(X, Y)")
    a, c = sp.symbols("a c", positive=True)
    b, d = sp.symbols("b d", real=True)
    u, v = stats.Normal("U", 0, 1), stats.Normal("V", 0, 1)
    x, y = u, u + 2 * v
    rho = sp.simplify(stats.correlation(x, y))
    assert sp.simplify(stats.correlation(a * x + b, c * y + d) - rho) == 0
    assert sp.simplify(stats.correlation(-a * x + b, c * y + d) + rho) == 0  # sign flips
    assert sp.simplify(stats.covariance(100 * x, y) - 100 * stats.covariance(x, y)) == 0


def test_ps_uncorrelated_not_independent_x_and_x_squared() -> None:
    says("ps-uncorrelated-not-independent", r"Y = X^2", r"\operatorname{Cov}(X, Y)")
    x = stats.Normal("X", 0, 1)
    assert stats.covariance(x, x**2) == 0
    # Dependent: E[X^2 * Y] = E[X^4] = 3 differs from E[X^2] E[Y] = 1.
    assert stats.E(x**2 * x**2) == 3 and stats.E(x**2) * stats.E(x**2) == 1


# --- SymPy checks: common distributions ------------------------------------------------------


def test_ps_bernoulli_mean_variance_and_largest_variance() -> None:
    says(
        "ps-bernoulli", r"p^x (1 - p)^{1 - x}", r"variance \(p(1 - p)\)", r"\(1/4\), at \(p = 1/2\)"
    )
    bernoulli = stats.Bernoulli("B", P_SUCCESS)
    assert stats.E(bernoulli) == P_SUCCESS
    assert sp.factor(stats.variance(bernoulli) - P_SUCCESS * (1 - P_SUCCESS)) == 0
    for x in (0, 1):
        assert stats.density(bernoulli)[x] == P_SUCCESS**x * (1 - P_SUCCESS) ** (1 - x)
    p = sp.Symbol("p", real=True)
    variance = p * (1 - p)
    assert sp.solve(sp.diff(variance, p), p) == [sp.Rational(1, 2)]
    assert variance.subs(p, sp.Rational(1, 2)) == sp.Rational(1, 4)


@pytest.mark.parametrize("n", range(1, 7))
def test_ps_binomial_pmf_mean_and_variance(n: int) -> None:
    says("ps-binomial", r"\binom{n}{k} p^k (1 - p)^{n - k}", r"\(np\)", r"\(np(1 - p)\)")
    binomial = stats.Binomial("X", n, P_SUCCESS)
    pmf = stats.density(binomial)
    for k in range(n + 1):
        assert (
            sp.expand(pmf[k] - sp.binomial(n, k) * P_SUCCESS**k * (1 - P_SUCCESS) ** (n - k)) == 0
        )
    assert sp.simplify(stats.E(binomial) - n * P_SUCCESS) == 0
    assert sp.simplify(stats.variance(binomial) - n * P_SUCCESS * (1 - P_SUCCESS)) == 0


def test_ps_binomial_why_mean_variance_a_sum_of_bernoullis_has_them() -> None:
    says("ps-binomial-why-mean-variance", "sum of \\(n\\) independent Bernoulli")
    trials = [stats.Bernoulli(f"T{i}", P_SUCCESS) for i in range(4)]
    count = sum(trials, sp.Integer(0))
    binomial = stats.Binomial("X", 4, P_SUCCESS)
    assert sp.simplify(stats.E(count) - stats.E(binomial)) == 0
    assert sp.simplify(stats.variance(count) - stats.variance(binomial)) == 0
    for k in range(5):
        assert sp.expand(stats.P(sp.Eq(count, k)) - stats.density(binomial)[k]) == 0


def test_ps_poisson_pmf_mean_variance_and_sum() -> None:
    says(
        "ps-poisson", r"\frac{e^{-\lambda} \lambda^k}{k!}", "Poisson\\((\\lambda_1 + \\lambda_2)\\)"
    )
    k = sp.Symbol("k", integer=True, nonnegative=True)
    poisson = stats.Poisson("Po", RATE)
    card_pmf = sp.exp(-RATE) * RATE**k / sp.factorial(k)
    assert sp.simplify(stats.density(poisson)(k) - card_pmf) == 0
    assert sp.simplify(sp.summation(card_pmf, (k, 0, sp.oo))) == 1
    assert stats.E(poisson) == RATE and stats.variance(poisson) == RATE
    rate1, rate2 = sp.symbols("lambda1 lambda2", positive=True)

    def pmf(rate: sp.Expr, count: int) -> sp.Expr:
        return card_pmf.subs({RATE: rate, k: count})

    for total in range(5):
        convolution = sum(pmf(rate1, j) * pmf(rate2, total - j) for j in range(total + 1))
        assert sp.simplify(convolution - pmf(rate1 + rate2, total)) == 0


@pytest.mark.parametrize("k", range(4))
def test_ps_poisson_limit_binomial_tends_to_poisson(k: int) -> None:
    says(
        "ps-poisson-limit",
        r"\left(1 - \frac{\lambda}{n}\right)^{n-k}",
        r"e^{-\lambda}\lambda^k / k!",
    )
    n = sp.Symbol("n", positive=True, integer=True)
    binomial_pmf = sp.binomial(n, k) * (RATE / n) ** k * (1 - RATE / n) ** (n - k)
    card_form = (
        sp.prod([n - i for i in range(k)]) / n**k
        * RATE**k / sp.factorial(k)
        * (1 - RATE / n) ** (n - k)
    )  # fmt: skip
    assert sp.simplify(sp.expand_func(binomial_pmf) - card_form) == 0
    assert sp.limit(sp.prod([n - i for i in range(k)]) / n**k, n, sp.oo) == 1
    assert sp.limit((1 - RATE / n) ** (n - k), n, sp.oo) == sp.exp(-RATE)


def test_ps_uniform_density_mean_and_variance() -> None:
    says("ps-uniform", r"\(1/(b - a)\)", r"\((a + b)/2\)", r"\((b - a)^2 / 12\)")
    a = sp.Symbol("a", real=True)
    width = sp.Symbol("w", positive=True)  # b = a + w > a
    b = a + width
    uniform = stats.Uniform("U", a, b)
    assert sp.simplify(stats.density(uniform)(a + width / 3) - 1 / (b - a)) == 0
    assert sp.simplify(stats.E(uniform) - (a + b) / 2) == 0
    assert sp.simplify(stats.variance(uniform) - (b - a) ** 2 / 12) == 0


def test_ps_gaussian_density_and_the_68_95_99_7_rule() -> None:
    says(
        "ps-gaussian",
        r"\frac{1}{\sigma\sqrt{2\pi}} \exp\left(-\frac{(x - \mu)^2}{2\sigma^2}\right)",
        "68.3%",
        "95.4%",
        "99.7%",
        r"\(\mu \pm 1.96\sigma\)",
    )
    x = sp.Symbol("x", real=True)
    normal = stats.Normal("N", MU, SIGMA)
    card_density = sp.exp(-((x - MU) ** 2) / (2 * SIGMA**2)) / (SIGMA * sp.sqrt(2 * sp.pi))
    assert sp.simplify(stats.density(normal)(x) - card_density) == 0
    standard = stats.cdf(stats.Normal("Z", 0, 1))
    for width, stated in ((1, 0.683), (2, 0.954), (3, 0.997)):
        assert abs(float(standard(width) - standard(-width)) - stated) < 0.0005
    assert abs(float(standard(1.96) - standard(-1.96)) - 0.95) < 0.0005


def test_ps_gaussian_closure_affine_maps_and_independent_sums() -> None:
    says(
        "ps-gaussian-closure",
        r"aX + b \sim \mathcal{N}(a\mu + b, a^2\sigma^2)",
        r"X + Y \sim \mathcal{N}(\mu_1 + \mu_2, \sigma_1^2 + \sigma_2^2)",
    )
    t, y = sp.symbols("t y", real=True)
    scale = sp.Symbol("a", positive=True)
    x = stats.Normal("X", MU, SIGMA)
    image = stats.Normal(
        "Y", scale * MU + REAL_B, scale * SIGMA
    )  # sd a*sigma: variance a^2 sigma^2
    assert sp.simplify(stats.cdf(x)((y - REAL_B) / scale) - stats.cdf(image)(y)) == 0
    mu1, mu2 = sp.symbols("mu1 mu2", real=True)
    s1, s2 = sp.symbols("sigma1 sigma2", positive=True)
    first, second = stats.Normal("X1", mu1, s1), stats.Normal("X2", mu2, s2)
    total = stats.Normal("S", mu1 + mu2, sp.sqrt(s1**2 + s2**2))
    mgf = stats.moment_generating_function
    assert sp.simplify(mgf(first)(t) * mgf(second)(t) - mgf(total)(t)) == 0


def mvn_density(x: sp.Matrix, mean: sp.Matrix, cov: sp.Matrix) -> sp.Expr:
    """The multivariate Gaussian density exactly as the card ps-mvn-density writes it."""
    d = x.shape[0]
    quadratic = ((x - mean).T * cov.inv() * (x - mean))[0, 0]
    return sp.exp(-quadratic / 2) / sp.sqrt((2 * sp.pi) ** d * cov.det())


def test_ps_mvn_density_matches_sympy_multivariate_normal() -> None:
    says(
        "ps-mvn-density",
        r"\frac{1}{\sqrt{(2\pi)^d \det \Sigma}}",
        r"\exp\left(-\frac{1}{2}(x - \mu)^\top \Sigma^{-1} (x - \mu)\right)",
    )
    x1, x2 = sp.symbols("x1 x2", real=True)
    mean = sp.Matrix([1, -2])
    cov = sp.Matrix([[2, 1], [1, 3]])
    joint = stats.MultivariateNormal("M", list(mean), cov)
    card = mvn_density(sp.Matrix([x1, x2]), mean, cov)
    assert sp.simplify(stats.density(joint)(x1, x2) - card) == 0
    assert sp.integrate(card, (x1, -sp.oo, sp.oo), (x2, -sp.oo, sp.oo)) == 1


def test_ps_mvn_affine_mean_and_covariance() -> None:
    says("ps-mvn-affine", r"A\mu + b", r"A \Sigma A^\top")
    # X = mu + L Z with Z standard: Cov(X) = L L^T.
    z = [stats.Normal("Z1", 0, 1), stats.Normal("Z2", 0, 1)]
    mean = sp.Matrix([1, -1])
    root = sp.Matrix([[1, 0], [2, 3]])
    cov = root * root.T
    x = mean + root * sp.Matrix(z)
    a_matrix = sp.Matrix([[1, 2], [0, -1], [3, 1]])  # 3 x 2
    shift = sp.Matrix([5, 0, -2])
    y = a_matrix * x + shift
    means = sp.Matrix([stats.E(sp.expand(component)) for component in y])
    covariances = sp.Matrix(3, 3, lambda i, j: stats.covariance(sp.expand(y[i]), sp.expand(y[j])))
    assert means == a_matrix * mean + shift
    assert covariances == a_matrix * cov * a_matrix.T


def test_ps_mvn_uncorrelated_independent_diagonal_density_factorises() -> None:
    says("ps-mvn-uncorrelated-independent", r"Y = SX", r"\(|Y| = |X|\)")
    x1, x2 = sp.symbols("x1 x2", real=True)
    s1, s2 = sp.symbols("sigma1 sigma2", positive=True)
    mean = sp.Matrix([MU, 0])
    diagonal = mvn_density(sp.Matrix([x1, x2]), mean, sp.diag(s1**2, s2**2))
    product = stats.density(stats.Normal("A", MU, s1))(x1) * stats.density(
        stats.Normal("B", 0, s2)
    )(x2)
    assert sp.simplify(diagonal - product) == 0
    # Gaussian, uncorrelated, dependent: Y = S X with an independent random sign S.
    x = stats.Normal("X", 0, 1)
    sign = stats.Bernoulli("S", sp.Rational(1, 2), succ=1, fail=-1)
    y = sign * x
    assert stats.covariance(x, y) == 0
    assert stats.E(x**2 * y**2) == 3 and stats.E(x**2) * stats.E(y**2) == 1


def test_ps_mvn_conditional_matches_joint_over_marginal() -> None:
    says(
        "ps-mvn-conditional",
        r"\mu_a + \Sigma_{ab} \Sigma_{bb}^{-1} (x_b - \mu_b)",
        r"\Sigma_{aa} - \Sigma_{ab} \Sigma_{bb}^{-1} \Sigma_{ba}",
    )
    xa, xb = sp.symbols("x_a x_b", real=True)
    mean = sp.Matrix([1, -2])
    cov = sp.Matrix([[4, 2], [2, 3]])
    joint = mvn_density(sp.Matrix([xa, xb]), mean, cov)
    marginal = mvn_density(sp.Matrix([xb]), sp.Matrix([mean[1]]), sp.Matrix([[cov[1, 1]]]))
    conditional_mean = mean[0] + cov[0, 1] / cov[1, 1] * (xb - mean[1])
    conditional_var = cov[0, 0] - cov[0, 1] ** 2 / cov[1, 1]
    card = mvn_density(
        sp.Matrix([xa]), sp.Matrix([conditional_mean]), sp.Matrix([[conditional_var]])
    )
    assert sp.simplify(joint / marginal - card) == 0
    assert conditional_var < cov[0, 0]


# --- SymPy checks: conditional probability and Bayes -----------------------------------------


def bayes_posterior(prior: sp.Expr, hit_rate: sp.Expr, false_alarm_rate: sp.Expr) -> sp.Expr:
    """P(H | E) by Bayes' theorem with the total-probability denominator (card ps-bayes-theorem)."""
    return hit_rate * prior / (hit_rate * prior + false_alarm_rate * (1 - prior))


def test_ps_conditional_probability_on_a_die() -> None:
    says("ps-conditional-probability", r"\frac{P(A \cap B)}{P(B)}")
    die = stats.Die("D", 6)
    six, even = sp.Eq(die, 6), sp.Or(*(sp.Eq(die, face) for face in (2, 4, 6)))
    assert stats.P(six, even) == stats.P(sp.And(six, even)) / stats.P(even) == sp.Rational(1, 3)


def test_ps_bayes_theorem_matches_sympy_stats_conditioning() -> None:
    says(
        "ps-bayes-theorem",
        r"\frac{P(E \mid H)\,P(H)}{P(E \mid H)\,P(H) + P(E \mid \neg H)\,P(\neg H)}",
    )
    prior, hit, false_alarm = sp.Rational(1, 5), sp.Rational(3, 4), sp.Rational(1, 10)
    hypothesis = stats.Bernoulli("H", prior)
    # The evidence fires with probability `hit` when H holds and `false_alarm` otherwise.
    fires_if_true = stats.Bernoulli("A", hit)
    fires_if_false = stats.Bernoulli("B", false_alarm)
    evidence = hypothesis * fires_if_true + (1 - hypothesis) * fires_if_false
    posterior = stats.P(sp.Eq(hypothesis, 1), sp.Eq(evidence, 1))
    assert posterior == bayes_posterior(prior, hit, false_alarm)


def test_ps_base_rate_example_is_one_in_six() -> None:
    says("ps-base-rate-example", r"\frac{0.0099}{0.0594} = \frac{1}{6}", "594 positives, 495")
    prevalence, sensitivity, false_positive = (
        sp.Rational(1, 100),
        sp.Rational(99, 100),
        sp.Rational(5, 100),
    )
    assert bayes_posterior(prevalence, sensitivity, false_positive) == sp.Rational(1, 6)
    people = 10_000
    sick = people * prevalence
    true_positives, false_positives = sick * sensitivity, (people - sick) * false_positive
    assert (sick, true_positives, false_positives) == (100, 99, 495)
    assert true_positives + false_positives == 594


def test_ps_bayes_odds_form_agrees_with_bayes_theorem() -> None:
    says("ps-bayes-odds-form", r"\frac{P(E \mid H)}{P(E \mid \neg H)} \cdot \frac{P(H)}{P(\neg H)}")
    prior, hit, false_alarm = sp.symbols("q h f", positive=True)
    posterior = bayes_posterior(prior, hit, false_alarm)
    odds_form = (hit / false_alarm) * (prior / (1 - prior))
    assert sp.simplify(posterior / (1 - posterior) - odds_form) == 0


def test_ps_independent_events_exclusive_events_are_dependent() -> None:
    says("ps-independent-events", r"P(A \cap B) = P(A)\,P(B)", r"P(A \cap B) = 0")
    die = stats.Die("D", 6)
    low, high = die <= 2, die >= 5
    even = sp.Or(*(sp.Eq(die, face) for face in (2, 4, 6)))
    assert stats.P(sp.And(low, high)) == 0 != stats.P(low) * stats.P(high)
    # "at most 2" and "even" are independent: 1/6 = 1/3 * 1/2.
    assert stats.P(sp.And(low, even)) == stats.P(low) * stats.P(even)
    assert stats.P(low, even) == stats.P(low)


def test_ps_conditional_independence_why_neither_common_cause_and_common_effect() -> None:
    says(
        "ps-conditional-independence-why-neither",
        r"\(P(\text{both heads}) = 0.41\)",
        r"\(P(X = 1, Y = 1 \mid Z = 1) = 0\)",
        "= 1/4",
    )
    # Common cause: the coin. Given the coin the flips are independent Bernoulli draws.
    biases = (sp.Rational(9, 10), sp.Rational(1, 10))
    both_heads = sum(sp.Rational(1, 2) * bias**2 for bias in biases)
    one_head = sum(sp.Rational(1, 2) * bias for bias in biases)
    assert both_heads == sp.Rational(41, 100) and one_head**2 == sp.Rational(1, 4)
    # Common effect: independent fair coins become dependent given their sum.
    x, y = stats.Bernoulli("X", sp.Rational(1, 2)), stats.Bernoulli("Y", sp.Rational(1, 2))
    assert stats.P(sp.And(sp.Eq(x, 1), sp.Eq(y, 1))) == stats.P(sp.Eq(x, 1)) * stats.P(sp.Eq(y, 1))
    given = sp.Eq(x + y, 1)
    assert stats.P(sp.And(sp.Eq(x, 1), sp.Eq(y, 1)), given) == 0
    assert stats.P(sp.Eq(x, 1), given) * stats.P(sp.Eq(y, 1), given) == sp.Rational(1, 4)


# --- SymPy checks: limit theorems ------------------------------------------------------------


def test_ps_lln_chebyshev_why_variance_of_the_mean_and_the_bound() -> None:
    says(
        "ps-lln-chebyshev-why",
        r"n\sigma^2 / n^2 = \sigma^2 / n",
        r"\frac{\sigma^2}{n \varepsilon^2}",
    )
    n = 3
    sample = [stats.Normal(f"X{i}", 0, SIGMA) for i in range(n)]
    mean = sum(sample, sp.Integer(0)) / n
    assert sp.simplify(stats.variance(mean) - SIGMA**2 / n) == 0
    # The bound holds (and is loose) for Gaussian data: the exact tail is smaller.
    standard = stats.cdf(stats.Normal("Z", 0, 1))
    for epsilon in (0.5, 1.0, 2.0):
        exact = 2 * (1 - standard(epsilon * sp.sqrt(n)))  # sigma = 1
        assert float(exact) <= 1 / (n * epsilon**2)


def test_ps_law_of_large_numbers_cauchy_mean_never_settles() -> None:
    says("ps-law-of-large-numbers", "same Cauchy distribution for every \\(n\\)")
    t = sp.Symbol("t", real=True)
    phi = stats.characteristic_function(stats.Cauchy("C", 0, 1))
    assert phi(t) == sp.exp(-sp.Abs(t))
    for n in (2, 5, 50):  # the mean of n independent copies: phi(t / n) ** n
        assert sp.simplify(phi(t / n) ** n - phi(t)) == 0


def test_ps_standard_error_four_times_the_data_halves_it() -> None:
    says("ps-standard-error", r"\(\sigma / \sqrt{n}\)", "four times")
    n = sp.Symbol("n", positive=True)
    assert sp.simplify((SIGMA / sp.sqrt(4 * n)) / (SIGMA / sp.sqrt(n))) == sp.Rational(1, 2)


def test_ps_central_limit_theorem_standardised_coin_sum_tends_to_a_gaussian() -> None:
    says("ps-central-limit-theorem", r"\sqrt{n}\,(\bar X_n - \mu)/\sigma", r"\mathcal{N}(0, 1)")
    t = sp.Symbol("t", real=True)
    n = sp.Symbol("n", positive=True, integer=True)
    # A fair +-1 coin has mean 0 and sd 1: the standardised mean is the sum over sqrt(n).
    coin = stats.Bernoulli("S", sp.Rational(1, 2), succ=1, fail=-1)
    coin_mgf = sp.simplify(stats.E(sp.exp(t * coin)))
    standardised_mgf = coin_mgf.subs(t, t / sp.sqrt(n)) ** n
    gaussian_mgf = stats.moment_generating_function(stats.Normal("Z", 0, 1))(t)
    assert sp.limit(standardised_mgf.rewrite(sp.cosh), n, sp.oo) == gaussian_mgf


def test_ps_clt_why_ml_accuracy_error_bars() -> None:
    says(
        "ps-clt-why-ml",
        r"\sqrt{0.9 \times 0.1 / 10000} = 0.003",
        r"\(\pm 0.6\) percentage points",
    )
    standard_error = sp.sqrt(sp.Rational(9, 10) * sp.Rational(1, 10) / 10_000)
    assert standard_error == sp.Rational(3, 1000)
    half_width = 1.96 * standard_error
    assert round(float(half_width) * 100, 1) == 0.6
    assert float(half_width) > 0.002  # a 0.2-point gain is inside the interval


# --- SymPy checks: estimation ----------------------------------------------------------------


def test_ps_mle_definition_log_keeps_the_maximiser_and_makes_a_sum() -> None:
    says("ps-mle-definition", r"\prod_i p(x_i \mid \theta)", r"\sum_i \log p(x_i \mid \theta)")
    p = sp.Symbol("p", positive=True)
    likelihood = p**3 * (1 - p) ** 7  # 3 successes in 10 Bernoulli trials
    inside = sp.Interval.open(0, 1)
    from_likelihood = sp.solveset(sp.diff(likelihood, p), p, inside)
    from_log = sp.solveset(sp.diff(sp.log(likelihood), p), p, inside)
    assert from_likelihood == from_log == sp.FiniteSet(sp.Rational(3, 10))
    assert sp.expand_log(sp.log(likelihood), force=True) == 3 * sp.log(p) + 7 * sp.log(1 - p)


def test_ps_mle_bernoulli_is_the_observed_fraction() -> None:
    says("ps-mle-bernoulli", r"\hat p = k/n", r"k/p - (n - k)/(1 - p)")
    p = sp.Symbol("p", positive=True)
    k, n = sp.symbols("k n", positive=True)
    log_likelihood = k * sp.log(p) + (n - k) * sp.log(1 - p)
    assert sp.simplify(sp.diff(log_likelihood, p) - (k / p - (n - k) / (1 - p))) == 0
    assert sp.solve(sp.diff(log_likelihood, p), p) == [k / n]


def sum_of_squares(sample: list[sp.Expr]) -> sp.Expr:
    """The sum of squared deviations from the sample mean."""
    mean = sum(sample, sp.Integer(0)) / len(sample)
    return sp.expand(sum((x - mean) ** 2 for x in sample))


def test_ps_mle_gaussian_estimates_and_the_bias_of_the_variance() -> None:
    says(
        "ps-mle-gaussian",
        r"\hat\mu = {{c1::\bar x}}",
        r"\sum_i (x_i - \bar x)^2 / n",
        r"(n - 1)\sigma^2 / n",
    )
    n = 3
    data = sp.symbols(f"x1:{n + 1}", real=True)
    mu, variance = sp.Symbol("mu", real=True), sp.Symbol("v", positive=True)
    log_likelihood = sum(
        -sp.log(2 * sp.pi * variance) / 2 - (x - mu) ** 2 / (2 * variance) for x in data
    )
    [(mu_hat, variance_hat)] = sp.solve(
        [sp.diff(log_likelihood, mu), sp.diff(log_likelihood, variance)], [mu, variance], dict=False
    )
    assert sp.simplify(mu_hat - sum(data) / n) == 0
    assert sp.simplify(variance_hat - sum_of_squares(list(data)) / n) == 0
    sample = [stats.Normal(f"X{i}", MU, SIGMA) for i in range(n)]
    assert sp.simplify(stats.E(sum_of_squares(sample) / n) - sp.Rational(n - 1, n) * SIGMA**2) == 0


def test_ps_mse_is_gaussian_mle_negative_log_likelihood() -> None:
    says(
        "ps-mse-is-gaussian-mle",
        r"\frac{n}{2}\log(2\pi\sigma^2) + \frac{1}{2\sigma^2}",
        r"\sum_{i=1}^n \left(y_i - f(x_i; w)\right)^2",
    )
    n = 3
    targets = sp.symbols(f"y1:{n + 1}", real=True)
    predictions = sp.symbols(f"f1:{n + 1}", real=True)  # f(x_i; w)
    nll = -sum(
        sp.log(stats.density(stats.Normal(f"E{i}", prediction, SIGMA))(target))
        for i, (target, prediction) in enumerate(zip(targets, predictions, strict=True))
    )
    card = sp.Rational(n, 2) * sp.log(2 * sp.pi * SIGMA**2) + sum(
        (y - f) ** 2 for y, f in zip(targets, predictions, strict=True)
    ) / (2 * SIGMA**2)
    assert sp.simplify(sp.expand_log(nll - card, force=True)) == 0


def test_ps_map_definition_evidence_drops_out_and_a_flat_prior_gives_the_mle() -> None:
    says("ps-map-definition", r"\log p(D \mid \theta) + \log p(\theta)", "uniform prior")
    p = sp.Symbol("p", positive=True)
    likelihood = p**3 * (1 - p) ** 7
    evidence = sp.integrate(likelihood, (p, 0, 1))  # uniform prior on (0, 1)
    posterior = likelihood * 1 / evidence
    inside = sp.Interval.open(0, 1)
    map_estimate = sp.solveset(sp.diff(sp.log(posterior), p), p, inside)
    mle = sp.solveset(sp.diff(sp.log(likelihood), p), p, inside)
    assert map_estimate == mle == sp.FiniteSet(sp.Rational(3, 10))


def test_ps_l2_is_gaussian_prior_map_objective_is_ridge() -> None:
    says(
        "ps-l2-is-gaussian-prior",
        r"\lVert w \rVert_2^2 / (2\tau^2)",
        r"\lambda = \sigma^2 / \tau^2",
    )
    tau = sp.Symbol("tau", positive=True)
    weights = sp.symbols("w1 w2", real=True)
    inputs = [(1, 2), (3, -1), (0, 4)]
    targets = sp.symbols("y1:4", real=True)
    w = sp.Matrix(weights)
    sse = sum((y - (sp.Matrix([x]) * w)[0]) ** 2 for x, y in zip(inputs, targets, strict=True))
    nll = sse / (2 * SIGMA**2)  # Gaussian noise, constants dropped
    neg_log_prior = -sum(
        sp.log(stats.density(stats.Normal(f"P{i}", 0, tau))(weight))
        for i, weight in enumerate(weights)
    )
    penalty = sum(weight**2 for weight in weights) / (2 * tau**2)
    constant = sp.expand(sp.expand_log(neg_log_prior - penalty, force=True))
    assert not constant.free_symbols & set(weights)  # the prior is the L2 penalty plus a constant
    ridge = sse + SIGMA**2 / tau**2 * sum(weight**2 for weight in weights)
    assert sp.expand(2 * SIGMA**2 * (nll + penalty) - ridge) == 0


def test_ps_l1_is_laplace_prior_negative_log_is_the_l1_penalty() -> None:
    says("ps-l1-is-laplace-prior", r"e^{-|w_j|/b}", r"\lVert w \rVert_1 / b")
    b = sp.Symbol("b", positive=True)
    w = sp.Symbol("w", real=True)
    neg_log_prior = -sp.log(stats.density(stats.Laplace("L", 0, b))(w))
    assert sp.simplify(neg_log_prior - (sp.Abs(w) / b + sp.log(2 * b))) == 0


def test_ps_beta_bernoulli_map_posterior_mean_and_mode() -> None:
    says(
        "ps-beta-bernoulli-map",
        r"Beta\((\alpha + k, \beta + n - k)\)",
        r"\frac{k + \alpha}{n + \alpha + \beta}",
        r"\frac{k + \alpha - 1}{n + \alpha + \beta - 2}",
        r"\((k + 1)/(n + 2)\)",
    )
    p = sp.Symbol("p", positive=True)
    alpha, beta = sp.Rational(3), sp.Rational(2)
    n, k = 10, 4
    prior = stats.density(stats.Beta("Prior", alpha, beta))(p)
    unnormalised = p**k * (1 - p) ** (n - k) * prior
    posterior_rv = stats.Beta("Post", alpha + k, beta + n - k)
    posterior = stats.density(posterior_rv)(p)
    assert sp.simplify(unnormalised / posterior).free_symbols == set()  # proportional
    assert stats.E(posterior_rv) == sp.Rational(k + alpha, n + alpha + beta)
    mode = sp.solveset(sp.diff(sp.log(posterior), p), p, sp.Interval.open(0, 1))
    assert mode == sp.FiniteSet(sp.Rational(k + alpha - 1, n + alpha + beta - 2))
    # alpha = beta = 2: add-one smoothing; alpha = beta = 1: the MLE k/n.
    kk, nn = sp.symbols("k n", positive=True)

    def map_formula(a: int, b: int) -> sp.Expr:
        return (kk + a - 1) / (nn + a + b - 2)

    assert map_formula(2, 2) == (kk + 1) / (nn + 2) and map_formula(1, 1) == kk / nn


def test_ps_estimator_bias_variance_mse_decomposes() -> None:
    says(
        "ps-estimator-bias-variance",
        r"\operatorname{Bias}(\hat\theta)^2 + \operatorname{Var}(\hat\theta)",
    )
    shrink, offset = sp.symbols("c d", real=True)
    x = stats.Normal("X", MU, SIGMA)
    estimate = shrink * x + offset  # any affine estimator of mu
    mse = stats.E(sp.expand((estimate - MU) ** 2))
    bias = stats.E(estimate) - MU
    assert sp.simplify(mse - (bias**2 + stats.variance(estimate))) == 0


def test_ps_bessel_correction_why_sum_of_squares_expectation() -> None:
    says(
        "ps-bessel-correction-why",
        r"\mathbb{E}\left[\sum_i (x_i - \bar x)^2\right] = (n - 1)\sigma^2",
        "for Gaussian data the \\(1/n\\) version has a lower mean squared error",
    )
    n = 2  # the smallest sample with a variance; the symbolic E and Var grow fast with n
    gaussian = [stats.Normal(f"G{i}", 0, SIGMA) for i in range(n)]
    assert sp.simplify(stats.E(sum_of_squares(gaussian)) - (n - 1) * SIGMA**2) == 0
    coins = [stats.Bernoulli(f"C{i}", P_SUCCESS) for i in range(n)]  # not Gaussian
    coin_variance = P_SUCCESS * (1 - P_SUCCESS)
    assert sp.simplify(stats.E(sum_of_squares(coins)) - (n - 1) * coin_variance) == 0
    # s = sqrt(s^2) is biased low for sigma (Jensen): check on the coins at p = 1/2.
    fair = [stats.Bernoulli(f"F{i}", sp.Rational(1, 2)) for i in range(n)]
    s_mean = stats.E(sp.sqrt(sum_of_squares(fair) / (n - 1)))
    assert s_mean < sp.Rational(1, 2)


def gaussian_variance_mse(c: sp.Expr, n: sp.Expr) -> sp.Expr:
    """MSE over sigma^4 of c * sum (x_i - mean)^2 for Gaussian data (chi-squared, n - 1 df)."""
    return (c * (n - 1) - 1) ** 2 + 2 * (n - 1) * c**2


def test_ps_biased_estimator_why_gaussian_variance_mse_is_smallest_at_one_over_n_plus_one() -> None:
    says("ps-biased-estimator-why", r"\(c = 1/(n + 1)\)", r"\(1/(n - 1)\)")
    n = 2  # the smallest sample with a variance; the symbolic E and Var grow fast with n
    gaussian = [stats.Normal(f"G{i}", 0, SIGMA) for i in range(n)]
    squares = sum_of_squares(gaussian)
    assert sp.simplify(stats.E(squares) - (n - 1) * SIGMA**2) == 0
    assert sp.simplify(stats.variance(squares) - 2 * (n - 1) * SIGMA**4) == 0
    c, size = sp.Symbol("c", real=True), sp.Symbol("n", integer=True, positive=True)
    mse = gaussian_variance_mse(c, size)
    assert sp.solve(sp.diff(mse, c), c) == [1 / (size + 1)]
    for sample_size in range(2, 30):
        at = {size: sample_size}
        unbiased, mle, best = 1 / (size - 1), 1 / size, 1 / (size + 1)
        values = [mse.subs(c, divisor).subs(at) for divisor in (unbiased, mle, best)]
        assert values[0] > values[1] > values[2], sample_size


def test_ps_consistency_biased_but_consistent_and_unbiased_but_not() -> None:
    says("ps-consistency", r"\sum_i (x_i - \bar x)^2 / n", r"\(x_1\)")
    n = sp.Symbol("n", integer=True, positive=True)
    mle_bias = (n - 1) / n * SIGMA**2 - SIGMA**2
    mle_variance = 2 * (n - 1) * SIGMA**4 / n**2  # Gaussian data
    assert mle_bias != 0
    assert sp.limit(mle_bias, n, sp.oo) == 0 and sp.limit(mle_variance, n, sp.oo) == 0
    first = stats.Normal("X1", MU, SIGMA)
    assert stats.E(first) == MU and stats.variance(first) == SIGMA**2  # never shrinks with n


# --- SymPy checks: confidence intervals and hypothesis tests ---------------------------------


def test_ps_confidence_interval_mean_quantiles() -> None:
    says(
        "ps-confidence-interval-mean", "{{c1::1.96}}", r"\frac{s}{\sqrt{n}}", "\\(n - 1\\) degrees"
    )
    standard = stats.cdf(stats.Normal("Z", 0, 1))
    assert abs(float(standard(1.96)) - 0.975) < 0.0001
    # Student's t with few degrees of freedom puts less than 97.5% below 1.96: wider intervals.
    for degrees in (2, 5, 10):
        assert float(stats.cdf(stats.StudentT(f"T{degrees}", degrees))(1.96)) < 0.975


def test_ps_confidence_interval_meaning_coverage_of_the_procedure() -> None:
    says("ps-confidence-interval-meaning", "about 95% of those intervals would contain")
    # Known sigma: xbar +- 1.96 sigma / sqrt(n) covers mu exactly when |Z| <= 1.96.
    n = 3
    sample = [stats.Normal(f"X{i}", 0, SIGMA) for i in range(n)]
    mean = sum(sample, sp.Integer(0)) / n
    assert sp.simplify(stats.variance(mean) - SIGMA**2 / n) == 0  # so (mean - mu) / SE is Z
    standard = stats.cdf(stats.Normal("Z", 0, 1))
    assert abs(float(standard(1.96) - standard(-1.96)) - 0.95) < 0.0005


def test_ps_error_types_level_alpha_is_the_type_one_rate() -> None:
    says("ps-error-types", "{{c1::Type I}}", "{{c2::Type II}}", "{{c3::power}}")
    # One-sided z test at alpha = 0.05: rejects when Z > 1.645.
    z = stats.Normal("Z", 0, 1)
    critical = 1.6449
    assert abs(float(stats.P(z > critical)) - 0.05) < 0.0001  # true null: Type I rate
    shifted = stats.Normal("Zs", 2, 1)  # a false null, effect of two standard errors
    power = float(stats.P(shifted > critical))
    assert 0.63 < power < 0.64  # Type II rate 1 - power


def test_ps_p_value_uniform_why_a_variable_through_its_own_cdf_is_uniform() -> None:
    says("ps-p-value-uniform-why", "Uniform\\((0, 1)\\)", r"\(P(p \le \alpha) = \alpha\)")
    # P(F(X) <= u) = P(X <= F^{-1}(u)) = u for X exponential, F(x) = 1 - exp(-x).
    exponential = stats.Exponential("X", 1)
    cdf = stats.cdf(exponential)
    for u in (sp.Rational(1, 100), sp.Rational(1, 20), sp.Rational(1, 2), sp.Rational(9, 10)):
        quantile = -sp.log(1 - u)
        assert sp.simplify(cdf(quantile) - u) == 0
    # Discrete: a fair coin's statistic X in {0, 1}, p-value P(X >= x), is conservative.
    coin = stats.Bernoulli("C", sp.Rational(1, 2))
    p_value = {x: stats.P(coin >= x) for x in (0, 1)}
    assert p_value == {0: 1, 1: sp.Rational(1, 2)}
    alpha = sp.Rational(3, 4)
    rejecting = sum(stats.P(sp.Eq(coin, x)) for x in (0, 1) if p_value[x] <= alpha)
    assert rejecting == sp.Rational(1, 2) < alpha


def test_ps_multiple_testing_twenty_tests_give_64_percent() -> None:
    says("ps-multiple-testing", r"\(1 - 0.95^{20} \approx 0.64\)")
    family_wise = 1 - sp.Rational(95, 100) ** 20
    assert round(float(family_wise), 2) == 0.64


@pytest.mark.parametrize("tests", [1, 2, 5, 20, 100])
def test_ps_bonferroni_keeps_the_family_wise_error_rate_below_alpha(tests: int) -> None:
    says("ps-bonferroni", r"{{c1::\(\alpha / m\)}}", "union bound")
    alpha = sp.Rational(5, 100)
    independent = 1 - (1 - alpha / tests) ** tests
    union_bound = tests * (alpha / tests)
    assert independent <= union_bound == alpha


def benjamini_hochberg(p_values: list[float], q: float) -> int:
    """How many hypotheses the Benjamini–Hochberg step-up procedure rejects at level ``q``."""
    ordered = sorted(p_values)
    m = len(ordered)
    passing = [k for k in range(1, m + 1) if ordered[k - 1] <= k / m * q]
    return max(passing, default=0)


def test_ps_benjamini_hochberg_worked_example() -> None:
    text = card_text("ps-benjamini-hochberg")
    says(
        "ps-benjamini-hochberg",
        r"p_{(k)} \le k q / m",
        "the largest \\(k\\) that passes is 2",
    )
    listed = re.search(r"p-values ((?:[\d.]+, )+[\d.]+):", text)
    assert listed, text
    p_values = [float(value) for value in listed[1].split(", ")]
    assert len(p_values) == 8
    assert benjamini_hochberg(p_values, 0.05) == 2
    assert sum(p <= 0.05 / 8 for p in p_values) == 1  # Bonferroni
    assert 0.05 / 8 == 0.00625 and [round(k / 8 * 0.05, 5) for k in (1, 2, 3)] == [
        0.00625,
        0.0125,
        0.01875,
    ]


def test_ps_significance_vs_effect_why_a_fixed_tiny_effect_becomes_significant() -> None:
    says("ps-significance-vs-effect-why", r"\(1/\sqrt{n}\)")
    effect, sd = 0.0001, 1.0
    standard = stats.cdf(stats.Normal("Z", 0, 1))
    p_values = [2 * (1 - float(standard(effect / (sd / n**0.5)))) for n in (10**4, 10**8, 10**10)]
    assert p_values[0] > 0.9 and p_values[-1] < 1e-20


def test_ps_significance_vs_effect_why_the_a_b_example_is_five_standard_errors() -> None:
    says("ps-significance-vs-effect-why", "ten million users in each arm", "5.00% to 5.05%", "five")
    users = 10**7
    before, after = sp.Rational(500, 10_000), sp.Rational(505, 10_000)
    standard_error = sp.sqrt(before * (1 - before) / users + after * (1 - after) / users)
    assert round(float((after - before) / standard_error)) == 5


# --- SymPy checks: sampling and the bootstrap ------------------------------------------------


def test_ps_bootstrap_inclusion_tends_to_one_minus_one_over_e() -> None:
    says("ps-bootstrap-inclusion", r"1 - (1 - 1/n)^n", r"1 - 1/e \approx 0.632")
    n = sp.Symbol("n", positive=True, integer=True)
    inclusion = 1 - (1 - 1 / n) ** n
    assert sp.limit(inclusion, n, sp.oo) == 1 - sp.exp(-1)
    assert round(float(1 - sp.exp(-1)), 3) == 0.632
    # Exactly right for a small case: enumerate every resample of 3 points.
    resamples = list(itertools.product(range(3), repeat=3))
    containing = sum(0 in resample for resample in resamples)
    assert sp.Rational(containing, len(resamples)) == inclusion.subs(n, 3)


def test_ps_monte_carlo_standard_error_shrinks_with_the_square_root() -> None:
    says("ps-monte-carlo", r"\operatorname{sd}(f(X)) / \sqrt{N}", "100 times as many samples")
    draws = [stats.Uniform(f"U{i}", 0, 1) for i in range(3)]
    estimate = sum((u**2 for u in draws), sp.Integer(0)) / len(draws)  # E[U^2] = 1/3
    assert stats.E(estimate) == sp.Rational(1, 3)  # unbiased
    assert sp.simplify(stats.variance(estimate) - stats.variance(draws[0] ** 2) / 3) == 0
    big_n = sp.Symbol("N", positive=True)
    assert sp.sqrt(1 / (100 * big_n)) / sp.sqrt(1 / big_n) == sp.Rational(1, 10)


# --- the hardest card renders in the reviewer at 80x24 ---------------------------------------

HARDEST_CARD = "ps-mvn-density"
"""The card with the most nested LaTeX: a fraction under a root, an exponent holding a
fraction, a transpose and an inverse."""

RAW_LATEX = re.compile(r"\\[a-zA-Z]+|[{}]")


def card_source(card_id: str) -> str:
    """The card's Markdown exactly as the deck file writes it, id comment included."""
    start = deck_text().index(f"<!-- id: {card_id} -->")
    end = re.compile(r"^(<!-- id:|#)", re.MULTILINE).search(deck_text(), start + 1)
    assert end is not None
    return deck_text()[start : end.start()].rstrip() + "\n"


def hardest_card_deck() -> str:
    """A one-card deck holding the hardest card under its real front matter and section."""
    front_matter = deck_text()[: deck_text().index("\n---\n", 4) + 5]
    return f"{front_matter}\n## Common distributions\n\n{card_source(HARDEST_CARD)}"


def test_the_hardest_card_source_is_the_deck_s() -> None:
    [card] = parse_markdown(hardest_card_deck(), source="one-card.md")
    assert card.id == HARDEST_CARD
    assert f"{card.question}\n{card.answer}" == card_text(HARDEST_CARD)


@pytest.fixture
def hardest_card_app(tmp_path: Path, request: pytest.FixtureRequest) -> QuizcalcApp:
    """The reviewer over a content folder holding only the hardest card, built by the TUI
    tests' ``build_app`` fixture (temp database, fixed clock, isolated settings)."""
    folder = tmp_path / "probability"
    folder.mkdir()
    (folder / "probability-statistics.md").write_text(hardest_card_deck(), encoding="utf-8")
    make: Callable[..., QuizcalcApp] = request.getfixturevalue("build_app")
    return make(start="review", toasts=False, content=folder)


def test_snapshot_the_hardest_card_answer_at_80x24(
    snap_compare: Callable[..., bool], hardest_card_app: QuizcalcApp
) -> None:
    app = hardest_card_app
    seen: list[str] = []

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: "multivariate Gaussian" in screen_text(app))
        await pilot.press("space")
        await wait_until(pilot, lambda: "positive definite" in screen_text(app))
        await wait_until(pilot, lambda: "⎛" in screen_text(app))  # drawn in two dimensions
        await pilot.pause()
        seen.append(screen_text(app))

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
    [shown] = seen
    assert RAW_LATEX.findall(shown) == [], shown
    assert "exp ⎜" in shown and "√(2π)ᵈdet Σ" in shown and "ᵀΣ⁻¹" in shown, shown


# --- seeded simulations for the procedures the cards describe --------------------------------


def test_ps_peeking_why_more_looks_more_false_positives() -> None:
    says("ps-peeking-why", "rising the more often you look", "ten evenly spaced looks", "about 19%")
    import numpy as np

    rng = np.random.default_rng(20261207)
    experiments, batches, batch_size = 20_000, 10, 20
    # A/A test: every observation is pure noise, so every rejection is a false positive.
    sums = rng.standard_normal((experiments, batches, batch_size)).sum(axis=2).cumsum(axis=1)
    z_scores = sums / np.sqrt(batch_size * np.arange(1, batches + 1))
    significant = np.abs(z_scores) > 1.96

    def false_positive_rate(looks: int) -> float:
        at = np.linspace(batches / looks, batches, looks).astype(int) - 1  # evenly spread looks
        return float(significant[:, at].any(axis=1).mean())

    once, twice, ten_times = (false_positive_rate(looks) for looks in (1, 2, 10))
    assert abs(once - 0.05) < 0.006  # a single look at the end keeps its 5%
    assert 0.07 < twice < ten_times and abs(ten_times - 0.19) < 0.015


def test_ps_bootstrap_standard_error_of_a_mean_matches_s_over_root_n() -> None:
    says("ps-bootstrap", "draw \\(n\\) points with replacement", "2.5th and 97.5th percentiles")
    import numpy as np

    rng = np.random.default_rng(7)
    data = rng.exponential(scale=2.0, size=400)  # skewed data
    resamples = rng.choice(data, size=(4_000, data.size), replace=True)
    means = resamples.mean(axis=1)
    textbook = data.std(ddof=1) / np.sqrt(data.size)
    assert abs(means.std(ddof=1) / textbook - 1) < 0.06
    low, high = np.percentile(means, [2.5, 97.5])
    assert low < data.mean() < high
    assert abs((high - low) / (2 * 1.96 * textbook) - 1) < 0.1


def test_the_practice_cards_are_the_decks_own_skills() -> None:
    """Each problem card sits under a section's Practice heading and names a family this deck
    teaches, and every family the deck teaches has one."""
    assert_practice_skills(DECK, PRACTICE_FAMILIES)
