"""Importing the grader is cheap: SymPy loads on the first grading call, not at import."""

from __future__ import annotations

import json
import subprocess
import sys


def _modules_after(code: str) -> set[str]:
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True)
    return {name.split(".")[0] for name in json.loads(out.stdout.splitlines()[-1])}


def test_importing_the_grader_does_not_import_sympy_or_the_ui() -> None:
    loaded = _modules_after("import quizcalc.grading\nfrom quizcalc.grading import grade")
    assert not loaded & {"sympy", "mpmath", "textual", "sqlalchemy"}


def test_grading_a_choice_never_imports_sympy() -> None:
    loaded = _modules_after(
        "from quizcalc.grading import ChoiceAnswer, grade, read_answer\n"
        "answer = ChoiceAnswer(('yes', 'no'), 'yes')\n"
        "assert grade('a', answer).correct and read_answer('b', answer)[0] == '2. no'"
    )
    assert "sympy" not in loaded


def test_the_first_math_grading_imports_sympy_when_needed() -> None:
    loaded = _modules_after(
        "from quizcalc.grading import NumberAnswer, grade\n"
        "assert grade('3/4', NumberAnswer(0.75)).correct"
    )
    assert "sympy" in loaded
