"""The Information Theory & Losses deck: it parses into a complete deck, and its formulas hold.

The first group of tests checks the deck's shape (sections, ids, a cloze and a "why" card in
every section). The rest check, with SymPy (and NumPy where floating point is the point), the
formulas and worked numbers the cards state. Each of those tests names the card it guards and
first checks that the card still states what is being verified, so a failure points at a card.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from sympy import stats

from quizcalc.cards import lint_paths
from quizcalc.cards.model import Card, CardKind
from tests.content.deck_files import DeckFile, assert_practice_skills, note_id

REPO_ROOT = Path(__file__).resolve().parents[2]
DECK_PATH = REPO_ROOT / "content" / "information-theory-losses.md"
DECK = DeckFile(DECK_PATH)
deck_text, all_cards, deck_cards = DECK.text, DECK.all_cards, DECK.written_cards

DECK_NAME = "Information Theory & Losses"
DECK_TAGS = {"information-theory", "losses", "ml-interview"}
ID_PREFIX = "it-"
SECTIONS = (
    "Entropy and cross-entropy",
    "KL divergence and mutual information",
    "Losses as negative log-likelihoods",
    "Softmax, logits and log-sum-exp",
    "Label smoothing and perplexity",
    "Calibration",
)
MIN_CARDS = 45

_ID_COMMENT = re.compile(r"<!--\s*id:\s*(\S+?)\s*-->")

PRACTICE_FAMILIES = {"entropy_kl"}
"""The problem families practised in this deck (one ```problem card per skill)."""


@cache
def note_sources() -> dict[str, str]:
    """Each note's Markdown source, from its id comment to the next id comment or heading."""
    sources: dict[str, str] = {}
    pieces = _ID_COMMENT.split(deck_text())
    for card_id, body in zip(pieces[1::2], pieces[2::2], strict=True):
        sources[card_id] = re.split(r"^#", body, flags=re.MULTILINE)[0]
    return sources


def card_states(card_id: str, *fragments: str) -> None:
    """Fail, naming the card, unless its source contains every fragment (whitespace-folded)."""
    source = " ".join(note_sources()[card_id].split())
    missing = [fragment for fragment in fragments if " ".join(fragment.split()) not in source]
    assert missing == [], f"card {card_id} no longer states {missing}"


def is_why_card(card: Card) -> bool:
    """A basic card one of whose question sentences starts with "Why"."""
    return card.kind is CardKind.BASIC and bool(re.search(r"(^|[.?!]\s+)Why\b", card.question))


def entropy(probabilities: list[sp.Expr], base: sp.Expr = sp.E) -> sp.Expr:
    """Shannon entropy of a finite distribution (``0 log 0 = 0``)."""
    return -sum((p * sp.log(p, base) for p in probabilities if p != 0), sp.Integer(0))


def cross_entropy(p: list[sp.Expr], q: list[sp.Expr]) -> sp.Expr:
    """H(p, q) in nats."""
    return -sum((pi * sp.log(qi) for pi, qi in zip(p, q, strict=True) if pi != 0), sp.Integer(0))


def kl(p: list[sp.Expr], q: list[sp.Expr]) -> sp.Expr:
    """D_KL(p || q) in nats."""
    return sum(
        (pi * sp.log(pi / qi) for pi, qi in zip(p, q, strict=True) if pi != 0), sp.Integer(0)
    )


def softmax(logits: list[sp.Expr]) -> list[sp.Expr]:
    """The softmax of a list of logits, as SymPy expressions."""
    total = sum(sp.exp(z) for z in logits)
    return [sp.exp(z) / total for z in logits]


def sigmoid(z: sp.Expr) -> sp.Expr:
    """The logistic function."""
    return 1 / (1 + sp.exp(-z))


def is_zero(expression: sp.Expr) -> bool:
    """Whether SymPy can show the expression is identically zero."""
    return sp.simplify(sp.expand_log(expression, force=True)) == 0


def random_distribution(rng: np.random.Generator, size: int) -> list[sp.Rational]:
    """A random distribution with positive rational entries that sum to exactly 1."""
    weights = [int(w) for w in rng.integers(1, 20, size=size)]
    return [sp.Rational(w, sum(weights)) for w in weights]


# --- the deck's shape -------------------------------------------------------------------------


def test_deck_lints_clean() -> None:
    problems = lint_paths([DECK_PATH])
    assert problems == [], "\n".join(str(problem) for problem in problems)


def test_deck_has_enough_cards_and_notes() -> None:
    assert len(deck_cards()) >= MIN_CARDS
    assert len({note_id(card) for card in deck_cards()}) >= MIN_CARDS


def test_deck_name_and_tags_come_from_front_matter() -> None:
    for card in deck_cards():
        assert card.deck == DECK_NAME
        assert set(card.tags) >= DECK_TAGS


def test_sections_are_the_six_chosen_in_order() -> None:
    seen = list(dict.fromkeys(card.section for card in deck_cards()))
    assert tuple(seen) == SECTIONS


def test_every_card_has_a_unique_prefixed_kebab_case_id() -> None:
    written = _ID_COMMENT.findall(deck_text())
    assert [card_id for card_id, n in Counter(written).items() if n > 1] == []
    assert all(re.fullmatch(r"it(?:-[a-z0-9]+)+", card_id) for card_id in written), written
    assert all(card.explicit_id for card in deck_cards())
    assert {note_id(card) for card in all_cards()} == set(written)
    assert len({card.id for card in deck_cards()}) == len(deck_cards())


@pytest.mark.parametrize("section", SECTIONS)
def test_every_section_has_a_cloze_card_and_a_why_card(section: str) -> None:
    cards = [card for card in deck_cards() if card.section == section]
    assert any(card.kind is CardKind.CLOZE for card in cards), section
    assert any(is_why_card(card) for card in cards), section
    assert len(cards) >= 5, section


def test_every_card_has_a_question_and_an_answer() -> None:
    for card in deck_cards():
        assert card.question.strip(), card.id
        assert card.answer.strip(), card.id


def test_math_delimiters_are_balanced() -> None:
    for card in deck_cards():
        for text in (card.question, card.answer):
            tokens = re.findall(r"\\[()\[\]]", text)
            opened = None
            for token in tokens:
                if token in (r"\(", r"\["):
                    assert opened is None, f"{card.id}: {token} inside {opened}"
                    opened = token
                else:
                    assert {r"\(": r"\)", r"\[": r"\]"}[opened or r"\("] == token, card.id
                    opened = None
            assert opened is None, f"{card.id}: {opened} never closed"


# --- entropy and cross-entropy ----------------------------------------------------------------


def test_it_bernoulli_entropy_peaks_at_one_half_with_one_bit() -> None:
    card_states(
        "it-bernoulli-entropy",
        r"H(p) = {{c1::-p \log p - (1 - p) \log (1 - p)}}",
        r"\(p = {{c2::1/2}}\)",
        r"{{c3::one bit (\(\log 2\) nats)}}",
    )
    p = sp.symbols("p", positive=True)
    h = -p * sp.log(p) - (1 - p) * sp.log(1 - p)
    assert sp.solve(sp.diff(h, p), p) == [sp.Rational(1, 2)]
    assert sp.diff(h, p, 2).subs(p, sp.Rational(1, 2)) < 0
    assert sp.simplify(h.subs(p, sp.Rational(1, 2)) - sp.log(2)) == 0  # log 2 nats = 1 bit
    half = sp.Rational(1, 2)
    assert entropy([half, half], base=2) == 1


def test_it_entropy_bounds_zero_for_certain_log_k_for_uniform() -> None:
    card_states("it-entropy-bounds", r"\(0 \le H(X) \le \log K\)")
    for k in range(2, 7):
        assert sp.simplify(entropy([sp.Rational(1, k)] * k) - sp.log(k)) == 0
        assert entropy([sp.Integer(1)] + [sp.Integer(0)] * (k - 1)) == 0
    rng = np.random.default_rng(0)
    for _ in range(20):
        p = random_distribution(rng, 4)
        assert 0 < float(entropy(p)) < float(sp.log(4))


def test_it_entropy_definition_one_nat_is_about_1_443_bits() -> None:
    card_states("it-entropy-definition", "1 nat is about 1.443 bits")
    assert round(float(1 / sp.log(2)), 3) == 1.443


def test_it_cross_entropy_decomposition_is_entropy_plus_kl() -> None:
    card_states(
        "it-cross-entropy-decomposition",
        r"\(H(p, q) = {{c1::H(p)}} + {{c2::D_{\mathrm{KL}}(p \,\|\, q)}}\)",
    )
    p = sp.symbols("p1:4", positive=True)
    q = sp.symbols("q1:4", positive=True)
    assert is_zero(cross_entropy(list(p), list(q)) - entropy(list(p)) - kl(list(p), list(q)))


def test_it_differential_entropy_can_be_negative_and_shifts_with_scale() -> None:
    card_states(
        "it-differential-entropy",
        r"\([0, 1/2]\) has \(h = \log(1/2) < 0\)",
        r"\(h(aX) = h(X) + \log |a|\)",
    )
    x = sp.symbols("x", real=True)
    density = sp.Integer(2)  # uniform on [0, 1/2]
    h = -sp.integrate(density * sp.log(density), (x, 0, sp.Rational(1, 2)))
    assert h == sp.log(sp.Rational(1, 2)) and h < 0
    a, width = sp.symbols("a width", positive=True)
    uniform_entropy = sp.log(width)  # uniform on an interval of this width
    assert sp.simplify(uniform_entropy.subs(width, a * width) - uniform_entropy - sp.log(a)) == 0


def test_it_gaussian_entropy_is_half_log_two_pi_e_sigma_squared() -> None:
    card_states("it-gaussian-entropy", r"h = \frac{1}{2} \log \left( 2 \pi e \sigma^2 \right)")
    mu = sp.symbols("mu", real=True)
    sigma = sp.symbols("sigma", positive=True)
    x = stats.Normal("x", mu, sigma)
    density = stats.density(x)(sp.Symbol("t"))
    h = stats.E(-sp.log(density.subs(sp.Symbol("t"), x)))
    assert sp.simplify(h - sp.log(2 * sp.pi * sp.E * sigma**2) / 2) == 0
    # Another density with the same variance has less entropy: uniform of variance sigma^2
    # has width sqrt(12) sigma.
    uniform_entropy = sp.log(sp.sqrt(12) * sigma)
    assert float((h - uniform_entropy).subs(sigma, 1)) > 0


# --- KL divergence and mutual information -----------------------------------------------------


def test_it_kl_asymmetric_example_values() -> None:
    card_states(
        "it-kl-asymmetric-example",
        r"\(p = (1/2, 1/2)\) and \(q = (1/4, 3/4)\)",
        r"\frac{1}{2} \log(4/3) \approx 0.144",
        r"\frac{1}{4} \log(1/2) + \frac{3}{4} \log(3/2) \approx 0.131",
    )
    half, quarter = sp.Rational(1, 2), sp.Rational(1, 4)
    p, q = [half, half], [quarter, 1 - quarter]
    forward, reverse = kl(p, q), kl(q, p)
    assert sp.simplify(forward - sp.log(sp.Rational(4, 3)) / 2) == 0
    assert is_zero(reverse - (quarter * sp.log(half) + 3 * quarter * sp.log(sp.Rational(3, 2))))
    assert round(float(forward), 3) == 0.144
    assert round(float(reverse), 3) == 0.131
    assert forward != reverse


def test_it_why_kl_nonnegative_zero_only_at_equality() -> None:
    card_states("it-why-kl-nonnegative", "Gibbs' inequality")
    rng = np.random.default_rng(1)
    for _ in range(50):
        p, q = random_distribution(rng, 3), random_distribution(rng, 3)
        assert float(kl(p, q)) >= 0
        assert (float(kl(p, q)) > 0) == (p != q)
        assert kl(p, p) == 0
    # For coins, q = p is the only stationary point and it is a minimum.
    p, q = sp.symbols("p q", positive=True)
    bernoulli = kl([p, 1 - p], [q, 1 - q])
    assert sp.solve(sp.simplify(sp.diff(bernoulli, q)), q) == [p]
    assert sp.simplify(sp.diff(bernoulli, q, 2).subs(q, p) - 1 / (p * (1 - p))) == 0


def test_it_kl_gaussians_matches_the_expectation_of_the_log_ratio() -> None:
    card_states(
        "it-kl-gaussians",
        r"\log(\sigma_2 / \sigma_1) + \frac{\sigma_1^2 + (\mu_1 - \mu_2)^2}{2 \sigma_2^2}"
        r" - \frac{1}{2}",
    )
    mu1, mu2 = sp.symbols("mu1 mu2", real=True)
    s1, s2 = sp.symbols("sigma1 sigma2", positive=True)
    t = sp.Symbol("t", real=True)

    def log_normal_density(mean: sp.Expr, sd: sp.Expr) -> sp.Expr:
        return -((t - mean) ** 2) / (2 * sd**2) - sp.log(sd) - sp.log(2 * sp.pi) / 2

    log_ratio = log_normal_density(mu1, s1) - log_normal_density(mu2, s2)
    x = stats.Normal("x", mu1, s1)
    divergence = stats.E(log_ratio.subs(t, x))
    stated = sp.log(s2 / s1) + (s1**2 + (mu1 - mu2) ** 2) / (2 * s2**2) - sp.Rational(1, 2)
    assert is_zero(divergence - stated)
    assert stated.subs({mu2: mu1, s2: s1}) == 0


def test_it_mutual_information_entropy_forms_agree_with_the_kl_form() -> None:
    card_states(
        "it-mutual-information-entropies",
        r"I(X; Y) = H(X) - {{c1::H(X \mid Y)}} = H(X) + H(Y) - {{c2::H(X, Y)}}",
    )
    card_states("it-entropy-chain-rule", r"\(H(X, Y) = H(X) + {{c1::H(Y \mid X)}}\)")
    rng = np.random.default_rng(2)
    joint = np.array(random_distribution(rng, 6), dtype=object).reshape(2, 3)
    px = [sum(joint[i, :]) for i in range(2)]
    py = [sum(joint[:, j]) for j in range(3)]
    cells = [joint[i, j] for i in range(2) for j in range(3)]
    h_xy, h_x, h_y = entropy(cells), entropy(px), entropy(py)
    h_y_given_x = sum(px[i] * entropy([joint[i, j] / px[i] for j in range(3)]) for i in range(2))
    h_x_given_y = sum(py[j] * entropy([joint[i, j] / py[j] for i in range(2)]) for j in range(3))
    mi_kl = kl(cells, [px[i] * py[j] for i in range(2) for j in range(3)])
    assert is_zero(h_xy - h_x - h_y_given_x)  # chain rule
    assert is_zero(mi_kl - (h_x - h_x_given_y))
    assert is_zero(mi_kl - (h_x + h_y - h_xy))
    assert float(h_xy) <= float(h_x + h_y)


def test_it_why_mi_beats_correlation_example() -> None:
    card_states(
        "it-why-mi-beats-correlation",
        r"the values \(-1\), \(0\) and \(1\) with probability \(1/3\) each, and \(Y = X^2\)",
        r"\(I(X; Y) = H(Y) \approx 0.918\) bits",
    )
    x = stats.DiscreteUniform("x", [-1, 0, 1])
    y = x**2
    assert stats.E(x * y) - stats.E(x) * stats.E(y) == 0  # uncorrelated
    third = sp.Rational(1, 3)
    joint = {(-1, 1): third, (0, 0): third, (1, 1): third}
    px = {v: third for v in (-1, 0, 1)}
    py = {0: third, 1: 2 * third}
    mi = sum(p * sp.log(p / (px[a] * py[b]), 2) for (a, b), p in joint.items())
    assert is_zero(mi - entropy(list(py.values()), base=2))
    assert round(float(mi), 3) == 0.918


def test_it_why_conditioning_reduces_entropy_on_average_example() -> None:
    card_states(
        "it-why-conditioning-reduces-entropy-on-average",
        r"\(P(X = 1) = 1/8\) and \(H(X) \approx 0.544\) bits",
        r"\(H(X \mid Y = b) = 1\) bit",
        r"= 0.25\) bits",
    )
    p_a, p_b = sp.Rational(3, 4), sp.Rational(1, 4)
    half = sp.Rational(1, 2)
    p_x1 = p_a * 0 + p_b * half
    assert p_x1 == sp.Rational(1, 8)
    h_x = entropy([1 - p_x1, p_x1], base=2)
    h_given_b = entropy([half, half], base=2)
    h_given_y = p_a * entropy([sp.Integer(1)], base=2) + p_b * h_given_b
    assert round(float(h_x), 3) == 0.544
    assert h_given_b == 1 and float(h_given_b) > float(h_x)
    assert h_given_y == sp.Rational(1, 4) and float(h_given_y) < float(h_x)


# --- losses as negative log-likelihoods -------------------------------------------------------


def test_it_why_ce_is_nll_one_hot_cross_entropy_is_minus_log_of_the_true_class() -> None:
    card_states("it-why-ce-is-nll", r"leaving \(-\log q_c\)")
    q = sp.symbols("q1:5", positive=True)
    for true_class in range(4):
        one_hot = [sp.Integer(int(k == true_class)) for k in range(4)]
        assert cross_entropy(one_hot, list(q)) == -sp.log(q[true_class])


def test_it_mle_minimizes_kl_average_nll_is_empirical_entropy_plus_kl() -> None:
    card_states(
        "it-mle-minimizes-kl",
        r"For discrete data, \(H(\hat{p}, q_\theta) = H(\hat{p})"
        r" + D_{\mathrm{KL}}(\hat{p} \,\|\, q_\theta)\)",
    )
    samples = [0, 2, 2, 1, 2, 0, 2, 2]  # 8 draws from 3 outcomes
    empirical = [sp.Rational(samples.count(k), len(samples)) for k in range(3)]
    rng = np.random.default_rng(6)
    for _ in range(5):
        model = random_distribution(rng, 3)
        average_nll = -sum(sp.log(model[x]) for x in samples) / len(samples)
        assert is_zero(average_nll - cross_entropy(empirical, model))
        assert is_zero(average_nll - entropy(empirical) - kl(empirical, model))
        # Every other model has a larger average NLL: the empirical distribution is the MLE.
        assert float(average_nll) > float(entropy(empirical))


def test_it_mse_gaussian_likelihood_nll_is_scaled_squared_error_plus_constant() -> None:
    card_states(
        "it-mse-gaussian-likelihood",
        r"-\log p(y \mid x) = \frac{(y - f(x))^2}{2 \sigma^2} + \frac{1}{2} \log \left( 2 \pi"
        r" \sigma^2 \right)",
    )
    card_states(
        "it-gaussian-nll-cloze",
        r"{{c1::\frac{(y - \mu)^2}{2 \sigma^2}}} + {{c2::\frac{1}{2} \log (2 \pi \sigma^2)}}",
    )
    y, mu = sp.symbols("y mu", real=True)
    sigma = sp.symbols("sigma", positive=True)
    density = stats.density(stats.Normal("n", mu, sigma))(y)
    stated = (y - mu) ** 2 / (2 * sigma**2) + sp.log(2 * sp.pi * sigma**2) / 2
    assert is_zero(-sp.log(density) - stated)
    # With sigma fixed, the best constant prediction for several targets is their mean,
    # which is also the minimizer of the sum of squared errors.
    targets = [sp.Integer(v) for v in (1, 4, 10)]
    total = sum(stated.subs(y, target) for target in targets)
    assert sp.solve(sp.diff(total, mu), mu) == [sp.Rational(15, 3)]


def test_it_why_learned_variance_gaussian_nll_with_varying_variance() -> None:
    card_states(
        "it-why-learned-variance-is-not-mse",
        r"\frac{(y - \mu(x))^2}{2 \sigma^2(x)} + \frac{1}{2} \log \sigma^2(x)",
    )
    y, mu = sp.symbols("y mu", real=True)
    variance = sp.symbols("v", positive=True)
    density = stats.density(stats.Normal("n", mu, sp.sqrt(variance)))(y)
    stated = (y - mu) ** 2 / (2 * variance) + sp.log(variance) / 2
    assert is_zero(-sp.log(density) - stated - sp.log(2 * sp.pi) / 2)
    # The network's best variance for a residual r is r^2: it pays for claiming noise.
    residual = sp.symbols("r", positive=True)
    per_example = stated.subs(y, mu + residual)
    assert sp.solve(sp.diff(per_example, variance), variance) == [residual**2]


def test_it_mse_mean_mae_median_minimizers() -> None:
    card_states(
        "it-mse-mean-mae-median",
        r"\(c = \mathbb{E}[Y]\), leaving \(\operatorname{Var}(Y)\)",
        r"a median minimizes \(\mathbb{E}[|Y - c|]\)",
    )
    c = sp.symbols("c", real=True)
    y = stats.FiniteRV("y", {0: sp.Rational(1, 2), 1: sp.Rational(1, 4), 10: sp.Rational(1, 4)})
    squared = stats.E((y - c) ** 2)
    assert sp.solve(sp.diff(squared, c), c) == [stats.E(y)]
    assert sp.simplify(squared.subs(c, stats.E(y)) - stats.variance(y)) == 0
    absolute = [float(stats.E(abs(y - candidate))) for candidate in np.linspace(-1, 11, 121)]
    best = float(np.linspace(-1, 11, 121)[int(np.argmin(absolute))])
    assert 0 <= best <= 1  # a median of y (any point of [0, 1]), far from the mean 2.75


def test_it_bce_is_the_bernoulli_negative_log_likelihood() -> None:
    card_states(
        "it-bce-bernoulli-likelihood",
        r"\(q^y (1 - q)^{1 - y}\)",
        r"\ell(y, q) = -\left[ y \log q + (1 - y) \log (1 - q) \right]",
    )
    q = sp.symbols("q", positive=True)
    for label in (0, 1):
        likelihood = q**label * (1 - q) ** (1 - label)
        bce = -(label * sp.log(q) + (1 - label) * sp.log(1 - q))
        assert is_zero(-sp.log(likelihood) - bce)


def test_it_bce_logit_form_and_gradient() -> None:
    card_states(
        "it-bce-logit-form",
        r"\(\ell = {{c1::\log (1 + e^{z}) - y z}}\)",
        r"{{c2::\(\sigma(z) - y\)}}",
    )
    z = sp.symbols("z", real=True)
    stated = sp.log(1 + sp.exp(z))
    for label in (0, 1):
        bce = -(label * sp.log(sigmoid(z)) + (1 - label) * sp.log(1 - sigmoid(z)))
        logit_form = stated - label * z
        assert sp.simplify(sp.expand_log(bce - logit_form, force=True)) == 0
        assert sp.simplify(sp.diff(logit_form, z) - (sigmoid(z) - label)) == 0


def test_it_why_bce_not_mse_on_sigmoid_gradients() -> None:
    card_states(
        "it-why-bce-not-mse-on-sigmoid",
        r"\(2 (\sigma(z) - y) \, \sigma(z) (1 - \sigma(z))\)",
        r"binary cross-entropy: \(\sigma(z) - y\), which stays close to \(-1\)",
    )
    z = sp.symbols("z", real=True)
    y = sp.Integer(1)
    squared_gradient = sp.diff((sigmoid(z) - y) ** 2, z)
    stated = 2 * (sigmoid(z) - y) * sigmoid(z) * (1 - sigmoid(z))
    assert sp.simplify(squared_gradient - stated) == 0
    bce_gradient = sp.diff(-sp.log(sigmoid(z)), z)
    assert sp.limit(stated, z, -sp.oo) == 0  # confidently wrong, and no push
    assert sp.limit(bce_gradient, z, -sp.oo) == -1  # confidently wrong, full push


# --- softmax, logits and log-sum-exp ----------------------------------------------------------


def test_it_softmax_shift_invariance() -> None:
    card_states(
        "it-softmax-shift-invariance",
        r"\mathrm{softmax}(z_1 + c, \dots, z_K + c) = {{c1::\mathrm{softmax}(z_1, \dots, z_K)}}",
    )
    z = sp.symbols("z1:4", real=True)
    c = sp.symbols("c", real=True)
    shifted = softmax([zk + c for zk in z])
    for after, before in zip(shifted, softmax(list(z)), strict=True):
        assert sp.simplify(after - before) == 0
    assert sp.simplify(sum(softmax(list(z))) - 1) == 0


def test_it_logit_sigmoid_inverse_and_two_class_softmax() -> None:
    card_states(
        "it-logit-sigmoid",
        r"\(\mathrm{logit}(p) = \log \left( \frac{p}{1 - p} \right)\)",
        r"\(\sigma(z_1 - z_2)\)",
    )
    p = sp.symbols("p", positive=True)
    z, z1, z2 = sp.symbols("z z1 z2", real=True)
    assert sp.simplify(sigmoid(sp.log(p / (1 - p))) - p) == 0
    assert sp.simplify(sp.log(sigmoid(z) / (1 - sigmoid(z))) - z) == 0
    assert sp.simplify(softmax([z1, z2])[0] - sigmoid(z1 - z2)) == 0


def test_it_log_sum_exp_trick_identity_and_stability() -> None:
    card_states(
        "it-log-sum-exp-trick",
        r"\log \sum_j \exp(z_j) = m + \log \sum_j \exp(z_j - m)",
    )
    z = sp.symbols("z1:4", real=True)
    m = sp.symbols("m", real=True)
    lhs = sp.log(sum(sp.exp(zk) for zk in z))
    rhs = m + sp.log(sum(sp.exp(zk - m) for zk in z))
    assert sp.simplify(sp.exp(lhs) - sp.exp(rhs)) == 0  # both sides real: equal exponentials
    logits = np.array([1000.0, 999.0, -5.0], dtype=np.float32)
    with np.errstate(over="ignore", invalid="ignore"):
        naive = np.exp(logits) / np.exp(logits).sum()
    shifted = np.exp(logits - logits.max())
    stable = shifted / shifted.sum()
    assert np.isnan(naive).any()
    assert np.all(np.isfinite(stable)) and abs(float(stable.sum()) - 1) < 1e-6
    exact = softmax([sp.Integer(1000), sp.Integer(999), sp.Integer(-5)])
    assert np.allclose(stable, [float(v) for v in exact], atol=1e-6)


def test_it_why_naive_softmax_fails_float32_overflows_above_88_7() -> None:
    card_states(
        "it-why-naive-softmax-fails", r"for \(x\) above about 88.7 (in float64, above about 709.8)"
    )
    assert round(float(np.log(np.finfo(np.float32).max)), 1) == 88.7
    assert round(float(np.log(np.finfo(np.float64).max)), 1) == 709.8
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        assert np.isinf(np.exp(np.float32(88.8)))
        assert np.isfinite(np.exp(np.float32(88.6)))
        tiny = np.exp(np.array([-200.0, -210.0], dtype=np.float32))
        assert np.isnan(tiny / tiny.sum()).all()


def test_it_softmax_ce_gradient_is_probabilities_minus_target() -> None:
    card_states(
        "it-softmax-ce-gradient",
        r"\frac{\partial L}{\partial z_k} = {{c1::\mathrm{softmax}(z)_k - y_k}}",
    )
    z = sp.symbols("z1:4", real=True)
    y1, y2 = sp.symbols("y1 y2", nonnegative=True)
    target = [y1, y2, 1 - y1 - y2]  # any target whose entries sum to 1
    probabilities = softmax(list(z))
    loss = -sum(yk * sp.log(pk) for yk, pk in zip(target, probabilities, strict=True))
    for k in range(3):
        assert sp.simplify(sp.diff(loss, z[k]) - (probabilities[k] - target[k])) == 0


def test_it_lse_smooth_max_gradient_is_softmax_and_bounds_hold() -> None:
    card_states(
        "it-lse-smooth-max",
        r"\max_j z_j \le \mathrm{LSE}(z) \le \max_j z_j + \log K",
        r"its gradient is exactly \(\mathrm{softmax}(z)\)",
    )
    z = sp.symbols("z1:4", real=True)
    lse = sp.log(sum(sp.exp(zk) for zk in z))
    for k, probability in enumerate(softmax(list(z))):
        assert sp.simplify(sp.diff(lse, z[k]) - probability) == 0
    rng = np.random.default_rng(3)
    for _ in range(100):
        logits = rng.normal(scale=5, size=4)
        value = logits.max() + np.log(np.exp(logits - logits.max()).sum())
        assert logits.max() <= value <= logits.max() + np.log(4) + 1e-12
    assert np.isclose(np.log(np.exp(np.zeros(4)).sum()), np.log(4))  # equal logits: upper bound


def test_it_softmax_temperature_limits() -> None:
    card_states(
        "it-softmax-temperature",
        r"as \(T \to \infty\) it tends to uniform",
        r"as \(T \to 0^{+}\) it tends to a one-hot vector",
    )
    temperature = sp.symbols("T", positive=True)
    top = softmax([sp.Integer(3) / temperature, sp.Integer(1) / temperature, 0 / temperature])[0]
    assert sp.limit(top, temperature, sp.oo) == sp.Rational(1, 3)
    assert sp.limit(top, temperature, 0, "+") == 1
    rng = np.random.default_rng(4)
    logits = rng.normal(size=(50, 5))
    for t in (0.1, 0.5, 2.0, 10.0):
        assert (np.argmax(logits / t, axis=1) == np.argmax(logits, axis=1)).all()


# --- label smoothing and perplexity -----------------------------------------------------------


def test_it_label_smoothing_targets_and_mixture() -> None:
    card_states(
        "it-label-smoothing-definition",
        r"y^{\mathrm{LS}} = (1 - \varepsilon) \, y + \frac{\varepsilon}{K}",
        r"\(1 - \varepsilon + \varepsilon / K\) and every other class \(\varepsilon / K\)",
    )
    card_states(
        "it-label-smoothing-mixture",
        r"H(y^{\mathrm{LS}}, q) = {{c1::(1 - \varepsilon)}} \, H(y, q) + {{c2::\varepsilon}}"
        r" \, H(u, q)",
    )
    eps = sp.symbols("epsilon", positive=True)
    q = sp.symbols("q1:4", positive=True)
    k = 3
    one_hot = [sp.Integer(1), sp.Integer(0), sp.Integer(0)]
    smoothed = [(1 - eps) * yk + eps / k for yk in one_hot]
    assert sp.simplify(sum(smoothed) - 1) == 0
    assert sp.simplify(smoothed[0] - (1 - eps + eps / k)) == 0
    uniform = [sp.Rational(1, k)] * k
    mixed = (1 - eps) * cross_entropy(one_hot, list(q)) + eps * cross_entropy(uniform, list(q))
    smoothed_ce = -sum(sk * sp.log(qk) for sk, qk in zip(smoothed, q, strict=True))
    assert sp.simplify(smoothed_ce - mixed) == 0


def test_it_why_label_smoothing_bounds_logits_at_the_stated_gap() -> None:
    card_states(
        "it-why-label-smoothing-bounds-logits",
        r"z_c - z_k = \log \frac{1 - \varepsilon + \varepsilon / K}{\varepsilon / K}",
    )
    card_states("it-label-smoothing-side-effects", "its smallest possible value is the entropy")
    eps = sp.Rational(1, 10)
    k = 4
    smoothed = [1 - eps + eps / k] + [eps / k] * (k - 1)
    gap = sp.log((1 - eps + eps / k) / (eps / k))
    z = sp.symbols("z1:5", real=True)
    probabilities = softmax(list(z))
    loss = -sum(sk * sp.log(pk) for sk, pk in zip(smoothed, probabilities, strict=True))
    at_gap = {z[0]: gap, z[1]: 0, z[2]: 0, z[3]: 0}
    for zk in z:
        assert sp.simplify(sp.diff(loss, zk).subs(at_gap)) == 0  # stationary: the optimum
    assert sp.simplify(loss.subs(at_gap) - entropy(smoothed)) == 0  # minimum is H(y_LS) > 0
    assert float(entropy(smoothed)) > 0
    # One-hot target: the loss keeps falling as the gap grows, never reaching its infimum 0.
    g = sp.symbols("g", positive=True)
    one_hot_loss = -sp.log(softmax([g, sp.Integer(0), sp.Integer(0), sp.Integer(0)])[0])
    assert sp.limit(one_hot_loss, g, sp.oo) == 0
    assert all(float(one_hot_loss.subs(g, v)) > 0 for v in (1, 10, 30))


def test_it_perplexity_definition_uniform_and_loss_conversion() -> None:
    card_states(
        "it-perplexity-definition",
        r"\mathrm{PPL} = \exp \left( -\frac{1}{N} \sum_{i=1}^{N} \log q(x_i \mid x_{<i}) \right)",
        r"geometric mean of \(1 / q(x_i \mid x_{<i})\)",
    )
    card_states("it-perplexity-uniform", r"perplexity of exactly {{c1::\(V\)}}")
    card_states("it-perplexity-from-loss", r"\(e^{2} \approx 7.39\)", r"\(2^{2} = 4\)")
    probabilities = [sp.Rational(1, 2), sp.Rational(1, 8), sp.Rational(1, 4)]
    n = len(probabilities)
    perplexity = sp.exp(-sum(sp.log(p) for p in probabilities) / n)
    geometric_mean = sp.prod([1 / p for p in probabilities]) ** sp.Rational(1, n)
    assert sp.simplify(perplexity - geometric_mean) == 0
    assert sp.simplify(perplexity - 4) == 0
    vocabulary = sp.symbols("V", positive=True, integer=True)
    tokens = sp.symbols("N", positive=True, integer=True)
    uniform = sp.exp(-(tokens * sp.log(1 / vocabulary)) / tokens)
    assert sp.simplify(uniform - vocabulary) == 0
    assert round(float(sp.exp(2)), 2) == 7.39
    assert 2**2 == 4
    assert sp.exp(-sp.log(1)) == 1  # every token predicted with probability 1


# --- calibration ------------------------------------------------------------------------------


def expected_calibration_error(
    confidences: list[float], correct: list[bool], edges: list[float]
) -> float:
    """ECE as the card states it: bins by confidence, |accuracy - confidence| by bin share."""
    n = len(confidences)
    total = 0.0
    for low, high in pairwise(edges):
        members = [i for i, c in enumerate(confidences) if low < c <= high]
        if members:
            accuracy = sum(correct[i] for i in members) / len(members)
            confidence = sum(confidences[i] for i in members) / len(members)
            total += len(members) / n * abs(accuracy - confidence)
    return total


def test_it_ece_formula_on_a_worked_example() -> None:
    card_states(
        "it-ece-formula",
        r"\sum_{m=1}^{M} \, {{c1::\frac{|B_m|}{n}}} \cdot \left| {{c2::\mathrm{acc}(B_m) -"
        r" \mathrm{conf}(B_m)}} \right|",
    )
    # Bin (0.5, 0.75]: confidences 0.6, 0.7, accuracy 1/2 -> gap 0.15, share 2/5.
    # Bin (0.75, 1]:  confidences 0.8, 0.9, 1.0, accuracy 2/3 -> gap 0.9 - 2/3, share 3/5.
    confidences = [0.6, 0.7, 0.8, 0.9, 1.0]
    correct = [True, False, True, True, False]
    stated = sp.Rational(2, 5) * sp.Rational(15, 100) + sp.Rational(3, 5) * (
        sp.Rational(9, 10) - sp.Rational(2, 3)
    )
    value = expected_calibration_error(confidences, correct, [0.5, 0.75, 1.0])
    assert value == pytest.approx(float(stated))


def test_it_why_zero_ece_is_not_enough_majority_guesser() -> None:
    card_states(
        "it-why-zero-ece-is-not-enough",
        "always predicts the majority class with confidence equal to that class's frequency",
    )
    labels = [1] * 7 + [0] * 3
    confidences = [0.7] * len(labels)  # always "class 1, with 70%"
    correct = [label == 1 for label in labels]
    edges = [i / 10 for i in range(11)]
    assert expected_calibration_error(confidences, correct, edges) == pytest.approx(0.0)


def test_it_proper_scoring_rules_are_minimized_by_the_true_probability() -> None:
    card_states(
        "it-proper-scoring-rules",
        r"the Brier score \(\sum_k (q_k - y_k)^2\) are strictly proper",
    )
    p, q = sp.symbols("p q", positive=True)  # true P(y = 1) and the reported one
    expected_log_loss = -(p * sp.log(q) + (1 - p) * sp.log(1 - q))
    expected_brier = p * ((q - 1) ** 2 + (1 - q) ** 2) + (1 - p) * (q**2 + q**2)
    for score in (expected_log_loss, expected_brier):
        assert sp.solve(sp.diff(score, q), q) == [p]
        curvature = sp.diff(score, q, 2).subs(q, p)
        assert all(curvature.subs(p, sp.Rational(k, 10)) > 0 for k in range(1, 10))
    card_states("it-proper-scoring-rules", "Accuracy is not strictly proper")
    # Expected accuracy when P(y = 1) = 0.7: reporting 0.6 or 0.99 scores as well as the truth.
    truth = sp.Rational(7, 10)
    expected_accuracy = [
        truth if report > sp.Rational(1, 2) else 1 - truth
        for report in (truth, sp.Rational(6, 10), sp.Rational(99, 100))
    ]
    assert len(set(expected_accuracy)) == 1


def test_it_temperature_scaling_keeps_accuracy_and_softens_with_t_above_one() -> None:
    card_states("it-temperature-scaling", r"\(q = \mathrm{softmax}(z / T)\)", r"\(T > 1\)")
    card_states("it-why-temperature-keeps-accuracy", "the predicted class is the same")
    rng = np.random.default_rng(5)
    logits = rng.normal(scale=4, size=(200, 10))
    labels = rng.integers(0, 10, size=200)

    def probabilities(temperature: float) -> np.ndarray:
        scaled = logits / temperature
        exps = np.exp(scaled - scaled.max(axis=1, keepdims=True))
        return exps / exps.sum(axis=1, keepdims=True)

    base_accuracy = (probabilities(1.0).argmax(axis=1) == labels).mean()
    for temperature in (0.5, 1.5, 3.0):
        scaled = probabilities(temperature)
        assert (scaled.argmax(axis=1) == labels).mean() == base_accuracy
    softer, sharper = probabilities(2.0).max(axis=1), probabilities(1.0).max(axis=1)
    assert (softer <= sharper + 1e-12).all()


def test_the_practice_cards_are_the_decks_own_skills() -> None:
    """Each problem card sits under a section's Practice heading and names a family this deck
    teaches, and every family the deck teaches has one."""
    assert_practice_skills(DECK, PRACTICE_FAMILIES)
