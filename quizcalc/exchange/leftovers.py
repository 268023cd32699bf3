"""Names for our temporary files, and removing the ones a killed process left behind.

Every temporary file or folder quizcalc makes while exporting or importing carries the id of
the process that made it: ``quizcalc-apkg-<pid>-…`` folders in the system's temporary folder
and ``.<file>.<pid>.…part`` files beside an export's target. A process killed midway (SIGKILL,
a power cut) cannot remove them; the next export or import does, but only ours (these exact
name shapes) and only stale ones (their process is gone). Nothing else is ever touched.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

__all__ = ["part_prefix", "remove_stale", "temp_prefix"]

_TEMP = re.compile(r"quizcalc-apkg-(?P<pid>\d+)-")
_PART = re.compile(r"\..+\.q(?P<pid>\d+)\.[^.]*\.part")


def temp_prefix(kind: str) -> str:
    """The prefix of a temporary folder this process makes (``kind``: ``export``, ``import``)."""
    return f"quizcalc-apkg-{os.getpid()}-{kind}-"


def part_prefix(target: Path) -> str:
    """The prefix of the ``.part`` file this process writes before it becomes ``target``."""
    return f".{target.name}.q{os.getpid()}."


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # another user's process (or a number we cannot ask about): leave it
    return True


def _stale(name: str, pattern: re.Pattern[str]) -> bool:
    found = pattern.match(name)
    return found is not None and not _alive(int(found["pid"]))


def remove_stale(folder: Path | None = None) -> list[Path]:
    """Remove stale leftovers: temporary folders, and ``.part`` files in ``folder`` if given.

    Returns what was removed. Errors (a file vanishing, no permission) are ignored: cleaning
    up is never a reason to fail an export.
    """
    removed: list[Path] = []
    places: list[tuple[Path, re.Pattern[str]]] = [(Path(tempfile.gettempdir()), _TEMP)]
    if folder is not None:
        places.append((folder, _PART))
    for place, pattern in places:
        try:
            entries = list(os.scandir(place))
        except OSError:
            continue
        for entry in entries:
            if not _stale(entry.name, pattern):
                continue
            target = Path(entry.path)
            try:
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(target)
                else:
                    target.unlink()
            except OSError:
                continue
            removed.append(target)
    return removed
