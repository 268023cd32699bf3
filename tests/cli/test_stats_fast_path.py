"""``quizcalc stats`` reads a ready collection without SQLAlchemy, and says the same.

The fast path (:mod:`quizcalc.study.stats.quick`) must print exactly what the study
service's path prints, and step aside whenever opening the collection has something to do
or to say (no stored settings yet, a settings file the collection overrides, a read-only
file, an older schema).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from quizcalc.cli.main import cli
from quizcalc.config import Config
from quizcalc.study import StudyService
from tests.conftest import FIXED_NOW
from tests.study.stats_fixture import varied_history

GOLDEN = Path(__file__).parents[1] / "fixtures" / "stats" / "varied.json"


@pytest.fixture
def ready(tmp_path: Path, new_database: Callable[[Path], Path]) -> Path:
    """The varied collection, opened once by the service (so its settings are stored)."""
    path = varied_history(new_database(tmp_path / "varied.sqlite3"))
    StudyService.open(str(path), Config()).close()
    return path


def _stats(db: Path, monkeypatch: pytest.MonkeyPatch, *args: str, config: Path) -> Result:
    monkeypatch.setattr("quizcalc.cli.common.now", lambda: FIXED_NOW)
    return CliRunner().invoke(
        cli,
        ["--db", str(db), "--config", str(config), "stats", *args],
        prog_name="quizcalc",
    )


def _service_path_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("quizcalc.study.stats.quick.peek_stats", lambda *_: None)


@pytest.mark.parametrize("args", [("--json",), ()])
def test_the_fast_path_prints_what_the_service_path_prints(
    ready: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    config = tmp_path / "config.toml"
    fast = _stats(ready, monkeypatch, *args, config=config)
    _service_path_only(monkeypatch)
    slow = _stats(ready, monkeypatch, *args, config=config)
    assert fast.exit_code == slow.exit_code == 0, (fast.output, slow.output)
    assert (fast.stdout, fast.stderr) == (slow.stdout, slow.stderr)
    if args:
        assert fast.stdout == GOLDEN.read_text("utf-8")


def test_it_reads_the_collection_settings_not_the_defaults(
    ready: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = StudyService.open(str(ready), Config())
    service.save_collection_settings({"leech_threshold": 1, "rollover_hour": 0})
    service.close()
    config = tmp_path / "config.toml"
    fast = json.loads(_stats(ready, monkeypatch, "--json", config=config).stdout)
    _service_path_only(monkeypatch)
    slow = json.loads(_stats(ready, monkeypatch, "--json", config=config).stdout)
    assert fast == slow
    assert (
        fast["cards_by_state"]["leech"] > json.loads(GOLDEN.read_text())["cards_by_state"]["leech"]
    )


def _peeked(db: Path, config: Path) -> bool:
    from quizcalc.study.stats.quick import peek_stats

    return peek_stats(f"sqlite:///{db}", config, FIXED_NOW) is not None


def test_it_steps_aside_whenever_opening_has_something_to_do_or_say(
    ready: Path, tmp_path: Path, new_database: Callable[[Path], Path]
) -> None:
    config = tmp_path / "config.toml"
    assert _peeked(ready, config)
    fresh = varied_history(new_database(tmp_path / "fresh.sqlite3"))
    assert not _peeked(fresh, config)  # no stored settings: the first open stores them
    assert not _peeked(tmp_path / "absent.sqlite3", config)
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 100)
    assert not _peeked(garbage, config)  # the service names the damage and the backup
    config.write_text("leech_threshold = 3\n", "utf-8")  # the collection decides: a warning
    assert not _peeked(ready, config)
    config.write_text("not toml [", "utf-8")
    assert not _peeked(ready, config)
    config.write_text('theme = "nord"\n', "utf-8")  # a device setting: nothing to say
    assert _peeked(ready, config)


def test_a_read_only_collection_is_still_refused_as_before(
    ready: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("quizcalc.store.messages._writable", lambda path: False)  # even as root
    result = _stats(ready, monkeypatch, "--json", config=tmp_path / "c.toml")
    assert result.exit_code == 1
    assert "read-only" in result.stderr


def test_stats_json_does_not_import_sqlalchemy_on_a_ready_collection(ready: Path) -> None:
    code = (
        "import atexit, sys\n"
        "def heavy():\n"
        "    names = ('sqlalchemy', 'alembic', 'sympy', 'textual', 'rich', 'markdown_it')\n"
        "    print('HEAVY:' + ','.join(m for m in names if m in sys.modules), file=sys.stderr)\n"
        "atexit.register(heavy)\n"
        "sys.argv = ['quizcalc', 'stats', '--json']\n"
        "from quizcalc.cli.main import main\n"
        "main()\n"
    )
    env = {**os.environ, "QUIZCALC_DB": str(ready)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["total_reviews"] == 3000
    assert "HEAVY:\n" in result.stderr + "\n", result.stderr
