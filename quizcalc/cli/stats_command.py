"""``quizcalc stats``: the statistics as rich tables and terminal charts, or one JSON object.

Registered on the ``quizcalc`` group by :mod:`quizcalc.cli.main`. Heavy imports (SQLAlchemy,
rich) happen inside the command, so ``quizcalc --help`` stays fast.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from datetime import datetime

    from rich.console import Console, RenderableType

    from quizcalc.study.stats import GroupStats, Stats, Tally

__all__ = ["EMPTY_MESSAGE", "render_stats", "stats"]

EMPTY_MESSAGE = "no reviews yet — answer some cards or try `quizcalc stats --demo`"
"""What an empty history prints instead of charts."""

DEMO_NOTE = "demo: a simulated year in a throwaway database, deleted on exit — not your progress"

_HEAT_STYLES = ("grey30", "#0e4429", "#006d32", "#26a641", "#39d353")


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (stable keys).")
@click.option(
    "--demo",
    is_flag=True,
    help="Show a simulated year of history, in a throwaway database (never yours).",
)
@click.pass_obj
def stats(options: Any, as_json: bool, demo: bool) -> None:
    """Heatmap, streaks, true retention, accuracy per family and section, forecast."""
    from quizcalc.cli.common import now, open_service, study_errors

    when = now()
    result: Stats | None = None
    if demo:
        from quizcalc.study.stats import demo_stats

        with study_errors():
            result = demo_stats(when)
    else:
        result = _quick_stats(options, when)
    if result is None:  # the normal opening has something to do or to say
        from quizcalc.study.stats import service_stats

        with open_service(options, sync=False) as service, study_errors():
            result = service_stats(service, when)
    if as_json:
        from quizcalc.study.stats import stats_to_json

        if demo:
            click.echo(DEMO_NOTE, err=True)
        payload = {**stats_to_json(result), "demo": demo}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    from rich.console import Console

    console = Console(highlight=False)
    if demo:
        console.print(f"[bold yellow]{DEMO_NOTE}[/]")
    render_stats(result, console)


def _quick_stats(options: Any, when: datetime) -> Stats | None:
    """The statistics read without SQLAlchemy (:mod:`quizcalc.study.stats.quick`), or
    ``None``; says what :func:`~quizcalc.cli.common.open_service` would have said first."""
    from quizcalc.locations import config_path, content_dir, database_url
    from quizcalc.study.content_folder import content_folder_warning
    from quizcalc.study.stats.quick import peek_stats

    result = peek_stats(database_url(options.db), config_path(options.config), when)
    if result is not None:
        missing = content_folder_warning(content_dir(options.content))
        if missing is not None:
            click.echo(f"quizcalc: {missing}", err=True)
    return result


# --- rendering --------------------------------------------------------------------------


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _tally(tally: Tally) -> str:
    return "—" if tally.rate is None else f"{tally.rate:.0%} of {tally.total:,}"


def _trend(value: float | None) -> str:
    if value is None:
        return "—"
    points = round(value * 100)
    if points == 0:
        return "= 0 pts"
    return f"[green]▲ +{points} pts[/]" if points > 0 else f"[red]▼ {points} pts[/]"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 60:
        return f"{seconds:.1f} s" if seconds < 10 else f"{seconds:.0f} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


def render_stats(result: Stats, console: Console) -> None:
    """Print every statistic: summary, heatmap, charts, tables; or the empty message."""
    from rich.text import Text

    console.print(f"[bold]Statistics[/] · study day {result.today.isoformat()}")
    if result.is_empty:
        console.print(EMPTY_MESSAGE)
        if result.cards.total:
            console.print(_cards_table(result))
        return
    streak = result.streaks
    console.print(
        f"{result.total_reviews:,} answers · today {result.reviews_today:,} "
        f"({_duration(result.seconds_today)}) · streak {streak.current} "
        f"day{'s' * (streak.current != 1)} (longest {streak.longest}) · "
        f"due today {result.due_today:,}"
    )
    console.print()
    console.print(Text("Answers per day, last 12 months", style="bold"))
    console.print(_heatmap(result, console.width))
    console.print()
    console.print(_day_charts(result, console.width))
    console.print()
    for part in (
        _retention_table(result),
        _calibration_table(result),
        _group_table("Problem families", result.per_family, "family"),
        _misconceptions(result),
        _sections_table(result),
        _weakest(result),
        _cards_table(result),
    ):
        console.print(part)
        console.print()


def _heatmap(result: Stats, width: int) -> RenderableType:
    from quizcalc.study.stats import heatmap
    from quizcalc.study.stats.heatmap_text import heatmap_text

    grid = heatmap(result.per_day, max_weeks=max(1, width - 5))
    low = ", ".join(f"≤{t}" for t in grid.thresholds)
    return heatmap_text(grid, _HEAT_STYLES, f"   (levels {low}; busiest day {grid.busiest})")


def _chart(title: str, values: list[int], first: str, last: str) -> RenderableType:
    from rich.text import Text

    from quizcalc.study.stats import column_chart

    top = max(values, default=0)
    lines = column_chart(values, height=5)
    out = Text(title + "\n", style="bold")
    for i, line in enumerate(lines):
        label = f"{top:>4} " if i == 0 else "     "
        out.append(label, style="dim")
        out.append(line + "\n", style="cyan")
    out.append(f"     {first}{last:>{max(1, len(values) - len(first))}}", style="dim")
    return out


def _day_charts(result: Stats, width: int) -> RenderableType:
    from rich.console import Group
    from rich.table import Table

    recent = result.last_30_days
    forecast = result.forecast
    seconds = sum(day.seconds for day in recent)
    charts = (
        _chart(
            f"Last 30 days: {sum(d.reviews for d in recent):,} answers, {_duration(seconds)}",
            [d.reviews for d in recent],
            recent[0].day.strftime("%b %d"),
            recent[-1].day.strftime("%b %d"),
        ),
        _chart(
            f"Due next 30 days: {sum(d.due for d in forecast):,} cards",
            [d.due for d in forecast],
            forecast[0].day.strftime("%b %d"),
            forecast[-1].day.strftime("%b %d"),
        ),
    )
    if width < 2 * (len(recent) + 5) + 4:  # too narrow for side by side
        return Group(charts[0], "", charts[1])
    grid = Table.grid(padding=(0, 4))
    grid.add_row(*charts)
    return grid


def _table(title: str) -> Any:
    from rich import box
    from rich.table import Table

    return Table(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD)


def _retention_table(result: Stats) -> RenderableType:
    retention = result.retention
    table = _table("True retention: first answers of the day passed (q ≥ 3)")
    for column in ("week of", "young (< 21 d)", "mature (≥ 21 d)", "all"):
        table.add_column(column, justify="left" if column == "week of" else "right")
    for week in retention.weeks:
        if week.overall.total:
            table.add_row(
                week.week_start.strftime("%b %d"),
                _tally(week.young),
                _tally(week.mature),
                _tally(week.overall),
            )
    table.add_section()
    table.add_row(
        "[bold]last 30 days[/]",
        _tally(retention.young),
        _tally(retention.mature),
        _tally(retention.overall),
    )
    return table


def _calibration_table(result: Stats) -> RenderableType:
    """The active scheduler's predicted recall against the share recalled, per bin."""
    calibration = result.calibration
    name = {"sm2": "SM-2", "fsrs": "FSRS"}.get("" if calibration is None else calibration.scheduler)
    table = _table(f"Calibration ({name or 'scheduler'}): predicted recall against recalled")
    for column in ("predicted", "mean predicted", "recalled", "reviews"):
        table.add_column(column, justify="left" if column == "predicted" else "right")
    for bin_ in () if calibration is None else calibration.bins:
        table.add_row(
            f"{bin_.low:.0%}–{bin_.high:.0%}",
            f"{bin_.predicted:.1%}",
            f"{bin_.actual:.1%}",
            f"{bin_.count:,}",
        )
    if calibration is None or not calibration.bins:
        table.add_row("—", "", "", "0")
    return table


def _group_table(
    title: str,
    groups: tuple[GroupStats, ...],
    name_header: str,
    caption: str | None = None,
    *,
    decks: tuple[tuple[GroupStats, tuple[GroupStats, ...]], ...] | None = None,
) -> Any:
    """One row per group; with ``decks``, each deck's row (bold) then its sections' (indented).

    The footer sums ``groups`` (a deck's row is already the sum of its sections).
    """
    table = _table(title)
    table.show_footer = caption is not None
    if caption is not None:
        table.caption, table.caption_justify = caption, "left"
    # Wrapped between words; a word too long for the column ends in … (never split mid-way).
    table.add_column(name_header, overflow="ellipsis", ratio=1, footer="all")
    total = f"{sum(group.answers.total for group in groups):,}"
    for column in ("answers", "accuracy", "trend 14 d", "median 30 d"):
        footer = total if column == "answers" else ""
        table.add_column(column, justify="right", no_wrap=True, footer=footer)
    rows = [(group, "", "") for group in groups] if decks is None else _deck_rows(decks)
    for group, indent, style in rows:
        table.add_row(
            indent + (group.name.replace("::", " › ") or "(no section)"),
            f"{group.answers.total:,}",
            _percent(group.accuracy),
            _trend(group.trend),
            _duration(group.median_seconds),
            style=style,
        )
    return table


def _deck_rows(
    decks: tuple[tuple[GroupStats, tuple[GroupStats, ...]], ...],
) -> list[tuple[GroupStats, str, str]]:
    """``(group, indent, style)`` rows: a deck in bold, then its sections indented."""
    rows: list[tuple[GroupStats, str, str]] = []
    for deck, sections in decks:
        rows.append((deck, "", "bold"))
        rows += [(section, "  ", "") for section in sections]
    return rows


def _sections_table(result: Stats) -> Any:
    """The sections table, grouped by deck, then section."""
    return _group_table(
        "Sections by deck",
        result.per_section,
        "deck · section",
        result.grouped_note(),
        decks=result.sections_by_deck(),
    )


def _misconceptions(result: Stats) -> RenderableType:
    from rich.text import Text

    out = Text("Most frequent misconceptions\n", style="bold")
    listed = [group for group in result.per_family if group.misconceptions]
    if not listed:
        out.append("none matched yet", style="")
    for group in listed:
        out.append(f"  {group.name}: ", style="")
        out.append(
            ", ".join(f"{m.tag} ×{m.count}" for m in group.misconceptions) + "\n", style="dim"
        )
    out.rstrip()
    return out


def _weakest(result: Stats) -> RenderableType:
    from rich.text import Text

    out = Text("Weakest skills (last 30 days)\n", style="bold")
    if not result.weakest:
        out.append("  none: no skill with 3+ answers and a miss", style="")
    for rank, skill in enumerate(result.weakest, 1):
        line = f"  {rank}. {skill.name}: {_percent(skill.recent.rate)} of {skill.recent.total}\n"
        out.append(line, style="")
    out.rstrip()
    return out


def _cards_table(result: Stats) -> RenderableType:
    from rich.table import Table

    cards = result.cards
    table = _table(f"{cards.total:,} cards")
    table.add_column("state")
    table.add_column("cards", justify="right")
    for name, count in cards.as_dict().items():
        table.add_row(name, f"{count:,}")
    easiness = result.easiness
    if not easiness.cards or easiness.mean is None:
        return table
    top = max(b.cards for b in easiness.buckets)
    bars = _table(f"Easiness (EF), mean {easiness.mean:.2f}")
    bars.add_column("EF", no_wrap=True)
    bars.add_column("cards", justify="right")
    bars.add_column("", no_wrap=True, min_width=20)
    for bucket in easiness.buckets:
        span = f"{bucket.low:.1f}–{bucket.high:.1f}" if bucket.high else f"≥ {bucket.low:.1f}"
        bars.add_row(span, f"{bucket.cards:,}", "[cyan]" + "█" * round(bucket.cards / top * 20))
    grid = Table.grid(padding=(0, 4))
    grid.add_row(table, bars)
    return grid
