"""Card text between our Markdown and the HTML Anki stores in its note fields.

Out: Markdown is rendered with markdown-it-py (CommonMark, tables); raw HTML in a card is shown
as text, never passed through, so ``a <b> c`` reaches Anki as ``a &lt;b&gt; c``. Math in any
of our four spellings (``$…$``, ``$$…$$``, ``\\(…\\)``, ``\\[…\\]``) becomes MathJax's
``\\(…\\)`` / ``\\[…\\]``, which Anki renders.

In: Anki's field HTML becomes Markdown our parser reads: paragraphs, line breaks, lists,
emphasis, code and MathJax kept; other tags dropped; entities decoded.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import unquote

if TYPE_CHECKING:  # markdown-it loads when a field is rendered: an export of stored HTML skips it
    from markdown_it import MarkdownIt
    from markdown_it.renderer import RendererHTML
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token
    from markdown_it.utils import EnvType, OptionsDict

__all__ = ["anki_html_to_markdown", "field_html", "markdown_to_anki_html"]


def _inline_math(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return f"\\({html.escape(tokens[idx].content, quote=False)}\\)"


def _display_math(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """Display math inside a paragraph (``\\[…\\]`` or ``$$…$$`` in a sentence)."""
    return f"\\[{html.escape(tokens[idx].content, quote=False)}\\]"


def _block_math(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    content = tokens[idx].content
    if tokens[idx].markup == "$$":  # dollarmath's block drops the newlines around its body
        content = content.strip("\n")
    return f"<p>\\[{html.escape(content, quote=False)}\\]</p>\n"


def _render_image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """An image as Anki's editor writes it: ``<img src="name">``, the name as the package
    lists it (not percent-encoded), so a media reference comes back byte for byte."""
    src = unquote(str(tokens[idx].attrGet("src") or ""))
    return f'<img src="{html.escape(src)}">'


_DISPLAY_IN_LINE = re.compile(r"\\\[([\s\S]+?)\\\]")


def _display_math_rule(state: StateInline, silent: bool) -> bool:
    """``\\[…\\]`` in running text: kept whole (texmath only sees it opening a block)."""
    if not state.src.startswith("\\[", state.pos):
        return False
    found = _DISPLAY_IN_LINE.match(state.src, state.pos, state.posMax)
    if found is None:
        return False
    if not silent:
        token = state.push("math_display_inline", "math", 0)
        token.content = found[1]
        token.markup = "\\["
    state.pos = found.end()
    return True


_CLOSING_LINE = re.compile(r"\\\[[\s\S]+?\\\]([^\n]*)")
"""A ``\\[…\\]`` from its opening, and the rest of the line its ``\\]`` closes."""

BlockRule = Callable[["StateBlock", int, int, bool], bool]


def _whole_lines(rule: BlockRule) -> BlockRule:
    """texmath's ``\\[…\\]`` block, taken only when nothing but blanks follows its ``\\]``.

    The block rule ends its block at the closing line, and drops whatever else that line holds
    (``\\[ x \\] and more`` lost "and more"). With text after it, the lines stay a paragraph
    and the display maths in it is kept by :func:`_display_math_rule`.
    """

    def guarded(state: StateBlock, begin_line: int, end_line: int, silent: bool) -> bool:
        begin = state.bMarks[begin_line] + state.tShift[begin_line]
        found = _CLOSING_LINE.match(state.src, begin)
        if found is None or found[1].strip():
            return False
        return rule(state, begin_line, end_line, silent)

    return guarded


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.texmath.index import make_block_func, make_inline_func, rules

    md = (
        MarkdownIt("commonmark", {"html": False})
        .enable("table")
        .use(dollarmath_plugin, allow_space=True, double_inline=True)
    )
    # texmath's "brackets" rules, but not its equation-label block (``\\] (label)``: not card
    # syntax, and its pattern runs on past the blank line, eating a next paragraph that opens
    # with "(").
    brackets = rules["brackets"]
    md.inline.ruler.before("escape", "math_inline", make_inline_func(brackets["inline"][0]))
    [block] = [rule for rule in brackets["block"] if rule["name"] == "math_block"]
    md.block.ruler.before("fence", "math_block", _whole_lines(make_block_func(block)))
    md.add_render_rule("image", _render_image)
    md.inline.ruler.before("escape", "math_display_inline", _display_math_rule)
    for name in ("math_inline", "math_single"):
        md.add_render_rule(name, _inline_math)
    for name in ("math_inline_double", "math_display_inline"):
        md.add_render_rule(name, _display_math)
    for name in ("math_block", "math_block_eqno", "math_inline_double_block"):
        md.add_render_rule(name, _block_math)
    return md


_BLOCK_START = re.compile(r"[ \t]*(?:[#>*+=|`~_-]|\d+[.)]|\$\$|\\\[|\[|$)")
"""How a line may open something other than a paragraph (heading, quote, list, rule,
table, fence, display math, link reference definition) — or be blank."""


def _one_paragraph(text: str) -> bool:
    """True for one line that can only be a paragraph: the inline parser alone renders it."""
    if not text or text != text.strip() or "\n" in text or "\r" in text:
        return False
    return not _BLOCK_START.match(text)


def _plain_paragraphs(text: str) -> list[str] | None:
    """``text``'s paragraphs when it is nothing else: paragraphs apart by one blank line,
    each line of which can only continue a paragraph (see :func:`_one_paragraph`); else None.
    Such text needs no block parser: each paragraph is its lines, rendered inline."""
    paragraphs = text.split("\n\n")
    for paragraph in paragraphs:
        if not all(_one_paragraph(line) for line in paragraph.split("\n")):
            return None
    return paragraphs


def markdown_to_anki_html(text: str) -> str:
    """One card field as Anki HTML: Markdown rendered, raw HTML escaped, math as MathJax.

    A single paragraph loses its ``<p>`` wrapper, as Anki's own editor writes fields. Text
    that can only be paragraphs (one line, or plain lines apart by blank lines) skips the
    block parser (twice as fast; property tests check both paths agree).
    """
    if _one_paragraph(text):
        return _renderer().renderInline(text).strip()
    paragraphs = _plain_paragraphs(text)
    if paragraphs is not None:
        inline = [_renderer().renderInline(paragraph) for paragraph in paragraphs]
        return inline[0] if len(inline) == 1 else "\n".join(f"<p>{p}</p>" for p in inline)
    rendered = _renderer().render(text).strip()
    if rendered.count("<p>") == 1 and rendered.startswith("<p>") and rendered.endswith("</p>"):
        rendered = rendered[3:-4]
    return rendered


def field_html(rendered: Mapping[str, str], text: str) -> str:
    """``text`` as Anki HTML: from ``rendered`` (rendered beforehand, keyed by the Markdown
    itself, e.g. :attr:`~quizcalc.exchange.model.ExchangeCard.html`) when there, else now."""
    found = rendered.get(text)
    return markdown_to_anki_html(text) if found is None else found


_BLOCKS = {"p", "div", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5"}
_MARKS = {"b": "**", "strong": "**", "i": "*", "em": "*"}
_SCRIPTS = {"sup": "^", "sub": "_"}


def _script(text: str, marker: str) -> str:
    """``<sup>``/``<sub>`` text as Unicode (``²``) when every character has a form, else
    ``^(…)`` / ``_(…)``."""
    from quizcalc.cards.math_text import SUBSCRIPTS, SUPERSCRIPTS

    table = SUPERSCRIPTS if marker == "^" else SUBSCRIPTS
    if text and all(char in table and char != table[char] for char in text):
        return "".join(table[char] for char in text)
    return f"{marker}({text})" if text else ""


def _image(src: str) -> str:
    """An image reference as Markdown (``![](name)``; ``<…>`` around a name with spaces)."""
    src = src.strip()
    if not src or any(char in src for char in "<>\n"):
        return ""
    return (
        f"![]({src})" if " " not in src and "(" not in src and ")" not in src else f"![](<{src}>)"
    )


def _table(rows: list[list[str]]) -> str:
    """A GFM table: the first row is its header; short rows are padded."""
    rows = [row for row in rows if row]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    lines = []
    for index, row in enumerate(rows):
        cells = [*row, *[""] * (width - len(row))]
        lines.append("| " + " | ".join(cells) + " |")
        if index == 0:
            lines.append("|" + "|".join([" --- "] * width) + "|")
    return "\n\n" + "\n".join(lines) + "\n\n"


class _ToMarkdown(HTMLParser):
    """Collects Markdown while walking Anki's field HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lists: list[list[int]] = []
        self.in_pre = False
        self.skip = 0
        self.tables: list[list[list[str]]] = []
        """Open tables, each its rows of cell texts."""
        self.cell: int | None = None
        """Where the open table cell's text starts in ``parts``."""
        self.scripts: list[tuple[str, int]] = []
        """Open ``<sup>``/``<sub>``: marker and where their text starts in ``parts``."""

    def _take(self, start: int) -> str:
        text = "".join(self.parts[start:])
        del self.parts[start:]
        return text

    def _close_cell(self) -> None:
        if self.cell is None or not self.tables:
            return
        text = " ".join(self._take(self.cell).split()).replace("|", "\\|")
        if not self.tables[-1]:
            self.tables[-1].append([])
        self.tables[-1][-1].append(text)
        self.cell = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self.skip += 1
        elif tag == "br":
            self.parts.append(" " if self.cell is not None else "\n")
        elif tag == "table":
            self._close_cell()
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._close_cell()
            self.tables[-1].append([])
        elif tag in {"td", "th"} and self.tables:
            self._close_cell()
            self.cell = len(self.parts)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
            if tag in {"ul", "ol"}:
                self.lists.append([0 if tag == "ol" else -1])
        elif tag == "li":
            marker = "- "
            if self.lists and self.lists[-1][0] >= 0:
                self.lists[-1][0] += 1
                marker = f"{self.lists[-1][0]}. "
            self.parts.append("\n" + "  " * max(len(self.lists) - 1, 0) + marker)
        elif tag in _MARKS:
            self.parts.append(_MARKS[tag])
        elif tag in _SCRIPTS:
            self.scripts.append((_SCRIPTS[tag], len(self.parts)))
        elif tag == "img":
            self.parts.append(_image(dict(attrs).get("src") or ""))
        elif tag == "pre":
            self.in_pre = True
            self.parts.append("\n\n```\n")
        elif tag == "code" and not self.in_pre:
            self.parts.append("`")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self.skip = max(self.skip - 1, 0)
        elif tag in {"td", "th"}:
            self._close_cell()
        elif tag == "table" and self.tables:
            self._close_cell()
            self.parts.append(_table(self.tables.pop()))
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
            if tag in {"ul", "ol"} and self.lists:
                self.lists.pop()
        elif tag in _MARKS:
            self.parts.append(_MARKS[tag])
        elif tag in _SCRIPTS and self.scripts and self.scripts[-1][0] == _SCRIPTS[tag]:
            marker, start = self.scripts.pop()
            self.parts.append(_script(self._take(start).strip(), marker))
        elif tag == "pre":
            self.in_pre = False
            if self.parts and self.parts[-1].endswith("\n"):
                self.parts[-1] = self.parts[-1][:-1]
            self.parts.append("\n```\n\n")
        elif tag == "code" and not self.in_pre:
            self.parts.append("`")

    def handle_data(self, data: str) -> None:
        if self.skip or (not self.in_pre and "\n" in data and not data.strip()):
            return
        self.parts.append(data if self.in_pre else data.replace("\xa0", " "))

    def markdown(self) -> str:
        while self.tables:  # a table never closed: keep what it held
            self._close_cell()
            self.parts.append(_table(self.tables.pop()))
        text = "".join(self.parts)
        text = "\n".join(line.rstrip() for line in text.split("\n"))
        return re.sub(r"\n{3,}", "\n\n", text).strip()


def anki_html_to_markdown(field: str) -> str:
    """One Anki note field as Markdown our parser reads (best effort; never raises)."""
    if "<" not in field and "&" not in field:
        return field.strip()
    reader = _ToMarkdown()
    try:
        reader.feed(field)
        reader.close()
    except Exception:
        return html.unescape(re.sub(r"<[^>]*>", " ", field)).strip()
    return reader.markdown()
