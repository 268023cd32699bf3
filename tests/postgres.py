"""A throwaway PostgreSQL server for the tests, and a fresh database per test.

:func:`pg_server` (session scope, so once per pytest-xdist worker) runs ``initdb`` and
``pg_ctl`` in a new temp folder, listening only on a Unix socket there (no TCP port, so
workers and a system server never collide), with ``fsync=off`` and small buffers: a server
that starts in about a second and is stopped at the end of the session even when tests fail.
``initdb`` and ``pg_ctl`` refuse to run as root (CI does): there they run as the ``postgres``
user, in a folder that user owns.

:func:`pg_url` gives each test a new collection: a database copied (``CREATE DATABASE …
TEMPLATE``) from one that ``open_store`` created once for the session, the way ``template_db``
does for SQLite, or one a previous test used, emptied again (:meth:`PostgresServer.recycle`);
a test marked ``fresh_db`` gets an empty database instead.

:func:`db_url_on_both_backends` is the ``db_url`` fixture parametrised by backend: a test
module that imports it runs each of its tests on SQLite and on PostgreSQL.
:func:`db_url_by_backend` with the :data:`ON_BOTH_BACKENDS` mark does that for the marked
tests of a module alone (a large module whose other tests run SQL no dialect changes).
:func:`more_collections` gives a test that needs several collections (a reference to compare
with) more of them, on ``db_url``'s backend.

Where PostgreSQL (or psycopg) is absent the PostgreSQL tests skip with one line saying how to
enable them; with ``CI=true`` they fail instead, since CI installs the package.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

__all__ = [
    "ON_BOTH_BACKENDS",
    "PostgresServer",
    "db_url_by_backend",
    "db_url_on_both_backends",
    "fold_skip",
    "more_collections",
    "pg_server",
    "pg_url",
    "running_server",
]

HOW_TO_ENABLE = (
    "PostgreSQL tests not run: initdb not found; enable them with "
    "`apt-get install postgresql` (Debian/Ubuntu)"
)
NO_DRIVER = (
    "PostgreSQL tests not run: psycopg is not installed; enable them with "
    "pip install 'quizcalc[postgres]'"
)
TEMPLATE = "quizcalc_template"
"""The database ``open_store`` creates once per session; each test's database copies it."""

PASSWORD_ROLE = "learner_with_password"
"""The one role that must log in with a password (scram-sha-256): every other is trusted."""

_SERVER_USER = "postgres"
"""Who runs the server when the tests run as root (initdb and pg_ctl refuse root)."""


def find_bin_dir() -> Path | None:
    """The folder of ``initdb``/``pg_ctl``: on PATH, else Debian's newest version folder."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).parent
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda f: int(Path(f).parent.name))
    return Path(folders[-1]) if folders else None


def fold_skip(report: pytest.TestReport) -> None:
    """Report a skip for a missing PostgreSQL at one place, so ``-ra`` folds the skips of
    every PostgreSQL test into one line (pytest would name each test's own line)."""
    if not report.skipped or not isinstance(report.longrepr, tuple):
        return
    _path, _line, reason = report.longrepr
    if "PostgreSQL tests not run" in reason:
        report.longrepr = (__file__, 1, reason)


def _unavailable(reason: str) -> None:
    """Skip the test (fail it under CI, where PostgreSQL must be there) with ``reason``."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} (CI must run them: .ci/run installs the package)", pytrace=False)
    pytest.skip(reason)


_SCHEMA_FINGERPRINT = """
SELECT c.relname, c.relkind, count(a.attname)
FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE n.nspname = 'public' GROUP BY c.relname, c.relkind ORDER BY c.relname
"""
"""Every table, index and sequence of a database with its number of columns: what a test
that changed the schema (dropped a table, added a column) changes."""

_CONTENT = "SELECT (SELECT string_agg(version_num, ',') FROM alembic_version), " + (
    "(SELECT string_agg(name || '=' || value, ',') FROM collection_meta)"
)


@dataclass
class PostgresServer:
    """A running throwaway server: where its socket is, and how to reach a database on it.

    A test's database is recycled for the next test when the test left its schema as the
    template's: its tables are emptied (``TRUNCATE … RESTART IDENTITY``, about 50 ms) instead
    of a new copy being made (``CREATE DATABASE``, about 350 ms: it copies the system
    catalogs too). A database whose schema a test changed is simply not used again.
    """

    socket_dir: Path
    user: str
    _names: Iterator[int]
    _spare: list[str] = field(default_factory=list)
    _template_fingerprint: list[tuple[Any, ...]] = field(default_factory=list)
    _template_content: tuple[Any, ...] = ()

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of ``database`` on this server (Unix socket, trusted user)."""
        return f"postgresql+psycopg://{self.user}@/{database}?host={self.socket_dir}"

    def create_database(self, *, template: str | None = TEMPLATE) -> str:
        """A new database (a copy of ``template``; empty with ``None``); returns its URL."""
        name = f"test_{next(self._names)}"
        self.execute(f'CREATE DATABASE "{name}" TEMPLATE {template or "template0"}')
        return self.url(name)

    def new_collection(self) -> str:
        """The URL of a database holding a new collection: a recycled one, else a new copy."""
        return self.url(self._spare.pop()) if self._spare else self.create_database()

    def recycle(self, url: str) -> None:
        """Empty the collection at ``url`` for another test, when its schema is still the
        template's; other connections to it (a test's engine left open) are closed first."""
        name = url.split("@/", 1)[1].split("?", 1)[0]
        self.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        )
        with self._connect(name) as connection:
            if self._fingerprint(connection) != self._template_fingerprint:
                return
            tables = [t for t, kind, _ in self._template_fingerprint if kind == "r"]
            tables.remove("alembic_version")
            connection.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE".encode())
            generation = "INSERT INTO collection_meta (name, value) VALUES ('generation', 0)"
            connection.execute(generation.encode())
            if connection.execute(_CONTENT.encode()).fetchone() != self._template_content:
                return
        self._spare.append(name)

    def remember_template(self) -> None:
        """Record the template's schema and its two stamped rows, which recycling restores."""
        with self._connect(TEMPLATE) as connection:
            self._template_fingerprint = self._fingerprint(connection)
            self._template_content = tuple(connection.execute(_CONTENT.encode()).fetchone() or ())

    @staticmethod
    def _fingerprint(connection: Any) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in connection.execute(_SCHEMA_FINGERPRINT.encode())]

    def _connect(self, database: str) -> Any:
        import psycopg

        return psycopg.connect(
            host=str(self.socket_dir), user=self.user, dbname=database, autocommit=True
        )

    def execute(self, sql: str) -> None:
        """Run ``sql`` outside a transaction (CREATE DATABASE cannot run in one)."""
        with self._connect("postgres") as connection:
            connection.execute(sql.encode())


def _as_server_user(argv: list[str]) -> list[str]:
    return ["runuser", "-u", _SERVER_USER, "--", *argv] if os.geteuid() == 0 else argv


def _run(argv: list[str]) -> None:
    done = subprocess.run(
        _as_server_user(argv), capture_output=True, text=True, timeout=120, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stdout}\n{done.stderr}")


@contextmanager
def running_server(*, durable: bool = False) -> Iterator[PostgresServer]:
    """Start a PostgreSQL server on a Unix socket in a new folder under ``/tmp``; stop it and
    remove the folder on the way out, even after an error.

    The tests' server (``durable=False``) runs with ``fsync`` and synchronous commits off, as
    a throwaway server can; ``durable=True`` keeps PostgreSQL's defaults, for figures a real
    server would give (``benchmarks/postgresql.py``). Raises :class:`LookupError` with the
    one-line reason when PostgreSQL or psycopg is missing.
    """
    try:
        import psycopg  # noqa: F401
    except ImportError as error:
        raise LookupError(NO_DRIVER) from error
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise LookupError(HOW_TO_ENABLE)
    # Directly under /tmp: pytest's own temp folders are private to the user running the
    # tests, which the server user (when root runs them) could not enter. Short, too: a
    # socket path must fit in 107 bytes.
    folder = Path(tempfile.mkdtemp(prefix="quizcalc-pg-"))
    if os.geteuid() == 0:
        try:
            server_user = pwd.getpwnam(_SERVER_USER)
        except KeyError:
            shutil.rmtree(folder)
            raise LookupError(
                f"PostgreSQL tests not run: root cannot run initdb and there is no "
                f"{_SERVER_USER!r} user; enable them with `apt-get install postgresql`"
            ) from None
        os.chown(folder, server_user.pw_uid, server_user.pw_gid)
    data = folder / "data"
    user = "quizcalc"
    started = False
    try:
        _run(
            [str(bin_dir / "initdb"), "-D", str(data), "-U", user, "--auth=trust",
             "--no-sync", "--no-instructions", "-E", "UTF8", "--locale=C"]
        )  # fmt: skip
        hba = data / "pg_hba.conf"  # first match wins: this role's line before "trust"
        # Rewritten in place, so it keeps its owner (the server user, when root runs this).
        hba.write_text(f"local all {PASSWORD_ROLE} scram-sha-256\n{hba.read_text()}")
        options = f"-k {folder} -c listen_addresses='' -c max_connections=60"
        if not durable:
            options += (
                " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                " -c shared_buffers=16MB"
            )
        _run(
            [str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l",
             str(folder / "server.log"), "-w", "-t", "60", "start"]
        )  # fmt: skip
        started = True
        yield PostgresServer(socket_dir=folder, user=user, _names=itertools.count())
    finally:
        if started:
            subprocess.run(
                _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                                 "-w", "stop"]),
                capture_output=True, timeout=60, check=False,
            )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server for this test process, on a Unix socket in a temp folder, with a
    template collection each test's database copies."""
    with ExitStack() as stack:
        try:
            server = stack.enter_context(running_server())
        except LookupError as missing:
            _unavailable(str(missing))
        from quizcalc.store import open_store

        server.execute(f"CREATE DATABASE {TEMPLATE}")
        open_store(server.url(TEMPLATE)).close()
        server.remember_template()
        yield server


@pytest.fixture
def pg_url(pg_server: PostgresServer, request: pytest.FixtureRequest) -> Iterator[str]:
    """A PostgreSQL database holding a new collection (an empty database with ``fresh_db``),
    for this test alone."""
    if request.node.get_closest_marker("fresh_db") is not None:
        yield pg_server.create_database(template=None)
        return
    url = pg_server.new_collection()
    yield url
    pg_server.recycle(url)


@pytest.fixture(name="db_url", params=["sqlite", "postgresql"])
def db_url_on_both_backends(request: pytest.FixtureRequest, db_url: str) -> str:
    """``db_url`` on SQLite, then on PostgreSQL: import it into a test module to run its
    tests on both backends."""
    if request.param == "sqlite":
        return db_url
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture(name="db_url")
def db_url_by_backend(request: pytest.FixtureRequest, db_url: str) -> str:
    """``db_url`` on SQLite, and on PostgreSQL too for a test marked :data:`ON_BOTH_BACKENDS`:
    import it into a test module to choose which of its tests run on both backends."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return db_url
    return str(request.getfixturevalue("pg_url"))


ON_BOTH_BACKENDS = pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
"""Run the marked test (taking ``db_url``, or a fixture that does) on SQLite and on PostgreSQL,
in a module that imports :func:`db_url_by_backend`."""


@pytest.fixture
def more_collections(
    db_url: str,
    tmp_path: Path,
    new_database: Callable[[Path], Path],
    request: pytest.FixtureRequest,
) -> Iterator[Callable[[str], str]]:
    """``more_collections(name)``: the URL of another new collection on ``db_url``'s backend at
    each call; ``name`` names its SQLite file (in the test's temp folder).

    Import :func:`db_url_on_both_backends` beside it to run the test on both backends.
    """
    server: PostgresServer | None = None
    if db_url.startswith("postgresql"):
        server = request.getfixturevalue("pg_server")
    made: list[str] = []

    def new(name: str) -> str:
        if server is None:
            return f"sqlite:///{new_database(tmp_path / name)}"
        url = server.new_collection()
        made.append(url)
        return url

    yield new
    for url in made:
        assert server is not None
        server.recycle(url)
