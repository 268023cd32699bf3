"""The one exception the reader raises: the answer could not be read."""

from __future__ import annotations

__all__ = ["UnreadableAnswer"]


class UnreadableAnswer(ValueError):
    """The learner's text could not be read; the message names the offending piece.

    ``grade`` turns it into a verdict with ``error`` set; it never escapes ``grade``.
    """

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        """One line for the learner: "unknown name ‘os’ at position 3; allowed variables: x"."""
        self.position = position
        """1-based position of the offending piece in the original text, when known."""
