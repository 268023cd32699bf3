"""An unexpected error (a bug) reaches one top-level handler: a report file and one line."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from quizcalc.crash_report import crash_message, write_crash_report


@pytest.fixture
def crash_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "crashes"
    monkeypatch.setenv("QUIZCALC_CRASH_DIR", str(folder))
    return folder


def _boom() -> None:
    raise RuntimeError("the generator table is inconsistent")


def test_the_report_holds_the_traceback_and_the_context(crash_dir: Path) -> None:
    try:
        _boom()
    except RuntimeError as exc:
        path = write_crash_report(exc, context="quizcalc stats")
    assert path is not None and path.parent == crash_dir
    report = path.read_text(encoding="utf-8")
    assert "context: quizcalc stats" in report
    assert "Traceback (most recent call last)" in report and "in _boom" in report
    assert "RuntimeError: the generator table is inconsistent" in report


def test_an_unwritable_report_folder_still_gives_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    error = RuntimeError("boom")
    assert write_crash_report(error, context="x", folder=blocker / "sub") is None
    message = crash_message(error, None)
    assert "RuntimeError: boom" in message and "no crash report could be written" in message
    assert "\n" not in message


def test_the_cli_writes_a_report_and_says_where_in_one_line(
    crash_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import quizcalc.problems as problems
    from quizcalc.cli import main as cli_main

    def broken(*args: object) -> None:
        raise RuntimeError("a bug in the problem catalogue")

    monkeypatch.setattr(problems, "generate", broken)
    monkeypatch.setattr(sys, "argv", ["quizcalc", "problems", "show", "chain_rule", "--seed", "1"])
    with pytest.raises(SystemExit) as exited:
        cli_main.main()
    assert exited.value.code == cli_main.CRASH_EXIT_CODE
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    assert "unexpected error (RuntimeError: a bug in the problem catalogue)" in err
    (report,) = crash_dir.iterdir()
    assert str(report) in err
    assert "context: quizcalc problems show chain_rule --seed 1" in report.read_text()


def test_a_users_mistake_is_not_a_crash(
    crash_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from quizcalc.cli import main as cli_main

    monkeypatch.setattr(sys, "argv", ["quizcalc", "problems", "show", "no_such_family"])
    with pytest.raises(SystemExit) as exited:
        cli_main.main()
    assert exited.value.code == 1
    assert "unknown problem family 'no_such_family'" in capsys.readouterr().err
    assert not crash_dir.exists()
