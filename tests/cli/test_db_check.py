"""``quizcalc db check`` on both backends (in-process): a healthy collection is all "ok"
with its counts; a SQLite file damaged mid-file, a missing file and a table dropped by hand
are each a PROBLEM line and exit status 1."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, text

from quizcalc.cli.main import cli
from quizcalc.store.schema_version import HEAD_REVISION
from tests.damage import damage_the_middle, fill
from tests.postgres import db_url_on_both_backends

__all__ = ["db_url_on_both_backends"]


def _check(db: str, *rest: str) -> Result:
    return CliRunner().invoke(cli, ["--db", db, "db", "check", *rest], prog_name="quizcalc")


def test_a_healthy_collection_is_all_ok_with_its_revision_and_counts(db_url: str) -> None:
    result = _check(db_url)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(line.startswith("ok ") for line in lines), lines
    assert f"ok      schema: revision {HEAD_REVISION} (this quizcalc's head)" in lines
    assert "ok      table cards: 0 rows" in lines
    integrity = "integrity" if db_url.startswith("sqlite") else "constraints"
    assert any(line.startswith(f"ok      {integrity}: ") for line in lines), lines

    as_json = _check(db_url, "--json")
    assert as_json.exit_code == 0
    report = json.loads(as_json.stdout)
    assert report["ok"] is True
    assert report["counts"]["collection_meta"] == 1  # the generation row


def test_a_dropped_table_is_a_problem_and_exit_status_1(db_url: str) -> None:
    engine = create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE card_renderings"))
    engine.dispose()
    result = _check(db_url)
    assert result.exit_code == 1
    assert "PROBLEM table card_renderings: missing" in result.stdout.splitlines()


def test_a_sqlite_file_damaged_mid_file_fails_the_integrity_check(
    tmp_path: Path, new_database: Callable[[Path], Path]
) -> None:
    database = new_database(tmp_path / "big.sqlite3")
    fill(database)
    assert _check(str(database)).exit_code == 0
    damage_the_middle(database)
    result = _check(str(database))
    assert result.exit_code == 1, result.output
    problems = [line for line in result.stdout.splitlines() if line.startswith("PROBLEM")]
    assert any(line.startswith("PROBLEM integrity: PRAGMA integrity_check ") for line in problems)
    assert any(line.startswith("PROBLEM table cards: cannot be read") for line in problems)


def test_a_missing_file_is_one_problem_and_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.sqlite3"
    result = _check(str(missing))
    assert result.exit_code == 1
    assert result.stdout == f"PROBLEM connection: {missing}: no such file (nothing was created)\n"
    assert not missing.exists()


def test_a_postgresql_constraint_left_unvalidated_is_a_problem(pg_url: str) -> None:
    engine = create_engine(pg_url)
    with engine.begin() as connection:
        connection.execute(
            text("ALTER TABLE cards ADD CONSTRAINT line_not_negative CHECK (line >= 0) NOT VALID")
        )
    try:
        result = _check(pg_url)
    finally:  # the database is recycled for another test: its schema must be the template's
        with engine.begin() as connection:
            connection.execute(text("ALTER TABLE cards DROP CONSTRAINT line_not_negative"))
        engine.dispose()
    assert result.exit_code == 1
    problems = [line for line in result.stdout.splitlines() if line.startswith("PROBLEM")]
    assert len(problems) == 1, problems
    assert problems[0].startswith("PROBLEM constraints: 1 of ")
    assert problems[0].endswith(" not validated: cards.line_not_negative")


def test_an_unreachable_server_is_one_connection_problem(tmp_path: Path) -> None:
    pytest.importorskip("psycopg", reason="PostgreSQL tests not run: psycopg is not installed")
    url = f"postgresql+psycopg://nobody@/quizcalc?host={tmp_path}"
    result = _check(url, "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [f["check"] for f in report["findings"]] == ["connection"]
    assert "cannot reach the PostgreSQL server" in report["findings"][0]["detail"]
