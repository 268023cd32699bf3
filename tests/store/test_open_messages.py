"""What opening a database that cannot be used says: one line naming it and the fix, the file
left untouched. (Read-only files and a full disk need real processes: tests/e2e.)"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from quizcalc.config import Config
from quizcalc.store import StoreError, open_store
from quizcalc.store.engine import describe_db_error
from quizcalc.store.schema_version import HEAD_REVISION
from quizcalc.study import StudyService
from quizcalc.study.errors import CollectionUnavailable


def _refusal(url: str | Path) -> str:
    with pytest.raises(StoreError) as caught:
        open_store(url)
    message = str(caught.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_a_database_whose_folder_does_not_exist_is_refused_and_nothing_is_created(
    tmp_path: Path,
) -> None:
    """A mistyped QUIZCALC_DB/--db must not start an empty collection that looks like lost
    progress."""
    path = tmp_path / "nonexistent" / "dir" / "x.db"
    assert _refusal(path) == (
        f"{path}: the folder {path.parent} does not exist (a mistyped path?); nothing was "
        "created. Check the path, or create the folder first to start a new collection there"
    )
    assert not (tmp_path / "nonexistent").exists()


def test_through_the_study_layer_it_says_what_was_being_done(tmp_path: Path) -> None:
    path = tmp_path / "typo" / "x.db"
    with pytest.raises(CollectionUnavailable) as caught:
        StudyService.open(f"sqlite:///{path}", Config())
    assert str(caught.value).startswith(f"could not open your study data: {path}: the folder")


def test_the_default_location_is_still_created_on_first_use() -> None:
    from quizcalc.locations import database_url

    url = database_url()  # under the test's own XDG_DATA_HOME
    path = Path(url.removeprefix("sqlite:///"))
    assert not path.parent.exists()
    StudyService.open(url, Config()).close()
    assert path.is_file()


@pytest.mark.parametrize("url", ["mysql://learner:s3cret@db.example/quizcalc"])
def test_a_missing_driver_is_one_line_with_the_password_masked(url: str) -> None:
    assert _refusal(url) == (
        "mysql://learner:***@db.example/quizcalc: the driver for this database is not "
        "installed (No module named 'MySQLdb'); install it or use a SQLite file"
    )


def test_an_unknown_kind_of_database_is_one_line() -> None:
    message = _refusal("mongo://learner:s3cret@host/db")
    assert message.startswith("mongo://learner:***@host/db: unknown kind of database ('mongo')")


def test_a_driver_error_never_echoes_a_password() -> None:
    error = OperationalError("SELECT", {}, Exception("cannot reach postgresql://a:pw@h/db"))
    message = describe_db_error("postgresql://a:pw@h/db", error)
    assert "pw" not in message
    assert (
        message == "postgresql://a:***@h/db: database error: cannot reach postgresql://a:***@h/db"
    )


def _stamp(path: Path, revision: str) -> None:
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    connection.close()


def test_a_database_from_a_newer_quizcalc_is_refused_and_left_untouched(
    tmp_path: Path, new_database: Callable[[Path], Path]
) -> None:
    path = new_database(tmp_path / "newer.sqlite3")
    _stamp(path, "0099")
    before = path.read_bytes()
    assert _refusal(path) == (
        f"{path}: this collection was written by a newer quizcalc (schema 0099; this one "
        f"knows up to {HEAD_REVISION}); upgrade quizcalc, or restore an older backup. The file "
        "was left untouched"
    )
    assert path.read_bytes() == before
    with pytest.raises(CollectionUnavailable, match=r"^could not open your study data: .*newer"):
        StudyService.open(f"sqlite:///{path}", Config())


def test_a_schema_no_release_made_is_refused_too(
    tmp_path: Path, new_database: Callable[[Path], Path]
) -> None:
    path = new_database(tmp_path / "odd.sqlite3")
    _stamp(path, "0002b")
    before = path.read_bytes()
    assert "has a schema quizcalc does not know (0002b;" in _refusal(path)
    assert path.read_bytes() == before


def test_an_open_checks_it_can_write_and_changes_nothing(
    tmp_path: Path, new_database: Callable[[Path], Path]
) -> None:
    """The start-up write check (a rolled-back write) leaves the file byte for byte."""
    path = new_database(tmp_path / "q.sqlite3")
    before = path.read_bytes()
    open_store(path).close()
    assert path.read_bytes() == before


def test_the_write_check_does_not_wait_for_another_writer(
    tmp_path: Path, new_database: Callable[[Path], Path]
) -> None:
    """A database busy with another window's write is writable: opening does not fail."""
    path = new_database(tmp_path / "q.sqlite3")
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        open_store(path).close()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def _io_error() -> OperationalError:
    return OperationalError("COMMIT", {}, sqlite3.OperationalError("disk I/O error"))


def test_a_failed_write_on_a_disk_with_no_room_says_the_disk_is_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite reports a write refused for want of room (EFBIG, or ENOSPC mid-page) as a disk
    I/O error: the message says what the learner can act on."""
    import shutil
    from types import SimpleNamespace

    from quizcalc.store import messages

    monkeypatch.setattr(messages, "_size_limit_reached", lambda: False)
    url = f"sqlite:///{tmp_path / 'q.sqlite3'}"
    monkeypatch.setattr(shutil, "disk_usage", lambda _p: SimpleNamespace(free=0))
    assert describe_db_error(url, _io_error()) == (
        f"{tmp_path / 'q.sqlite3'}: the disk is full; nothing was saved by this step. Free "
        "some space and try again."
    )
    monkeypatch.setattr(shutil, "disk_usage", lambda _p: SimpleNamespace(free=10**12))
    assert "the disk could not be written (disk I/O error: full or failing)" in (
        describe_db_error(url, _io_error())
    )
