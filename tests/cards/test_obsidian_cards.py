"""Obsidian Spaced Repetition notes work unchanged: ``::``, ``:::``, and ``?`` / ``??`` lines."""

from __future__ import annotations

from quizcalc.cards import derive_card_id, parse_document, parse_markdown


def test_single_line_card_per_line_in_paragraphs_and_lists() -> None:
    cards = parse_markdown("Capital of France::Paris\nd/dx x²::2x\n\n- d/dx eˣ::eˣ\n")
    assert [(c.question, c.answer, c.line) for c in cards] == [
        ("Capital of France", "Paris", 1),
        ("d/dx x²", "2x", 2),
        ("d/dx eˣ", "eˣ", 4),
    ]


def test_triple_colon_makes_a_card_each_way() -> None:
    forward, backward = parse_markdown("gradient:::vector of partial derivatives")
    assert (forward.question, forward.answer) == ("gradient", "vector of partial derivatives")
    assert (backward.question, backward.answer) == ("vector of partial derivatives", "gradient")
    assert backward.id == derive_card_id("basic", "vector of partial derivatives")


def test_multi_line_card_with_question_mark_line() -> None:
    text = (
        "Name the kinds of critical point\nin one dimension\n?\nminimum\nmaximum\n\nNot answer.\n"
    )
    [card] = parse_markdown(text)
    assert card.question == "Name the kinds of critical point\nin one dimension"
    assert card.answer == "minimum\nmaximum"
    assert card.line == 1


def test_multi_line_answer_may_be_a_list_up_to_the_blank_line() -> None:
    [card] = parse_markdown("Optimizers with momentum\n?\n- SGD+momentum\n- Adam\n\nProse.\n")
    assert card.answer == "- SGD+momentum\n- Adam"


def test_double_question_mark_makes_a_card_each_way() -> None:
    forward, backward = parse_markdown("Jacobian\n??\nmatrix of first partials\n")
    assert (forward.question, backward.question) == ("Jacobian", "matrix of first partials")


def test_double_colons_in_code_math_links_and_one_sided_text_are_not_cards() -> None:
    text = (
        "Use `std::vector` here.\n\n"
        "Math \\(a::b\\) stays.\n\n"
        "See [x](http://h/a::b) and <http://h/a::b>.\n\n"
        "::leading\n\ntrailing::\n\nfour::::colons\n"
    )
    assert parse_markdown(text) == []


def test_obsidian_lines_inside_an_answer_belong_to_the_answer() -> None:
    [card] = parse_markdown("Q: Name a pair?\nA: Like this:\n\nkey::value\n")
    assert card.answer == "Like this:\n\nkey::value"


def test_question_mark_card_missing_a_side_is_reported() -> None:
    result = parse_document("Lonely question\n?\n", "o.md")
    assert result.cards == []
    assert [str(p) for p in result.problems] == [
        "o.md:1: a '?' card needs question lines above the '?' and answer lines below it"
    ]
