"""``quizcalc drill``: a drill on chosen skills in the TUI, or a printable worksheet.

    quizcalc drill                                         # the drill set-up screen
    quizcalc drill --family chain_rule --family lr_divergence --count 10 --difficulty 2
    quizcalc drill --section "2.8 The learning rate" --minutes 5
    quizcalc drill --weakest --count 12 --seed 7 --export sheet.md

Light at import (only click): ``quizcalc --help`` stays fast.
"""

from __future__ import annotations

import inspect
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from quizcalc.cli.main import Options
    from quizcalc.config import Config
    from quizcalc.study.drill_plan import DrillSpec

__all__ = ["drill", "write_worksheet"]


@click.command()
@click.option(
    "--family",
    "families",
    multiple=True,
    metavar="FAMILY",
    help="A problem family to drill (repeatable; see `quizcalc problems list`).",
)
@click.option(
    "--section",
    "sections",
    multiple=True,
    metavar="SECTION",
    help='Drill the problem cards of a section, e.g. "2.8 The learning rate" or 2.8 (repeatable).',
)
@click.option(
    "--weakest",
    is_flag=True,
    help="Add the 5 weakest families (lowest accuracy, last 30 days) — as on home.",
)
@click.option("--count", type=int, metavar="N", help="Number of problems [setting drill_count].")
@click.option(
    "--minutes", type=int, metavar="M", help="Time limit in minutes [setting drill_minutes]."
)
@click.option("--difficulty", type=int, metavar="1-3", help="Difficulty [drill_difficulty].")
@click.option("--seed", type=int, metavar="N", help="Seed of the set: the same seed, the same set.")
@click.option(
    "--export",
    type=click.Path(path_type=Path),
    metavar="FILE.md",
    help="Write a printable worksheet (problems, then an answer key) instead of drilling.",
)
@click.pass_obj
def drill(
    options: Options,
    families: tuple[str, ...],
    sections: tuple[str, ...],
    weakest: bool,
    count: int | None,
    minutes: int | None,
    difficulty: int | None,
    seed: int | None,
    export: Path | None,
) -> None:
    """Drill problem skills: pick families, a section or your weakest skills.

    Without a choice of skills, opens the drill set-up screen. Drill answers are logged and
    count in statistics, but do not move review schedules unless the drill_moves_schedule
    setting is on.
    """
    from quizcalc.cli.main import UserError, _friendly_errors

    chosen = families or sections or weakest
    if not chosen and export is None and not (count or minutes or difficulty or seed):
        _run_tui_drill(options, None)
        return
    if not chosen:
        raise UserError(
            "choose what to drill: --family FAMILY (see `quizcalc problems list`), "
            '--section "SECTION" or --weakest'
        )
    with _friendly_errors():
        spec, config = _spec(options, families, sections, weakest, count, minutes, difficulty, seed)
    if export is None:
        _run_tui_drill(options, spec)
        return
    if spec.count is None:  # a sheet has no timer: as many problems as a drill would have
        from dataclasses import replace

        spec = replace(spec, count=config.drill_count)
    written = write_worksheet(spec, export)
    click.echo(f"wrote {written} problems with an answer key to {export}")


def _spec(
    options: Options,
    families: tuple[str, ...],
    sections: tuple[str, ...],
    weakest: bool,
    count: int | None,
    minutes: int | None,
    difficulty: int | None,
    seed: int | None,
) -> tuple[DrillSpec, Config]:
    """Validate the choice (known families first, without opening the database)."""
    from quizcalc.cli.main import UserError, _now, _service
    from quizcalc.config import load_config
    from quizcalc.locations import config_path
    from quizcalc.problems.catalog import FAMILY_NAMES
    from quizcalc.study.drill_plan import DrillSpec

    for name in families:
        if name not in FAMILY_NAMES:
            raise UserError(
                f"unknown problem family {name!r}; choose from: {', '.join(FAMILY_NAMES)}"
            )
    config = load_config(config_path(options.config))
    chosen = list(families)
    if sections or weakest:
        from quizcalc.study.drills import section_families, weakest_families

        with _service(options) as service:
            try:
                for section in sections:
                    chosen += section_families(service, section)
            except ValueError as exc:
                raise UserError(str(exc)) from exc
            if weakest:
                chosen += weakest_families(service, _now())
    try:
        spec = DrillSpec.from_settings(
            chosen, config, difficulty=difficulty, count=count, minutes=minutes, seed=seed
        )
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    return spec, config


def write_worksheet(spec: DrillSpec, path: Path) -> int:
    """Plan ``spec``, render its worksheet and write it to ``path`` whole or not at all.

    Returns the number of problems; a path that cannot be written is a UserError naming it.
    """
    from quizcalc.cli.main import UserError
    from quizcalc.study.drill_plan import plan_drill
    from quizcalc.study.worksheet import render_worksheet

    target = path.expanduser()
    folder = target.parent
    if target.is_dir():
        raise UserError(f"{path}: is a folder; give a file name such as {path / 'sheet.md'}")
    if not folder.is_dir():
        raise UserError(f"{path}: the folder {folder} does not exist; create it or choose another")
    if target.exists() and not os.access(target, os.W_OK):
        raise UserError(f"{path}: the file is read-only; choose another name")
    plan = plan_drill(spec)
    text = render_worksheet(plan, export=str(path))
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        reason = exc.strerror or str(exc)
        raise UserError(
            f"{path}: cannot write the worksheet ({reason}); choose a folder you can write to"
        ) from exc
    return len(plan.items)


def _run_tui_drill(options: Options, spec: DrillSpec | None) -> None:
    """Open the drill screen (the set-up screen when ``spec`` is ``None``)."""
    import sys

    from quizcalc.cli.main import UserError, _path
    from quizcalc.tui.app import make_app

    if "drill" not in inspect.signature(make_app).parameters:
        raise UserError("the drill screen needs a terminal UI; use --export for a worksheet")
    settings: dict[str, Any] = {
        "db": options.db,
        "content": Path(options.content) if options.content else None,
        "config_file": _path(options.config),
        "start": "drill",
        "drill": spec,
    }
    app = make_app(**settings)
    app.run()
    code = getattr(app, "return_code", 0) or 0
    if code:
        sys.exit(code)
