"""``quizcalc cards show ID``: a card's question and answer as the reviewer draws them."""

from __future__ import annotations

import shutil

import click

from quizcalc.cli.common import Options, open_service, study_errors

__all__ = ["show"]


@click.command("show")
@click.argument("card_id")
@click.option(
    "--width",
    type=click.IntRange(min=20, max=1000),
    help="Columns the maths may use (default: the terminal's width, else 80).",
)
@click.pass_obj
def show(options: Options, card_id: str, width: int | None) -> None:
    """Print card CARD_ID (an id from `quizcalc cards list`) as the reviewer renders it.

    Inline maths reads as Unicode on its line; display maths is drawn in two dimensions
    (stacked fractions, matrices, cases) where it fits in --width columns, else on one line.
    """
    from quizcalc.typeset import render_text

    columns = width or shutil.get_terminal_size((80, 24)).columns
    with open_service(options) as service, study_errors():
        card = service.card_by_id(card_id)
    title = "Cloze" if card.kind == "cloze" else "Question"
    question = render_text(card.question, columns).strip("\n")
    answer = render_text(card.answer, columns).strip("\n")
    click.echo(f"{title}\n{question}\n\nAnswer\n{answer}")
