"""Snapshots of the home deck list (two decks, nested sections, every kind of count) and of
the custom-study modal. Regenerate with ``--snapshot-update`` and look at the SVGs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot

from quizcalc.config import Config
from quizcalc.study import StudyService
from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.modals.custom_study import CustomStudyModal
from tests.tui.conftest import NOW, screen_text, wait_ready, wait_until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

Snap = Callable[..., bool]

OPTIMIZATION = """---
deck: Calculus & Optimization
---

## 2.1 The derivative

Q: d1?
A: a.

Q: d2?
A: a.

### Practice

Q: p1?
A: a.

## 2.8 The learning rate: choosing it, schedules, warm-up, and what goes wrong when too large

Q: l1?
A: a.

Q: l2?
A: a.

## Key takeaways

Q: k1?
A: a.
"""

LINEAR = """---
deck: Linear algebra
---

## Matrices

Q: m1?
A: a.

Q: m2?
A: a.
"""


@pytest.fixture
def two_decks(content: Path, db_path: Path) -> Path:
    """Two decks studied so that every count shows: due (answered yesterday), learning
    (failed today) and new."""
    (content / "calculus.md").write_text(OPTIMIZATION, encoding="utf-8")
    (content / "linear.md").write_text(LINEAR, encoding="utf-8")
    service = StudyService.open(f"sqlite:///{db_path}", Config(new_per_day=20))
    try:
        service.sync(content, NOW)
        yesterday = NOW - timedelta(days=1)
        keys = service.queue(yesterday).new
        for key in (keys[0], keys[1], keys[3], keys[7]):  # d1, d2, l1, m1
            service.answer(key, 5, yesterday)
        service.answer(service.queue(NOW).due[0], 1, NOW)  # d1 forgotten today
    finally:
        service.close()
    return content


async def _home(pilot: Pilot[object]) -> None:
    app = pilot.app
    assert isinstance(app, QuizcalcApp)
    await wait_ready(pilot)
    await wait_until(pilot, lambda: "Linear algebra" in screen_text(app))


@pytest.mark.parametrize("size", SIZES)
def test_home_deck_list(
    snap_compare: Snap,
    build_app: Callable[..., QuizcalcApp],
    two_decks: Path,
    size: tuple[int, int],
) -> None:
    app = build_app(toasts=False)
    assert snap_compare(app, terminal_size=size, run_before=_home)


def test_custom_study_modal(
    snap_compare: Snap, build_app: Callable[..., QuizcalcApp], two_decks: Path
) -> None:
    app = build_app(toasts=False)

    async def run_before(pilot: Pilot[object]) -> None:
        await _home(pilot)
        await pilot.press("down", "c")  # 2.1 The derivative
        await wait_until(pilot, lambda: isinstance(app.screen, CustomStudyModal))
        await wait_until(pilot, lambda: "card" in screen_text(app))

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
