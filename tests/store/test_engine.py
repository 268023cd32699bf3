"""Opening databases: migrations, WAL, and clear messages for bad files — never data loss."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from quizcalc.config import Config
from quizcalc.store import StoreError, open_store
from quizcalc.store import connection as store_connection
from quizcalc.store import engine as engine_module
from quizcalc.store.schema_version import HEAD_REVISION
from quizcalc.study import StudyService
from quizcalc.study.errors import CollectionBusy
from tests.conftest import FIXED_NOW
from tests.postgres import db_url_on_both_backends

__all__ = ["db_url_on_both_backends"]  # every test here taking db_url runs on both backends


def test_new_database_is_created_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "q.sqlite3"
    store = open_store(f"sqlite:///{path}", create_folder=True)  # as the default location
    store.close()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"decks", "cards", "schedule", "review_log", "sources"} <= tables


def test_head_revision_constant_matches_the_migration_scripts() -> None:
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory

    config = AlembicConfig()
    config.set_main_option("script_location", str(engine_module._MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION


def _migrated(path: Path) -> Path:
    """A database built by running every migration (as an old database is brought up)."""
    engine = store_connection.make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        engine_module._upgrade(connection)
    engine.dispose()
    return path


def _schema(path: Path) -> dict[tuple[str, str], object]:
    """Every table's columns and foreign keys and every index, as SQLite reports them."""
    con = sqlite3.connect(path)
    found: dict[tuple[str, str], object] = {}
    rows = con.execute("SELECT name, type, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
    for name, kind, sql in rows.fetchall():
        if kind == "table":
            found[("columns", name)] = con.execute(f"PRAGMA table_info({name})").fetchall()
            found[("keys", name)] = sorted(con.execute(f"PRAGMA foreign_key_list({name})"))
        else:
            found[("index", name)] = (con.execute(f"PRAGMA index_info({name})").fetchall(), sql)
    con.close()
    return found


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from quizcalc.store.models import Base

    engine = store_connection.make_engine(f"sqlite:///{_migrated(tmp_path / 'q.sqlite3')}")
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == []


def test_a_new_database_has_exactly_the_migrated_schema(tmp_path: Path) -> None:
    """A new database is created from the models (fast); it must equal the migrations' one."""
    fresh = tmp_path / "fresh.sqlite3"
    open_store(fresh).close()
    migrated = _migrated(tmp_path / "migrated.sqlite3")
    assert _schema(fresh) == _schema(migrated)
    rows = [
        [line for line in _dump(path)[0] if line.startswith("INSERT")] for path in (fresh, migrated)
    ]
    assert rows[0] == rows[1]  # the same rows too (alembic_version's, collection_meta's)
    assert "INSERT INTO \"collection_meta\" VALUES('generation',0);" in rows[0]


def _dump(path: Path) -> tuple[object, ...]:
    """Everything in a SQLite file: schema, rows, and the settings stored in its header."""
    con = sqlite3.connect(path)
    pragmas = ("journal_mode", "user_version", "application_id", "page_size", "auto_vacuum")
    dump = (
        tuple(con.iterdump()),
        tuple(con.execute(f"PRAGMA {name}").fetchone()[0] for name in pragmas),
    )
    con.close()
    return dump


def test_the_tests_copied_database_is_what_open_store_creates(
    tmp_path: Path, new_database: Callable[[Path], Path]
) -> None:
    """Most tests open a copy of one database made per test process (tests/conftest.py)."""
    fresh = tmp_path / "fresh.sqlite3"
    open_store(fresh).close()
    copied = _dump(new_database(tmp_path / "copied.sqlite3"))
    assert copied == _dump(fresh)
    assert copied[1][0] == "wal" and "alembic_version" in "".join(copied[0])


def test_a_new_database_does_not_import_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from quizcalc.store import open_store\n"
        f"open_store({str(tmp_path / 'q.sqlite3')!r}).close()\n"
        "print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_corrupted_file_gives_one_clear_message_and_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "q.sqlite3"
    junk = b"this is not a database\x00" * 200
    path.write_bytes(junk)
    with pytest.raises(StoreError) as caught:
        open_store(f"sqlite:///{path}")
    message = str(caught.value)
    assert str(path) in message and "not a readable quizcalc database" in message
    assert "\n" not in message
    assert path.read_bytes() == junk


def test_folder_given_as_database_is_refused_clearly(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        open_store(f"sqlite:///{tmp_path}")


class _Blocker:
    """Another process's connection holding the collection's write lock (as quizcalc takes it)."""

    def __init__(self, url: str) -> None:
        if url.startswith("sqlite"):
            self.connection: Any = sqlite3.connect(
                url.removeprefix("sqlite:///"), isolation_level=None
            )
            self.connection.execute("BEGIN EXCLUSIVE")
        else:
            import psycopg
            from sqlalchemy.engine import make_url

            parsed = make_url(url)
            self.connection = psycopg.connect(
                host=parsed.query["host"], user=parsed.username, dbname=parsed.database
            )
            lock = f"SELECT pg_advisory_xact_lock({store_connection.WRITE_LOCK_KEY})"
            self.connection.execute(lock)

    def release(self) -> None:
        """Roll back, releasing the lock, and close."""
        self.connection.rollback() if hasattr(self.connection, "info") else None
        if isinstance(self.connection, sqlite3.Connection):
            self.connection.execute("ROLLBACK")
        self.connection.close()


def test_locked_database_is_reported_and_no_answer_is_lost(
    db_url: str, write_deck, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_connection, "BUSY_TIMEOUT_MS", 100)
    service = StudyService.open(db_url, Config())
    service.sync(write_deck("Q: One?\nA: Yes.\n\nQ: Two?\nA: Yes.\n"), FIXED_NOW)
    card = service.next_card(FIXED_NOW)
    assert card is not None
    service.answer(card.key, 5, FIXED_NOW)
    blocker = _Blocker(db_url)
    second = service.next_card(FIXED_NOW)
    assert second is not None
    with pytest.raises(CollectionBusy, match="the collection is busy in another window") as caught:
        service.answer(second.key, 5, FIXED_NOW)
    assert str(caught.value).startswith("could not save your answer: ")
    assert isinstance(caught.value.__cause__, StoreError)
    blocker.release()
    assert service.home(FIXED_NOW).reviews_today == 1  # the first answer survived
    service.answer(second.key, 5, FIXED_NOW)  # and the retry works once the lock is gone
    assert service.home(FIXED_NOW).reviews_today == 2
    service.close()


def test_a_plain_path_opens_like_a_sqlite_url(tmp_path: Path) -> None:
    store = open_store(tmp_path / "plain.sqlite3")
    assert store.url == f"sqlite:///{tmp_path / 'plain.sqlite3'}"
    store.close()
    assert (tmp_path / "plain.sqlite3").is_file()


def test_an_older_database_is_migrated_at_open_and_keeps_its_data(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config as AlembicConfig

    path = tmp_path / "old.sqlite3"
    engine = store_connection.make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        config = AlembicConfig()
        config.set_main_option("script_location", str(engine_module._MIGRATIONS))
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.exec_driver_sql("INSERT INTO decks (name) VALUES ('Kept')")
    engine.dispose()
    store = open_store(path)
    store.close()
    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD_REVISION
    assert con.execute("SELECT name FROM decks").fetchall() == [("Kept",)]
    columns = {row[1] for row in con.execute("PRAGMA table_info(review_log)")}
    assert "misconception" in columns


def test_a_driver_error_inside_a_transaction_leaves_as_one_store_error_line(db_url: str) -> None:
    from sqlalchemy import text

    from quizcalc.store.messages import display_url

    store = open_store(db_url)
    with pytest.raises(StoreError) as caught, store.transaction() as session:
        session.execute(text("SELECT * FROM no_such_table"))
    message = str(caught.value)
    assert message.startswith(f"{display_url(db_url)}: database error: ")
    assert "no_such_table" in message
    assert "\n" not in message
    store.close()


def test_a_full_disk_is_named_as_such(tmp_path: Path) -> None:
    from sqlalchemy.exc import OperationalError

    full = OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))
    message = engine_module.describe_db_error(f"sqlite:///{tmp_path / 'q.sqlite3'}", full)
    assert "disk is full" in message and "Free some space" in message


def _statements(store: engine_module.Store) -> list[str]:
    from sqlalchemy import event

    seen: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda _c, _cur, sql, *_: seen.append(sql))
    return seen


def test_a_write_transaction_takes_the_lock_before_its_first_read(db_url: str) -> None:
    from sqlalchemy import text

    store = open_store(db_url)
    seen = _statements(store)
    with store.transaction(write=True) as session:
        session.execute(text("SELECT count(*) FROM cards"))
    if db_url.startswith("sqlite"):
        begin_write, begin_read = ["BEGIN IMMEDIATE"], ["BEGIN"]
    else:  # psycopg begins by itself; quizcalc's first statement takes the advisory lock
        begin_write = [
            f"SET LOCAL lock_timeout = {store_connection.BUSY_TIMEOUT_MS}",
            f"SELECT pg_advisory_xact_lock({store_connection.WRITE_LOCK_KEY})",
        ]
        # One snapshot, as SQLite's; READ ONLY in the tests' strict mode.
        begin_read = ["SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"]
    written = [sql for sql in seen if not sql.startswith("PRAGMA")]
    # The lock first, then the generation, then reads.
    assert written == [*begin_write, engine_module._GENERATION_QUERY, "SELECT count(*) FROM cards"]
    seen.clear()
    with store.transaction() as session:
        session.execute(text("SELECT count(*) FROM cards"))
    assert [sql for sql in seen if not sql.startswith("PRAGMA")] == [
        *begin_read,
        "SELECT count(*) FROM cards",
    ]
    store.close()


def test_a_read_transaction_cannot_write_while_the_tests_check_it(db_url: str) -> None:
    from sqlalchemy import text

    assert os.environ[store_connection.STRICT_TRANSACTIONS_VARIABLE] == "1"
    store = open_store(db_url)
    with (
        pytest.raises(StoreError, match="read-only"),
        store.transaction() as session,
    ):
        session.execute(text("INSERT INTO decks (name) VALUES ('Unlocked')"))
    with store.transaction(write=True) as session:
        session.execute(text("INSERT INTO decks (name) VALUES ('Locked')"))
    store.close()


def test_a_read_transaction_sees_one_state_while_another_window_writes(db_url: str) -> None:
    from sqlalchemy import text

    reader, writer = open_store(db_url), open_store(db_url)
    with reader.transaction() as session:
        before = session.execute(text("SELECT count(*) FROM decks")).scalar()
        with writer.transaction(write=True) as other:  # committed while the read goes on
            other.execute(text("INSERT INTO decks (name) VALUES ('Meanwhile')"))
        during = session.execute(text("SELECT count(*) FROM decks")).scalar()
    with reader.transaction() as session:
        after = session.execute(text("SELECT count(*) FROM decks")).scalar()
    assert (before, during, after) == (0, 0, 1)
    reader.close()
    writer.close()
