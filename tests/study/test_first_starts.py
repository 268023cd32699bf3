"""Two first starts at once (two real processes) leave one row per source key.

Each process pauses just before it writes the source row until the other one is there too (or
a second has passed: when a write transaction takes the lock before it reads, the other
process waits and never gets there), so the race that once gave two content rows is tried on
every run. The unique source key is what guarantees one row; the lock makes the race rare.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT

CHILD = """
import sys, time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine

from quizcalc.config import Config
from quizcalc.study import StudyService

db_url, content, meeting, me = sys.argv[1:5]


def meet(name):
    Path(meeting, f"{name}-{me}").touch()
    deadline = time.monotonic() + 1
    while len(list(Path(meeting).glob(f"{name}-*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.005)


@event.listens_for(Engine, "before_cursor_execute")
def before(conn, cursor, statement, *args):
    if statement.lstrip().upper().startswith("INSERT INTO SOURCES"):
        meet("insert")


service = StudyService.open(db_url, Config())
meet("start")
report = service.sync(Path(content), datetime(2026, 11, 26, 9, tzinfo=UTC))
print(report.summary(), report.problems)
service.close()
"""


def test_two_first_starts_at_once_make_one_content_source(
    tmp_path: Path, new_database, write_deck
) -> None:
    content = write_deck("Q: Kept once?\nA: Yes.\n\nQ: Deleted later?\nA: Then retired.\n")
    db = new_database(tmp_path / "q.sqlite3")
    meeting = tmp_path / "meeting"
    meeting.mkdir()
    argv = [sys.executable, "-c", CHILD, f"sqlite:///{db}", str(content), str(meeting)]
    children = [
        subprocess.Popen([*argv, str(n)], cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True)
        for n in range(2)
    ]
    outputs = [child.communicate(timeout=60)[0] for child in children]
    assert [child.returncode for child in children] == [0, 0], outputs
    con = sqlite3.connect(db)
    rows = con.execute("SELECT key, role FROM sources").fetchall()
    cards = con.execute("SELECT COUNT(*), COUNT(DISTINCT source_id) FROM cards").fetchone()
    con.close()
    assert rows == [(f"content:{content.resolve()}", "content")]
    assert cards == (2, 1)
