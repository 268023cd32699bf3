"""Each family's expected answer, recomputed independently from the instance's params.

The generators compute with exact fractions and their own small polynomial class; these tests
recompute with SymPy, with direct simulation (gradient descent, momentum, batching), or with a
numerical gradient check (the chapter's self-check), so a generator bug cannot hide behind its
own arithmetic. ``hessian_classify`` and ``lr_divergence`` are checked on every seed; the other
families on the first chunk of each cell.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any

import pytest

from quizcalc.grading.answers import ChoiceAnswer, MatrixAnswer
from quizcalc.problems import Problem, expected_text
from tests.problems.support import CHUNK, chunk_id, chunks, instances, sympify


def every_seed(family: str) -> list[tuple[str, int, int]]:
    return [c for c in chunks() if c[0] == family]


def first_chunk(family: str) -> list[tuple[str, int, int]]:
    return [c for c in chunks() if c[0] == family and c[2] == 0]


def problems(item: tuple[str, int, int]) -> tuple[Problem, ...]:
    family, difficulty, start = item
    return instances(family, difficulty, start, CHUNK)


def exact(text: str) -> Fraction:
    return Fraction(text)


def number(problem: Problem) -> float:
    return float(sympify(expected_text(problem.answer)))


def vector(problem: Problem) -> list[float]:
    return [float(sympify(v)) for v in expected_text(problem.answer).strip("[]").split(",")]


# --- hessian_classify: the point is critical, the Hessian and the verdict are right ---------


@pytest.mark.parametrize("item", every_seed("hessian_classify"), ids=chunk_id)
def test_hessian_points_are_critical_and_classified(item: tuple[str, int, int]) -> None:
    import numpy as np
    import sympy

    x, y = sympy.symbols("x y")
    for problem in problems(item):
        f = sympy.Poly(sympify(problem.params["f"]), x, y)
        point = problem.params["point"]
        assert [f.diff(v).eval(point) for v in (x, y)] == [0, 0], problem.params
        hessian = sympy.Matrix(
            2, 2, [f.diff(a).diff(b).eval(point) for a in (x, y) for b in (x, y)]
        )
        assert hessian.tolist() == problem.params["hessian"]
        eigenvalues = np.linalg.eigvalsh(np.array(hessian.tolist(), dtype=float))
        if any(abs(v) < 1e-12 for v in eigenvalues):
            verdict = "inconclusive"
        elif all(v > 0 for v in eigenvalues):
            verdict = "minimum"
        elif all(v < 0 for v in eigenvalues):
            verdict = "maximum"
        else:
            verdict = "saddle point"
        assert expected_text(problem.answer) == verdict, problem.params


# --- lr_divergence: the class matches a 200-step simulation of gradient descent -------------


def simulate(problem: Problem, eta: Fraction, steps: int = 40) -> str:
    """Run exact GD on the instance's quadratic and name what the iterates did.

    Exact arithmetic (Fractions) so that "oscillates forever" is an equality, not a guess,
    and the error along each direction never drowns in rounding.
    """
    import sympy

    p = problem.params
    w1, w2 = sympy.symbols("w1 w2")
    a, q, c = p["a"], p["q"], p["c"]
    if problem.difficulty == 1:
        loss, variables, start = sympy.Rational(a, 2) * w1**2, [w1], [p["w0"]]
    elif problem.difficulty == 2:
        loss, variables, start = a * (w1 - c) ** 2, [w1], [p["w0"]]
    else:
        loss, variables, start = a * w1**2 + q * w1 * w2 + a * w2**2, [w1, w2], p["w0"]
    gradient = [sympy.lambdify(variables, sympy.diff(loss, v)) for v in variables]
    minimum = [Fraction(c)] if problem.difficulty == 2 else [Fraction(0)] * len(variables)
    w = [Fraction(v) for v in start]
    # Track the error along each Hessian eigenvector (1-D: the error itself).
    directions = [[1]] if len(w) == 1 else [[1, 1], [1, -1]]
    history = []
    for _ in range(steps + 1):
        error = [wi - mi for wi, mi in zip(w, minimum, strict=True)]
        history.append([sum(d * e for d, e in zip(dv, error, strict=True)) for dv in directions])
        g = [Fraction(gi(*w)) for gi in gradient]
        w = [wi - eta * gi for wi, gi in zip(w, g, strict=True)]
    fates = [fate([h[k] for h in history]) for k in range(len(directions))]
    return max(fates, key=FATES.index)


FATES = [
    "converges monotonically",
    "converges with oscillation",
    "oscillates forever",
    "diverges",
]


def fate(errors: list[Fraction]) -> str:
    """What a sequence of errors along one direction did."""
    first = abs(errors[0])
    if first == 0:
        return "converges monotonically"
    if all(abs(e) == first for e in errors) and errors[1] == -errors[0]:
        return "oscillates forever"
    if abs(errors[-1]) > first:
        return "diverges"
    flips = any(a * b < 0 for a, b in itertools.pairwise(errors))
    shrinking = all(abs(b) <= abs(a) for a, b in itertools.pairwise(errors))
    assert shrinking and abs(errors[-1]) < first
    return "converges with oscillation" if flips else "converges monotonically"


@pytest.mark.parametrize("item", every_seed("lr_divergence"), ids=chunk_id)
def test_lr_divergence_matches_simulation(item: tuple[str, int, int]) -> None:
    for problem in problems(item):
        eta = exact(problem.params["eta"])
        if isinstance(problem.answer, ChoiceAnswer):
            assert simulate(problem, eta) == problem.answer.correct, problem.params
        else:  # the stability threshold: below it GD converges, at it it stops converging
            threshold = exact(expected_text(problem.answer))
            assert threshold == 2 / exact(problem.params["lambda_max"])
            assert simulate(problem, threshold * Fraction(98, 100)).startswith("converges")
            assert simulate(problem, threshold) == "oscillates forever"
            assert simulate(problem, threshold * Fraction(102, 100)) == "diverges"


@pytest.mark.parametrize("item", every_seed("lr_divergence"), ids=chunk_id)
def test_lr_divergence_keeps_clear_of_boundaries(item: tuple[str, int, int]) -> None:
    """η·λ_max is either exactly 1 or 2 or at least 2 % away from both."""
    for problem in problems(item):
        x = exact(problem.params["eta"]) * exact(problem.params["lambda_max"])
        for boundary in (1, 2):
            assert x == boundary or abs(x - boundary) >= Fraction(2, 100) * boundary


# --- the remaining families, recomputed from params -----------------------------------------


def _check_derivative(problem: Problem) -> None:
    import sympy

    f = sympify(problem.params["f"])
    x = sympy.Symbol("x")
    assert_same(sympy.diff(f, x), sympify(expected_text(problem.answer)), [x])


def _check_partial(problem: Problem) -> None:
    import sympy

    f = sympify(problem.params["f"])
    var = sympy.Symbol(problem.params["variable"])
    assert_same(sympy.diff(f, var), sympify(expected_text(problem.answer)), sympy.symbols("x y"))


def assert_same(a: Any, b: Any, variables: Any) -> None:
    for values in ((0.3, -0.7), (1.1, 0.4), (-0.9, 1.7)):
        subs = dict(zip(variables, values, strict=False))
        assert complex(a.evalf(subs=subs)) == pytest.approx(complex(b.evalf(subs=subs)), 1e-9)


def _check_gradient(problem: Problem) -> None:
    import sympy

    x, y = sympy.symbols("x y")
    f = sympify(problem.params["f"])
    at = dict(zip((x, y), problem.params["point"], strict=True))
    assert [sympy.diff(f, v).subs(at) for v in (x, y)] == [
        sympify(v)
        for v in problem.answer.values  # type: ignore[union-attr]
    ]


def _check_jacobian(problem: Problem) -> None:
    import sympy

    point = problem.params["point"]
    names = sympy.symbols("x y z")[: len(point)]
    polys = [sympy.Poly(sympify(c), *names) for c in problem.params["f"]]
    jacobian = [[p.diff(v).eval(point) for v in names] for p in polys]
    expected = [[sympify(v) for v in row] for row in problem.answer.rows]  # type: ignore[union-attr]
    assert jacobian == expected


def _check_newton(problem: Problem) -> None:
    import sympy

    f = sympify(problem.params["f"])
    if problem.difficulty < 3:
        x = sympy.Symbol("x")
        x0 = sympify(problem.params["x0"])
        x1 = x0 - sympy.diff(f, x).subs(x, x0) / sympy.diff(f, x, 2).subs(x, x0)
        assert sympy.diff(f, x, 2).subs(x, x0) > 0
        assert x1 == sympify(expected_text(problem.answer))
        return
    x, y = sympy.symbols("x y")
    at = dict(zip((x, y), [sympify(v) for v in problem.params["x0"]], strict=True))
    hessian = sympy.hessian(f, (x, y)).subs(at)
    assert hessian.is_positive_definite
    step = hessian.inv() * sympy.Matrix([sympy.diff(f, v).subs(at) for v in (x, y)])
    x1 = [at[x] - step[0], at[y] - step[1]]
    assert x1 == [sympify(v) for v in problem.answer.values]  # type: ignore[union-attr]


def _check_gd(problem: Problem) -> None:
    import sympy

    w = sympy.Symbol("w")
    gradient = sympy.diff(sympify(problem.params["loss"]), w)
    value = sympify(problem.params["w0"])
    eta = sympify(problem.params["eta"])
    for _ in range(problem.params["steps"]):
        value = value - eta * gradient.subs(w, value)
    assert float(value) == pytest.approx(number(problem), rel=1e-5, abs=1e-12)


def _check_momentum(problem: Problem) -> None:
    import sympy

    w = sympy.Symbol("w")
    p = problem.params
    gradient = sympy.diff(sympify(p["loss"]), w)
    pos, vel = sympify(p["w0"]), sympify(p["v0"])
    for _ in range(p["steps"]):
        vel = sympify(p["beta"]) * vel - sympify(p["eta"]) * gradient.subs(w, pos)
        pos = pos + vel
    final = pos if p["target"] == "w" else vel
    assert float(final) == pytest.approx(number(problem), rel=1e-5, abs=1e-12)


def _check_chain_rule(problem: Problem) -> None:
    """The chapter's gradient check: a central difference in w matches the backprop product."""
    p = problem.params

    def loss(weight: float) -> float:
        value = weight * p["x"] + p["b"]
        for op in p["ops"]:
            if op == "square":
                value = value**2
            elif op == "half_square":
                value = value**2 / 2
            elif op == "cube":
                value = value**3
            elif op == "relu":
                value = max(0.0, value)
            else:
                c, b = (int(v) for v in op[len("affine(") : -1].split(","))
                value = c * value + b
        return (value - p["t"]) ** 2

    h = 1e-6
    numeric = (loss(p["w"] + h) - loss(p["w"] - h)) / (2 * h)
    assert numeric == pytest.approx(number(problem), rel=1e-6, abs=1e-4)


def _check_finite_difference(problem: Problem) -> None:
    import mpmath
    import sympy

    p = problem.params
    x = sympy.Symbol("x")
    f = sympify(p["f"])
    x0, h = sympify(p["x0"]), sympify(p["h"])
    with mpmath.workdps(40):

        def value(at: Any) -> Any:
            return mpmath.mpf(sympy.N(f.subs(x, at), 40))

        if p["scheme"] == "forward":
            estimate = (value(x0 + h) - value(x0)) / mpmath.mpf(sympy.N(h, 40))
        else:
            estimate = (value(x0 + h) - value(x0 - h)) / (2 * mpmath.mpf(sympy.N(h, 40)))
        true = mpmath.mpf(sympy.N(sympy.diff(f, x).subs(x, x0), 40))
        wanted = estimate if p["ask"] == "estimate" else estimate - true
    assert float(wanted) == pytest.approx(number(problem), rel=1e-5)


def _check_epochs(problem: Problem) -> None:
    p = problem.params
    updates_per_epoch = 0
    left = p["examples"]
    while left > 0:  # walk the batches of one epoch
        size = min(p["batch"], left)
        left -= size
        if size == p["batch"] or not p["drop_last"]:
            updates_per_epoch += 1
    assert vector(problem) == [updates_per_epoch, updates_per_epoch * p["epochs"]]


def _check_convexity(problem: Problem) -> None:
    import numpy as np
    import sympy

    x, y = sympy.symbols("x y")
    f = sympify(problem.params["f"])
    verdict = expected_text(problem.answer)
    grid = np.linspace(-2, 2, 9)
    if problem.difficulty == 1:
        second = sympy.lambdify(x, sympy.diff(f, x, 2))
        values = [float(second(v)) for v in grid]
        if verdict == "convex":
            assert min(values) >= -1e-12
        else:
            witness = problem.params["witness"]
            assert float(second(witness)) < 0
        return
    hessian = sympy.lambdify((x, y), sympy.hessian(f, (x, y)))
    lows, highs = [], []
    for a in grid:
        for b in grid:
            eigenvalues = np.linalg.eigvalsh(np.array(hessian(a, b), dtype=float))
            lows.append(eigenvalues[0])
            highs.append(eigenvalues[-1])
    if verdict == "convex":
        assert min(lows) >= -1e-9
    elif verdict == "concave":
        assert max(highs) <= 1e-9
    else:
        assert min(lows) < 0 < max(highs)


def _mean_cross_entropy(logits: Any, labels: list[int]) -> float:
    """The mean over rows of −ln softmax(row)[label], with NumPy (labels are 1-based)."""
    import numpy as np

    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-np.mean([log_probs[r, c - 1] for r, c in enumerate(labels)]))


def _check_softmax_cross_entropy(problem: Problem) -> None:
    """The loss with NumPy; the gradient by central differences of that loss (not p − y)."""
    import numpy as np

    p = problem.params
    logits = np.array([[float(sympify(v)) for v in row] for row in p["logits"]])
    loss = _mean_cross_entropy(logits, p["labels"])
    if p["ask"] == "loss":
        assert loss == pytest.approx(number(problem), rel=1e-5)
        return
    h = 1e-6
    numeric = np.zeros_like(logits)
    for index in np.ndindex(logits.shape):
        up, down = logits.copy(), logits.copy()
        up[index] += h
        down[index] -= h
        numeric[index] = (
            _mean_cross_entropy(up, p["labels"]) - _mean_cross_entropy(down, p["labels"])
        ) / (2 * h)
    answer = problem.answer
    rows = answer.rows if isinstance(answer, MatrixAnswer) else [answer.values]  # type: ignore[union-attr]
    expected = np.array([[float(sympify(v)) for v in row] for row in rows])
    assert np.allclose(numeric, expected, rtol=1e-5, atol=1e-7)


def _check_sigmoid_bce(problem: Problem) -> None:
    """Binary cross-entropy of the sigmoid, differentiated by SymPy (no p − y shortcut)."""
    import sympy

    p = problem.params
    y = p["y"]

    def bce(z: Any) -> Any:
        prob = 1 / (1 + sympy.exp(-z))
        return -(y * sympy.log(prob) + (1 - y) * sympy.log(1 - prob))

    if "w" in p:
        w1, w2 = sympy.symbols("w1 w2")
        loss = bce(w1 * p["x"][0] + w2 * p["x"][1] + p["b"])
        at = {w1: p["w"][0], w2: p["w"][1]}
        gradient = [float(sympy.diff(loss, v).subs(at)) for v in (w1, w2)]
        assert gradient == pytest.approx(vector(problem), rel=1e-5)
        return
    z = sympy.Symbol("z")
    value = sympy.sympify(p["z"], rational=True)
    wanted = bce(z) if p["ask"] == "loss" else sympy.diff(bce(z), z)
    assert float(wanted.subs(z, value)) == pytest.approx(number(problem), rel=1e-5)


def _check_mlp_backprop(problem: Problem) -> None:
    """The network's loss in NumPy; the asked entry by a central difference of it."""
    import numpy as np

    p = problem.params

    def loss(params: dict[str, Any]) -> float:
        a = params["W"] @ np.array(p["x"], dtype=float) + params["b"]
        h = np.maximum(a, 0) if p["activation"] == "relu" else 1 / (1 + np.exp(-a))
        error = float(params["v"] @ h + p["c"] - p["t"])
        return 0.5 * error**2 if p["loss"] == "half_squared" else error**2

    base = {name: np.array(p[name], dtype=float) for name in ("W", "b", "v")}
    name, *index = p["target"]
    position = tuple(i - 1 for i in index)
    h = 1e-6
    up = {key: value.copy() for key, value in base.items()}
    down = {key: value.copy() for key, value in base.items()}
    up[name][position] += h
    down[name][position] -= h
    numeric = (loss(up) - loss(down)) / (2 * h)
    assert numeric == pytest.approx(number(problem), rel=1e-5, abs=1e-6)


def _check_matrix_shapes(problem: Problem) -> None:
    """NumPy's own answer: multiply arrays of those shapes, or backpropagate through a layer."""
    import numpy as np

    p = problem.params
    rng = np.random.default_rng(0)
    if "gradient" in p:
        x = rng.normal(size=(p["n"], p["d"]))
        w = rng.normal(size=(p["d"], p["k"]))
        y = x @ w + rng.normal(size=p["k"])
        upstream = 1 - np.tanh(y) ** 2  # L = sum(tanh(Y)): dL/dY, then the chain rule
        gradient = {"Y": upstream, "W": x.T @ upstream, "X": upstream @ w.T}[p["gradient"]]
        assert expected_text(problem.answer) == str(gradient.shape)
        return
    arrays = []
    for factor in p["factors"]:
        array = rng.normal(size=factor["shape"])
        arrays.append(array.T if factor["transposed"] else array)
    try:
        shown = str((arrays[0] @ arrays[1]).shape)
    except ValueError:
        shown = "undefined"
    assert expected_text(problem.answer) == shown


def _check_regression_gradient(problem: Problem) -> None:
    """NumPy's least squares (not the normal equations) or its matrix product for the gradient."""
    import numpy as np

    p = problem.params
    x = np.array([[float(Fraction(v)) for v in row] for row in p["X"]])
    y = np.array([float(Fraction(v)) for v in p["y"]])
    if p["ask"] == "gradient":
        w = np.array([float(Fraction(v)) for v in p["w"]])
        expected = x.T @ (x @ w - y)
    else:
        assert problem.difficulty == 3 and np.all(x[:, 0] == 1)
        expected = np.linalg.lstsq(x, y, rcond=None)[0]
    assert vector(problem) == pytest.approx(list(expected), rel=1e-9, abs=1e-9)


def _reference_adam(
    params: dict[str, Any], beta1: float, beta2: float, correct: bool = True
) -> float:
    """A textbook Adam loop in floats with the usual ε = 1e-8 (the problems take ε = 0)."""
    w = float(Fraction(params["w0"]))
    eta = float(Fraction(params["eta"]))
    m = v = 0.0
    for t in range(1, params["steps"] + 1):
        if params["gradients"]:
            g = float(Fraction(params["gradients"][t - 1]))
        else:
            a, c = params["loss"]
            g = 2 * a * (w - c)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat, v_hat = (m / (1 - beta1**t), v / (1 - beta2**t)) if correct else (m, v)
        w -= eta * m_hat / (v_hat**0.5 + 1e-8)
    return w


def _check_adam(problem: Problem) -> None:
    p = problem.params
    expected = _reference_adam(p, float(Fraction(p["beta1"])), float(Fraction(p["beta2"])))
    assert number(problem) == pytest.approx(expected, rel=1e-5, abs=1e-7)


def _check_weight_decay(problem: Problem) -> None:
    """PyTorch's order for AdamW (shrink the weight by 1 − ηλ, then the Adam step), floats and
    ε = 1e-8; the L2 penalty as its gradient λw added to the data gradient."""
    p = problem.params
    w = float(Fraction(p["w0"]))
    eta, lam = float(Fraction(p["eta"])), float(Fraction(p["lambda"]))
    m = v = 0.0
    for t, given in enumerate(p["gradients"], 1):
        g = float(Fraction(given))
        if p["coupling"] == "l2":
            g += lam * w
        if p["optimiser"] == "sgd":
            w -= eta * g
            continue
        if p["coupling"] == "decoupled":
            w *= 1 - eta * lam
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w -= eta * (m / (1 - 0.9**t)) / ((v / (1 - 0.999**t)) ** 0.5 + 1e-8)
    assert number(problem) == pytest.approx(w, rel=1e-5, abs=1e-7)


def _check_lr_schedule(problem: Problem) -> None:
    """Step decay by running a scheduler step by step; warmup and cosine with NumPy's cosine."""
    import numpy as np

    p = problem.params
    if p["kind"] == "step":
        rate = Fraction(p["eta0"])
        for step in range(1, p["t"] + 1):  # as a scheduler called once per step
            if step % p["every"] == 0:
                rate *= Fraction(p["gamma"])
        assert number(problem) == pytest.approx(float(rate), rel=1e-12)
        return
    high, low = float(Fraction(p["eta_max"])), float(Fraction(p["eta_min"]))
    t, warmup, total = p["t"], p["warmup"], p["total"]
    if t < warmup:
        expected = high * t / warmup
    else:
        progress = (t - warmup) / (total - warmup)
        expected = low + (high - low) * 0.5 * (1 + np.cos(np.pi * progress))
    assert number(problem) == pytest.approx(expected, rel=1e-5)


def _sigmoid(z: float) -> float:
    import math

    return 1 / (1 + math.exp(-z))


def _check_vanishing(problem: Problem) -> None:
    """Build the chain with NumPy-free floats and differentiate it by central differences: at
    the bound (every pre-activation 0) for level 1, at the given outputs for level 3; the depth
    of level 2 from logarithms."""
    import math

    p = problem.params
    if p["kind"] == "depth":
        slope = 0.25 if p["activation"] == "sigmoid" else 1.0
        ratio = abs(float(Fraction(p["weight"]))) * slope
        depth = math.floor(-p["threshold_exponent"] * math.log(10) / math.log(ratio)) + 1
        assert ratio**depth < 10.0 ** -p["threshold_exponent"] <= ratio ** (depth - 1)
        assert number(problem) == depth
        return
    weights = [float(Fraction(w)) for w in p["weights"]]
    f = _sigmoid if p["activation"] == "sigmoid" else math.tanh
    inverse = (lambda h: math.log(h / (1 - h))) if p["activation"] == "sigmoid" else math.atanh
    outputs = (
        [0.5] * len(weights) if p["kind"] == "bound" else [float(Fraction(h)) for h in p["outputs"]]
    )
    h0 = 0.3
    biases, previous = [], h0
    for w, h in zip(weights, outputs, strict=True):  # biases that reproduce the outputs
        biases.append(inverse(h) - w * previous)
        previous = h

    def forward(x: float) -> float:
        for w, b in zip(weights, biases, strict=True):
            x = f(w * x + b)
        return x

    step = 1e-6
    derivative = (forward(h0 + step) - forward(h0 - step)) / (2 * step)
    expected = abs(derivative) if p["kind"] == "bound" else derivative
    assert number(problem) == pytest.approx(expected, rel=1e-6, abs=1e-9)


def _check_eigen_2x2(problem: Problem) -> None:
    """NumPy's symmetric eigensolver, and definiteness from the eigenvalues' signs."""
    import numpy as np

    matrix = np.array(problem.params["matrix"], dtype=float)
    assert (matrix == matrix.T).all()
    low, high = np.linalg.eigvalsh(matrix)  # ascending
    if problem.params["ask"] == "eigenvalues":
        assert vector(problem) == pytest.approx([low, high], rel=1e-5, abs=1e-9)
        return
    if abs(low) < 1e-9 or abs(high) < 1e-9:
        verdict = "positive semidefinite" if low + high > 0 else "negative semidefinite"
    elif low > 0:
        verdict = "positive definite"
    elif high < 0:
        verdict = "negative definite"
    else:
        verdict = "indefinite"
    assert expected_text(problem.answer) == verdict


def _check_bayes_rule(problem: Problem) -> None:
    """Condition a joint table over (status, every sequence of results) on the one observed."""
    p = problem.params
    prior, sensitivity, specificity = (exact(p[k]) for k in ("prior", "sensitivity", "specificity"))
    positive = {True: sensitivity, False: 1 - specificity}  # P(+ | status)
    table: dict[tuple[bool, tuple[str, ...]], Fraction] = {}
    for sick in (True, False):
        for outcome in itertools.product("+-", repeat=len(p["results"])):
            weight = prior if sick else 1 - prior
            for result in outcome:
                weight *= positive[sick] if result == "+" else 1 - positive[sick]
            table[(sick, outcome)] = weight
    assert sum(table.values()) == 1
    observed = tuple(p["results"])
    evidence = sum(w for (_, outcome), w in table.items() if outcome == observed)
    wanted = table[(True, observed)] / evidence
    assert float(wanted) == pytest.approx(number(problem), rel=1e-5)


def _check_expectation_variance(problem: Problem) -> None:
    """NumPy: the quadratic form wᵀΣw for a combination; weighted moments for a table."""
    import numpy as np

    p = problem.params
    if "values" in p:
        values = np.array(p["values"], dtype=float) * p["a"] + p["c"]
        weights = np.array([float(exact(q)) for q in p["probabilities"]])
        assert weights.sum() == pytest.approx(1)
        mean = weights @ values
        wanted = weights @ (values - mean) ** 2
    elif p["ask"] == "mean":
        wanted = p["a"] * p["mean_x"] + p["b"] * p["mean_y"] + p["c"]
    else:
        sigma = np.array([[p["var_x"], p["cov"]], [p["cov"], p["var_y"]]], dtype=float)
        assert np.linalg.eigvalsh(sigma).min() >= -1e-12, "a covariance matrix is PSD"
        w = np.array([p["a"], p["b"]], dtype=float)
        wanted = w @ sigma @ w
    assert float(wanted) == pytest.approx(number(problem), rel=1e-9)


def _check_entropy_kl(problem: Problem) -> None:
    """NumPy in nats, converted to bits by dividing by ln 2; KL also as H(p, q) − H(p)."""
    import numpy as np

    p = np.array([float(exact(v)) for v in problem.params["p"]])
    q = np.array([float(exact(v)) for v in problem.params["q"]])
    assert p.sum() == pytest.approx(1) and q.sum() == pytest.approx(1)
    entropy = -np.sum(p * np.log(p))
    cross = -np.sum(p * np.log(q))
    kl = np.sum(p * np.log(p / q))
    assert kl == pytest.approx(cross - entropy) and kl >= 0
    wanted = {"entropy": entropy, "cross-entropy": cross, "kl": kl}[problem.params["quantity"]]
    if problem.params["unit"] == "bits":
        wanted /= np.log(2)
    assert float(wanted) == pytest.approx(number(problem), rel=1e-5, abs=1e-12)


CHECKS = {
    "derivative": _check_derivative,
    "partial": _check_partial,
    "gradient": _check_gradient,
    "jacobian": _check_jacobian,
    "newton_step": _check_newton,
    "gd_steps": _check_gd,
    "momentum": _check_momentum,
    "chain_rule": _check_chain_rule,
    "finite_difference": _check_finite_difference,
    "epochs_iterations": _check_epochs,
    "convexity": _check_convexity,
    "softmax_cross_entropy": _check_softmax_cross_entropy,
    "sigmoid_bce": _check_sigmoid_bce,
    "mlp_backprop": _check_mlp_backprop,
    "matrix_shapes": _check_matrix_shapes,
    "regression_gradient": _check_regression_gradient,
    "adam_step": _check_adam,
    "weight_decay": _check_weight_decay,
    "lr_schedule": _check_lr_schedule,
    "vanishing_gradient": _check_vanishing,
    "eigen_2x2": _check_eigen_2x2,
    "bayes_rule": _check_bayes_rule,
    "expectation_variance": _check_expectation_variance,
    "entropy_kl": _check_entropy_kl,
}


@pytest.mark.parametrize(
    "item", [c for family in CHECKS for c in first_chunk(family)], ids=chunk_id
)
def test_answer_recomputed_from_params(item: tuple[str, int, int]) -> None:
    check = CHECKS[item[0]]
    for problem in problems(item):
        try:
            check(problem)
        except AssertionError as error:
            raise AssertionError(f"seed {problem.seed}: {problem.params}") from error


def test_every_family_has_an_independent_check() -> None:
    from quizcalc.problems import FAMILIES

    assert set(FAMILIES) == {*CHECKS, "hessian_classify", "lr_divergence"}


def test_fate_names_the_four_behaviours() -> None:
    def run(r: Fraction) -> str:
        return fate([r**t for t in range(50)])

    assert run(Fraction(1, 2)) == "converges monotonically"
    assert run(Fraction(0)) == "converges monotonically"
    assert run(Fraction(-1, 2)) == "converges with oscillation"
    assert run(Fraction(-1)) == "oscillates forever"
    assert run(Fraction(-3, 2)) == "diverges"
