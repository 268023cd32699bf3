"""Writing export files safely: check the path first, write aside, then move into place.

A failed or interrupted export never leaves a half-written file where the learner expects a
complete one: formats write to a temporary file in the same folder, renamed over the target
only when everything was written.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from quizcalc.exchange.model import ExchangeError

__all__ = ["atomic_output", "check_export_path"]


def check_export_path(path: Path) -> None:
    """Raise :class:`ExchangeError` unless a file can be written at ``path``."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise ExchangeError(f"{path}: is a folder; give a file name such as {path / 'deck.apkg'}")
    if not folder.exists():
        raise ExchangeError(f"{path}: folder {folder} does not exist; create it or pick another")
    if not folder.is_dir():
        raise ExchangeError(f"{path}: {folder} is not a folder; pick another path")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExchangeError(f"{path}: cannot write into {folder} (permission denied)")


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it onto ``path`` when the block succeeds."""
    check_export_path(path)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, path)
    except OSError as exc:
        raise ExchangeError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    finally:
        temporary.unlink(missing_ok=True)
