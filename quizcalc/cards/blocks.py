"""Block-level reading helpers: the markdown-it setup, source lines, card prefixes."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from quizcalc.cards.problem_block import PROBLEM_INFO

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token
    from markdown_it.tree import SyntaxTreeNode

__all__ = [
    "CARD_PREFIX",
    "ID_COMMENT",
    "MAX_NESTING",
    "NUMBERED_TITLE",
    "TOO_DEEP",
    "flatten_inline",
    "inline_content",
    "is_problem_fence",
    "markdown_parser",
    "normalise_source",
    "plain_text_of",
    "prefix_letter",
    "strip_prefix",
    "trim_block",
]

CARD_PREFIX = re.compile(r"(?:(\*\*|__)([QAC]):\1|([QAC]):(?!:))[ \t]*")
"""``Q:``, ``A:`` or ``C:`` (also bold, ``**Q:**``) at the start of a line."""
ID_COMMENT = re.compile(r"\s*<!--\s*id\s*:(.*?)-->\s*", re.DOTALL)


NUMBERED_TITLE = re.compile(r"(\d+(?:\.[0-9A-Za-z]+)+)\.?\s+[—–-]{1,2}\s+\S.*")
"""A plain-text section title such as ``2.1 — The derivative`` (level = number of parts)."""


MAX_NESTING = 20
"""Block nesting markdown-it reads (its CommonMark default): a list level counts 2 (list and
item), a quote level 1, so 10 nested lists. Deeper text is not parsed (Python's recursion
limit is behind the cap); ``TOO_DEEP`` records where, so it is reported, not dropped."""

TOO_DEEP = "quizcalc_too_deep"
"""``env`` key: the 0-based lines left unread because they sit deeper than ``MAX_NESTING``."""


def _too_deep(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """First block rule: past ``MAX_NESTING``, step over one line and record it.

    markdown-it itself would skip to the end of the enclosing block, which for a list at the
    top of a file is the end of the file: every card after it vanished without a word. One
    line at a time, the enclosing list or quote still ends where its indentation does.
    """
    if state.level < MAX_NESTING or silent:
        return False
    state.env.setdefault(TOO_DEEP, []).append(start_line)
    state.line = start_line + 1
    return True


def _heading_inlines(state: StateCore) -> None:
    """markdown-it's ``inline`` core rule for headings only: the walk reads every other
    block's raw text (``inline_content``), never its inline tokens, and parsing them all was
    two thirds of a file's parse. A paragraph's inline token keeps no children."""
    previous: Token | None = None
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            if previous is not None and previous.type == "heading_open":
                state.md.inline.parse(token.content, state.md, state.env, token.children)
        previous = token


@lru_cache(maxsize=2)
def markdown_parser(plain_text: bool) -> MarkdownIt:
    """The shared parser; imported on first use so ``import quizcalc.cards`` stays cheap.

    Parse with an ``env`` dict: lines nested too deeply to read are listed under ``TOO_DEEP``.
    """
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    # Setext headings are off: in a card file ``A: text`` followed by ``---`` is an answer
    # and a separator, not a level-2 heading.
    parser = MarkdownIt("commonmark").use(front_matter_plugin).enable("table")
    parser.disable("lheading")
    parser.core.ruler.at("inline", _heading_inlines)
    parser.block.ruler.before(parser.block.ruler.get_all_rules()[0], "too_deep", _too_deep)
    parser.options["maxNesting"] = MAX_NESTING + 1  # our rule stops first, and reports
    if plain_text:
        # In text saved from a web page, ``# ...`` lines are code comments, not headings.
        parser.disable("heading")
    return parser


def normalise_source(text: str) -> str:
    """Line endings and NULs as markdown-it normalises them, so token maps index our lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")
    return text.removeprefix("\ufeff")


def prefix_letter(line: str) -> str:
    """``Q``, ``A`` or ``C`` when ``line`` starts with that prefix, else ``""``."""
    match = CARD_PREFIX.match(line.lstrip())
    if match is None:
        return ""
    return match.group(2) or match.group(3)


def strip_prefix(line: str) -> str:
    """``line`` without leading space and its ``Q:``/``A:``/``C:`` prefix."""
    stripped = line.lstrip()
    match = CARD_PREFIX.match(stripped)
    return stripped[match.end() :] if match else stripped


def trim_block(text: str) -> str:
    """Drop leading blank lines and trailing whitespace, keep indentation inside."""
    lines = text.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines).rstrip()


def inline_content(node: SyntaxTreeNode) -> str:
    """The raw inline text of a paragraph or heading node ("" for other nodes)."""
    children = node.children
    return children[0].content if children and children[0].type == "inline" else ""


def flatten_inline(tokens: list[Token]) -> list[Token]:
    """``tokens`` with each inline token's markup (emphasis, links) dropped, its text kept.

    The walk reads a paragraph's raw text and a heading's plain text, never the markup; and
    a tree of 2,500 nested ``*emphasis*`` would take Python past its recursion limit.
    """
    for token in tokens:
        if token.type == "inline" and token.children:
            token.children = [child for child in token.children if child.nesting == 0]
            for child in token.children:
                if child.type == "image":  # its alt text, as plain text, becomes its content
                    child.content = "".join(map(_plain_token_text, child.children or []))
                child.children = None
    return tokens


def _plain_token_text(token: Token) -> str:
    if token.type in ("text", "code_inline"):
        return token.content
    if token.type in ("softbreak", "hardbreak"):
        return " "
    return "".join(map(_plain_token_text, token.children or []))


def plain_text_of(node: SyntaxTreeNode) -> str:
    """A heading's text without Markdown markup."""
    if node.type in ("text", "code_inline", "image"):
        return node.content
    if node.type in ("softbreak", "hardbreak"):
        return " "
    return "".join(plain_text_of(child) for child in node.children)


def is_problem_fence(node: SyntaxTreeNode) -> bool:
    """True for a fenced block whose info string is ``problem``."""
    return node.type == "fence" and node.info.split()[:1] == [PROBLEM_INFO]
