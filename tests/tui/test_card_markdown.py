"""A card imported from Anki, as the review screen's Markdown widget draws it."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownTable

from quizcalc.cards import latex_to_unicode

ANSWER = (
    "| x | x² |\n| --- | --- |\n| 1 | \\(1^2\\) |\n| 2 | 4 |\n\n![](curve.png) [sound:tone.mp3]"
)


class _Card(App[None]):
    def compose(self) -> ComposeResult:
        yield Markdown(latex_to_unicode(ANSWER))


async def test_a_table_is_drawn_as_a_table_and_media_as_named_placeholders() -> None:
    app = _Card()
    async with app.run_test() as pilot:
        await pilot.pause()
        [table] = app.query(MarkdownTable)
        cells = table.query("MarkdownTableCellContents")
        assert [str(cell.render()) for cell in cells] == ["x", "x²", "1", "1²", "2", "4"]
    assert latex_to_unicode(ANSWER).endswith("[image: curve.png] [sound: tone.mp3]")
