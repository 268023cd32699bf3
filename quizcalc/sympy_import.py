"""SymPy's first import, one thread at a time: the one lock every first import goes through.

Two threads importing SymPy for the first time at once can crash: each finds the other's
half-built ``sympy.printing`` in ``sys.modules`` and fails on it (``ImportError: cannot
import name … from partially initialized module``). The TUI has several workers that may be
first (the 2-D maths layout, a problem's draw, the answer echo, the grader's warm-up), so each
calls :func:`load_sympy` before it touches SymPy: the first import runs under one
process-wide lock, and every later call returns at once.

Once SymPy is in, every object alive is moved out of the garbage collector's sight
(:func:`gc.freeze`): SymPy brings some hundred thousand long-lived objects (modules,
classes, caches) that every full collection would otherwise walk again, and the TUI allocates
fast enough (each restyle, each frame) to trigger one every few key presses. Frozen objects
are never freed, so what was garbage at that moment stays: a few kilobytes, once.

This module is in the base layer and imports SymPy only inside :func:`load_sympy`, so
importing it costs nothing.
"""

from __future__ import annotations

import gc
import threading

__all__ = ["load_sympy", "sympy_loaded"]

_LOCK = threading.Lock()
_LOADED = threading.Event()


def sympy_loaded() -> bool:
    """True once :func:`load_sympy` has finished (SymPy is wholly imported)."""
    return _LOADED.is_set()


def load_sympy() -> None:
    """Import SymPy (about a quarter of a second, once per process), never alongside another
    thread's first import: call it before any code that imports SymPy may run off the main
    thread. Blocks while another thread is importing it; a no-op once it is loaded."""
    if _LOADED.is_set():
        return
    with _LOCK:
        if _LOADED.is_set():
            return
        import sympy  # imported whole here, under the lock
        import sympy.printing.pretty.stringpict  # noqa: F401  (the 2-D layout's boxes)

        gc.freeze()  # SymPy's objects live as long as the process: never walk them again
        _LOADED.set()
