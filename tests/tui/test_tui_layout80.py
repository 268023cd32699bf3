"""80×24, the smallest terminal quizcalc is made for: no column cut off, no word split mid-way.

Real section names are long ("2.2 Partial derivatives and the gradient › Practice"): the home
table's name column takes what the three counts leave and ends a long name in …; Browse's
question column takes what its other columns leave, so Status stays whole; the statistics'
family names are never folded.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.widgets import Select

from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.screens.browse import BrowseScreen
from quizcalc.tui.screens.home import HomeScreen
from tests.tui.conftest import screen_text, wait_ready, wait_until

SMALL = (80, 24)

LONG_SECTIONS = """---
deck: Calculus & Optimization
---

## 2.2 Partial derivatives and the gradient

### Practice on a loss

Q: What is the partial derivative of $x y$ with respect to $x$?
A: $y$.

## 2.7 Batch, stochastic and mini-batch gradient descent

Q: What is one epoch?
A: One pass over the whole training set.

```problem
family: epochs_iterations
difficulty: 1
```
"""
WIDEST = "2.7 Batch, stochastic and mini-batch gradient descent"
"""The widest row the home deck list shows (2.2's subsection is folded)."""


def _lines(app: QuizcalcApp) -> list[str]:
    return screen_text(app).splitlines()


async def test_home_keeps_the_total_column_and_ends_long_names_in_an_ellipsis(
    build_app: Callable[..., QuizcalcApp], content: Path
) -> None:
    (content / "long.md").write_text(LONG_SECTIONS, encoding="utf-8")
    app = build_app(toasts=False)
    async with app.run_test(size=SMALL) as pilot:
        await wait_ready(pilot)
        await wait_until(pilot, lambda: "Total" in screen_text(app))
        lines = _lines(app)
        header = next(line for line in lines if "Deck / section" in line)
        assert header.split()[-4:] == ["New", "Learn", "Due", "Total"]
        deck = next(line for line in lines if "Calculus & Optimization" in line)
        assert deck.split()[-4:] == ["3", "0", "0", "3"]  # new, learn, due, total: none cut
        row = next(line for line in lines if "2.7 Batch, stochastic" in line)
        assert "…" in row and WIDEST not in screen_text(app)
        assert row.split()[-4:] == ["2", "0", "0", "2"]
        assert isinstance(app.screen, HomeScreen)
        await pilot.resize_terminal(120, 30)  # room enough: the whole name is shown
        await wait_until(pilot, lambda: WIDEST in screen_text(app))


async def test_browse_keeps_the_status_column_whole(
    build_app: Callable[..., QuizcalcApp], content: Path
) -> None:
    (content / "long.md").write_text(LONG_SECTIONS, encoding="utf-8")
    many = "".join(f"Q: Question {n} on the learning rate?\nA: Answer {n}.\n\n" for n in range(20))
    (content / "many.md").write_text(many, encoding="utf-8")  # the table scrolls
    app = build_app(toasts=False)
    async with app.run_test(size=SMALL) as pilot:
        await wait_ready(pilot)
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, BrowseScreen) and app.screen.rows)
        lines = _lines(app)
        header = next(line for line in lines if line.strip().startswith("Card"))
        assert header.split()[-1] == "Status"
        rows = [line for line in lines if line.rstrip().endswith("active")]
        assert len(rows) >= 5


async def test_the_section_filter_lists_long_sections_one_line_each(
    build_app: Callable[..., QuizcalcApp], content: Path
) -> None:
    (content / "long.md").write_text(LONG_SECTIONS, encoding="utf-8")
    app = build_app(toasts=False)
    async with app.run_test(size=SMALL) as pilot:
        await wait_ready(pilot)
        await pilot.press("b")
        await wait_until(pilot, lambda: isinstance(app.screen, BrowseScreen) and app.screen.rows)
        select = app.screen.query_one("#browse-section", Select)
        select.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: select.expanded)
        lines = _lines(app)
        assert not any("::" in line for line in lines)
        long = [line for line in lines if "2.2 Partial derivatives and the gradient" in line]
        assert len(long) == 1 and "…" in long[0]  # one line, cut: not wrapped mid-name
        assert "Practice on a loss" not in screen_text(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not select.expanded)
        select.value = "2.2 Partial derivatives and the gradient::Practice on a loss"
        await wait_until(pilot, lambda: len(app.screen.rows or []) == 1)
        lines = _lines(app)
        assert "2.2 Partial…" in lines[2]  # the chosen section, cut on its own line
        assert "derivatives" not in lines[3]  # not wrapped onto the select's bottom edge


async def test_the_drill_set_up_lists_long_sections_one_line_each(
    build_app: Callable[..., QuizcalcApp], content: Path
) -> None:
    (content / "long.md").write_text(LONG_SECTIONS, encoding="utf-8")
    app = build_app(toasts=False)
    async with app.run_test(size=SMALL) as pilot:
        await wait_ready(pilot)
        await pilot.press("d")
        await wait_until(pilot, lambda: bool(app.screen.query(Select)))
        select = app.screen.query(Select).first()
        select.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: select.expanded)
        options = [line.split("▊")[-1] for line in _lines(app) if "▊    2.7 Batch" in line]
        assert len(options) == 1 and "…" in options[0]  # one line, cut: not wrapped mid-name
        assert "gradient descent" not in screen_text(app)
