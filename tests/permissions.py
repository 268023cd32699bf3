"""Run a command that file permissions bind, also when the tests run as root (as CI does).

Root writes into a read-only folder because of the ``CAP_DAC_OVERRIDE`` capability, so a test
of "this folder cannot be written" would not test anything as root. As root,
:func:`bound_by_permissions` runs the command without the capabilities that bypass file
permissions (dropped from the capability bounding set, then ``exec``): the process keeps uid 0
and can still read what root owns (the interpreter, the test's temp folder), but a folder
whose write bit is off refuses it as it refuses any user. For anyone else the command runs as
it is. If the capabilities cannot be dropped, the wrapper exits with an error and the test
fails; it never runs the command with root's powers.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

__all__ = ["bound_by_permissions"]

_DROP_THEN_EXEC = """
import ctypes, os, sys
PR_CAPBSET_DROP = 24
BYPASSING = {1: "CAP_DAC_OVERRIDE", 2: "CAP_DAC_READ_SEARCH", 3: "CAP_FOWNER"}
libc = ctypes.CDLL(None, use_errno=True)
for number, name in BYPASSING.items():
    if libc.prctl(PR_CAPBSET_DROP, number, 0, 0, 0) != 0:
        sys.exit(f"cannot drop {name}: {os.strerror(ctypes.get_errno())}")
os.execv(sys.argv[1], sys.argv[1:])
"""


def bound_by_permissions(argv: Sequence[str]) -> list[str]:
    """``argv``, run so that a folder without write permission refuses it, even as root."""
    if os.geteuid() != 0:
        return list(argv)
    if not sys.platform.startswith("linux"):
        raise RuntimeError("as root, read-only folders can only be tested on Linux here")
    return [sys.executable, "-c", _DROP_THEN_EXEC, *argv]
