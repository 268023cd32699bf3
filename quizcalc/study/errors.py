"""The one error type the study layer raises, and where lower layers' errors become it.

Errors cross the layers once: the store turns driver errors into ``StoreError``, the file
formats raise ``ExchangeError``, the settings file ``ConfigError``; every use case in
``quizcalc.study`` turns those into a :class:`StudyError` that says what the learner was doing
(:func:`doing`, :func:`use_case`). The TUI and the CLI catch ``StudyError`` only and show its
message; anything else is a bug and goes to the crash report (:mod:`quizcalc.crash_report`).

This module is light (no SQLAlchemy): the UI's start-up path imports it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

__all__ = [
    "CardNotFound",
    "CollectionBusy",
    "CollectionDamaged",
    "CollectionRestored",
    "CollectionUnavailable",
    "ExchangeProblem",
    "InvalidRequest",
    "InvalidSetting",
    "SettingsUnreadable",
    "SourceUnavailable",
    "StudyError",
    "UnknownScope",
    "doing",
    "use_case",
]

P = ParamSpec("P")
R = TypeVar("R")


class StudyError(Exception):
    """A use case could not be carried out; ``str()`` is one line naming the input and the fix."""


class CollectionUnavailable(StudyError):
    """The progress database cannot be read or written (locked, corrupted, unwritable, full)."""


class CollectionDamaged(CollectionUnavailable):
    """The collection file is corrupted or not a database; the message names the newest
    backup and the command that restores it (:attr:`database` is the file)."""

    def __init__(self, message: str, database: object, backup: object = None) -> None:
        super().__init__(message)
        self.database = database
        """The damaged collection file (a ``Path``)."""
        self.backup = backup
        """The newest backup that ``backups restore latest`` would put back (``None``: none)."""


class CollectionBusy(CollectionUnavailable):
    """Another window (process) held the collection's write lock too long: try again soon."""


class CollectionRestored(StudyError):
    """The collection was restored elsewhere after this window opened it: nothing is written
    any more; the learner restarts quizcalc to study the restored collection."""


class SettingsUnreadable(StudyError):
    """The settings file cannot be read or is not valid."""


class InvalidSetting(StudyError, ValueError):
    """One setting has a bad value; :attr:`key` names it."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        """The setting at fault."""


class SourceUnavailable(StudyError):
    """A content or imported path is missing or unreadable; its cards are kept, not retired."""


class ExchangeProblem(StudyError):
    """A file to import, export, back up or restore cannot be read or written, or the export
    cannot be made as asked (unknown format, empty selection, several decks for one file)."""


class CardNotFound(StudyError, LookupError):
    """No card (or answer) with that key: it was deleted or never existed."""


class InvalidRequest(StudyError, ValueError):
    """A request that cannot apply as asked (a bad drill spec, undo out of order, ...)."""


class UnknownScope(InvalidRequest):
    """No deck or section by the name given; the message lists those that exist."""


@contextmanager
def doing(what: str) -> Iterator[None]:
    """Turn a lower layer's error raised inside into a :class:`StudyError`.

    ``what`` says what the learner was doing, as the rest of ``could not …``: for example
    ``doing("save your answer")`` makes a locked database read
    ``could not save your answer: <file>: the collection is busy in another window …``. A
    ``StudyError`` raised inside passes through unchanged.
    """
    try:
        yield
    except StudyError:
        raise
    except Exception as exc:
        translated = _translated(exc, what)
        if translated is None:
            raise
        raise translated from exc


def _translated(exc: Exception, what: str) -> StudyError | None:
    """The :class:`StudyError` a lower layer's ``exc`` becomes; ``None`` for a bug."""
    # Imported only once something failed: the first card's path calls use cases long before
    # it needs the store's or the file formats' modules (their dataclasses cost milliseconds).
    from quizcalc.config import ConfigError, SettingError
    from quizcalc.exchange.model import ExchangeError
    from quizcalc.store.errors import CollectionBusyError, CollectionReplacedError, StoreError

    if isinstance(exc, CollectionBusyError):
        return CollectionBusy(f"could not {what}: {exc}")
    if isinstance(exc, CollectionReplacedError):
        return CollectionRestored(f"could not {what}: {exc}")
    if isinstance(exc, StoreError):
        if exc.damaged is not None:
            from quizcalc.study.snapshots import damaged_error

            return damaged_error(exc.damaged, what)
        return CollectionUnavailable(f"could not {what}: {exc}")
    if isinstance(exc, SettingError):
        return InvalidSetting(exc.key, str(exc))
    if isinstance(exc, ConfigError):
        return SettingsUnreadable(str(exc))
    if isinstance(exc, ExchangeError):
        return ExchangeProblem(str(exc))
    return None


def use_case(what: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a use case so that lower layers' errors leave it as :class:`StudyError`.

    ``what`` completes ``could not …`` (see :func:`doing`).
    """

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            with doing(what):
                return function(*args, **kwargs)

        return wrapper

    return decorate
