"""How the figures measure: whole processes (in a pseudo-terminal or not) and in-process calls.

Every process runs the way a user would start it, but never on the user's data: a temporary
HOME and XDG folders, and ``QUIZCALC_DB`` / ``QUIZCALC_CONFIG`` / ``QUIZCALC_CONTENT`` pointing
into the benchmark's own folder. A process's peak resident memory comes from ``os.wait4``
(the child's ``ru_maxrss``), so it is the process's own, whatever the harness holds.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
QUIZCALC = str(VENV_BIN / "quizcalc")
PYTHON = str(VENV_BIN / "python")


@dataclass(frozen=True)
class Run:
    """One process: its wall-clock seconds and its peak resident memory in MB."""

    seconds: float
    peak_mb: float


def user_env(
    folder: Path, database: Path, content: Path | None = None, **extra: str
) -> dict[str, str]:
    """The environment of a user whose home, settings and database are all in ``folder``."""
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLUMNS": "80",
        "LINES": "24",
        "HOME": str(folder / "home"),
        "XDG_DATA_HOME": str(folder / "home" / "data"),
        "XDG_CONFIG_HOME": str(folder / "home" / "config"),
        "XDG_STATE_HOME": str(folder / "home" / "state"),
        "XDG_CACHE_HOME": str(folder / "home" / "cache"),
        "QUIZCALC_DB": f"sqlite:///{database}",
        "QUIZCALC_CONFIG": str(folder / "config.toml"),
        "QUIZCALC_CRASH_DIR": str(folder / "crash"),
        **extra,
    }
    if content is not None:
        env["QUIZCALC_CONTENT"] = str(content)
    # A user's Python writes .pyc files; without this, every start recompiles quizcalc
    # (~40 ms) while the bare app's Textual reads cached bytecode.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    (folder / "home").mkdir(parents=True, exist_ok=True)
    return env


def _peak_mb(rusage: object) -> float:
    return getattr(rusage, "ru_maxrss", 0) / 1024  # Linux: kilobytes


def time_to_text(argv: list[str], needle: str, env: Mapping[str, str], timeout: float = 120) -> Run:
    """Seconds from fork to ``needle`` appearing in the program's 80×24 terminal output.

    The program is killed then; its peak memory is what it reached until ``needle`` showed.
    """
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.execve(argv[0], argv, dict(env))
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    seen = b""
    target = needle.encode()
    found: float | None = None
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
                found = time.perf_counter() - start
                break
    finally:
        os.kill(pid, signal.SIGKILL)
        _, _, rusage = os.wait4(pid, 0)
        os.close(fd)
    if found is None:
        raise RuntimeError(f"{needle!r} never appeared; last output: {seen[-400:]!r}")
    return Run(found, _peak_mb(rusage))


def run_process(argv: list[str], env: Mapping[str, str], timeout: float = 900) -> Run:
    """Run ``argv`` to the end (output discarded); its seconds and peak memory.

    A non-zero exit raises ``RuntimeError`` with the end of its error output.
    """
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, env=dict(env), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT
    )
    assert process.stderr is not None
    try:
        errors = process.stderr.read()
        _, status, rusage = os.wait4(process.pid, 0)
    finally:
        process.stderr.close()
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = errors.decode(errors="replace")[-600:]
        raise RuntimeError(f"{' '.join(argv[1:])} exited {process.returncode}: {tail}")
    if seconds > timeout:
        raise RuntimeError(f"{' '.join(argv)} took {seconds:.0f} s (over {timeout:.0f} s)")
    return Run(seconds, _peak_mb(rusage))


def repeat(runs: int, once: Callable[[], float], warmup: int = 1) -> list[float]:
    """``once()``'s result, ``runs`` times after ``warmup`` untimed calls."""
    for _ in range(warmup):
        once()
    return [once() for _ in range(runs)]


def self_peak_mb() -> float:
    """This process's peak resident memory so far, MB."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def against_version(
    runs: int,
    argv: list[str],
    env: Mapping[str, str],
    before_each: Callable[[], None] = lambda: None,
) -> tuple[list[Run], list[Run]]:
    """``runs`` runs of ``argv`` and of ``quizcalc --version`` alternately (one warm-up each
    first); ``before_each`` prepares every ``argv`` run, untimed. Returns (ours, version)."""
    version = [QUIZCALC, "--version"]
    run_process(version, env)
    before_each()
    run_process(argv, env)
    ours, floor = [], []
    for _ in range(runs):
        floor.append(run_process(version, env))
        before_each()
        ours.append(run_process(argv, env))
    return ours, floor
