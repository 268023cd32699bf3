"""One card's detail: its text, schedule and review history; past problem instances on demand.

The question and answer render as the reviewer renders them (Markdown: code fences, tables,
lists; maths) through :func:`~quizcalc.tui.widgets.card_markdown.card_view`.

For a problem card, highlighting a history row that carries a seed regenerates that instance
(``instance_for``, which may import SymPy) in a thread worker and shows its prompt next to the
answer that was given. The modal dismisses with what the learner asked the browser to do:
``"suspend"`` (toggle), ``"reset"`` or ``None`` (just close).
"""

from __future__ import annotations

from pathlib import PurePath
from typing import ClassVar, Literal

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from quizcalc.study.views import CardDetail, HistoryRow
from quizcalc.tui.widgets.card_markdown import card_markdown, card_view
from quizcalc.tui.widgets.settled_footer import SettledFooter

__all__ = ["CardDetailModal", "DetailChoice", "InstanceShown", "history_cells"]

DetailChoice = Literal["suspend", "reset"]
"""What the detail modal asks the browse screen to do with its card."""


class InstanceShown(Message):
    """The worker regenerated a past problem instance (``text`` is ready to show)."""

    def __init__(self, log_id: int, text: str) -> None:
        super().__init__()
        self.log_id = log_id
        """The review-log row whose instance this is."""
        self.text = text
        """Its prompt (and the expected answer), or why it could not be rebuilt."""


def _duration(ms: int | None) -> str:
    return "—" if ms is None else f"{ms / 1000:.1f} s"


def history_cells(row: HistoryRow, problem: bool) -> tuple[str, ...]:
    """The cells of one history row: day, kind, grade, answer, time (+ seed, misconception).

    An implicit credit or a reset is not an answer: its kind cell says what it was
    (``Credit ×0.5 from <card>``, ``Reset``) and it has no grade, answer or time."""
    if not row.is_answer:
        blank: tuple[str, ...] = (row.study_day.isoformat(), row.label, "—", "—", "—")
        return blank + (("—", "") if problem else ())
    answer = (row.answer_text or "—").replace("\n", " ")
    cells: tuple[str, ...] = (
        row.study_day.isoformat(),
        row.kind,
        str(row.quality),
        answer if len(answer) <= 16 else answer[:15] + "…",
        _duration(row.duration_ms),
    )
    if problem:
        cells += (str(row.seed) if row.seed is not None else "—", row.misconception or "")
    return cells


class CardDetailModal(ModalScreen[DetailChoice | None]):
    """A card's text, schedule and history; `s` suspends/unsuspends, `r` resets, Escape closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("q", "dismiss(None)", "Close", show=False),
        Binding("s", "dismiss('suspend')", "Suspend/unsuspend"),
        Binding("r", "dismiss('reset')", "Reset"),
    ]
    """Escape closes; `s` and `r` hand the card back to the browser to suspend or reset."""

    def __init__(self, detail: CardDetail) -> None:
        super().__init__()
        self.detail = detail
        """The card shown."""
        self.instance_text: str | None = None
        """The prompt of the past instance on show (``None`` before one is chosen)."""
        self._by_row: dict[str, HistoryRow] = {}

    def compose(self) -> ComposeResult:
        """Text, schedule line, history table, and the (hidden) past-instance panel."""
        d = self.detail
        with Vertical(id="detail-box") as box:
            box.border_title = f"{d.deck} · {d.section or '—'} · {d.kind} · {d.card_id}"
            box.border_subtitle = d.status
            with VerticalScroll(id="detail-text"):
                yield Static(Text("Question", style="bold"), classes="detail-label")
                yield card_view(self._question(), id="detail-question")
                if d.answer.strip():
                    yield Static(Text("Answer", style="bold green"), classes="detail-label")
                    yield card_view(d.answer, id="detail-answer")
            yield Static(self._meta(), id="detail-meta")
            yield DataTable(id="detail-history", cursor_type="row", zebra_stripes=True)
            yield Static(id="detail-instance")
        yield SettledFooter()

    def _question(self) -> str:
        """The question as the reviewer shows it; a problem card names its skill instead."""
        d = self.detail
        if d.is_problem:
            return (
                f"Generated problem `{d.family}` at difficulty **{d.difficulty}**: every"
                " review draws fresh numbers (highlight a history row to see that instance)."
            )
        return d.question

    def _meta(self) -> Text:
        d = self.detail
        s = d.schedule
        due = s.due.isoformat() if s.due is not None else "new"
        line = (
            f"due {due} · interval {s.interval} d · EF {s.easiness:.2f} · "
            f"reps {s.repetitions} · lapses {s.lapses} · reviews {s.reviews}"
        )
        if d.is_problem:
            line += f" · {d.family} (difficulty {d.difficulty})"
        if d.tags:
            line += f"\ntags: {d.tags}"
        line += f"\n{PurePath(d.source).name}:{d.line}"
        if not any(row.is_answer for row in d.history):
            line += " · never answered"
        elif d.is_problem:
            line += " · highlight a row to see that instance"
        return Text(line)

    def on_mount(self) -> None:
        """Fill the history table (newest first) and focus it."""
        table: DataTable[str] = self.query_one("#detail-history", DataTable)
        columns = ["Day", "Kind", "Q", "Answer", "Time"]
        if self.detail.is_problem:
            columns += ["Seed", "Misconception"]
        table.add_columns(*columns)
        for row in self.detail.history:
            key = str(row.log_id)
            self._by_row[key] = row
            table.add_row(*history_cells(row, self.detail.is_problem), key=key)
        table.set_class(not self.detail.history, "empty")  # the meta line says "never answered"
        (table if self.detail.history else self.query_one("#detail-text")).focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        """For a problem card, rebuild the highlighted row's instance in a worker."""
        event.stop()
        if not self.detail.is_problem or event.row_key.value is None:
            return
        row = self._by_row.get(event.row_key.value)
        if row is not None and row.seed is not None:
            self.rebuild_instance(row)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row does the same as highlighting it (the instance is already shown)."""
        event.stop()

    @work(thread=True, exclusive=True, exit_on_error=False, group="instance")
    def rebuild_instance(self, row: HistoryRow) -> None:
        """Regenerate one past instance from its seed (imports the problem generators)."""
        from quizcalc.study.problem_review import instance_for

        d = self.detail
        assert d.family is not None and d.difficulty is not None and row.seed is not None
        try:
            problem = instance_for(d.family, d.difficulty, row.seed)
        except Exception as exc:  # an unknown family or a generator bug: say so, don't crash
            from quizcalc.crash_report import write_crash_report

            report = write_crash_report(exc, context=f"TUI, rebuilding {d.family} seed {row.seed}")
            where = f" (crash report: {report})" if report is not None else ""
            self.post_message(
                InstanceShown(row.log_id, f"Cannot rebuild this instance: {exc}{where}")
            )
            return
        given = row.answer_text or "—"
        text = (
            f"{row.study_day.isoformat()} · seed {row.seed}\n"
            f"{card_markdown(problem.prompt)}\n"
            f"answered: {given} · grade {row.quality}"
        )
        if row.misconception:
            text += f" · misconception: {row.misconception}"
        self.post_message(InstanceShown(row.log_id, text))

    def on_instance_shown(self, message: InstanceShown) -> None:
        """Show the rebuilt prompt under the history."""
        self.instance_text = message.text
        panel = self.query_one("#detail-instance", Static)
        panel.update(Text(message.text))
        panel.add_class("shown")
