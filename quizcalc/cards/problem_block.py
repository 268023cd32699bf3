"""The body of a ```` ```problem ```` fence: which generator family, at which difficulty."""

from __future__ import annotations

from quizcalc.cards.frontmatter import Problem, key_line, load_yaml
from quizcalc.cards.model import ProblemSpec

__all__ = ["PROBLEM_INFO", "read_problem_block"]

PROBLEM_INFO = "problem"
"""The fence info string that marks a generated-problem card."""

_KEYS = ("family", "difficulty")
_EXPECTED = "family, difficulty"
_WHOLE_BLOCK = -1
"""Line offset of a message about the whole block: it points at the opening fence."""
_DIFFICULTIES = (1, 2, 3)


def read_problem_block(body: str) -> tuple[ProblemSpec | None, list[Problem]]:
    """Read ``family: chain_rule`` and optional ``difficulty: 2`` (1 to 3, default 1).

    Returns None with the reasons when no card can be made; unknown keys are reported but
    do not stop the card.
    """
    data, error = load_yaml(body, "problem block")
    if error is not None:
        return None, [error]
    if not isinstance(data, dict):
        return None, [(_WHOLE_BLOCK, "problem block must be YAML like 'family: chain_rule'")]
    problems: list[Problem] = [
        (
            key_line(body, str(key)),
            f"unknown key {key!r} in problem block (expected: family, difficulty)",
        )
        for key in data
        if key not in _KEYS
    ]
    family = data.get("family")
    if not isinstance(family, str) or not family.strip():
        message = "problem block has no 'family' (e.g. family: chain_rule)"
        problems.insert(0, (_WHOLE_BLOCK, message))
        return None, problems
    difficulty = data.get("difficulty", 1)
    if type(difficulty) is not int or difficulty not in _DIFFICULTIES:
        message = f"problem difficulty must be 1, 2 or 3 (got {difficulty!r})"
        problems.insert(0, (key_line(body, "difficulty"), message))
        return None, problems
    return ProblemSpec(family.strip(), difficulty), problems
