"""One LaTeX math expression → readable Unicode for a terminal.

pylatexenc parses the LaTeX and names the symbols (``\\nabla`` → ``∇``); this module lays
them out the way a reader expects: ``\\frac{a}{b}`` as ``a/b`` (bracketing multi-term parts),
sub/superscripts as Unicode where every character of every script of the expression has one
(``x^2`` → ``x²``, ``w_i`` → ``wᵢ``), else all of them as ``w_ij`` / ``e^(-x/2)`` / ``x^2`` (one
expression never mixes ``fₓ`` with ``f_y``), environments as ``[4 1; 1 6]`` and
``{x, x > 0; 0, otherwise}``, and spaces around relations and binary operators, as TeX does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.latexwalker import (
    LatexCharsNode,
    LatexCommentNode,
    LatexEnvironmentNode,
    LatexGroupNode,
    LatexMacroNode,
    LatexMathNode,
    LatexSpecialsNode,
    LatexWalker,
    get_default_latex_context_db,
)
from pylatexenc.macrospec import MacroSpec

from quizcalc.cards.math_cells import ENVIRONMENTS, grid_cells

__all__ = ["math_to_unicode"]

SUPERSCRIPTS = dict(
    zip(
        "0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWβγδθιφχ⊤*'′",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵝᵞᵟᶿᶥᵠᵡᵀ*′′",
        strict=True,
    )
)
"""Characters with a widely supported superscript form."""
SUBSCRIPTS = dict(
    zip(
        "0123456789+-−=()aehiklmnoprstuvxβγρφχ",
        "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ",
        strict=True,
    )
)
"""Characters with a widely supported subscript form (``j`` has none that fonts show well)."""

_SYMBOLS: dict[str, tuple[str, str]] = {
    # Relations and arrows (spaced on both sides).
    **{name: (text, "rel") for name, text in {
        "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "approx": "≈",
        "to": "→", "rightarrow": "→", "leftarrow": "←", "gets": "←", "Rightarrow": "⇒",
        "implies": "⇒", "Leftarrow": "⇐", "iff": "⇔", "Leftrightarrow": "⇔",
        "leftrightarrow": "↔", "mapsto": "↦", "in": "∈", "notin": "∉", "subset": "⊂",
        "subseteq": "⊆", "supset": "⊃", "supseteq": "⊇", "sim": "∼", "simeq": "≃",
        "cong": "≅", "equiv": "≡", "propto": "∝", "ll": "≪", "gg": "≫", "mid": "∣",
        "coloneqq": "≔", "perp": "⊥", "parallel": "∥",
    }.items()},
    # Binary operators (spaced unless unary).
    **{name: (text, "bin") for name, text in {
        "cdot": "·", "times": "×", "pm": "±", "mp": "∓", "circ": "∘", "div": "÷", "cup": "∪",
        "cap": "∩", "oplus": "⊕", "otimes": "⊗", "odot": "⊙", "ast": "∗", "setminus": "∖",
        "wedge": "∧", "land": "∧", "vee": "∨", "lor": "∨", "star": "⋆",
    }.items()},
    # Ordinary symbols.
    **{name: (text, "ord") for name, text in {
        "partial": "∂", "nabla": "∇", "infty": "∞", "dots": "…", "ldots": "…", "cdots": "⋯",
        "vdots": "⋮", "ddots": "⋱", "top": "⊤", "prime": "′", "forall": "∀", "exists": "∃",
        "emptyset": "∅", "varnothing": "∅", "neg": "¬", "lnot": "¬", "ell": "ℓ", "hbar": "ℏ",
        "|": "‖", "Vert": "‖", "lVert": "‖", "rVert": "‖", "vert": "|", "lvert": "|",
        "rvert": "|", "%": "%", "$": "$", "&": "&", "#": "#", "_": "_",
    }.items()},
    **{name: (text, "open") for name, text in {
        "langle": "⟨", "lfloor": "⌊", "lceil": "⌈", "{": "{", "lbrace": "{",
    }.items()},
    **{name: (text, "close") for name, text in {
        "rangle": "⟩", "rfloor": "⌋", "rceil": "⌉", "}": "}", "rbrace": "}",
    }.items()},
    # Large and named operators (``lim``, ``∑``) take their limits as scripts.
    **{name: (text, "op") for name, text in {
        "sum": "∑", "prod": "∏", "int": "∫", "oint": "∮", "lim": "lim", "max": "max",
        "min": "min", "sup": "sup", "inf": "inf", "arg": "arg", "argmax": "argmax",
        "argmin": "argmin", "log": "log", "ln": "ln", "exp": "exp", "sin": "sin", "cos": "cos",
        "tan": "tan", "det": "det", "dim": "dim", "ker": "ker", "Pr": "Pr", "tr": "tr",
        "limsup": "lim sup", "liminf": "lim inf", "gcd": "gcd", "deg": "deg", "sgn": "sgn",
    }.items()},
    # Explicit spacing: one space however wide; ``\!`` and sizing commands vanish.
    **{name: (" ", "space") for name in (",", ";", ":", " ", "quad", "qquad", "enspace")},
    **{name: ("", "none") for name in (
        "!", "left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr",
        "biggl", "biggr", "displaystyle", "textstyle", "scriptstyle", "limits", "nolimits",
        "middle",
    )},
}  # fmt: skip
"""Symbols laid out by this module (with their TeX spacing class); others ask pylatexenc."""

_CHAR_CLASSES = {
    **dict.fromkeys("=<>", "rel"),
    **dict.fromkeys("+-*", "bin"),
    **dict.fromkeys(",;:", "punct"),
    **dict.fromkeys("([", "open"),
    **dict.fromkeys(")]", "close"),
    "/": "slash",
}
_TEXT_MACROS = frozenset({"text", "textrm", "textit", "textbf", "mbox", "emph", "textsf"})
_PLAIN_MACROS = frozenset(
    {"mathrm", "mathit", "mathbf", "boldsymbol", "bm", "mathsf", "mathtt", "operatorname"}
)
_FRACTIONS = frozenset({"frac", "dfrac", "tfrac", "cfrac"})
_ROOTS = {"3": "∛", "4": "∜"}
_SPACED = frozenset({"rel", "bin"})


@dataclass
class _Atom:
    text: str
    kind: str = "ord"
    """TeX-like class: ord, bin, rel, punct, open, close, op, space, inner (a flat fraction
    or root, spaced from its neighbours: ``d/dx sin x``, ``√x y``)."""


@lru_cache(maxsize=1)
def _latex_context() -> Any:
    """pylatexenc's macro table plus the argument shapes of macros it does not know."""
    context = get_default_latex_context_db()
    two = ("dfrac", "tfrac", "cfrac", "binom", "dbinom", "tbinom")
    one = ("operatorname", "boldsymbol", "bm", "mathbb", "mathcal", "mathfrak", "text")
    macros = [MacroSpec(name, "{{") for name in two] + [MacroSpec(name, "{") for name in one]
    context.add_context_category("quizcalc", macros=macros, prepend=True)
    return context


@lru_cache(maxsize=1)
def _symbol_namer() -> LatexNodes2Text:
    return LatexNodes2Text(math_mode="text", strict_latex_spaces=True)


def unicode_script(text: str, table: dict[str, str]) -> str | None:
    """``text`` in Unicode sub/superscript characters, or None when one has no such form."""
    if text and all(char in table for char in text):
        return "".join(table[char] for char in text)
    return None


def _script(text: str, marker: str) -> str:
    """``text`` as a marked script: ``_i``, ``_ij``, ``^(-x/2)``."""
    if len(text) <= 1 or (text.isascii() and text.isalnum()):
        return f"{marker}{text}"  # ``^T``, ``_ij``: one plain run reads unambiguously
    if text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        return f"{marker}{text}"  # ``^(l)``, not ``^((l))``
    return f"{marker}({text})"


def _top_level(text: str) -> str:
    """``text`` without what its parentheses and brackets enclose."""
    kept: list[str] = []
    depth = 0
    for char in text:
        if char in "([":
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
        elif depth == 0:
            kept.append(char)
    return "".join(kept)


_OPERATORS = " +-−=<>,/·×±∓≤≥≠→"


def bracketed_numerator(text: str) -> str:
    """A numerator laid flat, parenthesised when it has more than one term: ``(a + b)/c``
    (a leading minus needs none: ``-(x - μ)²/2`` is ``-((x - μ)²/2)`` anyway)."""
    outside = _top_level(text)
    if any(char in _OPERATORS for char in outside.lstrip("-−")):
        return f"({text})"
    return text


_SUBSCRIPTS = "\u2080-\u209c\u1d62-\u1d6a\u2c7c"
"""Unicode subscript letters and digits (₀…₉, ₐ…ₜ, ᵢ…ᵪ, ⱼ)."""
_SCRIPTS = f"{_SUBSCRIPTS}\u2070-\u207f\u00b2\u00b3\u00b9\u1d40-\u1d61"
"""Subscripts and superscripts: what may follow a subscript within one factor (``x₁²``)."""
_SUBSCRIPT_THEN_FACTOR = re.compile(
    rf"_(?:\([^)]*\)|[^\s(])[^\s){_SCRIPTS}^]|[{_SUBSCRIPTS}][^\s){_SCRIPTS}^]"
)
"""A subscript with another factor right after it: ``σ_Xσ_Y``, ``n₁n₂``."""


def bracketed_factor(text: str) -> str:
    """A denominator or radicand laid flat, parenthesised unless it is one factor: ``a/(2σ²)``,
    ``√(2π)``, but ``∂f/∂x``, ``1/h²``, ``√x``."""
    outside = _top_level(text)
    several = any(char in _OPERATORS + "√∛∜" for char in outside)
    several = several or bool(re.match(r"[0-9.]+[^0-9.⁰¹²³⁴⁵⁶⁷⁸⁹]", outside))
    several = several or (text.count("(") - text.count("((") > 1 and text.startswith("("))
    # a subscript with another factor after it: σ_Xσ_Y must not read as σ_X times … / σ_Y
    several = several or bool(_SUBSCRIPT_THEN_FACTOR.search(outside))
    if several and not (text.startswith("(") and text.endswith(")") and _balanced(text[1:-1])):
        return f"({text})"
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _space_between(previous: str | None, kind: str) -> bool:
    """TeX's rule, simplified: space around relations and binary operators, after commas,
    and between a named operator and its operand (``sin x``), never inside brackets' edges."""
    if previous in ("space", "open") or kind == "close":
        return False
    if "slash" in (previous, kind):  # an inline division binds tight: ``σ/√n``, ``1/√t``
        return False
    if kind in _SPACED or previous in _SPACED or previous == "punct":
        return True
    if "inner" in (previous, kind):  # ``d/dx sin x``, ``2 1/2``: a fraction laid flat needs air
        return previous in ("ord", "op", "inner") and kind in ("ord", "op", "inner")
    if kind == "op":
        return previous in ("ord", "op")
    return previous == "op" and kind == "ord"


def _join(atoms: list[_Atom], *, spaced: bool = True) -> str:
    """Lay atoms out on a line with TeX's spacing (or none, for scripts)."""
    pieces: list[str] = []
    previous: str | None = None
    for atom in atoms:
        kind = atom.kind
        if kind == "none" or (kind == "space" and not spaced):
            continue
        if kind == "bin" and previous in (None, "bin", "rel", "open", "punct", "op"):
            kind = "sign"  # a unary minus hugs its operand
        if kind == "space":
            if pieces and previous not in ("space", "open"):
                pieces.append(" ")
                previous = "space"
            continue
        hugs = bool(pieces) and atom.text.startswith("(")
        # sin(x), f'(x) — but lim_(h→0) (…)/h keeps its space
        hugs = hugs and ((previous == "op" and pieces[-1].isalpha()) or pieces[-1].endswith("'"))
        if spaced and pieces and not hugs and _space_between(previous, kind):
            pieces.append(" ")
        pieces.append(atom.text)
        previous = kind
    return "".join(pieces).strip()


def node_items(nodes: list[Any] | None) -> list[Any]:
    """Nodes with character runs split into single characters (a script takes one) and
    comments dropped: what both the one-line form and the 2-D layout walk."""
    items: list[Any] = []
    for node in nodes or []:
        if isinstance(node, LatexCharsNode):
            items.extend(node.chars)
        elif not isinstance(node, LatexCommentNode):
            items.append(node)
    return items


class _Renderer:
    """Turns pylatexenc nodes into atoms.

    With ``unicode_scripts`` it writes scripts as Unicode characters and notes in
    ``fell_back`` when one script has none (the caller then renders again without).
    """

    def __init__(self, *, unicode_scripts: bool = True) -> None:
        self.unicode_scripts = unicode_scripts
        self.fell_back = False

    def atoms(self, nodes: list[Any] | None) -> list[_Atom]:
        """The atoms of a node list."""
        return self._item_atoms(node_items(nodes))

    def _item_atoms(self, items: list[Any]) -> list[_Atom]:
        atoms: list[_Atom] = []
        index = 0
        while index < len(items):
            item = items[index]
            index += 1
            if isinstance(item, str) and item in "^_":
                argument, index = self._script_argument(items, index)
                table, marker = (SUPERSCRIPTS, "^") if item == "^" else (SUBSCRIPTS, "_")
                base = atoms.pop() if atoms else _Atom("")
                base.text += self._script_text(argument, table, marker)
                atoms.append(base)
            elif isinstance(item, str):
                if not item.isspace():
                    atoms.append(_Atom(item, _CHAR_CLASSES.get(item, "ord")))
            else:
                atoms.extend(self._node(item))
                is_sizer = isinstance(item, LatexMacroNode) and item.macroname in ("left", "right")
                if is_sizer and index < len(items) and items[index] == ".":
                    index += 1  # ``\left.`` is an invisible delimiter
        return atoms

    def _script_text(self, argument: list[Any], table: dict[str, str], marker: str) -> str:
        text = _join(self._item_atoms(argument), spaced=False)
        unicode = unicode_script(text, table) if self.unicode_scripts else None
        if unicode is None:
            self.fell_back = True
            return _script(text, marker)
        return unicode

    def _script_argument(self, items: list[Any], index: int) -> tuple[list[Any], int]:
        """The items of the one token (character, group or command) after ``^`` / ``_``."""
        while index < len(items) and isinstance(items[index], str) and items[index].isspace():
            index += 1
        if index >= len(items):
            return [], index
        item = items[index]
        if isinstance(item, LatexGroupNode):
            return node_items(item.nodelist), index + 1
        return [item], index + 1

    def compact(self, nodes: list[Any] | None) -> str:
        return _join(self.atoms(nodes), spaced=False)

    def spaced(self, nodes: list[Any] | None) -> str:
        return _join(self.atoms(nodes))

    def _argument(self, node: LatexMacroNode, position: int) -> list[Any]:
        arguments = node.nodeargd.argnlist if node.nodeargd is not None else []
        if position >= len(arguments) or arguments[position] is None:
            return []
        argument = arguments[position]
        return list(argument.nodelist or []) if isinstance(argument, LatexGroupNode) else [argument]

    def _node(self, node: Any) -> list[_Atom]:
        if isinstance(node, LatexGroupNode):
            return [_Atom(self.spaced(node.nodelist))]
        if isinstance(node, LatexMathNode):
            return self.atoms(node.nodelist)
        if isinstance(node, LatexMacroNode):
            return self._macro(node)
        if isinstance(node, LatexEnvironmentNode) and node.environmentname in ENVIRONMENTS:
            return [_Atom(self._environment(node), "inner")]
        if isinstance(node, LatexEnvironmentNode):
            return [_Atom(" ".join(_symbol_namer().nodelist_to_text([node]).split()))]
        if isinstance(node, LatexSpecialsNode):
            special = node.specials_chars
            return [_Atom(" ", "space")] if special == "~" else [_Atom(special, "punct")]
        return []

    def _environment(self, node: LatexEnvironmentNode) -> str:
        """A grid on one line: ``[4 1; 1 6]``, ``{x, x > 0; 0, otherwise}``, ``a = b; c = d``."""
        shape = ENVIRONMENTS[node.environmentname]
        rows = []
        for row in grid_cells(node.nodelist):
            cells = [self.spaced(cell) for cell in row]
            separator = " " if shape.align != "l" else ", "
            rows.append(separator.join(cell for cell in cells if cell))
        body = "; ".join(rows)
        if shape.align == "c" and not shape.left:
            return f"[{body}]"
        if shape.align == "l":
            return f"{shape.left or '{'}{body}{shape.right or '}'}"
        return f"{shape.left}{body}{shape.right}"

    def _macro(self, node: LatexMacroNode) -> list[_Atom]:
        name = node.macroname
        if name in _FRACTIONS:
            numerator = bracketed_numerator(self.spaced(self._argument(node, 0)))
            denominator = bracketed_factor(self.spaced(self._argument(node, 1)))
            return [_Atom(f"{numerator}/{denominator}", "inner")]
        if name in ("binom", "dbinom", "tbinom"):
            top, bottom = self.spaced(self._argument(node, 0)), self.spaced(self._argument(node, 1))
            return [_Atom(f"C({top}, {bottom})")]
        if name == "sqrt":
            radicand = self.spaced(self._argument(node, 1))
            degree = self.compact(self._argument(node, 0))
            sign = _ROOTS.get(degree, "√" if not degree else f"{degree}√")
            body = bracketed_factor(radicand) if len(radicand) > 1 else radicand
            return [_Atom(sign + body, "inner")]
        if name in _TEXT_MACROS:
            return [_Atom(_symbol_namer().nodelist_to_text(self._argument(node, 0)))]
        if name in _PLAIN_MACROS:
            kind = "op" if name == "operatorname" else "ord"
            return [_Atom(self.compact(self._argument(node, 0)), kind)]
        if name in _SYMBOLS:
            text, kind = _SYMBOLS[name]
            return [_Atom(text, kind)]
        text = _symbol_namer().nodelist_to_text([node]).strip()
        if not text and not (node.nodeargd and node.nodeargd.argnlist):
            return [_Atom(name, "op")]  # unknown command: its name reads better than nothing
        return [_Atom(text, _CHAR_CLASSES.get(text, "ord"))]


def math_to_unicode(latex: str) -> str:
    """Render the LaTeX math ``latex`` (no delimiters) as one line of Unicode text."""
    walker = LatexWalker(latex, latex_context=_latex_context(), tolerant_parsing=True)
    nodes, _, _ = walker.get_latex_nodes()
    renderer = _Renderer()
    text = renderer.spaced(nodes)
    if renderer.fell_back:  # one script has no Unicode form: write every script the same way
        text = _Renderer(unicode_scripts=False).spaced(nodes)
    return text
