"""The walk over one document's blocks that turns card syntax into ``Card``s."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from quizcalc.cards.blocks import (
    ID_COMMENT,
    MAX_NESTING,
    NUMBERED_TITLE,
    TOO_DEEP,
    flatten_inline,
    inline_content,
    is_problem_fence,
    markdown_parser,
    normalise_source,
    plain_text_of,
    prefix_letter,
    strip_prefix,
    trim_block,
)
from quizcalc.cards.cloze import has_anki_cloze, parse_anki_cloze, parse_bracket_cloze
from quizcalc.cards.collector import NO_ANSWER, CardCollector
from quizcalc.cards.frontmatter import read_front_matter
from quizcalc.cards.model import ParseResult
from quizcalc.cards.obsidian_syntax import multiline_separator, split_inline_pair
from quizcalc.cards.problem_block import read_problem_block
from quizcalc.cards.sentences import split_question
from quizcalc.cards.unread import unread_card_lines

if TYPE_CHECKING:
    from markdown_it.tree import SyntaxTreeNode

__all__ = ["DocumentParser"]

_ORPHAN_ID = "id comment is not followed by a card (put it on the line right above one)"


@dataclass
class DocumentParser:
    """Reads one document: construct with text and source, then call ``parse()``."""

    text: str
    source: str
    known_families: Collection[str] | None = None
    plain_text: bool = False
    lines: list[str] = field(default_factory=list)
    blocks: list[SyntaxTreeNode] = field(default_factory=list)
    out: CardCollector = field(init=False)

    def __post_init__(self) -> None:
        self.out = CardCollector(self.source)

    # ----------------------------------------------------------------- the walk

    def parse(self) -> ParseResult:
        """Parse the text (raises only on a parser bug; ``parse_document`` guards that)."""
        from markdown_it.tree import SyntaxTreeNode

        self.text = normalise_source(self.text)
        self.lines = self.text.split("\n")
        env: dict[str, list[int]] = {}
        tokens = markdown_parser(self.plain_text).parse(self.text, env)
        tree = SyntaxTreeNode(flatten_inline(tokens))
        self.blocks = [node for node in tree.children if node.map is not None]
        if self.blocks and self.blocks[0].type == "front_matter":
            self._read_front_matter(self.blocks.pop(0))
        self._walk()
        too_deep = env.get(TOO_DEEP, [])
        self._report_too_deep(too_deep)
        so_far = self.out.result()
        for line, message in unread_card_lines(
            tokens, self.lines, so_far.cards, so_far.problems, too_deep
        ):
            self.out.report(line, message)
        return self.out.result()

    def _report_too_deep(self, unread: list[int]) -> None:
        """One message per run of lines nested too deeply to read (blank lines join runs)."""
        runs: list[list[int]] = []
        for line in unread:
            between = self.lines[runs[-1][1] + 1 : line] if runs else None
            if between is not None and not any(text.strip() for text in between):
                runs[-1][1] = line
            else:
                runs.append([line, line])
        for first, last in runs:
            where = f"line {first + 1} is" if first == last else f"lines {first + 1}-{last + 1} are"
            self.out.report(
                first + 1,
                f"{where} nested too deeply to read (at most {MAX_NESTING // 2} lists or "
                f"{MAX_NESTING} quotes inside each other); indent less",
            )

    def _walk(self) -> None:
        pending_id: tuple[str, int] | None = None
        index = 0
        while index < len(self.blocks):
            block = self.blocks[index]
            if block.type == "html_block" and ID_COMMENT.fullmatch(block.content):
                if pending_id is not None:
                    self.out.report(pending_id[1], _ORPHAN_ID)
                pending_id = self._read_id_comment(block)
                index += 1
                continue
            notes_before = self.out.note_count
            index = self._read_block(index)
            if pending_id is not None:
                if self.out.note_count > notes_before:
                    self.out.set_explicit_id(notes_before, pending_id[0])
                else:
                    self.out.report(pending_id[1], _ORPHAN_ID)
                pending_id = None
        if pending_id is not None:
            self.out.report(pending_id[1], _ORPHAN_ID)

    def _read_block(self, index: int) -> int:
        """Read the block at ``index``; returns the index of the next unread block."""
        block = self.blocks[index]
        if block.type == "heading":
            level = int(block.tag[1:]) if block.tag[1:].isdigit() else 1
            self.out.enter_section(level, plain_text_of(block))
        elif is_problem_fence(block):
            self._problem_card(block)
        elif block.type == "paragraph":
            return self._paragraph(index)
        elif block.type in ("bullet_list", "ordered_list", "blockquote"):
            self._nested_paragraphs(block)
        return index + 1

    # ------------------------------------------------------------------ blocks

    def _read_front_matter(self, block: SyntaxTreeNode) -> None:
        front, problems = read_front_matter(block.content)
        body_line = block.map[0] + 2 if block.map else 2
        for offset, message in problems:
            self.out.report(body_line + offset, message)
        if front.deck is not None:
            self.out.deck = front.deck
        self.out.base_tags = front.tags

    def _read_id_comment(self, block: SyntaxTreeNode) -> tuple[str, int] | None:
        line = block.map[0] + 1 if block.map else 1
        match = ID_COMMENT.fullmatch(block.content)
        value = match.group(1).strip() if match else ""
        if not value or len(value.split()) != 1:
            self.out.report(
                line, "explicit id must be one word, e.g. <!-- id: chain-rule-basics -->"
            )
            return None
        return value, line

    def _problem_card(self, block: SyntaxTreeNode) -> None:
        line = block.map[0] + 1 if block.map else 1
        spec, problems = read_problem_block(block.content)
        for offset, message in problems:
            self.out.report(line + 1 + offset, message)
        if spec is None:
            return
        if self.known_families is not None and spec.family not in self.known_families:
            known = ", ".join(sorted(self.known_families)[:12]) or "none registered"
            self.out.report(line, f"unknown problem family {spec.family!r} (known: {known})")
        self.out.add_problem(spec, line)

    def _nested_paragraphs(self, container: SyntaxTreeNode) -> None:
        """Clozes and ``question::answer`` lines inside lists and block quotes."""
        for node in container.walk(include_self=False):
            if node.type != "paragraph" or node.map is None:
                continue
            content = inline_content(node)
            if has_anki_cloze(content):
                self.out.add_cloze(parse_anki_cloze(content), content.strip(), node.map[0] + 1)
            else:
                self._inline_pairs(content.split("\n"), node.map[0])

    # -------------------------------------------------------------- paragraphs

    def _paragraph(self, index: int) -> int:
        block = self.blocks[index]
        start, end = block.map or (0, 0)
        lines = self.lines[start:end]
        letter = prefix_letter(lines[0]) if lines else ""
        if letter in ("Q", "C"):
            return self._card_paragraph(index)
        if letter == "A":
            self.out.report(start + 1, "A: without a preceding Q:")
            return index + 1
        content = inline_content(block)
        if has_anki_cloze(content):
            self.out.add_cloze(parse_anki_cloze(content), content.strip(), start + 1)
            return index + 1
        if self.plain_text and len(lines) == 1:
            title = NUMBERED_TITLE.fullmatch(lines[0].strip())
            if title is not None:
                self.out.enter_section(title.group(1).count(".") + 1, lines[0])
                return index + 1
        separator = multiline_separator(lines)
        if separator is not None:
            return self._multiline_pair(index, *separator)
        self._inline_pairs(lines, start)
        return index + 1

    def _card_paragraph(self, index: int) -> int:
        """A paragraph starting ``Q:``/``C:``; each later ``Q:``/``C:`` line starts a new card."""
        start, end = self.blocks[index].map or (0, 0)
        lines = self.lines[start:end]
        starts = [k for k, line in enumerate(lines) if prefix_letter(line) in ("Q", "C")]
        next_index = index + 1
        for number, first in enumerate(starts):
            last_chunk = number == len(starts) - 1
            chunk = lines[first : starts[number + 1] if not last_chunk else len(lines)]
            if prefix_letter(chunk[0]) == "C":
                text = trim_block("\n".join([strip_prefix(chunk[0]), *chunk[1:]]))
                self.out.add_cloze(parse_bracket_cloze(text), text, start + first + 1)
            else:
                consumed = self._question(chunk, start + first, index if last_chunk else None)
                if last_chunk:
                    next_index = consumed
        return next_index

    def _question(self, chunk: list[str], first_line: int, index: int | None) -> int:
        """A ``Q:`` chunk; ``index`` is set when the chunk ends its paragraph, so an answer
        may continue into the blocks that follow. Returns the next unread block index."""
        body = [strip_prefix(chunk[0]), *chunk[1:]]
        next_index = index + 1 if index is not None else 0
        for k in range(1, len(body)):
            if prefix_letter(body[k]) == "A":
                answer_end = next_index
                if index is not None:
                    next_index = answer_end = self._answer_end(index + 1)
                answer = "\n".join([strip_prefix(body[k]), *body[k + 1 :]])
                answer += self._source_between(index, answer_end)
                self.out.add_basic(
                    trim_block("\n".join(body[:k])), trim_block(answer), first_line + 1
                )
                return next_index
        question_text = "\n".join(body)
        if index is not None and self._is_answer(index + 1):
            return self._answer_block(trim_block(question_text), first_line, index + 1)
        question, rest = split_question(question_text)
        if rest:
            self.out.add_basic(question, rest, first_line + 1)
            return next_index
        if index is not None:
            later = index + 1
            while later < len(self.blocks) and not self._is_boundary(self.blocks[later]):
                later += 1
            if self._is_answer(later):
                between = self._source_between(index, later)
                return self._answer_block(trim_block(question_text + between), first_line, later)
        self.out.report(first_line + 1, NO_ANSWER)
        return next_index

    def _answer_block(self, question: str, first_line: int, answer_index: int) -> int:
        """The answer starts with the ``A:`` paragraph at ``answer_index``."""
        answer_block = self.blocks[answer_index]
        start = answer_block.map[0] if answer_block.map else 0
        end_index = self._answer_end(answer_index + 1)
        last = self.blocks[end_index - 1]
        end = last.map[1] if last.map else start + 1
        lines = self.lines[start:end]
        answer = "\n".join([strip_prefix(lines[0]), *lines[1:]]) if lines else ""
        self.out.add_basic(question, trim_block(answer), first_line + 1)
        return end_index

    def _multiline_pair(self, index: int, separator: int, reversible: bool) -> int:
        """Obsidian's question lines, ``?`` (or ``??``), answer lines; ends at a blank line."""
        block = self.blocks[index]
        start, end = block.map or (0, 0)
        lines = self.lines[start:end]
        next_index = index + 1
        while next_index < len(self.blocks):
            following = self.blocks[next_index]
            if following.map is None or following.map[0] != end:
                break
            if self._is_boundary(following):
                break
            end = following.map[1]
            next_index += 1
            if not self.lines[end - 1].strip():
                break  # a list's map takes in the blank line that ends it
        question = trim_block("\n".join(lines[:separator]))
        answer = trim_block(
            "\n".join([*lines[separator + 1 :], *self.lines[start + len(lines) : end]])
        )
        if not question or not answer:
            self.out.report(
                start + 1, "a '?' card needs question lines above the '?' and answer lines below it"
            )
            return next_index
        self.out.add_basic(question, answer, start + 1, reversible=reversible)
        return next_index

    def _inline_pairs(self, lines: list[str], first_line: int) -> None:
        for offset, line in enumerate(lines):
            pair = split_inline_pair(line)
            if pair is not None:
                line_number = first_line + offset + 1
                self.out.add_basic(
                    pair.question, pair.answer, line_number, reversible=pair.reversible
                )

    # ------------------------------------------------------------- boundaries

    def _is_answer(self, index: int) -> bool:
        if index >= len(self.blocks) or self.blocks[index].type != "paragraph":
            return False
        block_map = self.blocks[index].map
        return block_map is not None and prefix_letter(self.lines[block_map[0]]) == "A"

    def _is_boundary(self, block: SyntaxTreeNode) -> bool:
        """Blocks that end an answer: headings, ``---``, the next card or id comment."""
        if block.type in ("heading", "hr", "front_matter"):
            return True
        if block.type == "html_block":
            return ID_COMMENT.fullmatch(block.content) is not None
        if block.type == "fence":
            return is_problem_fence(block)
        if block.type == "paragraph" and block.map is not None:
            if prefix_letter(self.lines[block.map[0]]):
                return True
            return has_anki_cloze(inline_content(block))
        return False

    def _answer_end(self, index: int) -> int:
        while index < len(self.blocks) and not self._is_boundary(self.blocks[index]):
            index += 1
        return index

    def _source_between(self, index: int | None, last_index: int) -> str:
        """Source lines after block ``index`` through the end of block ``last_index - 1``
        (the continuation blocks of an answer), with a leading newline; "" if none."""
        if index is None or last_index <= index + 1:
            return ""
        first = self.blocks[index].map
        last = self.blocks[last_index - 1].map
        if first is None or last is None:
            return ""
        return "\n" + "\n".join(self.lines[first[1] : last[1]])
