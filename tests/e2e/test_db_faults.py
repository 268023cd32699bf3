"""Database faults from outside, in real processes: a read-only database or folder is told at
start (also as root), and a full disk is one line that saves nothing and loses nothing.

The full disk is a file-size limit (``RLIMIT_FSIZE``) set in the child before it runs, with
``SIGXFSZ`` ignored so that a write past it fails with ``EFBIG`` (as on a full disk) instead
of killing the process; SQLite reports that as a disk I/O error.
"""

from __future__ import annotations

import resource
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from quizcalc.config import Config
from quizcalc.study import StudyService
from tests.conftest import FIXED_NOW
from tests.e2e.conftest import QUIZCALC
from tests.permissions import bound_by_permissions


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize(
    ("file_mode", "folder_mode", "shm_mode", "what"),
    [
        (0o444, 0o555, None, "the database file and its folder {folder} are read-only"),
        (0o444, 0o755, None, "the database file is read-only"),
        (0o644, 0o555, None, "its folder {folder} is read-only (SQLite writes its -wal and"),
        (0o644, 0o755, 0o444, "its -shm file is read-only"),
    ],
    ids=["file-and-folder", "file", "folder", "left-over-shm"],
)
def test_a_read_only_database_is_told_at_start_and_left_unchanged(
    env: dict[str, str],
    tmp_path: Path,
    new_database: Callable[[Path], Path],
    file_mode: int,
    folder_mode: int,
    shm_mode: int | None,
    what: str,
) -> None:
    """Said before any answer is lost (a read-only file used to open fine and fail at the
    first answer), and before SQLite opens it: no read-only -wal/-shm is left beside it to
    keep failing once the file is made writable. Run without root's power to write anyway."""
    folder = tmp_path / "locked"
    db = new_database(folder / "q.sqlite3")
    shm = folder / "q.sqlite3-shm"
    if shm_mode is not None:
        shm.write_bytes(b"")
        shm.chmod(shm_mode)
    before = sorted((p.name, p.read_bytes()) for p in folder.iterdir())
    db.chmod(file_mode)
    folder.chmod(folder_mode)
    try:
        command = bound_by_permissions([QUIZCALC, "--db", str(db), "stats"])
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    finally:
        folder.chmod(0o755)
        db.chmod(0o644)
    line = _one_line_error(result)
    prefix = f"quizcalc: could not open your study data: {db}: {what.format(folder=folder)}"
    assert line.startswith(prefix)
    assert line.endswith("writable (chmod u+w) or pass --db to use another file")
    assert sorted((p.name, p.read_bytes()) for p in folder.iterdir()) == before


def _under_a_size_limit(limit: int) -> Callable[[], None]:
    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_file_size


DISK_FULL = (
    "the disk is full (the file-size limit, ulimit -f, was reached); nothing was saved by "
    "this step. Free some space and try again."
)

ANSWERING_PROCESS = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timedelta, timezone
    from quizcalc.config import Config
    from quizcalc.study import StudyService
    from quizcalc.study.errors import StudyError

    service = StudyService.open(sys.argv[1], Config(new_per_day=500))
    now = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
    session = service.begin_session(now)
    try:
        while (card := session.next_card(now)) is not None:
            session.answer(card, 5, now, answer_text="typed " * 40, duration_ms=1200)
            print("answered", card.key, flush=True)  # only after the commit returned
            now += timedelta(seconds=1)
    except StudyError as exc:  # what the review screen shows
        print(f"quizcalc: {exc}", file=sys.stderr)
        sys.exit(1)
    """
)


def _integrity(db: Path) -> str:
    connection = sqlite3.connect(db)
    try:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        connection.close()


def _synced_deck(
    tmp_path: Path, new_database: Callable[[Path], Path], questions: list[str]
) -> Path:
    """A new database holding one Q/A card per question, synced from a content folder."""
    folder = tmp_path / "content"
    folder.mkdir()
    cards = (f"Q: {question}\nA: Answer {i}.\n" for i, question in enumerate(questions))
    (folder / "deck.md").write_text("\n".join(cards), encoding="utf-8")
    db = new_database(tmp_path / "q.sqlite3")
    service = StudyService.open(f"sqlite:///{db}", Config())
    service.sync(folder, FIXED_NOW)
    service.close()
    return db


def test_answering_until_the_disk_is_full_is_one_line_and_keeps_every_answer(
    tmp_path: Path, new_database: Callable[[Path], Path]
) -> None:
    db = _synced_deck(tmp_path, new_database, [f"Full-disk question {i}?" for i in range(300)])
    connection = sqlite3.connect(db)  # the file-size limit is the WAL's room too: leave out
    connection.execute("DELETE FROM card_renderings")  # the render cache, which grows the file
    connection.commit()
    connection.execute("VACUUM")
    connection.close()
    # Room for the write-ahead log of a few answers, well short of the ten the day allows.
    limit = db.stat().st_size + 64 * 1024
    result = subprocess.run(
        [sys.executable, "-c", ANSWERING_PROCESS, f"sqlite:///{db}"],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_under_a_size_limit(limit),
    )
    line = _one_line_error(result)
    assert line == f"quizcalc: could not save your answer: {db}: {DISK_FULL}"
    acknowledged = {int(row.split()[1]) for row in result.stdout.splitlines()}
    assert 3 <= len(acknowledged) < 300  # the limit was hit mid-session
    assert _integrity(db) == "ok"
    connection = sqlite3.connect(db)
    logged = {key for (key,) in connection.execute("SELECT card_key FROM review_log")}
    connection.close()
    assert acknowledged <= logged  # every acknowledged answer is there
    assert len(logged) <= len(acknowledged) + 1


def test_an_import_past_the_limit_is_one_line_and_changes_nothing(
    env: dict[str, str], tmp_path: Path, new_database: Callable[[Path], Path]
) -> None:
    big = tmp_path / "big.md"
    big.write_text(
        "\n".join(f"Q: Imported question {i} {'pad ' * 30}?\nA: Answer {i}.\n" for i in range(600)),
        encoding="utf-8",
    )
    db = new_database(tmp_path / "q.sqlite3")
    (tmp_path / "content").mkdir()
    limit = db.stat().st_size + 64 * 1024
    result = subprocess.run(
        [QUIZCALC, "--db", str(db), "--content", str(tmp_path / "content"), "import", str(big)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_under_a_size_limit(limit),
    )
    line = _one_line_error(result)
    assert line == f"quizcalc: could not import the file: {db}: {DISK_FULL}"
    assert _integrity(db) == "ok"
    service = StudyService.open(f"sqlite:///{db}", Config())
    assert service.list_cards() == []  # all or nothing: not one card of the file
    service.close()


@pytest.mark.parametrize("name", ["out.json", "out.apkg"])
def test_an_export_past_the_limit_says_the_disk_is_full_and_leaves_no_file(
    env: dict[str, str], tmp_path: Path, new_database: Callable[[Path], Path], name: str
) -> None:
    """A backup hit EFBIG as "cannot write (File too large)", an Anki package (built in
    SQLite) as "cannot write the Anki package (disk I/O error)"."""
    questions = [f"Exported question {i} {'pad ' * 20}?" for i in range(500)]
    db = _synced_deck(tmp_path, new_database, questions)
    out = tmp_path / name
    result = subprocess.run(
        [QUIZCALC, "--db", str(db), "--content", str(tmp_path / "content"), "export", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_under_a_size_limit(64 * 1024),  # SQLite's -shm file needs 32 KiB
    )
    line = _one_line_error(result)
    assert line.startswith(f"quizcalc: {out}: no room left on the disk (")
    assert line.endswith("); nothing was written. Free some space and try again")
    assert not out.exists()
