"""Writing export files safely: check the path first, write aside, then move into place.

A failed or interrupted export never leaves a half-written file where the learner expects a
complete one: formats write to a temporary file in the same folder, renamed over the target
only when everything was written. The file gets the permissions any file the learner
writes gets (``0666`` less the umask), not ``mkstemp``'s private ``0600``; an existing file's
permissions are kept. Stale ``.part`` files a killed export left in the folder are removed
first (:mod:`quizcalc.exchange.leftovers`).
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from quizcalc.exchange.leftovers import part_prefix, remove_stale
from quizcalc.exchange.model import ExchangeError

__all__ = ["atomic_output", "check_export_path", "write_failure"]

_NO_ROOM = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
"""A write refused for want of room: a full disk, a quota, a file-size limit."""


def _little_room(path: Path) -> bool:
    """True under a file-size limit (``ulimit -f``), or when the disk of ``path`` or of the
    temporary folder has less than 1 MiB free."""
    import resource
    import shutil

    if resource.getrlimit(resource.RLIMIT_FSIZE)[0] != resource.RLIM_INFINITY:
        return True
    for folder in (path.parent, Path(tempfile.gettempdir())):
        try:
            if shutil.disk_usage(folder).free < 1024 * 1024:
                return True
        except OSError:
            continue
    return False


def write_failure(path: Path, exc: BaseException, what: str = "cannot write") -> ExchangeError:
    """One line for a failed write of ``path``: a full disk says so (and that nothing was
    written), anything else ``<path>: <what> (<reason>)``."""
    reason = (exc.strerror if isinstance(exc, OSError) else None) or str(exc)
    no_room = isinstance(exc, OSError) and exc.errno in _NO_ROOM
    if "disk i/o error" in reason.lower():  # SQLite's word for any refused write (EFBIG too)
        no_room = _little_room(path)
    if no_room or "disk is full" in reason:
        return ExchangeError(
            f"{path}: no room left on the disk ({reason}); nothing was written. Free some "
            "space and try again"
        )
    if "disk i/o error" in reason.lower():
        return ExchangeError(
            f"{path}: the disk could not be written (full or failing: {reason}); nothing was "
            "written. Free some space and try again"
        )
    return ExchangeError(f"{path}: {what} ({reason})")


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


def current_umask() -> int:
    """This process's umask (read from ``/proc`` where it can be, so nothing is changed)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _mode_for(path: Path) -> int:
    """The permissions ``path`` gets: an existing file's own, else ``0666`` less the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~current_umask()


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it onto ``path`` when the block succeeds."""
    check_export_path(path)
    folder = path.parent if str(path.parent) else Path(".")
    remove_stale(folder)
    handle, name = tempfile.mkstemp(prefix=part_prefix(path), suffix=".part", dir=folder)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except OSError as exc:
        raise write_failure(path, exc) from exc
    finally:
        temporary.unlink(missing_ok=True)
