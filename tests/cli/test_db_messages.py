"""The database messages through the CLI (in-process): a mistyped path is one line and
creates nothing; a missing driver is one line without the URL's password."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from quizcalc.cli.main import cli


def _invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="quizcalc", env=env)


def _one_line_error(result: Result) -> str:
    assert result.exit_code == 1, (result.output, result.exception)
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_a_database_path_whose_folder_does_not_exist_is_refused(tmp_path: Path) -> None:
    """``QUIZCALC_DB=/nonexistent/dir/x.db quizcalc stats`` said "no reviews yet"."""
    db = tmp_path / "nonexistent" / "dir" / "x.db"
    line = _one_line_error(_invoke("stats", env={"QUIZCALC_DB": str(db)}))
    assert line == (
        f"quizcalc: could not open your study data: {db}: the folder {db.parent} does not "
        "exist (a mistyped path?); nothing was created. Check the path, or create the folder "
        "first to start a new collection there"
    )
    assert not (tmp_path / "nonexistent").exists()


def test_a_missing_driver_is_one_line_and_hides_the_password() -> None:
    line = _one_line_error(_invoke("--db", "mysql://me:hunter2@localhost/quizcalc", "stats"))
    assert line == (
        "quizcalc: could not open your study data: mysql://me:***@localhost/quizcalc: the "
        "driver for this database is not installed (No module named 'MySQLdb'); install it or "
        "use a SQLite file"
    )
