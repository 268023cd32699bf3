"""Golden instances: a generator must not change silently.

``data/golden-problems.json`` holds, for every family and difficulty, three seeds with their
expected answer (as a learner types it), the SHA-1 of the prompt and the drawn params. This
test regenerates each one and compares.

When a generator changes *on purpose* (new ranges, better wording), regenerate the file and
review the diff before committing it::

    .venv/bin/python -m tests.problems.test_golden

Regeneration is deliberately not a pytest option, so no test run can rewrite its own
reference.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from quizcalc.problems import DIFFICULTIES, FAMILIES, expected_text, generate

GOLDEN = Path(__file__).resolve().parents[2] / "data" / "golden-problems.json"
GOLDEN_SEEDS = (0, 1, 2024)


def record(family: str, difficulty: int, seed: int) -> dict[str, Any]:
    """What the golden file pins for one instance."""
    problem = generate(family, seed, difficulty)
    return {
        "family": family,
        "difficulty": difficulty,
        "seed": seed,
        "answer": expected_text(problem.answer),
        "prompt_sha1": hashlib.sha1(problem.prompt.encode("utf-8")).hexdigest(),
        "params": json.loads(json.dumps(problem.params)),
    }


def build_golden() -> dict[str, Any]:
    """The whole file: every family × difficulty × seed."""
    return {
        "about": (
            "Golden generated-problem instances (family, difficulty, seed → expected answer, "
            "prompt SHA-1, params). Regenerate: QUIZCALC_UPDATE_GOLDEN=1 .venv/bin/pytest "
            "tests/problems/test_golden.py"
        ),
        "instances": [
            record(family, difficulty, seed)
            for family in FAMILIES
            for difficulty in DIFFICULTIES
            for seed in GOLDEN_SEEDS
        ],
    }


def write_golden() -> None:
    """Rewrite ``data/golden-problems.json`` from the current generators."""
    GOLDEN.write_text(json.dumps(build_golden(), indent=1, ensure_ascii=False) + "\n", "utf-8")


def load_golden() -> list[dict[str, Any]]:
    return list(json.loads(GOLDEN.read_text("utf-8"))["instances"])


def test_golden_file_covers_every_family_and_difficulty() -> None:
    cells = {(r["family"], r["difficulty"]) for r in load_golden()}
    assert cells == {(f, d) for f in FAMILIES for d in DIFFICULTIES}
    for family in FAMILIES:
        for difficulty in DIFFICULTIES:
            seeds = [
                r["seed"]
                for r in load_golden()
                if (r["family"], r["difficulty"]) == (family, difficulty)
            ]
            assert len(seeds) == 3


@pytest.mark.parametrize("family", list(FAMILIES))
def test_generators_match_the_golden_instances(family: str) -> None:
    for expected in (r for r in load_golden() if r["family"] == family):
        actual = record(family, expected["difficulty"], expected["seed"])
        where = f"{family} d{expected['difficulty']} seed {expected['seed']}"
        assert actual["answer"] == expected["answer"], f"{where}: answer changed"
        assert actual["params"] == expected["params"], f"{where}: params changed"
        assert actual["prompt_sha1"] == expected["prompt_sha1"], f"{where}: prompt changed"


if __name__ == "__main__":
    write_golden()
    print(f"wrote {GOLDEN}")
