"""Run a real command in a pseudo-terminal and read its screen output, as a user would see it."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time
from collections.abc import Sequence

_ESCAPES = re.compile(
    rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][A-Za-z0-9]|\x1b[=>]"
)


class PtyProcess:
    """A child process attached to a pty of a fixed size."""

    def __init__(self, argv: Sequence[str], env: dict[str, str], rows: int = 24, cols: int = 80):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # pragma: no cover - child
            os.execve(argv[0], list(argv), env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.raw = b""

    def read_until(self, needle: str, timeout: float = 30.0) -> bool:
        """Read output until ``needle`` shows in the text (escape codes removed)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.text():
                return True
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                self.raw += chunk
        return needle in self.text()

    def text(self) -> str:
        """Everything printed so far, without terminal escape sequences."""
        return _ESCAPES.sub(b"", self.raw).decode("utf-8", "replace")

    def send(self, keys: str) -> None:
        """Type ``keys``."""
        os.write(self.fd, keys.encode())

    def close(self) -> int | None:
        """Kill the child if still running; return its exit status if it had ended."""
        try:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid == 0:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
                return None
            return os.waitstatus_to_exitcode(status)
        finally:
            os.close(self.fd)
