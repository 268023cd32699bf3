"""Grading in a separate process that is killed past its time cap: the last line of defence.

``grade`` is bounded in-process, but a bound is a promise about code; a process can be killed
whatever happens inside it. SIGALRM works only on the main thread and Textual workers are
threads, so the TUI calls :func:`grade_isolated` from a worker instead.

One long-lived worker (``python -m quizcalc.grading.worker``) reads JSON requests on stdin and
answers on stdout. It imports SymPy once, at start-up; waiting for that start-up is not counted
in ``timeout``. When an answer takes longer than ``timeout`` the worker is killed, a fresh one
is started in the background, and the verdict says the answer "took too long to check". The
worker runs :func:`~quizcalc.grading.grader.grade` with ``symbolic_fallback=True``, so the rare
expression the numbers cannot decide is settled by SymPy's ``simplify`` under the same cap.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from quizcalc.grading.answers import Answer, Verdict
from quizcalc.grading.wire import answer_to_json, verdict_from_json

__all__ = ["DEFAULT_TIMEOUT", "IsolatedGrader", "grade_isolated", "start_isolated_grader"]

DEFAULT_TIMEOUT = 1.0
"""Seconds an answer may take in the worker before it is killed."""
STARTUP_TIMEOUT = 60.0
"""Seconds to wait for a worker to import SymPy and say it is ready."""

_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])


class IsolatedGrader:
    """A worker process that grades one answer at a time and is killed when it overruns.

    Thread-safe (calls are serialised). ``command`` replaces the worker command (tests use a
    deliberately slow fake); it must print one ``{"ready": true}`` line, then answer each request
    line ``{"id", "answer", "expected"}`` with ``{"id", "verdict"}``.
    """

    def __init__(
        self, command: Sequence[str] | None = None, startup_timeout: float = STARTUP_TIMEOUT
    ) -> None:
        self.command = list(command or [sys.executable, "-m", "quizcalc.grading.worker"])
        self.startup_timeout = startup_timeout
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._ready = False
        self._request_id = 0

    @property
    def pid(self) -> int | None:
        """The current worker's process id (None when none is running)."""
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def start(self) -> None:
        """Start a worker now without waiting for it (e.g. while the first screen renders)."""
        with self._lock:
            self._spawn_if_needed()

    def grade(self, answer: str, expected: Answer, timeout: float = DEFAULT_TIMEOUT) -> Verdict:
        """Grade in the worker; a "took too long to check" verdict if it exceeds ``timeout``."""
        with self._lock:
            try:
                self._spawn_if_needed()
                self._wait_until_ready()
            except (OSError, TimeoutError, BrokenPipeError):
                self._kill()
                from quizcalc.grading.grader import grade
                from quizcalc.sympy_import import load_sympy

                load_sympy()  # this worker thread may be SymPy's first importer

                return grade(answer, expected)  # bounded in-process grading still answers
            self._request_id += 1
            request = {
                "id": self._request_id,
                "answer": answer,
                "expected": answer_to_json(expected),
            }
            try:
                self._send(request)
            except OSError:
                self._kill()
                return _not_checked(answer, expected, "the checker stopped unexpectedly")
            deadline = time.monotonic() + timeout
            while True:
                try:
                    line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    self._kill()
                    self._spawn_if_needed()  # warm a replacement for the next answer
                    return _not_checked(answer, expected, "took too long to check")
                if line is None:
                    self._kill()
                    return _not_checked(answer, expected, "the checker stopped unexpectedly")
                reply = _json_or_none(line)
                if reply is not None and reply.get("id") == self._request_id:
                    return verdict_from_json(reply["verdict"])

    def close(self) -> None:
        """Stop the worker (it is also stopped at interpreter exit)."""
        with self._lock:
            self._kill()

    def _spawn_if_needed(self) -> None:
        if self._process is not None and self._process.poll() is None:
            return
        environment = dict(os.environ)
        environment["PYTHONPATH"] = os.pathsep.join(
            filter(None, [_PACKAGE_PARENT, environment.get("PYTHONPATH")])
        )
        self._process = subprocess.Popen(
            self.command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            env=environment,
        )
        self._lines = queue.Queue()
        self._ready = False
        assert self._process.stdout is not None
        threading.Thread(
            target=_pump, args=(self._process.stdout, self._lines), daemon=True
        ).start()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while not self._ready:
            try:
                line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise TimeoutError("the grading worker did not start") from None
            if line is None:
                raise OSError("the grading worker exited while starting")
            reply = _json_or_none(line)
            self._ready = bool(reply and reply.get("ready"))

    def _send(self, request: dict[str, Any]) -> None:
        assert self._process is not None and self._process.stdin is not None
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()

    def _kill(self) -> None:
        process, self._process = self._process, None
        self._ready = False
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()


def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    try:
        for line in stream:
            lines.put(line)
    except (OSError, ValueError):
        pass
    lines.put(None)


def _json_or_none(line: str) -> dict[str, Any] | None:
    try:
        data = json.loads(line)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _not_checked(answer: str, expected: Answer, reason: str) -> Verdict:
    from quizcalc.grading.grader import read_answer
    from quizcalc.sympy_import import load_sympy

    load_sympy()  # this worker thread may be SymPy's first importer
    interpreted, _ = read_answer(answer, expected)
    if reason == "took too long to check":
        feedback = "This answer took too long to check; try writing it in a simpler form."
    else:
        feedback = f"This answer could not be checked: {reason}."
    return Verdict(False, 0.0, feedback, interpreted or "", error=reason)


_default: IsolatedGrader | None = None
_default_lock = threading.Lock()


def _default_grader() -> IsolatedGrader:
    global _default
    with _default_lock:
        if _default is None:
            _default = IsolatedGrader()
            atexit.register(_default.close)
        return _default


def start_isolated_grader() -> None:
    """Start the shared worker now, without waiting for it.

    Call it when the app starts, so the first answer does not wait for SymPy to load.
    """
    _default_grader().start()


def grade_isolated(answer: str, expected: Answer, timeout: float = DEFAULT_TIMEOUT) -> Verdict:
    """:func:`~quizcalc.grading.grader.grade` in the shared worker process, killed past ``timeout``.

    Safe from any thread; blocks the caller (call it from a Textual worker). The first call
    also waits for the worker to start (about half a second, not counted in ``timeout``).
    """
    return _default_grader().grade(answer, expected, timeout)
