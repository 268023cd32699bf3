"""A bug inside the TUI exits with one line and a crash report, never a wall of traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from quizcalc.tui.app import QuizcalcApp, UnexpectedError
from tests.tui.conftest import wait_ready


async def test_a_bug_writes_a_crash_report_and_exits_with_one_line(
    build_app: Callable[..., QuizcalcApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crashes = tmp_path / "crashes"
    monkeypatch.setenv("QUIZCALC_CRASH_DIR", str(crashes))
    app = build_app()

    def broken() -> None:
        raise RuntimeError("statistics screen wiring is wrong")

    monkeypatch.setattr(app, "action_stats", broken)
    with pytest.raises(UnexpectedError) as caught:
        async with app.run_test() as pilot:
            await wait_ready(pilot)
            await pilot.press("s")
            await pilot.pause()
    assert app.return_code == 1
    message = str(caught.value)
    assert "\n" not in message
    assert "unexpected error (RuntimeError: statistics screen wiring is wrong)" in message
    assert "Answers given before it are saved" in message
    (report,) = crashes.iterdir()
    assert str(report) in message
    text = report.read_text(encoding="utf-8")
    assert "context: TUI, HomeScreen screen" in text
    assert "RuntimeError: statistics screen wiring is wrong" in text
    assert isinstance(caught.value.original, RuntimeError)


async def test_a_bug_in_a_background_worker_is_reported_and_the_app_goes_on(
    build_app: Callable[..., QuizcalcApp], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import quizcalc.study.stats as stats_package
    from quizcalc.tui.bug_reports import BUG_TITLE
    from quizcalc.tui.screens.home import HomeScreen
    from tests.tui.conftest import notified, wait_until

    crashes = tmp_path / "crashes"
    monkeypatch.setenv("QUIZCALC_CRASH_DIR", str(crashes))

    def broken(*args: object) -> None:
        raise KeyError("per_family")

    monkeypatch.setattr(stats_package, "service_stats", broken)
    app = build_app()
    async with app.run_test(notifications=True) as pilot:
        await wait_ready(pilot)
        await pilot.press("s")
        await wait_until(pilot, lambda: any(t.title == BUG_TITLE for t in notified(app)))
        (toast,) = [t for t in notified(app) if t.title == BUG_TITLE]
        (report,) = crashes.iterdir()
        assert str(report) in toast.message and "KeyError" in toast.message
        assert "context: TUI, the statistics screen" in report.read_text(encoding="utf-8")
        await pilot.press("escape")  # the app is still there: back home, and on with the day
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen))
    assert app.return_code in (None, 0)
