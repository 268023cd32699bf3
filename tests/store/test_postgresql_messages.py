"""What opening a PostgreSQL collection that cannot be used says: one line naming the database
(password masked) and what to do, for the extra not installed, a server that cannot be
reached, a refused login and a missing database."""

from __future__ import annotations

import sys

import pytest
from sqlalchemy.engine import make_url

from quizcalc.config import Config
from quizcalc.store import StoreError, open_store
from quizcalc.study import StudyService
from quizcalc.study.errors import CollectionUnavailable
from tests.postgres import PASSWORD_ROLE, PostgresServer


def _refusal(url: str) -> str:
    with pytest.raises(StoreError) as caught:
        open_store(url)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_without_the_extra_the_message_gives_the_pip_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if psycopg were not installed
    message = _refusal("postgresql://learner:s3cret@db.example/quizcalc")
    assert message.startswith(
        "postgresql://learner:***@db.example/quizcalc: PostgreSQL support is not installed ("
    )
    assert message.endswith(
        "); install it with pip install 'quizcalc[postgres]', or use a SQLite file"
    )
    with pytest.raises(CollectionUnavailable, match=r"quizcalc\[postgres\]"):
        StudyService.open("postgresql+psycopg://learner@db.example/quizcalc", Config())


def test_a_server_that_cannot_be_reached_is_one_line(tmp_path) -> None:
    url = f"postgresql://learner:s3cret@/quizcalc?host={tmp_path}"  # no server on that socket
    message = _refusal(url)
    assert message.startswith(
        f"postgresql://learner:***@/quizcalc?host={tmp_path}: cannot reach the PostgreSQL server ("
    )
    assert message.endswith(
        "); check it is running and the host, port or socket folder in the URL, then try again."
    )
    assert "s3cret" not in message


def test_a_wrong_password_is_a_refused_login(pg_server: PostgresServer) -> None:
    pg_server.execute(
        f"DO $$ BEGIN CREATE ROLE {PASSWORD_ROLE} LOGIN PASSWORD 'right'; "
        "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
    )
    url = make_url(pg_server.url("postgres")).set(username=PASSWORD_ROLE, password="wrong")
    text_url = url.render_as_string(hide_password=False)
    message = _refusal(text_url)
    assert message == (
        f"{url.render_as_string(hide_password=True)}: the server refused the login (password "
        f'authentication failed for user "{PASSWORD_ROLE}"); check the user name and password '
        "in the URL (or in ~/.pgpass)."
    )
    assert "wrong" not in message


def test_an_unknown_user_is_a_refused_login_too(pg_server: PostgresServer) -> None:
    url = make_url(pg_server.url("postgres")).set(username="nobody_here")
    message = _refusal(url.render_as_string(hide_password=False))
    assert 'the server refused the login (role "nobody_here" does not exist)' in message


def test_a_missing_database_says_how_to_create_it(pg_server: PostgresServer) -> None:
    url = pg_server.url("no_such_collection")
    assert _refusal(url) == (
        f"{url}: the database 'no_such_collection' does not exist on the server; create it "
        "first (createdb no_such_collection, or CREATE DATABASE no_such_collection) or fix its "
        "name in the URL."
    )


def test_another_learners_collection_is_one_permission_denied_line(
    pg_server: PostgresServer,
) -> None:
    """One database per learner, each closed to the others: learner B's URL pointed at
    learner A's collection is refused in one line, and A's collection is left as it was."""
    url_a = pg_server.create_database()
    name_a = url_a.split("@/", 1)[1].split("?", 1)[0]
    pg_server.execute(
        "DO $$ BEGIN CREATE ROLE learner_b LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$"
    )
    pg_server.execute(f'REVOKE CONNECT ON DATABASE "{name_a}" FROM PUBLIC')
    as_b = make_url(url_a).set(username="learner_b").render_as_string(hide_password=False)
    message = _refusal(as_b)
    assert message.startswith(f"{as_b}: permission denied (permission denied for database ")
    assert message.endswith("this user may not open that collection: use your own database's URL.")
    open_store(url_a).close()  # its owner still opens it
