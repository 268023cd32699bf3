"""Time from launch to first content on screen: `quizcalc review` vs a bare Textual app.

Both run in a pseudo-terminal (80×24) exactly as a user would start them; the clock stops when
the expected text appears in the terminal output. Prints the median of N runs of each and the
ratio (the target is ≤ 1.2×).

    .venv/bin/python benchmarks/startup.py [--runs 5] [--cold | --problem | --db FILE --content DIR]

``--db``/``--content`` start on a copy of that collection (the heavy one: see
``benchmarks/heavy_collection.py``); ``--cold`` starts every run without a database (the first
start creates and syncs it); ``--problem`` starts on a deck whose first card is a problem.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent


def time_to_text(argv: list[str], needle: str, env: dict[str, str], timeout: float = 30) -> float:
    """Seconds from fork to ``needle`` appearing in the program's terminal output."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.execve(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    seen = b""
    target = needle.encode()
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if target in seen:
                return time.perf_counter() - start
        raise RuntimeError(f"{needle!r} never appeared; last output: {seen[-400:]!r}")
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def _prepared_database(folder: Path, env: dict[str, str]) -> str:
    """A database with the bundled deck synced, as after a first run; returns the first card."""
    os.environ.update(env)
    from quizcalc.config import Config
    from quizcalc.locations import bundled_content_dir
    from quizcalc.study import StudyService

    service = StudyService.open(env["QUIZCALC_DB"], Config())
    now = datetime.now().astimezone()
    content = env.get("QUIZCALC_CONTENT")
    service.sync(Path(content) if content else bundled_content_dir(), now)
    card = service.next_card(now)
    service.close()
    if card is None:
        raise SystemExit("no card due in the prepared database")
    from quizcalc.cards.display import latex_to_unicode

    words = latex_to_unicode(card.question).split()
    return " ".join(words[:3])


PROBLEM_DECK = "---\ndeck: Problems\n---\n\n```problem\nfamily: chain_rule\ndifficulty: 1\n```\n"
PROBLEM_NEEDLE = "A tiny network computes its loss"


def _first_card_of(env: dict[str, str]) -> str:
    """The first words of the first card of the database in ``env`` (read-only)."""
    from quizcalc.cards.display import latex_to_unicode
    from quizcalc.config import Config
    from quizcalc.study.first_card import peek_first_card

    card = peek_first_card(env["QUIZCALC_DB"], datetime.now().astimezone(), Config())
    if card is None:
        raise SystemExit("no card due in that database")
    return " ".join(latex_to_unicode(card.question).split()[:3])


def main() -> None:
    """Run both programs N times and print medians and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    start = parser.add_mutually_exclusive_group()
    start.add_argument("--cold", action="store_true", help="no database: the first start")
    start.add_argument("--problem", action="store_true", help="a problem card comes first")
    start.add_argument("--db", type=Path, help="a collection to copy and start on")
    parser.add_argument("--content", type=Path, help="the content folder synced at start")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            "TERM": "xterm-256color",
            "HOME": tmp,
            "XDG_DATA_HOME": f"{tmp}/data",
            "XDG_CONFIG_HOME": f"{tmp}/config",
            "QUIZCALC_DB": f"sqlite:///{tmp}/bench.sqlite3",
            "COLUMNS": "80",
            "LINES": "24",
        }
        if args.content is not None:
            env["QUIZCALC_CONTENT"] = str(args.content)
        if args.problem:
            (Path(tmp) / "problems").mkdir()
            (Path(tmp) / "problems" / "deck.md").write_text(PROBLEM_DECK, encoding="utf-8")
            env["QUIZCALC_CONTENT"] = f"{tmp}/problems"
        if args.db is not None:  # a copy: the benchmark never writes to the original
            shutil.copyfile(args.db, f"{tmp}/bench.sqlite3")
            needle = _first_card_of(env)
        else:
            needle = _prepared_database(Path(tmp), env)
        if args.problem:
            needle = PROBLEM_NEEDLE
        database = Path(f"{tmp}/bench.sqlite3")
        bare = [str(VENV_BIN / "python"), str(ROOT / "benchmarks" / "bare_textual_app.py")]
        ours = [str(VENV_BIN / "quizcalc"), "review"]
        # one warm-up each so both read .pyc files from a warm cache
        time_to_text(bare, "bare textual app ready", env)
        time_to_text(ours, needle, env)
        bare_times, our_times = [], []
        for _ in range(args.runs):
            bare_times.append(time_to_text(bare, "bare textual app ready", env))
            if args.cold:
                for leftover in database.parent.glob(database.name + "*"):
                    leftover.unlink()
            our_times.append(time_to_text(ours, needle, env))
    floor = statistics.median(bare_times)
    mine = statistics.median(our_times)
    print(
        f"bare Textual app, first line:     median {floor * 1000:6.0f} ms  "
        f"({', '.join(f'{t * 1000:.0f}' for t in bare_times)})"
    )
    print(
        f"quizcalc review, first card:      median {mine * 1000:6.0f} ms  "
        f"({', '.join(f'{t * 1000:.0f}' for t in our_times)})"
    )
    print(f"ratio: {mine / floor:.2f}× (target ≤ 1.20×)")


if __name__ == "__main__":
    main()
