"""The cards package is on the path to the first screen: heavy libraries load only when needed.

Each check runs in a fresh interpreter, so modules loaded by other tests do not hide a slip.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("markdown_it", "yaml", "pylatexenc", "sqlalchemy", "textual")


def loaded_after(code: str) -> set[str]:
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True)
    return {name.split(".")[0] for name in json.loads(out.stdout.splitlines()[-1])} & set(HEAVY)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("import quizcalc.cards", set()),
        ("from quizcalc.cards import Card, CardKind, derive_card_id", set()),
        ("from quizcalc.cards import latex_to_unicode; latex_to_unicode('no math here')", set()),
        (
            "from quizcalc.cards import parse_markdown; parse_markdown('Q: a?\\nA: b')",
            {"markdown_it"},
        ),
        (
            "from quizcalc.cards import parse_markdown; parse_markdown('---\\ndeck: D\\n---\\n')",
            {"markdown_it", "yaml"},
        ),
        (
            "from quizcalc.cards import latex_to_unicode; latex_to_unicode('\\\\(x\\\\)')",
            {"pylatexenc"},
        ),
    ],
)
def test_libraries_load_only_when_their_work_is_needed(code: str, expected: set[str]) -> None:
    assert loaded_after(code) == expected
