"""A content folder that does not exist is a warning at start in the TUI, never silence."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from quizcalc.tui.app import QuizcalcApp
from tests.tui.conftest import notified, wait_ready

WIDE = (240, 30)


async def test_a_missing_content_folder_is_a_warning_at_start(
    build_app: Callable[..., QuizcalcApp], tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-notes"
    app = build_app(content=missing)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await wait_ready(pilot)
        await pilot.pause()
        warnings = [n for n in notified(app) if n.severity == "warning"]
        assert [w.message for w in warnings] == [
            f"{missing}: the content folder does not exist, so no cards were synced from it "
            "(your cards and progress are kept); check --content or QUIZCALC_CONTENT"
        ]
        assert warnings[0].title == "Source not read (its cards are kept)"
