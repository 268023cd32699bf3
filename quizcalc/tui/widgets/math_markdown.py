"""Card Markdown with its maths drawn: the TUI's one renderer for cards and problem text.

The first frame shows maths in the one-line Unicode form (``cards.display``): the
two-dimensional layout (``quizcalc.typeset``) loads SymPy, so it is imported in a thread
worker after mount and every :class:`MathMarkdown` redraws once it is there. From then on a
display formula is a picture at the widget's width (stacked fractions, matrices, ``cases``),
redrawn when the width changes, and shown on one line when it does not fit.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.content import Content
from textual.message import Message
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownBlock, MarkdownFence

from quizcalc.cards.display import MATH_FENCE_INFO, latex_to_unicode

if TYPE_CHECKING:
    from markdown_it.token import Token

__all__ = [
    "MathFence",
    "MathMarkdown",
    "hold_typeset",
    "load_typeset",
    "release_typeset",
    "typeset_loaded",
]

_LOADED = threading.Event()
_MAY_LOAD = threading.Event()
_MAY_LOAD.set()
_DISPLAY_MARKERS = ("\\[", "$$")


def typeset_loaded() -> bool:
    """True once the two-dimensional layout is imported (display maths can be drawn)."""
    return _LOADED.is_set()


def hold_typeset() -> None:
    """Keep :func:`load_typeset` waiting until :func:`release_typeset`: a problem shown first
    is drawn in a worker, and SymPy's import would take the GIL from it and from its prompt."""
    _MAY_LOAD.clear()


def release_typeset() -> None:
    """Let :func:`load_typeset` go on (the first problem's prompt is on screen)."""
    _MAY_LOAD.set()


def load_typeset() -> None:
    """Import the two-dimensional layout (SymPy's boxes: about a quarter of a second).

    Waits while :func:`hold_typeset` holds it back (outside the lock, so a problem's draw is
    never kept waiting by it). SymPy's first import goes through :func:`load_sympy`'s lock: a
    problem's draw or the grader's warm-up in another worker may be importing it at the same
    moment.
    """
    _MAY_LOAD.wait(30)  # held back at most this long, whatever happens to the holder
    from quizcalc.sympy_import import load_sympy

    load_sympy()
    import quizcalc.typeset  # noqa: F401  (imported for its cost, here, off the UI thread)

    _LOADED.set()


class MathFence(MarkdownFence):
    """A fenced block; the one holding a drawn formula (info ``quizcalc-math``) is shown
    plainly, without a code block's background or highlighting."""

    def __init__(self, markdown: Markdown, token: Token, code: str) -> None:
        super().__init__(markdown, token, code)
        self.set_class(self.lexer == MATH_FENCE_INFO, "-math")

    @classmethod
    def highlight(cls, code: str, language: str, ansi: bool = False, dark: bool = False) -> Content:
        """A formula as it is drawn; code as Textual highlights it."""
        if language == MATH_FENCE_INFO:
            return Content(code)
        return super().highlight(code, language, ansi=ansi, dark=dark)


class MathMarkdown(Markdown):
    """A ``Markdown`` view of card text whose LaTeX maths is rendered for the terminal.

    Set its text with :meth:`show` (the LaTeX source), not ``update``.
    """

    BLOCKS: dict[str, type[MarkdownBlock]] = {  # noqa: RUF012  (as Markdown declares it)
        **Markdown.BLOCKS,
        "fence": MathFence,
        "code_block": MathFence,
    }
    DEFAULT_CSS = """
    MathMarkdown MathFence.-math {
        background: transparent;
        margin: 0 0 1 0;
        color: $foreground;
        & > Label { padding: 0; }
    }
    """

    class TypesetLoaded(Message):
        """The two-dimensional layout is imported: redraw the maths."""

    class Redrawn(Message):
        """The maths was drawn anew (in two dimensions, or at another width): the widget's
        height may have changed, and what sits below it moved."""

    def __init__(self, source: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.latex = source
        """The Markdown as written (LaTeX maths included): what the widget shows, rendered."""
        self._shown: str | None = None
        self._linear: tuple[str, str] | None = None
        self._drawn_width = 0
        self._known_width = 0

    async def show(self, source: str, linear: str | None = None) -> None:
        """Show the card Markdown ``source``, its maths rendered.

        ``linear`` is ``source``'s one-line form already rendered (cached by the study
        data): shown as it is until the two-dimensional layout has loaded.
        """
        self.latex = source
        self._linear = None if linear is None else (source, linear)
        await self._redraw()

    def rendered(self) -> str:
        """What :meth:`show` puts on screen for the current source and width."""
        # A hidden widget (the answer before it is revealed) has no width: use its last one.
        width = self.content_region.width or self._known_width
        self._known_width = width
        if not typeset_loaded() or width <= 0 or not _has_display_math(self.latex):
            if self._linear is not None and self._linear[0] == self.latex:
                return self._linear[1]
            return latex_to_unicode(self.latex)
        from quizcalc.typeset import render_markdown

        self._drawn_width = width
        return render_markdown(self.latex, width)

    async def _redraw(self) -> None:
        text = self.rendered()
        if text != self._shown:
            self._shown = text
            await self.update(text)
            self.post_message(self.Redrawn())

    def on_mount(self) -> None:
        """Start loading the layout (once per process) without holding up the first frame."""
        if self.latex:
            self.call_later(self._redraw)
        if not typeset_loaded():
            # After the first frame: the import holds the GIL for a quarter of a second.
            self.call_after_refresh(self._load)

    @work(thread=True, group="typeset")
    def _load(self) -> None:
        load_typeset()
        self.post_message(self.TypesetLoaded())

    async def on_math_markdown_typeset_loaded(self, message: TypesetLoaded) -> None:
        """Redraw in two dimensions now that the layout can."""
        message.stop()
        await self._redraw()

    async def on_resize(self, event: events.Resize) -> None:
        """A drawn formula follows the width (it falls back to one line when too wide)."""
        if typeset_loaded() and self.content_region.width != self._drawn_width:
            await self._redraw()

    async def on_show(self, event: events.Show) -> None:
        """Shown at last (the answer, on reveal): draw at the width it now has."""
        if typeset_loaded() and self.content_region.width != self._drawn_width:
            await self._redraw()


def _has_display_math(text: str) -> bool:
    return any(marker in text for marker in _DISPLAY_MARKERS)
