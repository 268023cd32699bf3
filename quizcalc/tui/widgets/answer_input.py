"""The problem panel's answer box: an Input whose Enter shows in the footer as "Check".

It holds at most :data:`~quizcalc.study.problem_review.MAX_ANSWER_CHARS` characters (the
grader reads no more; a box without a cap took minutes and gigabytes for 100,000 keystrokes),
and shows ``used/limit`` on its bottom border once the text is near the cap.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.widgets import Input

from quizcalc.study.problem_review import MAX_ANSWER_CHARS, answer_counter

__all__ = ["AnswerInput"]


class AnswerInput(Input):
    """The answer box; its Enter (check the answer) shows in the footer, unlike Input's."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Check", tooltip="Problem: Check the answer typed in the box"),
    ]
    """Enter submits, as in any Input, but with a footer entry.

    (A screen binding could not do this: a priority one would read the box before the keys
    typed just before Enter have reached it.)
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", MAX_ANSWER_CHARS)
        super().__init__(**kwargs)

    def on_mount(self) -> None:
        """Keep the length counter in step with the text, however it changes."""
        self.watch(self, "value", self._count, init=True)

    def _count(self, value: str) -> None:
        self.border_subtitle = answer_counter(len(value))

    def _on_paste(self, event: events.Paste) -> None:
        """Paste the first line, cut to the room left under the cap (Input would drop a
        paste that does not fit whole); a cut paste rings the bell and says so."""
        event.stop()
        if not event.text:
            return
        line = event.text.splitlines()[0]
        cap = self.max_length or MAX_ANSWER_CHARS
        start, end = sorted(self.selection)
        room = max(0, cap - (len(self.value) - (end - start)))
        if len(line) > room:
            line = line[:room]
            self.restricted()
            self.notify(
                f"The answer box holds {cap:,} characters; the pasted text was cut.",
                severity="warning",
            )
        if start == end:
            self.insert_text_at_cursor(line)
        else:
            self.replace(line, start, end)
