"""The same card id in two sources: ``quizcalc sync`` and ``cards check`` name both places.

In-process with click's CliRunner, on a copied new database.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner, Result

from quizcalc.cli.main import cli

CARD = "<!-- id: chain-rule -->\nQ: What is the chain rule?\nA: (f∘g)' = f'(g)·g'\n"
COPY = "Q: Another card\nA: kept\n\n<!-- id: chain-rule -->\nQ: Chain rule?\nA: a copy\n"


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="quizcalc")


def test_sync_and_cards_check_report_a_card_id_found_in_a_second_source(
    tmp_path: Path, new_database: Callable[[Path], Path]
) -> None:
    db = str(new_database(tmp_path / "q.sqlite3"))
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "deck.md").write_text(CARD, encoding="utf-8")
    other = tmp_path / "other.md"
    other.write_text(COPY, encoding="utf-8")
    line = (
        f"{other}:5: card 'chain-rule' is already in your content folder {notes} "
        f"({notes / 'deck.md'}:2); this copy was skipped: give it another id or remove one"
    )

    first = _invoke("--db", db, "--content", str(notes), "sync")
    imported = _invoke("--db", db, "--content", str(notes), "import", str(other))
    synced = _invoke("--db", db, "--content", str(notes), "sync")
    for result in (first, imported, synced):
        assert result.exit_code == 0, (result.output, result.exception)
    assert f"  {line}" in imported.stderr.splitlines()
    assert line in synced.stderr.splitlines()
    listed = _invoke("--db", db, "cards", "list", "--json")
    assert '"question": "What is the chain rule?"' in listed.stdout
    assert "Chain rule?" not in listed.stdout

    checked = _invoke("cards", "check", str(notes), str(other))
    assert checked.exit_code == 1
    assert checked.stdout.startswith(f"{other}:5: duplicate card id 'chain-rule' (first used at ")
