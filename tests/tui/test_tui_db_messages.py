"""The database messages at start in the TUI: the start-up error screen for a database that
cannot be used (a mistyped path, a newer schema), the file left as it was."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.screens.error import StartupErrorScreen
from tests.tui.conftest import wait_ready, wait_until

WIDE = (240, 30)
"""Wide enough that a temp path in an error message is not wrapped."""


async def _startup_error(app: QuizcalcApp) -> str:
    async with app.run_test(size=WIDE) as pilot:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, StartupErrorScreen))
        assert app.service is None
        assert app.startup_error is not None
        return app.startup_error


async def test_a_database_in_a_missing_folder_is_the_start_up_error(
    build_app: Callable[..., QuizcalcApp], tmp_path: Path
) -> None:
    db = tmp_path / "nonexistent" / "dir" / "x.db"
    message = await _startup_error(build_app(db=str(db)))
    assert message.startswith(f"could not open your study data: {db}: the folder {db.parent}")
    assert not (tmp_path / "nonexistent").exists()


async def test_a_database_from_a_newer_quizcalc_is_the_start_up_error(
    build_app: Callable[..., QuizcalcApp], db_path: Path
) -> None:
    connection = sqlite3.connect(db_path)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")
    connection.close()
    before = db_path.read_bytes()
    message = await _startup_error(build_app())
    assert "written by a newer quizcalc (schema 0099" in message
    assert db_path.read_bytes() == before
