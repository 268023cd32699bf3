"""Errors cross the layers once: every study use case raises StudyError saying what was asked."""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from quizcalc.config import Config
from quizcalc.study import StudyService, open_study
from quizcalc.study.errors import (
    CollectionUnavailable,
    InvalidSetting,
    SettingsUnreadable,
    StudyError,
    doing,
)
from quizcalc.study.views import BrowseFilter
from tests.conftest import FIXED_NOW, REPO_ROOT
from tests.postgres import db_url_on_both_backends

__all__ = ["db_url_on_both_backends"]  # every test here taking db_url runs on both backends

NOT_USE_CASES = {"close", "begin_session", "today", "transaction", "locked_scheduler_settings"}
"""Public methods that touch no lower layer, hand out a session for one, or read inside a
caller's transaction (whose use case translates its errors)."""


def _public_methods() -> list[str]:
    return sorted(
        name
        for name, member in inspect.getmembers(StudyService)
        if not name.startswith("_") and callable(member) and name not in NOT_USE_CASES
    )


def test_every_public_use_case_of_the_service_translates_errors() -> None:
    """A new use case that forgets ``@use_case`` would let a StoreError reach the UI."""
    unwrapped = [
        name
        for name in _public_methods()
        if not hasattr(inspect.getattr_static(StudyService, name), "__wrapped__")
        and not hasattr(getattr(StudyService, name), "__wrapped__")
    ]
    assert unwrapped == []


CALLS: dict[str, tuple[str, Callable[[StudyService], Any]]] = {
    "queue": ("read today's queue", lambda s: s.queue(FIXED_NOW)),
    "next_card": ("read the next card", lambda s: s.next_card(FIXED_NOW)),
    "home": ("read today's summary", lambda s: s.home(FIXED_NOW)),
    "streak": ("count your study days", lambda s: s.streak(FIXED_NOW)),
    "list_cards": ("list the cards", lambda s: s.list_cards()),
    "browse": ("search the cards", lambda s: s.browse(BrowseFilter(), FIXED_NOW)),
    "sections": ("read the sections", lambda s: s.sections()),
    "answer": ("save your answer", lambda s: s.answer(1, 5, FIXED_NOW)),
    "sync": ("sync your cards", lambda s: s.sync(None, FIXED_NOW)),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_broken_database_is_one_line_naming_the_file_and_what_was_asked(
    db_url: str, name: str
) -> None:
    from quizcalc.store.messages import display_url

    service = StudyService.open(db_url, Config())
    cascade = "" if db_url.startswith("sqlite") else " CASCADE"  # PostgreSQL keeps the keys
    with service.store.transaction(write=True) as session:  # break it as a bad migration would
        for table in ("review_log", "schedule", "cards", "sources", "decks"):
            session.execute(text(f"DROP TABLE {table}{cascade}"))
    what, call = CALLS[name]
    with pytest.raises(CollectionUnavailable) as caught:
        call(service)
    message = str(caught.value)
    assert message.startswith(f"could not {what}: {display_url(db_url)}: ")
    assert "\n" not in message
    service.close()


def test_opening_a_corrupted_database_is_a_study_error(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    path.write_bytes(b"not a database at all\x00" * 100)
    with pytest.raises(
        CollectionUnavailable, match=r"could not open your study data: .*q\.sqlite3"
    ):
        StudyService.open(f"sqlite:///{path}", Config())


def test_a_bad_settings_file_is_a_study_error_naming_it(tmp_path: Path, db_url: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text("new_per_day = 'lots'\n", encoding="utf-8")
    with pytest.raises(SettingsUnreadable, match=r"config\.toml: new_per_day must be a whole"):
        open_study(db_url, config)


def test_a_bad_setting_names_its_key() -> None:
    from quizcalc.study.settings import check_settings

    with pytest.raises(InvalidSetting) as caught:
        check_settings({"rollover_hour": 30})
    assert caught.value.key == "rollover_hour"
    assert "between 0 and 23" in str(caught.value)


def test_a_study_error_passes_through_doing_unchanged() -> None:
    original = StudyError("already explained")
    with pytest.raises(StudyError) as caught, doing("anything"):
        raise original
    assert caught.value is original


def test_a_bug_is_not_turned_into_a_study_error() -> None:
    """Only the lower layers' own errors are translated: a bug stays a bug (crash report)."""
    with pytest.raises(ZeroDivisionError), doing("anything"):
        raise ZeroDivisionError


def _except_clauses(folder: Path) -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                names = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
                for name in names:
                    found.append((str(path.relative_to(REPO_ROOT)), node.lineno, ast.unparse(name)))
    return found


LOWER_LAYER_ERRORS = {
    "StoreError",
    "SQLAlchemyError",
    "OperationalError",
    "DBAPIError",
    "sqlite3.Error",
    "ExchangeError",
    "ConfigError",
    "SettingError",
    "SourceUnavailable",
}
"""What the layers under study raise (a UI catching ``ValueError`` from ``int()`` is its own)."""


@pytest.mark.parametrize("layer", ["tui", "cli"])
def test_the_ui_layers_catch_study_errors_not_lower_layers_errors(layer: str) -> None:
    caught = [
        f"{path}:{line}: except {name}"
        for path, line, name in _except_clauses(REPO_ROOT / "quizcalc" / layer)
        if name in LOWER_LAYER_ERRORS
    ]
    assert caught == []
