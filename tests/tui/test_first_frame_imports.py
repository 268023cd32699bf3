"""What `quizcalc review` has imported when its first card is on screen, in a fresh process.

The first frame needs Textual, the card's text and one read with the stdlib ``sqlite3``: the
study service (SQLAlchemy, alembic), the grader (SymPy, NumPy) and the 2-D maths layout load
in workers once the card is painted, and the question's one-line form comes from the cache
(no pylatexenc). Only a real process shows what its start-up imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from quizcalc.cards.display import latex_to_unicode
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
from quizcalc.tui.screens.review import ReviewScreen

seen = {}
shown_by = ReviewScreen.on_mount


async def on_mount(screen):
    screen.call_after_refresh(painted, screen)  # the first of the callbacks after the paint
    await shown_by(screen)


def painted(screen):
    seen["modules"] = sorted(sys.modules)
    seen["question"] = screen.card.question
    seen["shown"] = screen.query_one("#question")._shown
    screen.app.exit()


ReviewScreen.on_mount = on_mount
QuizcalcApp.open_service = lambda app: None  # the worker that opens the store: not needed
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
    "pylatexenc",
    "quizcalc.cards.math_text",
}
"""Loaded only after the first frame, in workers (or never, on this path)."""


def test_the_first_card_is_painted_before_the_store_the_grader_and_the_2d_layout_load(
    db_path: Path, content: Path, config_file: Path, environ: dict[str, str]
) -> None:
    service = StudyService.open(f"sqlite:///{db_path}", Config())  # as after a first run
    service.sync(content, NOW)
    service.cache_linear_questions()  # as the first run leaves it
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
    assert seen["shown"] == latex_to_unicode(expected.question)  # from the cache: LaTeX-free
    loaded = set(seen["modules"])
    assert not {name for name in loaded if name.split(".")[0] in HEAVY or name in HEAVY}
