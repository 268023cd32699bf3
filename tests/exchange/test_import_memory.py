"""A decompression bomb or a huge field, imported by a real process under a 1 GiB address-space
limit: refused with one line naming the cap, no traceback, the collection unchanged.

Today's reader decompressed without bound (gigabytes written, then the whole field read into
memory); the limits (``RLIMIT_AS`` 1 GiB, ``RLIMIT_FSIZE`` 512 MiB) turn that into a crash.
"""

from __future__ import annotations

import os
import resource
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from quizcalc.config import Config
from quizcalc.exchange.limits import MIB
from quizcalc.study import StudyService
from tests.exchange.bombs import big_field_package, zstd_bomb

ADDRESS_SPACE = 1 << 30
FILE_SIZE = 512 * MIB


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE, FILE_SIZE))


def _rows(database: Path) -> list[str]:
    connection = sqlite3.connect(database)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (
            lambda path: zstd_bomb(path, 4 << 30),
            "collection.anki21b expands past 256 MiB (import_max_collection_mib)",
        ),
        (
            lambda path: big_field_package(path, 64 * MIB),
            "note 1: field 2 is larger than 1 MiB (import_max_field_kib)",
        ),
    ],
    ids=["4 GiB zstd bomb", "64 MiB field"],
)
def test_a_hostile_package_is_refused_within_a_gib_of_memory(
    tmp_path: Path,
    new_database: Callable[[Path], Path],
    build: Callable[[Path], Path],
    expected: str,
) -> None:
    database = new_database(tmp_path / "q.sqlite3")
    StudyService.open(f"sqlite:///{database}", Config()).close()  # its settings stored, once
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    base = [sys.executable, "-m", "quizcalc", "--db", str(database)]
    base += ["--config", str(tmp_path / "config.toml"), "--content", str(tmp_path)]
    before = _rows(database)
    hostile = build(tmp_path / "hostile.apkg")
    done = subprocess.run(
        [*base, "import", "--with-progress", str(hostile)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
        preexec_fn=_limited,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        f"quizcalc: {hostile}: {expected}; raise it in config.toml if you trust this file "
        "(nothing imported)"
    )
    assert _rows(database) == before
