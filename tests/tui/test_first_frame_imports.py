"""What `quizcalc review` has imported when its first card is on screen, in a fresh process.

The first frame needs Textual, the card's text and one read with the stdlib ``sqlite3``: the
study service (SQLAlchemy, alembic), the grader (SymPy, NumPy) and the 2-D maths layout load
in workers once the card is painted. Only a real process shows what its start-up imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from quizcalc.config import Config
from quizcalc.study import StudyService
from tests.conftest import REPO_ROOT
from tests.tui.conftest import NOW

CHILD = """
import json, sys
from datetime import datetime

from quizcalc.tui.widgets import math_markdown

math_markdown.load_typeset = lambda: None  # started after the first frame (tested apart)
from quizcalc.tui.app import QuizcalcApp, make_app

seen = {}


def first_card_painted(app):  # stands in for the worker the screen starts once it is painted
    seen["modules"] = sorted(sys.modules)
    seen["question"] = app.screen.card.question
    app.exit()


QuizcalcApp.open_service = first_card_painted
now = datetime.fromisoformat(sys.argv[4])
app = make_app(db=sys.argv[1], content=sys.argv[2], config_file=sys.argv[3], start="review",
               now=lambda: now)
app.run(headless=True, size=(80, 24))
print(json.dumps(seen))
"""

HEAVY = {
    "sqlalchemy",
    "alembic",
    "sympy",
    "numpy",
    "quizcalc.typeset",
    "quizcalc.store.engine",
    "quizcalc.store.errors",
    "quizcalc.exchange.model",
    "quizcalc.study.service",
}
"""Loaded only after the first frame, in workers (or never, on this path)."""


def test_the_first_card_is_painted_before_the_store_the_grader_and_the_2d_layout_load(
    db_path: Path, content: Path, config_file: Path, environ: dict[str, str]
) -> None:
    service = StudyService.open(f"sqlite:///{db_path}", Config())  # as after a first run
    service.sync(content, NOW)
    expected = service.next_card(NOW)
    service.close()
    assert expected is not None

    result = subprocess.run(
        [sys.executable, "-c", CHILD, *map(str, (db_path, content, config_file)), NOW.isoformat()],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO_ROOT,
        env={**os.environ, **environ},
        check=True,
    )
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["question"] == expected.question  # the queue's first card
    loaded = set(seen["modules"])
    assert not {name for name in loaded if name.split(".")[0] in HEAVY or name in HEAVY}
