"""An export killed midway leaves leftovers that the next export removes (only ours, only stale
ones), and exported files get the permissions the umask gives any file the learner writes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizcalc.cli.main import cli
from quizcalc.exchange.files import atomic_output

# The export stalls once its temporary package folder holds the collection, so the test can
# kill it there (the process is real; only its speed is not).
STALLING_EXPORT = """
import sys, time
import quizcalc.exchange.apkg_export as export
real = export.prepare_collection
def stall(*args, **kwargs):
    result = real(*args, **kwargs)
    time.sleep(60)
    return result
export.prepare_collection = stall
from quizcalc.cli.main import main
sys.argv = ["quizcalc", *sys.argv[1:]]
main()
"""


def _export(
    tmp_path: Path, database: Path, out: Path, *, stall: bool = False
) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp"), "OPENBLAS_NUM_THREADS": "1"}
    start = [sys.executable, "-c", STALLING_EXPORT] if stall else [sys.executable, "-m", "quizcalc"]
    content = tmp_path / "content"
    content.mkdir(exist_ok=True)
    (content / "deck.md").write_text("Q: What is 2 + 2?\nA: 4\n", encoding="utf-8")
    argv = [*start, "--db", str(database), "--config", str(tmp_path / "config.toml")]
    argv += ["--content", str(content)]
    return subprocess.Popen(
        [*argv, "export", str(out)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def _wait_for(found: Callable[[], list[Path]], process: subprocess.Popen[bytes]) -> list[Path]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if paths := found():
            return paths
        time.sleep(0.02)
    raise AssertionError(f"no leftovers appeared (exit {process.poll()})")


@pytest.mark.slow
def test_the_next_export_removes_what_a_killed_export_left(
    tmp_path: Path, new_database: Callable[[Path], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    database = new_database(tmp_path / "q.sqlite3")
    (tmp_path / "tmp").mkdir()
    out = tmp_path / "out"
    out.mkdir()
    target = out / "big.apkg"
    killed = _export(tmp_path, database, target, stall=True)
    try:
        temp = tmp_path / "tmp"
        folders = _wait_for(lambda: sorted(temp.glob("quizcalc-apkg-*")), killed)
        parts = sorted(out.glob(".big.apkg.*.part"))
        assert parts and all(f.name.startswith(f"quizcalc-apkg-{killed.pid}-") for f in folders)
    finally:
        killed.send_signal(signal.SIGKILL)
        killed.wait()
    # Not ours, or not stale: left alone.
    alive = out / f".big.apkg.q{os.getpid()}.abcdefgh.part"
    foreign = [out / ".notes.md.part", temp / "quizcalc-apkg-old", temp / "other"]
    for path in [alive, *foreign]:
        path.write_text("keep")
    assert not target.exists()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # the next export, in this process
    argv = ["--db", str(database), "--config", str(tmp_path / "config.toml")]
    argv += ["--content", str(tmp_path / "content"), "export", str(target)]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 0, result.output
    assert target.exists()
    assert not any(path.exists() for path in [*folders, *parts])
    assert all(path.exists() for path in [alive, *foreign])
    assert sorted(temp.iterdir()) == sorted([temp / "quizcalc-apkg-old", temp / "other"])


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_an_exported_file_honours_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        path = tmp_path / "cards.md"
        with atomic_output(path) as temporary:
            temporary.write_text("Q: a?\nA: b\n")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == mode


def test_an_export_over_an_existing_file_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "cards.md"
    path.write_text("old")
    path.chmod(0o640)
    with atomic_output(path) as temporary:
        temporary.write_text("new")
    assert (path.read_text(), path.stat().st_mode & 0o777) == ("new", 0o640)
