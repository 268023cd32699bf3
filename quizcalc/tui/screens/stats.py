"""The statistics screen: charts (textual-plotext) beside tables, a year's heatmap, per family.

The figures are computed by :func:`quizcalc.study.stats.service_stats` in a thread worker
(aggregate SQL over the whole review log); the screen shows "Computing…" until
:class:`StatsComputed` comes back. An empty database shows "no reviews yet", not empty charts.
Everything sits in one scrolling column, so it works at 80×24 as at 120×40.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from quizcalc.tui.bug_reports import reports_bugs
from quizcalc.tui.widgets.settled_footer import SettledFooter

if TYPE_CHECKING:
    from quizcalc.study.stats import GroupStats, Stats, Tally
    from quizcalc.tui.app import QuizcalcApp

__all__ = [
    "EMPTY_TEXT",
    "StatsComputed",
    "StatsFailed",
    "StatsScreen",
    "heatmap_text",
]

EMPTY_TEXT = "No reviews yet: answer a few cards (r on the home screen) and come back."
"""What an empty database shows in place of the charts."""

_HEAT_STYLES = ("dim", "green4", "green3", "green1", "bold bright_green")


class StatsComputed(Message):
    """The worker has the statistics."""

    def __init__(self, stats: Stats) -> None:
        super().__init__()
        self.stats = stats
        """Every figure, as frozen data."""


class StatsFailed(Message):
    """The worker could not read the statistics (``message`` is one line)."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message
        """What went wrong and what to do."""


def _percent(tally: Tally) -> str:
    return "—" if tally.rate is None else f"{tally.rate:.0%} of {tally.total:,}"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


def _trend(value: float | None) -> Text:
    if value is None:
        return Text("—", style="dim")
    points = round(value * 100)
    if points == 0:
        return Text("= 0")
    return Text(f"▲ +{points}", "green") if points > 0 else Text(f"▼ {points}", "red")


def heatmap_text(stats: Stats, max_weeks: int = 53) -> Text:
    """The calendar of the last year (or ``max_weeks``): one column a week, Monday on top."""
    from quizcalc.study.stats import heatmap
    from quizcalc.study.stats.heatmap_text import heatmap_text as draw

    grid = heatmap(stats.per_day, max_weeks=max_weeks)
    return draw(grid, _HEAT_STYLES, f" · busiest day {grid.busiest}")


def _table(title: str) -> Table:
    from rich import box

    return Table(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD)


def _groups_table(
    groups: tuple[GroupStats, ...],
    title: str,
    column: str,
    caption: str | None = None,
    *,
    decks: tuple[tuple[GroupStats, tuple[GroupStats, ...]], ...] | None = None,
) -> Table:
    """One row per group; with ``decks``, each deck's row (bold) then its sections' (indented).

    The footer sums ``groups`` (a deck's row is already the sum of its sections).
    """
    table = _table(title)
    if caption is not None:
        table.caption, table.caption_justify = caption, "left"
        table.show_footer = True
    # Names wrap between words and end in … when one word is too long: never split mid-word.
    names = [group.name for group in groups]
    widest_word = max((len(w) for n in names for w in n.replace("::", " ").split()), default=8)
    table.add_column(
        column,
        overflow="ellipsis",
        ratio=2,
        min_width=min(widest_word, 24),
        footer="all" if caption is not None else "",
    )
    total = sum(group.answers.total for group in groups)
    for name in ("answers", "accuracy", "median", "trend"):
        footer = f"{total:,}" if caption is not None and name == "answers" else ""
        table.add_column(name, justify="right", no_wrap=True, footer=footer)
    table.add_column("top misconception", ratio=1, min_width=12)
    rows = [(group, "", "") for group in groups]
    if decks is not None:
        rows = [
            row
            for deck, sections in decks
            for row in [(deck, "", "bold"), *((section, "  ", "") for section in sections)]
        ]
    for group, indent, style in rows:
        top = group.misconceptions[0] if group.misconceptions else None
        table.add_row(
            indent + (group.name.replace("::", " › ") or "(no section)"),
            f"{group.answers.total:,}",
            "—" if group.accuracy is None else f"{group.accuracy:.0%}",
            _duration(group.median_seconds),
            _trend(group.trend),
            Text(
                "—" if top is None else f"{top.tag} ×{top.count}", no_wrap=True, overflow="ellipsis"
            ),
            style=style,
        )
    if not groups:
        table.add_row("(nothing answered yet)", "", "", "", "", "")
    return table


def _cards_table(stats: Stats) -> Table:
    table = _table(f"{stats.cards.total:,} cards")
    table.add_column("state")
    table.add_column("cards", justify="right")
    for name, count in stats.cards.as_dict().items():
        table.add_row(name, f"{count:,}")
    return table


def _easiness_table(stats: Stats) -> Table:
    easiness = stats.easiness
    mean = "" if easiness.mean is None else f", mean {easiness.mean:.2f}"
    table = _table(f"Easiness (EF){mean}")
    table.add_column("EF", no_wrap=True)
    table.add_column("cards", justify="right")
    table.add_column("", no_wrap=True, min_width=12)
    top = max((b.cards for b in easiness.buckets), default=0) or 1
    for bucket in easiness.buckets:
        span = f"{bucket.low:.1f}–{bucket.high:.1f}" if bucket.high else f"≥ {bucket.low:.1f}"
        table.add_row(span, f"{bucket.cards:,}", Text("█" * round(bucket.cards / top * 12), "cyan"))
    return table


def _retention_table(stats: Stats) -> Table:
    retention = stats.retention
    table = _table("True retention")
    table.add_column("week of", no_wrap=True)
    table.add_column("young", justify="right", no_wrap=True)
    table.add_column("mature", justify="right", no_wrap=True)
    for week in retention.weeks[-6:]:
        if week.overall.total:
            table.add_row(
                week.week_start.strftime("%b %d"), _percent(week.young), _percent(week.mature)
            )
    table.add_section()
    table.add_row("30 days", _percent(retention.young), _percent(retention.mature))
    return table


_SCHEDULER_NAMES = {"sm2": "SM-2", "fsrs": "FSRS"}


def _calibration_table(stats: Stats) -> Table:
    """Each bin of predicted recall: the mean prediction, the share recalled, the count."""
    calibration = stats.calibration
    name = "" if calibration is None else _SCHEDULER_NAMES.get(calibration.scheduler, "")
    table = _table(f"Calibration ({name})" if name else "Calibration")
    table.add_column("predicted", justify="right", no_wrap=True)
    table.add_column("recalled", justify="right", no_wrap=True)
    table.add_column("reviews", justify="right", no_wrap=True)
    bins = () if calibration is None else calibration.bins
    for bin_ in bins[-6:]:  # the highest predictions: where nearly every review falls
        table.add_row(f"{bin_.predicted:.0%}", f"{bin_.actual:.0%}", f"{bin_.count:,}")
    if not bins:
        table.add_row("—", "—", "0")
    elif len(bins) > 6:
        rest = bins[:-6]
        table.add_row(
            Text(f"< {rest[-1].high:.0%}", "dim"),
            "",
            Text(f"{sum(b.count for b in rest):,}", "dim"),
        )
    return table


def _activity_table(stats: Stats) -> Table:
    recent = stats.last_30_days
    table = _table("Last 30 days")
    table.add_column("")
    table.add_column("", justify="right")
    table.add_row("answers", f"{sum(d.reviews for d in recent):,}")
    table.add_row("study time", _duration(sum(d.seconds for d in recent)))
    table.add_row("today", f"{stats.reviews_today:,}")
    table.add_row("streak", f"{stats.streaks.current} (longest {stats.streaks.longest})")
    return table


def _forecast_table(stats: Stats) -> Table:
    table = _table("Due")
    table.add_column("")
    table.add_column("", justify="right")
    forecast = stats.forecast
    table.add_row("today", f"{stats.due_today:,}")
    table.add_row("next 7 days", f"{sum(d.due for d in forecast[:7]):,}")
    table.add_row("next 30 days", f"{sum(d.due for d in forecast):,}")
    return table


def _weakest_text(stats: Stats) -> Text:
    out = Text("Weakest skills (30 days)\n", style="bold")
    if not stats.weakest:
        out.append("  none: no skill with 3+ answers and a miss")
    for rank, skill in enumerate(stats.weakest, 1):
        out.append(f"  {rank}. {skill.name}: {_percent(skill.recent)}\n")
    out.rstrip()
    return out


def _count_ticks(plt: Any, values: list[int]) -> None:
    """Whole-number y ticks (counts), at most five, from 0 to the top value."""
    top = max(values, default=0)
    ticks = sorted({round(top * i / 4) for i in range(5)}) if top else [0, 1]
    plt.ylim(0, max(1, top))
    plt.yticks([float(t) for t in ticks], [str(t) for t in ticks])


class StatsScreen(Screen[None]):
    """Charts and tables of the whole history; computed in a worker when the screen opens."""

    SUB_TITLE = "statistics"
    """Shown in the header after the app title."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", tooltip="Back to the home screen"),
        Binding("q", "app.pop_screen", "Back", show=False),
        Binding("f5", "recompute", "Refresh", tooltip="Compute the statistics again"),
    ]
    """Back (escape or `q`) and refresh."""

    stats: Stats | None = None
    """The figures on screen, once computed."""

    @property
    def quiz_app(self) -> QuizcalcApp:
        """The app, typed."""
        return cast("QuizcalcApp", self.app)

    def compose(self) -> ComposeResult:
        """A status line over a scrolling column the charts are mounted into."""
        yield Header()
        yield Static("Computing…", id="stats-status")
        yield VerticalScroll(id="stats-body")
        yield SettledFooter()

    def on_mount(self) -> None:
        """Start computing; the column has focus, so arrows and page keys scroll it.

        A screen closed before it finished mounting (``s`` then ``q`` typed together) has no
        children left: it then does nothing.
        """
        bodies = self.query("#stats-body")
        if not bodies:
            return
        bodies.first(VerticalScroll).focus()
        self.action_recompute()

    def action_recompute(self) -> None:
        """Compute the statistics (again) in the background."""
        self.query_one("#stats-status", Static).update("Computing…")
        self.compute()

    @work(thread=True, exclusive=True, exit_on_error=False, group="stats")
    @reports_bugs("the statistics screen")
    def compute(self) -> None:
        """Read every statistic (aggregate SQL) off the UI thread; post the result."""
        service = self.quiz_app.service
        if service is None:
            self.post_message(StatsFailed("The study data is not open yet."))
            return
        from quizcalc.study.errors import StudyError
        from quizcalc.study.stats import service_stats

        try:
            stats = service_stats(service, self.quiz_app.now())
        except StudyError as exc:
            self.post_message(StatsFailed(str(exc)))
            return
        self.post_message(StatsComputed(stats))

    def on_stats_failed(self, message: StatsFailed) -> None:
        """Say why, in place of the charts."""
        self.query_one("#stats-status", Static).update(Text(message.message, "bold red"))

    async def on_stats_computed(self, message: StatsComputed) -> None:
        """Lay out the charts and tables (or the empty message)."""
        stats = message.stats
        self.stats = stats
        status = self.query_one("#stats-status", Static)
        body = self.query_one("#stats-body", VerticalScroll)
        await body.remove_children()
        if stats.is_empty:
            status.update(Text.assemble(("Statistics", "bold"), f" · {stats.today:%a %d %b %Y}"))
            parts: list[Static] = [Static(Text(EMPTY_TEXT, "bold"), id="stats-empty")]
            if stats.cards.total:
                parts.append(Static(_cards_table(stats), classes="stats-table"))
            await body.mount_all(parts)
            return
        status.update(
            Text.assemble(
                ("Statistics", "bold"),
                f" · {stats.today:%a %d %b %Y} · {stats.total_reviews:,} answers"
                f" · streak {stats.streaks.current} · due today {stats.due_today:,}",
            )
        )
        from textual_plotext import PlotextPlot

        reviews, forecast, retention, calibration = (
            PlotextPlot(id="plot-reviews"),
            PlotextPlot(id="plot-forecast"),
            PlotextPlot(id="plot-retention"),
            PlotextPlot(id="plot-calibration"),
        )
        await body.mount_all(
            [
                Static(heatmap_text(stats), id="stats-heatmap"),
                Horizontal(reviews, Static(_activity_table(stats)), classes="stats-row"),
                Horizontal(forecast, Static(_forecast_table(stats)), classes="stats-row"),
                Horizontal(retention, Static(_retention_table(stats)), classes="stats-row"),
                Horizontal(calibration, Static(_calibration_table(stats)), classes="stats-row"),
                Static(
                    _groups_table(stats.per_family, "Problem families", "family"),
                    classes="stats-table",
                ),
                Static(
                    _groups_table(
                        stats.per_section,
                        "Sections by deck",
                        "deck · section",
                        stats.grouped_note(),
                        decks=stats.sections_by_deck(),
                    ),
                    classes="stats-table",
                ),
                Static(_weakest_text(stats), classes="stats-table"),
                Horizontal(
                    Static(_cards_table(stats)),
                    Static(_easiness_table(stats)),
                    classes="stats-row stats-tables",
                ),
            ]
        )
        self._draw(reviews, forecast, retention, stats)
        _draw_calibration(calibration, stats)

    def _draw(self, reviews: object, forecast: object, retention: object, stats: Stats) -> None:
        from textual_plotext import PlotextPlot

        assert isinstance(reviews, PlotextPlot)
        assert isinstance(forecast, PlotextPlot)
        assert isinstance(retention, PlotextPlot)
        recent = stats.last_30_days
        labels = [d.day.strftime("%d") for d in recent]
        every = max(1, len(labels) // 6)
        plt = reviews.plt
        xs = [float(x) for x in range(len(recent))]
        plt.bar(xs, [d.reviews for d in recent], marker="hd", color="cyan")
        plt.xticks(xs[::every], labels[::every])
        plt.title("Answers per day, last 30 days")
        _count_ticks(plt, [d.reviews for d in recent])
        plt = forecast.plt
        xs = [float(x) for x in range(len(stats.forecast))]
        plt.bar(xs, [d.due for d in stats.forecast], marker="hd", color="orange")
        days = [d.day.strftime("%d") for d in stats.forecast]
        plt.xticks(xs[::every], days[::every])
        plt.title("Due, next 30 days")
        _count_ticks(plt, [d.due for d in stats.forecast])
        plt = retention.plt
        weeks = stats.retention.weeks
        xs = [float(x) for x in range(len(weeks))]
        for name, color, pick in (
            ("young", "green", lambda w: w.young),
            ("mature", "blue", lambda w: w.mature),
        ):
            points = [(x, pick(w).rate) for x, w in zip(xs, weeks, strict=True)]
            known = [(x, 100 * r) for x, r in points if r is not None]
            if known:
                plt.plot(
                    [x for x, _ in known],
                    [y for _, y in known],
                    label=name,
                    color=color,
                    marker="braille",
                )
        plt.ylim(0, 100)
        week_labels = [w.week_start.strftime("%b %d") for w in weeks]
        step = max(1, len(weeks) // 4)
        plt.xticks(xs[::step], week_labels[::step])
        plt.title("True retention per week (%)")


def _draw_calibration(widget: object, stats: Stats) -> None:
    """Predicted recall (x) against the share recalled (y), in percent, one point per bin,
    over the diagonal a perfectly calibrated scheduler would follow."""
    from textual_plotext import PlotextPlot

    assert isinstance(widget, PlotextPlot)
    plt = widget.plt
    calibration = stats.calibration
    plt.plot([0.0, 100.0], [0.0, 100.0], color="gray", marker="braille", label="perfect")
    if calibration is not None and calibration.bins:
        name = _SCHEDULER_NAMES.get(calibration.scheduler, calibration.scheduler)
        plt.scatter(
            [100 * b.predicted for b in calibration.bins],
            [100 * b.actual for b in calibration.bins],
            color="magenta",
            marker="dot",
            label=name,
        )
    plt.xlim(0, 100)
    plt.ylim(0, 100)
    ticks = [0.0, 25.0, 50.0, 75.0, 100.0]
    plt.xticks(ticks, [str(int(t)) for t in ticks])
    plt.yticks(ticks[::2], [str(int(t)) for t in ticks[::2]])  # 12 rows: three labels fit
    plt.title("Predicted recall (x) vs recalled (y), %")
