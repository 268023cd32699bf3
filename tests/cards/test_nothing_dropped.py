"""The parser never drops text silently: what it cannot read is a ``file:line: message``.

markdown-it stops reading at 10 nested lists (its ``maxNesting``) and used to skip everything
after that point, so every card below a deep list vanished while ``cards check`` was clean.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from quizcalc.cards import parse_document
from quizcalc.cli.main import cli


def nested_list(depth: int, first_line: str = "item") -> str:
    """A bullet list ``depth`` levels deep, one item per level."""
    return "\n".join("  " * level + f"- {first_line} {level}" for level in range(depth))


def cards_after(count: int) -> str:
    return "\n".join(f"Q: Question number {n}?\nA: Answer {n}.\n" for n in range(count))


def test_cards_after_a_list_nested_ten_levels_deep_are_all_read() -> None:
    text = "Q: Before?\nA: Yes.\n\n" + nested_list(12) + "\n\n" + cards_after(92)
    result = parse_document(text, "deck.md")
    assert len(result.cards) == 93
    [problem] = result.problems
    assert str(problem) == (
        "deck.md:13: lines 13-15 are nested too deeply to read "
        "(at most 10 lists or 20 quotes inside each other); indent less"
    )


def test_nine_levels_are_read_without_a_problem() -> None:
    text = nested_list(9) + "\n\n" + cards_after(3)
    result = parse_document(text, "deck.md")
    assert (len(result.cards), result.problems) == (3, [])


def test_a_card_inside_too_many_quotes_is_reported_not_dropped() -> None:
    text = ">" * 25 + " Q: Deep?\n" + ">" * 25 + " A: Yes.\n\n" + cards_after(2)
    result = parse_document(text, "deck.md")
    assert len(result.cards) == 2
    assert [(p.line, "nested too deeply" in p.message) for p in result.problems] == [(1, True)]


def test_cards_check_names_the_deep_list_and_fails(tmp_path: Path) -> None:
    deck = tmp_path / "deck.md"
    deck.write_text(nested_list(11) + "\n\n" + cards_after(2), encoding="utf-8")
    outcome = CliRunner().invoke(cli, ["cards", "check", str(deck)])
    assert outcome.exit_code == 1
    assert outcome.output.startswith(f"{deck}:10: lines 10-11 are nested too deeply to read")
