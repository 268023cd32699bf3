"""The ``scheduler simulate`` command: reviews ahead and what they keep, under FSRS.

The command is attached to the ``scheduler`` group (:mod:`quizcalc.cli.scheduler_command`)
with ``scheduler.add_command(simulate)``. Heavy imports happen inside it, so
``quizcalc --help`` stays fast.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from quizcalc.study.scheduler_simulation import SchedulerSimulation

__all__ = ["simulate", "simulation_to_json"]

EXPECTED_RETENTION_MEANS = (
    "mean FSRS-predicted recall of every studied card on the day after the last simulated day"
)
"""What ``expected_retention`` is, said in the JSON and the text."""


def _rounded(value: float | None, places: int = 4) -> float | None:
    return None if value is None else round(value, places)


def simulation_to_json(result: SchedulerSimulation) -> dict[str, Any]:
    """The simulation as plain JSON types, with stable keys."""
    workload = result.workload
    return {
        "days": result.days,
        "desired_retention": result.desired_retention,
        "parameters": {
            "source": "fitted" if result.parameters.fitted else "default",
            "fitted_reviews": result.parameters.fitted_reviews,
        },
        "cards": {"studied": result.studied_cards, "new": result.new_cards},
        "limits": {"new_per_day": result.new_per_day, "reviews_per_day": result.reviews_per_day},
        "total_reviews": workload.total_reviews,
        "average_reviews_per_day": round(workload.average_reviews_per_day, 2),
        "reviews_per_day": list(workload.reviews_per_day),
        "new_cards_per_day": list(workload.new_per_day),
        "expected_retention": _rounded(workload.expected_retention),
        "expected_retention_means": EXPECTED_RETENTION_MEANS,
        "recall_rate": _rounded(workload.recall_rate),
        "optimal_retention": round(result.optimal_retention, 3),
    }


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _optimum(value: float) -> str:
    from quizcalc.scheduling.workload import OPTIMAL_RETENTION_RANGE

    low, high = OPTIMAL_RETENTION_RANGE
    note = ""
    if value <= low + 1e-3:
        note = " (the lowest retention the search tries: the optimum may be lower still)"
    elif value >= high - 1e-3:
        note = " (the highest retention the search tries)"
    return f"{value:.2f}{note}"


def render_simulation(result: SchedulerSimulation) -> list[str]:
    """The simulation as lines of text."""
    workload = result.workload
    busiest = max(workload.reviews_per_day)
    return [
        f"FSRS simulation: {result.days} days at desired retention "
        f"{result.desired_retention:.2f} ({result.parameters.describe()})",
        f"Collection: {result.studied_cards:,} cards studied, {result.new_cards:,} new "
        f"({result.new_per_day} new a day, at most {result.reviews_per_day} reviews a day)",
        f"Reviews: {workload.total_reviews:,} in all, "
        f"{workload.average_reviews_per_day:.1f} a day on average, {busiest} on the busiest day; "
        f"{workload.total_new:,} new cards studied",
        f"Expected retention: {_percent(workload.expected_retention)} ({EXPECTED_RETENTION_MEANS})",
        f"Recalled in the simulated reviews: {_percent(workload.recall_rate)}",
        f"Optimal retention for these parameters: {_optimum(result.optimal_retention)}",
    ]


@click.command("simulate")
@click.option(
    "--days",
    type=click.IntRange(1, 3650),
    default=365,
    show_default=True,
    help="Study days to simulate, today the first.",
)
@click.option(
    "--retention",
    type=click.FloatRange(0.5, 0.99),
    default=None,
    help="Desired retention to simulate (default: the collection's setting).",
)
@click.option("--seed", type=int, default=42, show_default=True, help="The simulation's seed.")
@click.option(
    "--implicit",
    type=click.Choice(["on", "off"]),
    default=None,
    help="Instead: simulate implicit repetition on the problem families' skill graph (an "
    "FSRS-6 learner with default parameters, one skill per family and difficulty).",
)
@click.option(
    "--transfer",
    type=click.FloatRange(0.0, 1.0),
    default=0.0,
    show_default=True,
    help="With --implicit: the chance × edge weight that passing a skill really refreshes "
    "each skill it encompasses in the learner's memory (0: practice never transfers).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (stable keys).")
@click.pass_obj
def simulate(
    options: Any,
    days: int,
    retention: float | None,
    seed: int,
    implicit: str | None,
    transfer: float,
    as_json: bool,
) -> None:
    """Workload (reviews per day, total) and expected retention of your collection under
    FSRS, with your parameters and daily limits; and the optimal retention for them. With
    --implicit on|off: what crediting encompassed skills saves on the skill graph."""
    from quizcalc.cli.common import now, open_service, study_errors

    if implicit is not None:
        _simulate_implicit(days, implicit == "on", transfer, seed, retention, as_json)
        return

    with open_service(options, sync=False) as service, study_errors():
        result = service.simulate_scheduler(now(), days, retention, seed=seed)
    if as_json:
        click.echo(json.dumps(simulation_to_json(result), ensure_ascii=False, indent=2))
        return
    for line in render_simulation(result):
        click.echo(line)


def _simulate_implicit(
    days: int, implicit: bool, transfer: float, seed: int, retention: float | None, as_json: bool
) -> None:
    """``simulate --implicit``: one simulated learner on the families' skill graph."""
    from quizcalc.problems.skill_graph import plain_graph
    from quizcalc.scheduling.implicit_simulation import simulate_implicit

    desired = 0.9 if retention is None else retention
    result = simulate_implicit(
        plain_graph(),
        days=days,
        implicit=implicit,
        transfer=transfer,
        seed=seed,
        desired_retention=desired,
    )
    if as_json:
        click.echo(
            json.dumps(
                {
                    "implicit": implicit,
                    "transfer": transfer,
                    "days": result.days,
                    "skills": result.skills,
                    "desired_retention": desired,
                    "total_reviews": result.total_reviews,
                    "reviews_per_day": round(result.mean_reviews_per_day, 4),
                    "credits": result.credits,
                    "mean_retention": round(result.mean_retention, 6),
                },
                indent=2,
            )
        )
        return
    click.echo(
        f"Implicit repetition {'on' if implicit else 'off'}, transfer {transfer:g}: "
        f"{result.skills} skills over {result.days} days (an FSRS-6 learner with default "
        f"parameters, scheduled by FSRS at desired retention {desired:.2f})"
    )
    click.echo(
        f"Reviews: {result.total_reviews:,} ({result.mean_reviews_per_day:.2f} a day); "
        f"credits given: {result.credits:,}; mean retention: {result.mean_retention:.2%}"
    )
