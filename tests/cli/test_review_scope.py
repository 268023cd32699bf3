"""``quizcalc review --deck NAME [--section S]``: a session over one deck or section."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import quizcalc.cli.main as cli_main
from quizcalc.cli.main import cli
from quizcalc.study.scope import StudyScope
from tests.study.test_scope import CALCULUS, LINEAR


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The TUI start-ups asked for (the TUI itself is not run)."""
    calls: list[dict[str, Any]] = []

    def run_tui(options: object, start: str, **kwargs: Any) -> None:
        calls.append({"start": start, **kwargs})

    monkeypatch.setattr(cli_main, "run_tui", run_tui)
    return calls


def _invoke(db_url: str, content: Path, *args: str) -> Result:
    return CliRunner().invoke(
        cli, ["--db", db_url, "--content", str(content), "review", *args], prog_name="quizcalc"
    )


@pytest.fixture
def content(write_deck: Callable[..., Path]) -> Path:
    """Two decks: Calculus (sections 2.1 with Practice, 2.2) and Linear algebra."""
    write_deck(CALCULUS, "calculus.md")
    return write_deck(LINEAR, "linear.md")


def test_a_named_deck_and_section_start_a_session_over_them(
    db_url: str, content: Path, started: list[dict[str, Any]]
) -> None:
    result = _invoke(db_url, content, "--deck", "calculus", "--section", "2.1::practice")
    assert result.exit_code == 0, (result.output, result.exception)
    assert started == [
        {"start": "review", "scope": StudyScope("Calculus", "2.1 Derivatives::Practice")}
    ]


def test_a_section_alone_is_looked_for_in_every_deck(
    db_url: str, content: Path, started: list[dict[str, Any]]
) -> None:
    result = _invoke(db_url, content, "--section", "Matrices")
    assert result.exit_code == 0, (result.output, result.exception)
    assert started[0]["scope"] == StudyScope(None, "Matrices")


def test_an_unknown_deck_is_one_line_listing_the_decks(
    db_url: str, content: Path, started: list[dict[str, Any]]
) -> None:
    result = _invoke(db_url, content, "--deck", "Topology")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1:] == [
        "quizcalc: no deck named 'Topology'; decks: Calculus, Linear algebra"
    ]
    assert started == []


def test_an_unknown_section_is_one_line_listing_the_deck_s_sections(
    db_url: str, content: Path, started: list[dict[str, Any]]
) -> None:
    result = _invoke(db_url, content, "--deck", "Calculus", "--section", "9.9")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "quizcalc: no section '9.9' in deck 'Calculus'; sections: 2.1 Derivatives; 2.2 Gradients"
    )
    assert started == []


def test_without_a_choice_the_review_is_of_everything(
    db_url: str, content: Path, started: list[dict[str, Any]]
) -> None:
    result = _invoke(db_url, content)
    assert result.exit_code == 0, (result.output, result.exception)
    assert started == [{"start": "review"}]


def test_a_deck_is_found_by_the_start_of_its_name(
    db_url: str, content: Path, started: list[dict[str, Any]]
) -> None:
    result = _invoke(db_url, content, "--deck", "linear")
    assert result.exit_code == 0, (result.output, result.exception)
    assert started[0]["scope"] == StudyScope("Linear algebra")
