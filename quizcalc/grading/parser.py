"""Recursive-descent parser: tokens → unevaluated SymPy expressions. Nothing is ever ``eval``-ed.

Notation, loosest binding first::

    list     := expr ("," expr)*                      1, 2   (1, 2)   [1, 2]   <1, 2>
    expr     := term (("+" | "-") term)*
    term     := unary (("*" | "/") unary | factor)*   a factor right after another multiplies
    unary    := ("-" | "+") unary | power             -x^2 is −(x²)
    power    := primary ("^" unary)?                  ^ and ** are right-associative
    primary  := number | name | function | "√" power | "(" list ")" | "[" list "]" | "<" list ">"

Decisions (each is echoed back to the learner, so a surprise is visible before submitting):

- **Juxtaposition multiplies**, with or without a space: ``2x``, ``2 x``, ``x y``, ``2(x+1)``,
  ``(x+1)(x-1)``, ``2sin(x)``, ``x sin x``. Two numbers in a row (``2 3``) are an error, never 23
  or 6. Implicit and explicit products bind alike, left to right: ``1/2x`` is x/2.
- **A function without parentheses** takes the product that follows it, up to the next operator
  or function name: ``sin x^2`` is sin(x²) and ``sin 2x`` is sin(2x) (as in textbooks),
  ``sin x cos x`` is sin(x)·cos(x), ``sin x/2`` is sin(x)/2. A parenthesis right after the name
  (spaces allowed) holds the whole argument: ``sin(x)^2`` and ``sin (x)^2`` are (sin x)²;
  ``sin^2 x`` is (sin x)² too. ``√`` takes one power: ``√x^2`` is √(x²), ``√2x`` is √2·x.
- ``e`` is Euler's number unless the problem declares a variable ``e``; ``log`` and ``ln`` are both
  the natural log.
- Inside ``[ ]`` with ``;`` or line breaks (MATLAB style), rows are separated by ``;`` or newlines
  and entries by commas or, failing those, by spaces: ``[1 2; 3 4]``, ``[1 -2]`` is two entries
  but ``[1 - 2]`` is one. Top-level line breaks also separate rows.

Bounds, all checked while building (before anything is evaluated): at most 50 levels of nesting,
numbers (and constant subexpressions, estimated in log space from their children before they
are computed) within 10^±1000, exponents on variables at most 10^6 in size. Constant
subexpressions are checked for division by zero and non-real values (``sqrt(-4)``, ``log(0)``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sympy

from quizcalc.grading import numeric
from quizcalc.grading.brackets import (
    MAX_NESTING,
    is_sign,
    match_brackets,
    split_level,
    split_on_spaces,
    starts_factor,
)
from quizcalc.grading.errors import UnreadableAnswer
from quizcalc.grading.nodes import Node, NodeBuilder
from quizcalc.grading.tokenizer import Token, tokenize
from quizcalc.grading.vocabulary import Vocabulary

__all__ = ["Parsed", "ParsedList", "parse"]


@dataclass(frozen=True)
class ParsedList:
    """A vector, a matrix row or a matrix: what commas, brackets and ``;`` produced."""

    items: tuple[Any, ...]
    """SymPy expressions or nested :class:`ParsedList` (a matrix is a list of rows)."""
    bracket: str
    """``[``, ``(``, ``<``, ``""`` for bare commas, or ``row`` for a MATLAB-style row."""
    position: int
    """1-based position where it starts."""


Parsed = Any
"""A SymPy expression or a :class:`ParsedList`."""


def parse(text: str, vocabulary: Vocabulary) -> Parsed:
    """Read ``text`` as an expression, vector or matrix; raises :class:`UnreadableAnswer`."""
    return _Parser(tokenize(text, vocabulary), vocabulary).parse_all()


class _Parser:
    def __init__(self, tokens: list[Token], vocabulary: Vocabulary) -> None:
        self.tokens = tokens
        self.index = 0
        self.stop = len(tokens) - 1  # the end token; groups narrow it to their closing bracket
        self.depth = 0
        self.previous = Token("start", "", 1)
        self.symbols = {name: sympy.Symbol(name) for name in vocabulary.variables}
        self.matching = match_brackets(tokens)
        self.build = NodeBuilder()

    # -- token access -------------------------------------------------------------------

    def peek(self) -> Token:
        if self.index < self.stop:
            return self.tokens[self.index]
        return Token("end", "", self.tokens[self.stop].position)

    def advance(self) -> Token:
        token = self.peek()
        if token.kind != "end":
            self.index += 1
            self.previous = token
        return token

    @contextmanager
    def nested(self, position: int) -> Iterator[None]:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise UnreadableAnswer(
                f"the answer is nested too deeply (more than {MAX_NESTING} levels) "
                f"at position {position}",
                position,
            )
        try:
            yield
        finally:
            self.depth -= 1

    # -- lists, rows and matrices -------------------------------------------------------

    def parse_all(self) -> Parsed:
        layout = self.layout(0, self.stop, inside_brackets=False)
        if layout is not None:
            return layout
        items, bare = self.sequence()
        self.expect_end()
        if bare:
            return ParsedList(tuple(_plain(item) for item in items), "", 1)
        return _plain(items[0])

    def sequence(self) -> tuple[list[Node | ParsedList], bool]:
        items = [self.expression()]
        bare = False
        while self.peek().kind == "comma":
            self.advance()
            bare = True
            if self.peek().kind == "end":
                break  # a trailing comma: (3,) is a one-component vector
            items.append(self.expression())
        return items, bare

    def expect_end(self) -> None:
        token = self.peek()
        if token.kind == "end":
            return
        if token.kind in ("semicolon", "newline"):
            what = "‘;’" if token.kind == "semicolon" else "a line break"
            message = f"{what} at position {token.position} only separates matrix rows"
            raise UnreadableAnswer(message + ", e.g. [1 2; 3 4]", token.position)
        raise UnreadableAnswer(
            f"unexpected ‘{token.text}’ at position {token.position}", token.position
        )

    def layout(self, start: int, stop: int, inside_brackets: bool) -> ParsedList | None:
        """Rows and entries of a MATLAB-style matrix in tokens[start:stop], or None."""
        rows = split_level(self.tokens, start, stop, self.matching, ("semicolon", "newline"))
        if len(rows) == 1:
            if not inside_brackets:
                return None
            if len(split_level(self.tokens, start, stop, self.matching, ("comma",))) > 1:
                return None  # [a, b] goes through the ordinary parser
            entries = split_on_spaces(self.tokens, start, stop, self.matching)
            if len(entries) < 2:
                return None
            position = self.tokens[start].position
            return ParsedList(tuple(self.entry(a, b) for a, b in entries), "[", position)
        parsed_rows = []
        for row_start, row_stop in rows:
            if row_start == row_stop:
                continue  # a trailing ; or a blank line
            entries = self.row_entries(row_start, row_stop)
            parsed_rows.append(
                ParsedList(
                    tuple(self.entry(a, b) for a, b in entries),
                    "row",
                    self.tokens[row_start].position,
                )
            )
        position = self.tokens[start].position if start < len(self.tokens) else 1
        return ParsedList(tuple(parsed_rows), "[" if inside_brackets else "", position)

    def row_entries(self, start: int, stop: int) -> list[tuple[int, int]]:
        by_comma = split_level(self.tokens, start, stop, self.matching, ("comma",))
        if len(by_comma) > 1:
            return by_comma
        return split_on_spaces(self.tokens, start, stop, self.matching)

    def entry(self, start: int, stop: int) -> Parsed:
        if start == stop:
            position = self.tokens[start].position
            raise UnreadableAnswer(f"an entry is missing at position {position}", position)
        saved = (self.index, self.stop)
        self.index, self.stop = start, stop
        try:
            item = self.expression()
            self.expect_end()
        finally:
            self.index, self.stop = saved
        return _plain(item)

    # -- expressions ----------------------------------------------------------------------

    def expression(self) -> Node | ParsedList:
        with self.nested(self.peek().position):
            first = self.term()
            if not is_sign(self.peek()):
                return first
            terms = [self.scalar(first)]
            while is_sign(self.peek()):
                operator = self.advance()
                term = self.scalar(self.term())
                terms.append(term if operator.text == "+" else self.build.negate(term))
            return self.build.combine(sympy.Add, terms)

    def term(self) -> Node | ParsedList:
        first = self.unary()
        factors = [first]
        while True:
            token = self.peek()
            if token.kind == "operator" and token.text in "*/":
                self.advance()
                operand = self.scalar(self.unary())
                if token.text == "*":
                    factors.append(operand)
                else:
                    factors[-1:] = self.build.divide(self.scalar(factors[-1]), operand, token)
            elif starts_factor(token):
                self.check_juxtaposition(token)
                factors.append(self.power())
            else:
                break
        if len(factors) == 1:
            return factors[0]
        return self.build.combine(sympy.Mul, [self.scalar(factor) for factor in factors])

    def unary(self) -> Node | ParsedList:
        token = self.peek()
        if is_sign(token):
            self.advance()
            with self.nested(token.position):
                operand = self.scalar(self.unary())
            return operand if token.text == "+" else self.build.negate(operand)
        return self.power()

    def power(self) -> Node | ParsedList:
        base = self.primary()
        caret = self.peek()
        if caret.kind == "operator" and caret.text == "^":
            self.advance()
            with self.nested(caret.position):
                exponent = self.scalar(self.unary())
            return self.build.raise_to(self.scalar(base), exponent, caret)
        return base

    def primary(self) -> Node | ParsedList:
        token = self.advance()
        if token.kind == "number":
            return self.build.number(token)
        if token.kind == "variable":
            return Node(self.symbols[token.text], None, token.position)
        if token.kind == "constant":
            constant = sympy.pi if token.text == "pi" else sympy.E
            return Node(
                constant, numeric.to_mpf(self.build.ctx, constant), token.position, literal=True
            )
        if token.kind == "function":
            return self.function(token)
        if token.kind == "root":
            with self.nested(token.position):
                if not starts_factor(self.peek()):
                    raise self.missing_after(token, "√2 or √(x+1)")
                radicand = self.scalar(self.power())
            return self.build.apply("sqrt", radicand, token)
        if token.kind == "open":
            return self.group(token)
        raise self.unexpected(token)

    def group(self, opener: Token) -> Node | ParsedList:
        open_index = self.index - 1
        close_index = self.matching[open_index]
        with self.nested(opener.position):
            if opener.text == "[":
                layout = self.layout(open_index + 1, close_index, inside_brackets=True)
                if layout is not None:
                    self.index = close_index + 1
                    self.previous = self.tokens[close_index]
                    return layout
            saved_stop = self.stop
            self.stop = close_index
            if self.peek().kind == "end":
                raise UnreadableAnswer(
                    f"empty brackets at position {opener.position}", opener.position
                )
            items, bare = self.sequence()
            self.expect_end()
            self.stop = saved_stop
            self.index = close_index + 1
            self.previous = self.tokens[close_index]
        if opener.text == "(" and not bare:
            item = items[0]
            return Node(item.expr, item.value, opener.position) if isinstance(item, Node) else item
        return ParsedList(tuple(_plain(item) for item in items), opener.text, opener.position)

    def function(self, token: Token) -> Node:
        exponent = None
        if self.peek().kind == "operator" and self.peek().text == "^":  # sin^2 x
            caret = self.advance()
            power = self.primary() if starts_factor(self.peek()) else None
            if not (isinstance(power, Node) and power.expr.is_Integer and power.expr > 0):
                raise UnreadableAnswer(
                    f"‘{token.text}^’ at position {caret.position} needs a positive whole power "
                    f"(sin^2 x); inverse functions such as sin^-1 are not supported",
                    caret.position,
                )
            exponent = power
        if self.peek().kind == "open" and self.peek().text == "(":
            group = self.group(self.advance())
            if isinstance(group, ParsedList):
                raise UnreadableAnswer(
                    f"‘{token.text}’ at position {token.position} takes one argument",
                    token.position,
                )
            argument = group
        else:
            argument = self.function_argument(token)
        result = self.build.apply(token.text, argument, token)
        return self.build.raise_to(result, exponent, token) if exponent is not None else result

    def function_argument(self, token: Token) -> Node:
        following = self.peek()
        if not (starts_factor(following) or is_sign(following)):
            raise self.missing_after(token, f"{token.text}(x)")
        with self.nested(token.position):
            factors = [self.scalar(self.unary())]
            while starts_factor(self.peek()) and self.peek().kind not in ("function", "root"):
                self.check_juxtaposition(self.peek())
                factors.append(self.scalar(self.power()))
        return factors[0] if len(factors) == 1 else self.build.combine(sympy.Mul, factors)

    # -- building nodes (with the numeric checks) ----------------------------------------

    def scalar(self, item: Node | ParsedList) -> Node:
        if isinstance(item, Node):
            return item
        if (
            len(item.items) == 1
            and item.bracket == "["
            and not isinstance(item.items[0], ParsedList)
        ):
            return Node(item.items[0], None, item.position)
        raise UnreadableAnswer(
            f"the list at position {item.position} can't be used in arithmetic", item.position
        )

    def check_juxtaposition(self, token: Token) -> None:
        if token.kind == "number" and self.previous.kind == "number":
            raise UnreadableAnswer(
                f"two numbers in a row at position {token.position} "
                f"(‘{self.previous.text} {token.text}’): add an operator such as *, "
                f"or separate entries with commas",
                token.position,
            )

    def unexpected(self, token: Token) -> UnreadableAnswer:
        if token.kind == "end":
            after = f" after ‘{self.previous.text}’" if self.previous.text else ""
            return UnreadableAnswer(f"something is missing at the end{after}", token.position)
        if token.kind in ("semicolon", "newline"):
            self.index -= 1
            try:
                self.expect_end()
            except UnreadableAnswer as error:
                return error
        if token.kind == "operator":
            return UnreadableAnswer(
                f"‘{token.text}’ at position {token.position} needs something before it",
                token.position,
            )
        return UnreadableAnswer(
            f"unexpected ‘{token.text}’ at position {token.position}", token.position
        )

    def missing_after(self, token: Token, example: str) -> UnreadableAnswer:
        return UnreadableAnswer(
            f"‘{token.text}’ at position {token.position} needs an argument, e.g. {example}",
            token.position,
        )


def _plain(item: Node | ParsedList) -> Parsed:
    return item.expr if isinstance(item, Node) else item
