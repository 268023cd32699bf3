"""One LaTeX display formula → a two-dimensional Unicode picture.

pylatexenc parses the formula exactly as the author wrote it (the order of terms is kept:
nothing goes through SymPy expressions); SymPy's box algebra (``stringPict`` /
``prettyForm``) puts the pieces together: a fraction is stacked over a rule, a script is
raised or lowered beside its base, ``∑``/``lim`` carry their limits above and below, and
matrices, ``cases`` and ``aligned`` become aligned grids inside tall brackets. Symbols,
spacing and the names of things come from the one-line renderer (``cards.math_text``), so
both forms agree. A construct this module does not know raises :class:`Unsupported` (the
caller shows the one-line form instead).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pylatexenc.latexwalker import (
    LatexEnvironmentNode,
    LatexGroupNode,
    LatexMacroNode,
    LatexMathNode,
    LatexSpecialsNode,
    LatexWalker,
)
from sympy.printing.pretty.pretty_symbology import pretty_use_unicode
from sympy.printing.pretty.stringpict import stringPict

from quizcalc.cards.math_cells import ENVIRONMENTS, grid_cells
from quizcalc.cards.math_text import (
    _CHAR_CLASSES,
    _FRACTIONS,
    _PLAIN_MACROS,
    _ROOTS,
    _SYMBOLS,
    _TEXT_MACROS,
    SUBSCRIPTS,
    SUPERSCRIPTS,
    _latex_context,
    _space_between,
    _symbol_namer,
    node_items,
    unicode_script,
)
from quizcalc.typeset.boxes import fenced, form, joined, pad, text_box

__all__ = ["Unsupported", "layout"]

_STACKED_LIMITS = frozenset(
    {"∑", "∏", "lim", "max", "min", "sup", "inf", "argmax", "argmin", "lim sup", "lim inf"}
)
"""Operators whose limits go above and below them (``∫`` takes them beside, as scripts)."""


class Unsupported(Exception):
    """The formula uses something this layout does not draw (show the one-line form)."""


@dataclass
class _Box:
    """A laid-out piece and its TeX spacing class (as in ``cards.math_text``)."""

    pict: stringPict
    kind: str = "ord"

    @property
    def line(self) -> str | None:
        """The text of a one-line piece (None when it is taller)."""
        return self.pict.picture[0] if self.pict.height() == 1 else None


class _Layout:
    """Turns pylatexenc nodes into boxes (one instance lays out one formula)."""

    def __init__(self, *, unicode_scripts: bool) -> None:
        self.unicode_scripts = unicode_scripts
        self.fell_back = False
        """A one-line script had no Unicode form (lay out again with every script raised)."""

    # -- rows -------------------------------------------------------------------------------

    def row(self, nodes: list[Any] | None, *, spaced: bool = True) -> stringPict:
        """The nodes laid out side by side."""
        return self._row(self._boxes(node_items(nodes)), spaced=spaced)

    @staticmethod
    def _row(boxes: list[_Box], *, spaced: bool = True) -> stringPict:
        """Boxes side by side with TeX's spacing (the same rule as the one-line form)."""
        parts: list[Any] = []
        previous: str | None = None
        last_line = ""
        for box in boxes:
            kind = box.kind
            if kind == "none" or (kind == "space" and not spaced):
                continue
            if kind == "bin" and previous in (None, "bin", "rel", "open", "punct", "op"):
                kind = "sign"
            if kind == "space":
                if parts and previous not in ("space", "open"):
                    parts.append(" ")
                    previous = "space"
                continue
            line = box.line
            hugs = bool(parts) and line is not None and line.startswith("(")
            hugs = hugs and ((previous == "op" and last_line.isalpha()) or last_line.endswith("'"))
            # "- ───", not "-───" (a minus before a raised script still hugs: "-x²")
            tall_after_sign = previous == "sign" and kind == "inner" and line is None
            if parts and (
                tall_after_sign or (spaced and not hugs and _space_between(previous, kind))
            ):
                parts.append(" ")
            parts.append(box.pict)
            previous, last_line = kind, line or ""
        while parts and parts[-1] == " ":
            parts.pop()
        return joined(parts)

    def _boxes(self, items: list[Any]) -> list[_Box]:
        boxes: list[_Box] = []
        index = 0
        while index < len(items):
            item = items[index]
            index += 1
            if isinstance(item, str) and item in "^_":
                scripts: dict[str, list[Any]] = {}
                index = self._scripts(items, index - 1, scripts)
                base = boxes.pop() if boxes else _Box(text_box(""))
                boxes.append(self._scripted(base, scripts.get("^"), scripts.get("_")))
            elif isinstance(item, str):
                if not item.isspace():
                    boxes.append(_Box(text_box(item), _CHAR_CLASSES.get(item, "ord")))
            elif isinstance(item, LatexMacroNode) and item.macroname == "left":
                box, index = self._delimited(items, index)
                boxes.append(box)
            elif isinstance(item, LatexMacroNode) and item.macroname == "right":
                raise Unsupported("\\right without \\left")
            else:
                boxes.extend(self._node(item))
        return boxes

    # -- scripts ----------------------------------------------------------------------------

    def _scripts(self, items: list[Any], index: int, found: dict[str, list[Any]]) -> int:
        """Read ``^…`` and ``_…`` (either order) from ``items[index]`` into ``found``."""
        while index < len(items) and isinstance(items[index], str) and items[index] in "^_":
            marker = items[index]
            index += 1
            while index < len(items) and isinstance(items[index], str) and items[index].isspace():
                index += 1
            if marker in found or index >= len(items):
                raise Unsupported("double or empty script")
            item = items[index]
            index += 1
            found[marker] = (
                node_items(item.nodelist) if isinstance(item, LatexGroupNode) else [item]
            )
            while index < len(items) and isinstance(items[index], str) and items[index].isspace():
                index += 1
        return index

    def _scripted(self, base: _Box, sup: list[Any] | None, sub: list[Any] | None) -> _Box:
        high = self.row(sup, spaced=False) if sup is not None else None
        low = self.row(sub, spaced=False) if sub is not None else None
        if base.kind == "op" and base.line in _STACKED_LIMITS:
            pieces = [p for p in (high, base.pict, low) if p is not None]
            lines = [
                line for p in pieces for line in pad(p, max(q.width() for q in pieces), "c").picture
            ]
            baseline = (high.height() if high else 0) + base.pict.baseline
            return _Box(text_box("\n".join(lines), baseline), "op")
        inline = self._unicode_scripts(base, high, low)
        if inline is not None:
            return _Box(text_box(inline), base.kind)
        return _Box(self._raised(base.pict, high, low), base.kind)

    def _unicode_scripts(
        self, base: _Box, high: stringPict | None, low: stringPict | None
    ) -> str | None:
        """``base`` with its scripts as Unicode characters, when all three are one line."""
        if base.line is None or any(p is not None and p.height() > 1 for p in (high, low)):
            return None
        text = base.line
        for pict, table in ((low, SUBSCRIPTS), (high, SUPERSCRIPTS)):
            if pict is None:
                continue
            script = unicode_script(pict.picture[0], table) if self.unicode_scripts else None
            if script is None:
                self.fell_back = True
                return None
            text += script
        return text

    @staticmethod
    def _raised(base: stringPict, high: stringPict | None, low: stringPict | None) -> stringPict:
        """Scripts beside ``base``: the superscript above its top line, the subscript below."""
        width = max(p.width() for p in (high, low) if p is not None)
        column = [line for line in pad(high, width, "l").picture] if high else []
        column += [" " * width] * base.height()
        column += [line for line in pad(low, width, "l").picture] if low else []
        baseline = (high.height() if high else 0) + base.baseline
        return joined([base, text_box("\n".join(column), baseline)])

    # -- \left … \right ---------------------------------------------------------------------

    def _delimiter(self, items: list[Any], index: int) -> tuple[str, int]:
        if index >= len(items):
            raise Unsupported("\\left or \\right without a delimiter")
        item = items[index]
        if isinstance(item, str):
            return ("" if item == "." else item), index + 1
        if isinstance(item, LatexMacroNode) and item.macroname in _SYMBOLS:
            return _SYMBOLS[item.macroname][0], index + 1
        raise Unsupported("unknown delimiter")

    def _delimited(self, items: list[Any], index: int) -> tuple[_Box, int]:
        """``\\left( … \\right)`` (``index`` is just after ``\\left``) as a tall-fenced box."""
        left, index = self._delimiter(items, index)
        depth, end = 0, index
        while end < len(items):
            item = items[end]
            if isinstance(item, LatexMacroNode) and item.macroname in ("left", "right"):
                depth += 1 if item.macroname == "left" else -1
                if depth < 0:
                    break
            end += 1
        else:
            raise Unsupported("\\left without \\right")
        right, after = self._delimiter(items, end + 1)
        inner = self._row(self._boxes(items[index:end]))
        return _Box(fenced(inner, left, right), "inner"), after

    # -- nodes ------------------------------------------------------------------------------

    def _argument(self, node: LatexMacroNode, position: int) -> list[Any]:
        arguments = node.nodeargd.argnlist if node.nodeargd is not None else []
        if position >= len(arguments) or arguments[position] is None:
            return []
        argument = arguments[position]
        return list(argument.nodelist or []) if isinstance(argument, LatexGroupNode) else [argument]

    def _node(self, node: Any) -> list[_Box]:
        if isinstance(node, LatexGroupNode):
            return [_Box(self.row(node.nodelist))]
        if isinstance(node, LatexMathNode):
            return self._boxes(node_items(node.nodelist))
        if isinstance(node, LatexMacroNode):
            return [self._macro(node)]
        if isinstance(node, LatexEnvironmentNode):
            return [self._environment(node)]
        if isinstance(node, LatexSpecialsNode):
            if node.specials_chars == "&":
                raise Unsupported("& outside a grid")
            special = node.specials_chars
            return (
                [_Box(text_box(" "), "space")]
                if special == "~"
                else [_Box(text_box(special), "punct")]
            )
        raise Unsupported(type(node).__name__)

    def _macro(self, node: LatexMacroNode) -> _Box:
        name = node.macroname
        if name in _FRACTIONS:
            top, bottom = self.row(self._argument(node, 0)), self.row(self._argument(node, 1))
            if any("─" in part.picture[part.baseline] for part in (top, bottom)):
                # a fraction over or under a fraction: the main rule outreaches the inner one
                width = max(top.width(), bottom.width()) + 2
                top, bottom = pad(top, width, "c"), pad(bottom, width, "c")
            return _Box(form(top) / form(bottom), "inner")
        if name in ("binom", "dbinom", "tbinom"):
            top, bottom = self.row(self._argument(node, 0)), self.row(self._argument(node, 1))
            stacked = stringPict(*stringPict.stack(top, bottom))
            return _Box(fenced(stacked, "(", ")"), "inner")
        if name == "sqrt":
            return _Box(self._root(node), "inner")
        if name in _TEXT_MACROS:
            return _Box(text_box(_symbol_namer().nodelist_to_text(self._argument(node, 0))))
        if name in _PLAIN_MACROS:
            return _Box(
                self.row(self._argument(node, 0), spaced=False),
                "op" if name == "operatorname" else "ord",
            )
        if name in _SYMBOLS:
            text, kind = _SYMBOLS[name]
            return _Box(text_box(text), kind)
        if name in ("\\", "cr", "newline"):
            raise Unsupported("line break outside a grid")
        text = _symbol_namer().nodelist_to_text([node]).strip()
        if "\n" in text:
            raise Unsupported(name)
        if not text and not (node.nodeargd and node.nodeargd.argnlist):
            return _Box(text_box(name), "op")
        return _Box(text_box(text), _CHAR_CLASSES.get(text, "ord"))

    def _root(self, node: LatexMacroNode) -> stringPict:
        """``√`` with a bar over a one-line radicand (``√(…)`` around a taller one)."""
        radicand = self.row(self._argument(node, 1))
        degree = self.row(self._argument(node, 0), spaced=False)
        index = degree.picture[0] if degree.height() == 1 else ""
        sign = _ROOTS.get(
            index, "√" if not index else (unicode_script(index, SUPERSCRIPTS) or index) + "√"
        )
        if radicand.height() > 1:
            return joined([sign, fenced(radicand, "(", ")")])
        barred = stringPict(*radicand.above("_" * radicand.width()))
        return joined([text_box(sign), barred])

    def _environment(self, node: LatexEnvironmentNode) -> _Box:
        shape = ENVIRONMENTS.get(node.environmentname)
        if shape is None:
            raise Unsupported(node.environmentname)
        rows = [[self.row(cell) for cell in row] for row in grid_cells(node.nodelist)]
        columns = max(len(row) for row in rows)
        widths = [
            max((row[c].width() for row in rows if c < len(row)), default=0) for c in range(columns)
        ]
        lines: list[str] = []
        gap_rows = shape.align == "l" or any(cell.height() > 1 for row in rows for cell in row)
        for number, row in enumerate(rows):
            parts: list[Any] = []
            for column, width in enumerate(widths):
                cell = row[column] if column < len(row) else text_box("")
                align = shape.align if shape.align != "rl" else "rl"[column % 2]
                if parts:
                    gap = 1 if shape.align == "rl" and column % 2 else max(shape.cell_gap, 2)
                    parts.append(" " * gap)
                parts.append(pad(cell, width, align))
            if number and gap_rows:
                lines.append("")
            lines.extend(joined(parts).picture)
        width = max(len(line) for line in lines)
        grid = text_box("\n".join(line.ljust(width) for line in lines), (len(lines) - 1) // 2)
        if shape.left or shape.right:
            inner = joined([" " if shape.left else "", grid, " " if shape.right else ""])
            grid = fenced(inner, shape.left, shape.right)
        return _Box(grid, "inner")


def layout(latex: str) -> list[str]:
    """The lines of ``latex`` (display math, no delimiters) drawn in two dimensions.

    Raises :class:`Unsupported` for what it does not draw. Every script of the formula is
    written the same way: Unicode characters when each one-line script has them (``x²``,
    ``wᵢ``), else raised and lowered beside its base.
    """
    walker = LatexWalker(latex, latex_context=_latex_context(), tolerant_parsing=True)
    nodes, _, _ = walker.get_latex_nodes()
    was_unicode = pretty_use_unicode(True)
    try:
        drawer = _Layout(unicode_scripts=True)
        pict = drawer.row(nodes)
        if drawer.fell_back:
            pict = _Layout(unicode_scripts=False).row(nodes)
    finally:
        pretty_use_unicode(was_unicode)
    return [line.rstrip() for line in pict.picture]
