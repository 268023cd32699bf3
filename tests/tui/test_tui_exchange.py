"""Export and import from the command palette, as `quizcalc export`/`import` from the shell."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from quizcalc.tui.app import QuizcalcApp
from quizcalc.tui.modals.path_prompt import PathPrompt
from tests.tui.conftest import NOW, notified, palette_settled, screen_text, wait_ready, wait_until

SIZE = (100, 30)


async def _run(pilot: Pilot[Any], name: str) -> None:
    """Open the palette, type ``name`` and run the best match."""
    app = pilot.app
    await pilot.press("ctrl+p", *name)
    await wait_until(pilot, lambda: palette_settled(app))
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, PathPrompt))


async def _submit(pilot: Pilot[Any], path: Path | str) -> None:
    pilot.app.screen.query_one("#path-input", Input).value = str(path)
    await pilot.press("enter")


def _titled(app: QuizcalcApp, title: str) -> list[str]:
    return [n.message for n in notified(app) if n.title == title]


async def test_export_from_the_palette_writes_the_file_and_says_so(
    build_app: Callable[..., QuizcalcApp], tmp_path: Path
) -> None:
    app = build_app()
    out = tmp_path / "out" / "cards.md"
    out.parent.mkdir()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await _run(pilot, "export")
        assert "Write every card to a file" in screen_text(app)
        await pilot.press("enter")  # nothing typed: said in the box, which stays open
        await wait_until(pilot, lambda: "Type a path first" in screen_text(app))
        await _submit(pilot, out)
        await wait_until(pilot, lambda: bool(_titled(app, "Exported")))
        assert _titled(app, "Exported") == [f"exported 4 cards (4 notes) to {out}"]
    assert "derivative of" in out.read_text(encoding="utf-8")


async def test_a_backup_path_exports_the_whole_collection(
    build_app: Callable[..., QuizcalcApp], tmp_path: Path
) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await _run(pilot, "export")
        await _submit(pilot, tmp_path / "backup.json")
        await wait_until(pilot, lambda: bool(_titled(app, "Exported")))
    assert (tmp_path / "backup.json").stat().st_size > 0


async def test_an_unknown_format_is_one_error_line_and_writes_nothing(
    build_app: Callable[..., QuizcalcApp], tmp_path: Path
) -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await _run(pilot, "export")
        await _submit(pilot, tmp_path / "cards.docx")
        await wait_until(pilot, lambda: bool(_titled(app, "Not exported")))
        assert "cards.docx" in _titled(app, "Not exported")[0]
    assert not (tmp_path / "cards.docx").exists()


async def test_import_from_the_palette_adds_the_cards_to_home(
    build_app: Callable[..., QuizcalcApp], tmp_path: Path
) -> None:
    deck = tmp_path / "extra.md"
    deck.write_text("Q: What is 2 + 2?\nA: 4\n\nQ: What is 3 + 3?\nA: 6\n", encoding="utf-8")
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        assert app.service is not None
        before = app.service.home(NOW).total_cards
        await _run(pilot, "import")
        await pilot.press("escape")  # cancelled: nothing happens
        await wait_until(pilot, lambda: not isinstance(app.screen, PathPrompt))
        await _run(pilot, "import")
        await _submit(pilot, tmp_path / "missing.md")
        await wait_until(pilot, lambda: bool(_titled(app, "Not imported")))
        assert "missing.md: no such file or folder" in _titled(app, "Not imported")[0]

        await _run(pilot, "import")
        await _submit(pilot, deck)
        await wait_until(pilot, lambda: bool(_titled(app, "Imported")))
        assert app.service.home(NOW).total_cards == before + 2
        home = app.home_screen
        await wait_until(
            pilot, lambda: bool(home.summary and home.summary.total_cards == before + 2)
        )
        assert _titled(app, "Imported") == [
            f"{deck}: added 2 · updated 0 · retired 0 · unchanged 0"
        ]
