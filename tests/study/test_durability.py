"""Every answer given before a crash is in the database (SIGKILL mid-session)."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from quizcalc.config import Config
from quizcalc.study import StudyService

ANSWERING_PROCESS = textwrap.dedent(
    """
    import sys, time
    from datetime import datetime, timedelta, timezone
    from pathlib import Path
    from quizcalc.config import Config
    from quizcalc.study import StudyService

    db, folder = sys.argv[1], Path(sys.argv[2])
    service = StudyService.open(db, Config(new_per_day=500))
    now = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
    service.sync(folder, now)
    session = service.begin_session(now)
    print("ready", flush=True)
    while (card := session.next_card(now)) is not None:
        session.answer(card, 5, now, answer_text="typed", duration_ms=1200)
        print("answered", card.key, flush=True)  # only after the commit returned
        now += timedelta(seconds=1)
    time.sleep(60)
    """
)


def test_answers_committed_before_sigkill_survive(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "deck.md").write_text(
        "\n".join(f"Q: Durable question {i}?\nA: Answer {i}.\n" for i in range(200))
    )
    db = f"sqlite:///{tmp_path / 'q.sqlite3'}"
    process = subprocess.Popen(
        [sys.executable, "-c", ANSWERING_PROCESS, db, str(folder)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    acknowledged = []
    for line in process.stdout:
        acknowledged.append(int(line.split()[1]))
        if len(acknowledged) == 25:
            break
    process.send_signal(signal.SIGKILL)
    process.wait()
    service = StudyService.open(db, Config())
    stored = {row.id: row for row in service.list_cards()}
    reviewed = [row for row in stored.values() if row.reviews]
    service.close()
    assert len(acknowledged) == 25
    assert len(reviewed) >= 25  # every acknowledged answer is there (one more may have landed)
    assert len(reviewed) <= 27
