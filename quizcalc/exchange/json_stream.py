"""Walking a big JSON file without holding it: a window of text slid along the file.

A backup holds a million review rows; reading it whole would hold the file's text (two to
four bytes a character once one character is outside Latin-1) and its bytes at once. The
:class:`JsonStream` keeps a window of about :data:`WINDOW` characters, decodes one value at a
time with :mod:`json`'s C decoder, and forgets what lies behind the cursor; it knows each
value's byte offset in the file, so a later pass can start again at a table's rows
(:meth:`JsonStream.at`). A value never needs more memory than itself, whatever the layout
(indented, compact on one line, keys in any order).

Errors are :class:`json.JSONDecodeError` whose line and column are the file's, and whose
``truncated`` attribute says that the file ended inside a value; a byte that is not UTF-8 is
:class:`NotText` with its byte offset.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

__all__ = ["WINDOW", "JsonStream", "NotText", "StreamError"]

WINDOW = 1 << 20
"""Characters read at a time (a window grows only for a value longer than itself)."""

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")
_NEAR_END = 8
"""An error this close to the window's end may be the window's fault (``\\u12`` cut short)."""


class NotText(ValueError):
    """The file has a byte that is not UTF-8, at :attr:`offset`."""

    def __init__(self, offset: int) -> None:
        super().__init__(f"byte {offset} is not UTF-8")
        self.offset = offset
        """The byte's offset in the file."""


class StreamError(json.JSONDecodeError):
    """A JSON syntax error, at the file's line and column."""

    def __init__(self, msg: str, doc: str, pos: int, lineno: int, colno: int, truncated: bool):
        super().__init__(msg, doc, pos)
        self.lineno, self.colno = lineno, colno
        self.truncated = truncated
        """The file ends inside a value: it was cut short."""
        self.args = (f"{msg}: line {lineno} column {colno}",)


class JsonStream:
    """A cursor over a JSON file, reading :data:`WINDOW` characters at a time.

    Use it as a context manager; :meth:`value`, :meth:`members` and :meth:`elements` walk the
    document. Memory is one window plus the value being decoded.
    """

    def __init__(self, path: Path, *, offset: int = 0, window: int | None = None) -> None:
        self._file: IO[bytes] = path.open("rb")
        self._window = window or WINDOW
        self._bytes_read = 0
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self.text = ""
        """The window: the file's text from :attr:`base` on."""
        self.pos = 0
        """The cursor, in :attr:`text`."""
        self.base_bytes = offset
        """Byte offset in the file of ``text[0]``."""
        self._line = 1
        self._column = 1
        self.eof = False
        """Every byte of the file has been read into the window."""
        if offset:
            self._file.seek(offset)
        else:
            head = self._file.read(3)
            if head != codecs.BOM_UTF8:
                self._file.seek(0)
            else:
                self.base_bytes = 3
        self._bytes_read = self.base_bytes
        self._more()

    def __enter__(self) -> JsonStream:
        """The stream itself; the file closes on exit."""
        return self

    def __exit__(self, *_: object) -> None:
        """Close the file."""
        self.close()

    def close(self) -> None:
        """Close the file."""
        self._file.close()

    @property
    def bytes_read(self) -> int:
        """Bytes read from the file so far (its size, once :attr:`eof`)."""
        return self._bytes_read

    def _more(self, at_least: int = 0) -> bool:
        """Forget the text behind the cursor and read on; False once the file has ended."""
        if self.eof:
            return False
        gone = self.text[: self.pos]
        if gone:
            self.base_bytes += len(gone.encode("utf-8"))
            newlines = gone.count("\n")
            self._line += newlines
            last = gone.rfind("\n")
            self._column = len(gone) - last if newlines else self._column + len(gone)
        kept = self.text[self.pos :]
        size = max(self._window, at_least)
        raw = self._file.read(size)
        try:
            fresh = self._decoder.decode(raw, final=not raw)
        except UnicodeDecodeError as exc:
            raise NotText(self._bytes_read + exc.start) from exc
        self._bytes_read += len(raw)
        self.eof = not raw
        self.text, self.pos = kept + fresh, 0
        self._windows += 1
        return bool(raw)

    def offset(self) -> int:
        """Byte offset in the file of the cursor."""
        return self.base_bytes + len(self.text[: self.pos].encode("utf-8"))

    def error(self, msg: str, pos: int | None = None, *, truncated: bool = False) -> StreamError:
        """A syntax error at ``pos`` in the window (the cursor's by default)."""
        pos = self.pos if pos is None else pos
        line = self._line + self.text.count("\n", 0, pos)
        start = self.text.rfind("\n", 0, pos)
        column = pos - start if start >= 0 else self._column + pos
        return StreamError(msg, self.text, pos, line, column, truncated)

    def peek(self) -> str:
        """The next character after white space ("" at the end of the file)."""
        while True:
            match = _SPACE.match(self.text, self.pos)
            self.pos = match.end() if match else self.pos
            if self.pos < len(self.text) or not self._more():
                return self.text[self.pos : self.pos + 1]

    def expect(self, char: str) -> None:
        """Step over ``char`` (after white space), or raise a syntax error."""
        if self.peek() != char:
            raise self.error(f"Expecting {char!r}", truncated=self.eof and not self.peek())
        self.pos += 1

    def value(self) -> Any:
        """Decode the value at the cursor and step over it."""
        grow = self._window
        while True:
            self.peek()
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as exc:
                near_end = self._cut_short(exc)
                if near_end and self._more(grow):
                    grow *= 2
                    continue
                raise self.error(exc.msg, exc.pos, truncated=self.eof and near_end) from None
            if end == len(self.text) and self._more(grow):  # a number may go on
                grow *= 2
                continue
            self.pos = end
            return value

    def _cut_short(self, exc: json.JSONDecodeError) -> bool:
        """Whether more text might cure ``exc``: it is at the window's end, or a string runs
        from it to the end (a string never spans a line break)."""
        if exc.pos >= len(self.text) - _NEAR_END:
            return True
        return exc.msg.startswith("Unterminated string") and "\n" not in self.text[exc.pos :]

    def members(self) -> Iterator[str]:
        """The keys of the object at the cursor; the caller reads each value."""
        self.expect("{")
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            if self.peek() != '"':
                raise self.error(
                    "Expecting property name enclosed in double quotes",
                    truncated=not self.peek(),
                )
            key = self.value()
            self.expect(":")
            yield key
            if self.peek() == ",":
                self.pos += 1
                continue
            self.expect("}")
            return

    def elements(self) -> Iterator[Any]:
        """Each element of the array at the cursor, decoded, in order."""
        for batch in self.batches():
            yield from batch

    def batches(self) -> Iterator[list[Any]]:
        """The elements of the array at the cursor, decoded, in order, many at a time.

        Where the window holds whole lines of elements (a backup's rows, one a line) they are
        decoded in one call (:meth:`_lines`); otherwise one element at a time.
        """
        self.expect("[")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            batch = self._lines()
            if batch is not None:
                yield batch
                if self._after_comma:
                    continue
            else:
                yield [self.value()]
            if self.peek() == ",":
                self.pos += 1
                continue
            self.expect("]")
            return

    _after_comma = False
    _windows = 0
    _no_lines_in = -1

    def _lines(self) -> list[Any] | None:
        """The elements from the cursor to the window's last line break, decoded at once.

        Cutting at a line break (never inside a JSON string) leaves either whole elements —
        then ``[`` + the text + ``]`` is one array — or an element cut short, whose unclosed
        bracket makes that text no array at all: ``None``, and the caller goes one by one.
        """
        self.peek()
        if self._windows == self._no_lines_in:
            return None
        cut = self.text.rfind("\n", self.pos)
        if cut - self.pos < 4096:
            self._no_lines_in = self._windows  # one by one until the next window
            return None
        piece = self.text[self.pos : cut].rstrip()
        comma = piece.endswith(",")
        if comma:
            piece = piece[:-1]
        try:
            batch, end = _DECODER.raw_decode(f"[{piece}]")
        except json.JSONDecodeError:
            batch, end = None, 0
        if end != len(piece) + 2 or not isinstance(batch, list) or not batch:
            self._no_lines_in = self._windows
            return None
        self.pos = cut if comma else self.pos + len(piece)
        self._after_comma = comma
        return batch

    def end(self) -> None:
        """Raise a syntax error unless only white space is left."""
        if self.peek():
            raise self.error("Extra data")
