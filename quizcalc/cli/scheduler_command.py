"""``quizcalc scheduler``: FSRS fitted to the learner's log, and how well each scheduler predicts.

    quizcalc scheduler fit [--json]              # fit FSRS-6 on your reviews and store it
    quizcalc scheduler evaluate [--json]         # SM-2 vs FSRS (default, fitted): log loss, ...
    quizcalc scheduler evaluate --demo           # the same on a simulated year, never yours
    quizcalc scheduler simulate --days N --retention R [--json]   # workload ahead
    quizcalc scheduler simulate --implicit on --transfer 0.5      # implicit repetition

Registered on the ``quizcalc`` group by :mod:`quizcalc.cli.main`; another subcommand joins
the group with ``@scheduler.command(...)``. Light at import (only click): the study layer,
fsrs-rs and rich load inside the commands.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from quizcalc.cli.common import now, open_service, study_errors

if TYPE_CHECKING:
    from rich.console import Console

    from quizcalc.cli.common import Options
    from quizcalc.scheduling.evaluation import Evaluation
    from quizcalc.scheduling.fitting import FitResult

__all__ = ["render_evaluation", "render_fit", "scheduler"]

DEMO_NOTE = "demo: a simulated year in a throwaway database, deleted on exit — not your progress"

MODEL_LABELS = {
    "sm2": "SM-2",
    "fsrs_default": "FSRS-6, default parameters",
    "fsrs_fitted": "FSRS-6, fitted on earlier reviews",
}
"""How each evaluated model is named in the table."""


@click.group()
def scheduler() -> None:
    """FSRS fitted to your reviews, and honest numbers on each scheduler's predictions."""


def _attach_simulate() -> None:
    from quizcalc.cli.scheduler_simulate import simulate

    scheduler.add_command(simulate)


_attach_simulate()


@scheduler.command("fit")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object for scripts.")
@click.pass_obj
def fit(options: Options, as_json: bool) -> None:
    """Fit FSRS-6's parameters to your review log and store them with the collection.

    Below the library's minimum the default parameters stay, and the output says how many
    reviews are missing.
    """
    with open_service(options, sync=False) as service, study_errors():
        result = service.fit_scheduler(now())
    if as_json:
        click.echo(json.dumps(fit_to_json(result), indent=2))
        return
    from rich.console import Console

    render_fit(result, Console(highlight=False))


@scheduler.command("evaluate")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (stable keys).")
@click.option(
    "--demo",
    is_flag=True,
    help="Evaluate a simulated year of history, in a throwaway database (never yours).",
)
@click.pass_obj
def evaluate(options: Options, as_json: bool, demo: bool) -> None:
    """Score SM-2 and FSRS (default and fitted) on your later reviews, as srs-benchmark does.

    Time-series splits: each model predicts every review from earlier ones only (FSRS fitted
    on the reviews before); same-day repeats are not scored. Lower log loss and RMSE(bins)
    are better, a higher AUC is better.
    """
    when = now()
    if demo:
        from quizcalc.study.scheduler_numbers import demo_evaluation

        with study_errors():
            result = demo_evaluation(when)
    else:
        with open_service(options, sync=False) as service, study_errors():
            result = service.evaluate_scheduler(when)
    if as_json:
        if demo:
            click.echo(DEMO_NOTE, err=True)
        click.echo(json.dumps(result.to_json(), indent=2))
        return
    from rich.console import Console

    console = Console(highlight=False)
    if demo:
        console.print(f"[bold yellow]{DEMO_NOTE}[/]")
    render_evaluation(result, console)


def fit_to_json(result: FitResult) -> dict[str, Any]:
    """``{"fitted", "reviews", "training_reviews", "missing", "parameters"}``."""
    return {
        "fitted": result.fitted,
        "reviews": result.reviews,
        "training_reviews": result.training_reviews,
        "missing": result.missing,
        "parameters": [round(w, 6) for w in result.parameters],
    }


def render_fit(result: FitResult, console: Console) -> None:
    """A line on what the fit read and did, then each parameter beside its default."""
    from rich.table import Table

    from quizcalc.scheduling.fitting import FULL_TRAINING_REVIEWS, MINIMUM_TRAINING_REVIEWS
    from quizcalc.scheduling.fsrs import DEFAULT_PARAMETERS

    if not result.fitted:
        console.print(
            f"Not enough reviews to fit FSRS yet: fsrs-rs needs {MINIMUM_TRAINING_REVIEWS} "
            f"reviews to train on and your {result.reviews:,} reviews give "
            f"{result.training_reviews}, so at least {result.missing} more are missing. "
            "It trains on reviews of a card already reviewed on an earlier day, and sets "
            "aside second reviews after a rare first interval (all of them while a first "
            "rating has fewer than 20). The default parameters stay."
        )
        return
    console.print(
        f"Fitted FSRS-6 on {result.reviews:,} reviews ({result.training_reviews:,} of them "
        "trained on); the parameters are stored with the collection."
    )
    if result.training_reviews < FULL_TRAINING_REVIEWS:
        console.print(
            f"Below {FULL_TRAINING_REVIEWS} trained-on reviews fsrs-rs fits only the four "
            "initial stabilities (w0–w3); the others keep their defaults."
        )
    table = Table(title="FSRS-6 parameters")
    table.add_column("w", justify="right")
    table.add_column("fitted", justify="right")
    table.add_column("default", justify="right")
    for index, (mine, default) in enumerate(
        zip(result.parameters, DEFAULT_PARAMETERS, strict=True)
    ):
        table.add_row(str(index), f"{mine:.4f}", f"{default:.4f}")
    console.print(table)


def _metric(value: float | None) -> str:
    return "—" if value is None else f"{value:.4f}"


def render_evaluation(result: Evaluation, console: Console) -> None:
    """The three models' log loss, RMSE(bins) and AUC in one table, with what was scored."""
    from rich.table import Table

    caption = (
        f"{result.reviews:,} reviews of {result.cards:,} cards; {result.scored:,} scored "
        f"over {result.splits} time-series splits. Lower log loss and RMSE(bins) are "
        "better; higher AUC is better."
    )
    if result.fitted_splits < result.splits:
        caption += (
            f" FSRS could be fitted in {result.fitted_splits} of {result.splits} splits; in "
            "the others the fitted row used the default parameters."
        )
    table = Table(title="How well each scheduler predicts your recall", caption=caption)
    table.add_column("model")
    table.add_column("log loss", justify="right")
    table.add_column("RMSE(bins)", justify="right")
    table.add_column("AUC", justify="right")
    for name, score in result.models.items():
        table.add_row(
            MODEL_LABELS.get(name, name),
            _metric(score.log_loss),
            _metric(score.rmse_bins),
            _metric(score.auc),
        )
    console.print(table)
