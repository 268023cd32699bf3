"""The problem panel's answer box: an Input whose Enter shows in the footer as "Check"."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input

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
