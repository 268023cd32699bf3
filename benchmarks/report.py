"""The benchmark table: targets, verdicts and the text and JSON the harness prints.

Pure functions over plain data (no timing, no processes), so the table's arithmetic and the
ok / MISSED logic are tested with fake samples (``tests/benchmarks``).
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

MEMORY_LIMIT_MB = 300.0
"""Peak resident memory any figure may reach (the issue: ≤ 300 MB at 50k cards / 1M rows)."""


@dataclass(frozen=True)
class Target:
    """One limit a figure must meet.

    ``kind`` says which number is compared with ``limit``:

    - ``median``: the median sample, seconds;
    - ``p99``: the 99th-percentile sample, seconds;
    - ``ratio``: median sample ÷ median baseline;
    - ``above``: median sample − median baseline, seconds (a whole process above
      ``quizcalc --version``).
    """

    kind: str
    limit: float

    def describe(self) -> str:
        """The target as the table shows it, e.g. ``≤ 1.2×`` or ``p99 ≤ 30 ms``."""
        if self.kind == "ratio":
            return f"≤ {self.limit:g}×"
        prefix = {"median": "", "p99": "p99 ", "above": "+"}[self.kind]
        limit = f"{self.limit * 1000:g} ms" if self.limit < 1 else f"{self.limit:g} s"
        return f"{prefix}≤ {limit}"


@dataclass(frozen=True)
class Measured:
    """What one figure's run produced: seconds per sample, the baseline's, the peak memory."""

    samples: list[float]
    baseline: list[float] = field(default_factory=list)
    peak_mb: float | None = None
    """Peak resident memory of the measured process(es), MB; ``None``: not measured."""
    note: str = ""


@dataclass(frozen=True)
class Row:
    """One line of the table: a figure's summary and its verdict."""

    figure: str
    title: str
    median: float | None
    min: float | None
    max: float | None
    p99: float | None
    baseline: float | None
    ratio: float | None
    peak_mb: float | None
    targets: list[str]
    measured: list[str]
    ok: bool
    runs: int
    note: str = ""
    error: str = ""

    @property
    def verdict(self) -> str:
        """``ok``, ``MISSED`` or ``ERROR``."""
        if self.error:
            return "ERROR"
        return "ok" if self.ok else "MISSED"


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile of ``samples`` (``fraction`` 0–1)."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def value_for(target: Target, measured: Measured) -> float:
    """The number ``target`` compares with its limit."""
    median = statistics.median(measured.samples)
    if target.kind == "median":
        return median
    if target.kind == "p99":
        return percentile(measured.samples, 0.99)
    if not measured.baseline:
        raise ValueError(f"a {target.kind} target needs a baseline")
    floor = statistics.median(measured.baseline)
    if target.kind == "ratio":
        return median / floor if floor > 0 else math.inf
    if target.kind == "above":
        return median - floor
    raise ValueError(f"unknown target kind {target.kind!r}")


def value_text(target: Target, value: float) -> str:
    """``value`` in the target's unit."""
    if target.kind == "ratio":
        return f"{value:.2f}×"
    prefix = {"median": "", "p99": "p99 ", "above": "+"}[target.kind]
    return f"{prefix}{seconds_text(value)}"


def summarise(
    figure: str,
    title: str,
    targets: Sequence[Target],
    measured: Measured,
    memory_limit_mb: float = MEMORY_LIMIT_MB,
) -> Row:
    """The table row of one figure: median/min/max, baseline, ratio, peak and the verdict.

    The verdict is ``ok`` when every target is met and the peak memory (when measured) is
    within ``memory_limit_mb``.
    """
    samples = measured.samples
    if not samples:
        return failed(figure, title, targets, "no samples")
    values = [value_for(target, measured) for target in targets]
    ok = all(value <= target.limit for target, value in zip(targets, values, strict=True))
    memory = [f"≤ {memory_limit_mb:.0f} MB"]
    if measured.peak_mb is not None:
        ok = ok and measured.peak_mb <= memory_limit_mb
    floor = statistics.median(measured.baseline) if measured.baseline else None
    median = statistics.median(samples)
    return Row(
        figure=figure,
        title=title,
        median=median,
        min=min(samples),
        max=max(samples),
        p99=percentile(samples, 0.99),
        baseline=floor,
        ratio=median / floor if floor else None,
        peak_mb=measured.peak_mb,
        targets=[target.describe() for target in targets] + memory,
        measured=[value_text(t, v) for t, v in zip(targets, values, strict=True)],
        ok=ok,
        runs=len(samples),
        note=measured.note,
    )


def failed(figure: str, title: str, targets: Sequence[Target], error: str) -> Row:
    """The row of a figure that could not be measured (shown as ``ERROR``, never ``ok``)."""
    return Row(
        figure=figure,
        title=title,
        median=None,
        min=None,
        max=None,
        p99=None,
        baseline=None,
        ratio=None,
        peak_mb=None,
        targets=[target.describe() for target in targets],
        measured=[],
        ok=False,
        runs=0,
        error=error,
    )


def seconds_text(seconds: float | None) -> str:
    """A duration for people: ``0.42 ms``, ``12.3 ms``, ``1.23 s``, ``45.6 s``; ``–`` if none."""
    if seconds is None:
        return "–"
    if abs(seconds) < 0.001:
        return f"{seconds * 1000:.2f} ms"
    if abs(seconds) < 1:
        return f"{seconds * 1000:.1f} ms"
    if abs(seconds) < 10:
        return f"{seconds:.2f} s"
    return f"{seconds:.1f} s"


COLUMNS = ("figure", "median", "min", "max", "baseline", "ratio", "peak MB", "target", "measured")


def _cells(row: Row) -> list[str]:
    return [
        row.figure,
        seconds_text(row.median),
        seconds_text(row.min),
        seconds_text(row.max),
        seconds_text(row.baseline),
        "–" if row.ratio is None else f"{row.ratio:.2f}×",
        "–" if row.peak_mb is None else f"{row.peak_mb:.0f}",
        ", ".join(row.targets),
        ", ".join(row.measured) if not row.error else row.error[:60],
    ]


def format_table(rows: Sequence[Row]) -> str:
    """The rows as a Markdown table (readable in a terminal, pasteable into the README)."""
    header = [*COLUMNS, "result"]
    lines = [[*_cells(row), row.verdict] for row in rows]
    widths = [max(len(header[i]), *(len(line[i]) for line in lines)) for i in range(len(header))]

    def render(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([render(header), rule, *(render(line) for line in lines)])


def format_notes(rows: Sequence[Row]) -> str:
    """One line per row with a note or an error (what the figure ran on, what failed)."""
    return "\n".join(
        f"- {row.figure}: {row.error or row.note}" for row in rows if row.error or row.note
    )


def to_json(rows: Sequence[Row], meta: dict[str, object]) -> str:
    """The rows (seconds as numbers, ``verdict`` spelled out) and ``meta``, as JSON."""
    figures = [{**asdict(row), "verdict": row.verdict} for row in rows]
    return json.dumps({**meta, "figures": figures}, indent=2, ensure_ascii=False)
