"""The registry's contract: names, metadata, errors, purity, and a cheap import."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from quizcalc.problems import (
    DIFFICULTIES,
    FAMILIES,
    Family,
    Problem,
    expected_text,
    generate,
    get_family,
)

EXPECTED_FAMILIES = {
    "derivative",
    "partial",
    "gradient",
    "jacobian",
    "hessian_classify",
    "convexity",
    "chain_rule",
    "gd_steps",
    "epochs_iterations",
    "lr_divergence",
    "momentum",
    "finite_difference",
    "newton_step",
    "softmax_cross_entropy",
    "sigmoid_bce",
    "mlp_backprop",
    "matrix_shapes",
    "regression_gradient",
    "adam_step",
    "weight_decay",
    "lr_schedule",
    "vanishing_gradient",
    "eigen_2x2",
    "bayes_rule",
    "expectation_variance",
    "entropy_kl",
}


def test_every_family_of_the_brief_is_registered() -> None:
    assert set(FAMILIES) >= EXPECTED_FAMILIES


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_family_metadata(name: str) -> None:
    family = FAMILIES[name]
    assert isinstance(family, Family)
    assert family.name == name
    assert family.title and "\n" not in family.title
    assert family.description and "\n" not in family.description
    assert family.difficulties == DIFFICULTIES == (1, 2, 3)
    assert len(family.target_seconds) == 3
    assert all(isinstance(t, int) and 10 <= t <= 600 for t in family.target_seconds)
    assert list(family.target_seconds) == sorted(family.target_seconds), "harder takes longer"
    assert len(family.levels) == 3
    assert family.build.__doc__, "builders are documented"


def test_generate_stamps_family_seed_difficulty_and_target_time() -> None:
    problem = generate("chain_rule", 42, 2)
    assert isinstance(problem, Problem)
    assert (problem.family, problem.seed, problem.difficulty) == ("chain_rule", 42, 2)
    assert problem.target_seconds == FAMILIES["chain_rule"].target_seconds[1]


def test_difficulty_defaults_to_one() -> None:
    assert generate("gd_steps", 3) == generate("gd_steps", 3, 1)


def test_unknown_family_lists_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="unknown problem family 'chain_rules'") as error:
        generate("chain_rules", 1)
    for name in FAMILIES:
        assert name in str(error.value)
    with pytest.raises(ValueError, match="unknown problem family"):
        get_family("")


@pytest.mark.parametrize("difficulty", [0, 4, -1, "2", 2.0, True, None])
def test_bad_difficulty_is_a_clear_value_error(difficulty: object) -> None:
    with pytest.raises(ValueError, match="difficulty must be one of 1, 2, 3"):
        generate("chain_rule", 1, difficulty)  # type: ignore[arg-type]


def test_family_generate_checks_difficulty_too() -> None:
    with pytest.raises(ValueError, match="difficulty must be one of 1, 2, 3 for family"):
        FAMILIES["momentum"].generate(1, 5)


def test_seed_must_be_an_int() -> None:
    with pytest.raises(ValueError, match="seed must be an int"):
        generate("chain_rule", "7")  # type: ignore[arg-type]


def test_generation_never_touches_the_global_random_state() -> None:
    import random

    random.seed(1234)
    before = random.getstate()
    for name in FAMILIES:
        if name in ("derivative", "partial"):
            continue  # SymPy's assumption system shuffles with the global RNG itself
        generate(name, 5, 3)
    assert random.getstate() == before


def test_same_instance_in_a_fresh_interpreter() -> None:
    """String seeding is hashed with SHA-512, so PYTHONHASHSEED cannot change an instance."""
    code = (
        "import json\nfrom quizcalc.problems import generate, expected_text\n"
        "print(json.dumps([expected_text(generate(n, 11, 3).answer) for n in "
        f"{sorted(FAMILIES)!r}]))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            check=True,
            capture_output=True,
            text=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("0", "1")
    }
    assert len(outputs) == 1
    assert json.loads(outputs.pop()) == [
        expected_text(generate(n, 11, 3).answer) for n in sorted(FAMILIES)
    ]


def test_importing_problems_stays_cheap() -> None:
    """The TUI's first screen imports the registry: SymPy (0.6 s) must not come with it."""
    code = (
        "import json, sys\nimport quizcalc.problems\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    loaded = set(json.loads(out.stdout))
    assert not loaded & {"sympy", "mpmath", "numpy", "textual", "sqlalchemy"}
