"""The store on a real PostgreSQL server: creation at head, the migrations, refusals, and two
first starts at once (the server comes from tests/postgres.py)."""

from __future__ import annotations

import multiprocessing
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from quizcalc.store import StoreError, open_store
from quizcalc.store import connection as store_connection
from quizcalc.store import engine as engine_module
from quizcalc.store.schema_version import HEAD_REVISION


def _scalar(url: str, sql: str) -> Any:
    engine = create_engine(url)
    with engine.connect() as connection:
        value = connection.execute(text(sql)).scalar()
    engine.dispose()
    return value


@pytest.mark.fresh_db
def test_an_empty_database_is_created_at_head_and_stamped(pg_url: str) -> None:
    store = open_store(pg_url)
    with store.transaction() as session:
        tables = set(inspect(session.connection()).get_table_names())
    store.close()
    assert {"decks", "cards", "schedule", "review_log", "sources", "collection_meta"} <= tables
    assert _scalar(pg_url, "SELECT version_num FROM alembic_version") == HEAD_REVISION
    assert _scalar(pg_url, "SELECT value FROM collection_meta WHERE name = 'generation'") == 0


def _upgrade(url: str, revision: str = "head") -> None:
    from alembic import command
    from alembic.config import Config as AlembicConfig

    engine = store_connection.make_engine(url)
    with engine.begin() as connection:
        config = AlembicConfig()
        config.set_main_option("script_location", str(engine_module._MIGRATIONS))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()


@pytest.mark.fresh_db
def test_every_migration_runs_on_postgresql_and_ends_at_the_models(pg_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from quizcalc.store.models import Base

    _upgrade(pg_url)
    engine = create_engine(pg_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == []


@pytest.mark.fresh_db
def test_an_older_database_is_migrated_at_open_and_keeps_its_data(pg_url: str) -> None:
    _upgrade(pg_url, "0001")
    engine = create_engine(pg_url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO decks (name) VALUES ('Kept')"))
    engine.dispose()
    open_store(pg_url).close()
    assert _scalar(pg_url, "SELECT version_num FROM alembic_version") == HEAD_REVISION
    assert _scalar(pg_url, "SELECT string_agg(name, ',') FROM decks") == "Kept"
    assert _scalar(pg_url, "SELECT count(*) FROM review_log WHERE misconception IS NULL") == 0


def test_a_database_from_a_newer_quizcalc_is_refused_and_left_untouched(pg_url: str) -> None:
    engine = create_engine(pg_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    with pytest.raises(StoreError) as caught:
        open_store(pg_url)
    message = str(caught.value)
    assert "written by a newer quizcalc (schema 0099" in message and "\n" not in message
    assert _scalar(pg_url, "SELECT version_num FROM alembic_version") == "0099"


def _open(url: str, barrier: Any, results: Any) -> None:
    barrier.wait(timeout=30)
    try:
        open_store(url).close()
    except Exception as error:  # reported to the test, which names it
        results.put(f"{type(error).__name__}: {error}")
    else:
        results.put("ok")


@pytest.mark.fresh_db
def test_two_first_starts_at_once_both_open_the_new_collection(pg_url: str) -> None:
    """The write lock (an advisory lock: no row exists yet) makes the second start wait and
    then find the schema the first one made, instead of failing on a duplicate table."""
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(2), context.Queue()
    processes = [context.Process(target=_open, args=(pg_url, barrier, results)) for _ in range(2)]
    for process in processes:
        process.start()
    outcomes = sorted(results.get(timeout=60) for _ in processes)
    for process in processes:
        process.join(timeout=60)
    assert outcomes == ["ok", "ok"]
    assert _scalar(pg_url, "SELECT count(*) FROM collection_meta") == 1


def test_quizcalc_sessions_do_not_jit_compile_their_short_queries(pg_url: str) -> None:
    # The driven joins of the dialect seam carry large cost estimates: with JIT on, compiling
    # them took 250-300 ms of a 3-5 ms queue on 50,000 cards.
    store = open_store(pg_url)
    with store.transaction() as session:
        assert session.execute(text("SHOW jit")).scalar_one() == "off"
    with store.transaction(write=True) as session:
        assert session.execute(text("SHOW jit")).scalar_one() == "off"
    store.close()
    assert _scalar(pg_url, "SHOW jit") == "on"  # the server's own default stays for others
