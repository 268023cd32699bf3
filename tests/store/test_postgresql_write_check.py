"""A PostgreSQL role that may read a collection but not change it is told so at open, in one
line, instead of failing at its first answer."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from quizcalc.config import Config
from quizcalc.store import StoreError, open_store
from quizcalc.study import StudyService
from quizcalc.study.errors import CollectionUnavailable
from tests.postgres import PostgresServer


def _with_role(pg_server: PostgresServer, role: str, *grants: str) -> str:
    """A new collection that ``role`` may connect to, with ``grants`` run by its owner; the
    URL that logs in as ``role``."""
    url = pg_server.create_database()
    name = make_url(url).database
    pg_server.execute(
        f"DO $$ BEGIN CREATE ROLE {role} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$"
    )
    pg_server.execute(f'REVOKE CONNECT ON DATABASE "{name}" FROM PUBLIC')
    pg_server.execute(f'GRANT CONNECT ON DATABASE "{name}" TO {role}')
    owner = create_engine(url)
    with owner.begin() as connection:
        for grant in grants:
            connection.execute(text(grant))
    owner.dispose()
    return make_url(url).set(username=role).render_as_string(hide_password=False)


def test_a_role_that_can_only_read_is_refused_at_open_in_one_line(
    pg_server: PostgresServer,
) -> None:
    as_reader = _with_role(
        pg_server, "reader_only", "GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader_only"
    )
    with pytest.raises(StoreError) as caught:
        open_store(as_reader)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(
        f"{as_reader}: the role reader_only can read this collection but not change it: "
        "it lacks INSERT, UPDATE or DELETE (USAGE, on a sequence) on "
    )
    assert "cards" in message and "review_log" in message
    with pytest.raises(CollectionUnavailable, match="can read this collection but not change"):
        StudyService.open(as_reader, Config())


def test_a_role_granted_writes_opens_and_answers(pg_server: PostgresServer) -> None:
    as_writer = _with_role(
        pg_server,
        "reader_writer",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO reader_writer",
        "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO reader_writer",
    )
    service = StudyService.open(as_writer, Config())
    service.close()


def test_a_role_missing_one_sequence_is_refused_too(pg_server: PostgresServer) -> None:
    as_writer = _with_role(
        pg_server,
        "no_sequences",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO no_sequences",
    )
    with pytest.raises(StoreError, match=r"lacks INSERT.* on .*_id_seq"):
        open_store(as_writer)
