"""Time from launch to first content on screen: `quizcalc review` vs a bare Textual app.

Both run in a pseudo-terminal (80×24) exactly as a user would start them; the clock stops when
the expected text appears in the terminal output. Prints the median of N runs of each and the
ratio (the target is ≤ 1.2×).

    .venv/bin/python benchmarks/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
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
    service.sync(bundled_content_dir(), now)
    card = service.next_card(now)
    service.close()
    if card is None:
        raise SystemExit("no card due in the prepared database")
    from quizcalc.cards.display import latex_to_unicode

    words = latex_to_unicode(card.question).split()
    return " ".join(words[:3])


def main() -> None:
    """Run both programs N times and print medians and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "HOME": tmp,
            "XDG_DATA_HOME": f"{tmp}/data",
            "XDG_CONFIG_HOME": f"{tmp}/config",
            "QUIZCALC_DB": f"sqlite:///{tmp}/bench.sqlite3",
            "COLUMNS": "80",
            "LINES": "24",
        }
        needle = _prepared_database(Path(tmp), env)
        bare = [str(VENV_BIN / "python"), str(ROOT / "benchmarks" / "bare_textual_app.py")]
        ours = [str(VENV_BIN / "quizcalc"), "review"]
        # one warm-up each so both read .pyc files from a warm cache
        time_to_text(bare, "bare textual app ready", env)
        time_to_text(ours, needle, env)
        bare_times, our_times = [], []
        for _ in range(args.runs):
            bare_times.append(time_to_text(bare, "bare textual app ready", env))
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
