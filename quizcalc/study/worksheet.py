"""A printable drill worksheet: numbered problems, a page break, then an answer key.

For a study group or paper practice. Markdown with the problems' LaTeX kept as written
(``\\( \\)`` and ``\\[ \\]``), so any Markdown-with-math renderer (pandoc, Obsidian, VS Code,
a static site) prints it. The same plan (same seed) gives the same worksheet, byte for byte.
"""

from __future__ import annotations

import math
import os
import shlex
from pathlib import Path

from quizcalc.study.drill_plan import DrillPlan, DrillSpec, draw_instances, plan_drill
from quizcalc.study.errors import ExchangeProblem

__all__ = ["PAGE_BREAK", "render_worksheet", "reproduce_command", "write_worksheet"]

PAGE_BREAK = '<div style="page-break-after: always;"></div>'
"""Starts the answer key on a new page when printed from HTML (followed by a ``---`` rule)."""


def reproduce_command(plan: DrillPlan, export: str = "FILE.md") -> str:
    """The ``quizcalc drill`` command line that writes this same worksheet again."""
    spec = plan.spec
    words = ["quizcalc", "drill"]
    for family in spec.families:
        words += ["--family", family]
    words += ["--difficulty", str(spec.difficulty), "--count", str(len(plan.items))]
    words += ["--seed", str(plan.seed), "--export", export]
    return shlex.join(words)


def _code(text: str) -> str:
    """``text`` as a Markdown code span, however many backticks it holds."""
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def render_worksheet(plan: DrillPlan, *, title: str | None = None, export: str = "FILE.md") -> str:
    """The worksheet for ``plan`` as Markdown.

    A title and instructions, the problems numbered 1..N, a page break and a ``---`` rule,
    then "Answer key": for each problem its answer as it would be typed and the worked
    solution as numbered steps. Generates every instance (SymPy for some families).
    ``export`` is the file name shown in the line that regenerates the sheet.
    """
    from quizcalc.problems import FAMILIES, expected_text

    problems = draw_instances(plan)
    spec = plan.spec
    titles = [FAMILIES[name].title for name in spec.families]
    minutes = spec.minutes or max(1, math.ceil(sum(p.target_seconds for p in problems) / 60))
    count = len(problems)
    out = [
        f"# {title or 'Drill worksheet'}",
        "",
        f"{'; '.join(titles)} · difficulty {spec.difficulty} · "
        f"{count} problem{'s' if count != 1 else ''} · seed {plan.seed}",
        "",
        "## Instructions",
        "",
        "- Work every problem on paper and write your final answer clearly.",
        "- Give exact values (integers, fractions like 3/4, surds) where you can; otherwise "
        "decimals to 4 significant figures.",
        "- Where options are listed, choose one.",
        f"- Suggested time: {minutes} minute{'s' if minutes != 1 else ''} in all.",
        "- The answer key, with worked solutions, starts on a new page: try everything first.",
        "",
        "## Problems",
    ]
    for number, problem in enumerate(problems, 1):
        out += ["", f"### Problem {number}: {FAMILIES[problem.family].title}", ""]
        out.append(problem.prompt.strip())
    out += ["", PAGE_BREAK, "", "---", "", "## Answer key"]
    for number, problem in enumerate(problems, 1):
        out += ["", f"### {number}. {FAMILIES[problem.family].title}", ""]
        out += [f"**Answer:** {_code(expected_text(problem.answer))}", ""]
        out += [
            f"{step_number}. " + "\n   ".join(step.strip().splitlines())
            for step_number, step in enumerate(problem.solution, 1)
        ]
    out += [
        "",
        "---",
        "",
        f"Made by quizcalc. The same sheet again: {_code(reproduce_command(plan, export))}",
        "",
    ]
    return "\n".join(out)


def write_worksheet(spec: DrillSpec, path: Path) -> int:
    """Plan ``spec``, render its worksheet and write it to ``path`` whole or not at all.

    Returns the number of problems. A path that cannot be written raises
    :class:`~quizcalc.study.errors.ExchangeProblem` naming it and what to do.
    """
    target = path.expanduser()
    folder = target.parent
    if target.is_dir():
        raise ExchangeProblem(f"{path}: is a folder; give a file name such as {path / 'sheet.md'}")
    if not folder.is_dir():
        raise ExchangeProblem(
            f"{path}: the folder {folder} does not exist; create it or choose another"
        )
    if target.exists() and not os.access(target, os.W_OK):
        raise ExchangeProblem(f"{path}: the file is read-only; choose another name")
    plan = plan_drill(spec)
    text = render_worksheet(plan, export=str(path))
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        reason = exc.strerror or str(exc)
        raise ExchangeProblem(
            f"{path}: cannot write the worksheet ({reason}); choose a folder you can write to"
        ) from exc
    return len(plan.items)
