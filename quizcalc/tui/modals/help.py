"""The help modal: every key of the screen it was opened from, and what it does."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from quizcalc.tui.widgets.settled_footer import SettledFooter

__all__ = [
    "KEY_MAP",
    "PROBLEM_PREFIX",
    "HelpModal",
    "KeyHelp",
    "class_bindings",
    "describe_bindings",
    "described_bindings",
]

PROBLEM_PREFIX = "Problem: "
"""A binding tooltip starting with this is a problem-card key: the help lists those apart."""

_HEADINGS = {"screen": "On this screen", "problem": "On a problem card", "app": "Everywhere"}

KEY_MAP = (
    "On every screen: esc goes back (in a text box it first leaves the box) · q leaves the "
    "screen (quits from home) · ^s saves or submits a form · ^g gives up a problem, asking once"
)
"""The one key map (docs/keys.md), under every screen's keys."""


@dataclass(frozen=True)
class KeyHelp:
    """One line of the help: a key as displayed, and what it does."""

    key: str
    """The key as the footer shows it (``space``, ``?``, ``^p``)."""
    description: str
    """What pressing it does."""
    scope: str
    """``"screen"`` for the screen's own keys, ``"problem"`` for those of problem cards,
    ``"app"`` for keys that work everywhere."""


@cache
def class_bindings(cls: type) -> tuple[Binding, ...]:
    """The bindings ``cls`` itself declares (its own ``BINDINGS``, not its bases'), made once
    per class: a class's bindings never change, and the palette asks for them on every key
    typed into it."""
    declared = cls.__dict__.get("BINDINGS")
    return tuple(Binding.make_bindings(declared)) if declared else ()


def _declared_bindings(node: DOMNode | type, *, own_only: bool) -> Iterable[Binding]:
    """The bindings declared on ``node``'s class and its bases, most specific first.

    With ``own_only``, Textual's generic keys (focus cycling, copy) are left out.
    """
    for cls in (node if isinstance(node, type) else type(node)).__mro__:
        if own_only and not cls.__module__.startswith("quizcalc."):
            continue
        yield from class_bindings(cls)


def described_bindings(screen_type: type) -> list[Binding]:
    """The bindings a user is told about on ``screen_type``: quizcalc's own (Textual's focus
    and copy keys aside) that have a description, most specific class first. The help and the
    command palette are both built from these, so a new binding shows in both by itself."""
    bindings: list[Binding] = []
    for cls in screen_type.__mro__:
        if not cls.__module__.startswith("quizcalc."):
            continue
        found = class_bindings(cls)
        bindings.extend(b for b in found if b.description and not b.system)
    return bindings


def describe_bindings(screen: Screen[Any] | type[Screen[Any]], app: App[Any]) -> list[KeyHelp]:
    """Every described key of ``screen`` (or a screen class), then the app-wide ones (command
    palette included)."""
    rows: list[KeyHelp] = []
    shadowing: set[str] = set()
    for scope, node in (("screen", screen), ("app", app)):
        scope_keys: set[tuple[str, str]] = set()
        for binding in _declared_bindings(node, own_only=scope == "screen"):
            # The screen's binding shadows the app's for the same key, as when pressed; within
            # a screen one key may do different things at different moments (Enter on problems).
            seen = binding.key in shadowing or (binding.key, binding.action) in scope_keys
            if not binding.description or binding.system or seen:
                continue
            scope_keys.add((binding.key, binding.action))
            description = binding.tooltip or binding.description
            row_scope = scope
            if description.startswith(PROBLEM_PREFIX):  # listed under their own heading
                row_scope, description = "problem", description.removeprefix(PROBLEM_PREFIX)
            key = app.get_key_display(binding)
            for index, row in enumerate(rows):
                if row.scope == row_scope and row.description == description:
                    rows[index] = KeyHelp(f"{row.key}, {key}", description, row_scope)
                    break
            else:
                rows.append(KeyHelp(key, description, row_scope))
        shadowing.update(key for key, _ in scope_keys)
    if app.ENABLE_COMMAND_PALETTE:
        palette = Binding(app.COMMAND_PALETTE_BINDING, "command_palette", "Command palette")
        rows.append(KeyHelp(app.get_key_display(palette), "Command palette: every action", "app"))
    return rows


class HelpModal(ModalScreen[None]):
    """Lists the keys of the screen underneath; `escape`, `q` or `?` closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close"),
        Binding("q,question_mark", "dismiss", "Close", show=False),
    ]
    """Escape, `q` or `?` closes the help."""

    def __init__(self, title: str, keys: list[KeyHelp]) -> None:
        super().__init__()
        self.title_text = title
        """Which screen the keys belong to."""
        self.keys = keys
        """The rows shown."""

    @classmethod
    def for_screen(cls, screen: Screen[Any]) -> HelpModal:
        """The help for ``screen`` (its own keys, then the app-wide ones)."""
        name = getattr(screen, "HELP_TITLE", None) or screen.sub_title or "quizcalc"
        return cls(f"Keys — {name}", describe_bindings(screen, screen.app))

    def compose(self) -> ComposeResult:
        """A two-column table in a bordered box."""
        table = Table.grid(padding=(0, 2))
        table.add_column("key", justify="right", style="bold", no_wrap=True)
        table.add_column("does")
        for scope, heading in _HEADINGS.items():
            rows = [row for row in self.keys if row.scope == scope]
            if not rows:
                continue
            if table.row_count:
                table.add_row("", "")
            table.add_row("", Text(heading, style="bold underline"))
            for row in rows:
                table.add_row(row.key, row.description)
        with VerticalScroll(id="help-box") as box:
            box.border_title = self.title_text
            yield Static(table, id="help-keys")
            yield Static(Text(KEY_MAP, style="dim"), id="help-map")
        yield SettledFooter()
