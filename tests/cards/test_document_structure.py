"""What a card carries besides its text: deck, tags, section, explicit id, problem spec."""

from __future__ import annotations

from textwrap import dedent

import pytest

from quizcalc.cards import CardKind, ProblemSpec, derive_card_id, parse_document, parse_markdown


def md(text: str) -> str:
    return dedent(text).lstrip("\n")


# --- deck and tags ---------------------------------------------------------------------------


def test_front_matter_sets_deck_and_tags() -> None:
    text = "---\ndeck: Calculus & Optimization\ntags: [Calculus, Machine Learning, '#ml']\n---\n"
    result = parse_document(text + "Q: a?\nA: b\n", "content/calc.md")
    [card] = result.cards
    assert card.deck == result.deck == "Calculus & Optimization"
    assert card.tags == ("calculus", "machine-learning", "ml")
    assert result.problems == []


@pytest.mark.parametrize("tags", ["calculus, optimization", "calculus optimization"])
def test_front_matter_tags_may_be_one_string(tags: str) -> None:
    [card] = parse_markdown(f"---\ntags: {tags}\n---\nQ: a?\nA: b\n")
    assert card.tags == ("calculus", "optimization")


@pytest.mark.parametrize(
    ("source", "deck"),
    [
        ("content/calculus-optimization.md", "Calculus Optimization"),
        ("content/01_linear_algebra.md", "Linear Algebra"),
        ("notes/ML basics.markdown", "ML Basics"),
        ("<string>", ""),
    ],
)
def test_deck_defaults_to_a_name_from_the_file(source: str, deck: str) -> None:
    [card] = parse_markdown("Q: a?\nA: b\n", source)
    assert card.deck == deck


# --- sections --------------------------------------------------------------------------------


def test_heading_path_is_the_section_and_each_heading_a_tag() -> None:
    text = md(
        """
        ---
        tags: [calculus]
        ---
        # Calculus & Optimization
        ## 2.3 The chain rule
        Q: Chain rule?
        A: Multiply local derivatives.
        ### Backprop — *worked* `example` 📉
        Q: Backprop?
        A: Chain rule, reversed.
        ## 2.4 Jacobians
        Q: Jacobian?
        A: First partials.
        """
    )
    chain, backprop, jacobian = parse_markdown(text)
    assert chain.section == "Calculus & Optimization::2.3 The chain rule"
    assert chain.tags == ("calculus", "calculus-optimization", "2-3-the-chain-rule")
    assert backprop.section == (
        "Calculus & Optimization::2.3 The chain rule::Backprop — worked example 📉"
    )
    assert backprop.tags[-1] == "backprop-worked-example"
    assert jacobian.section == "Calculus & Optimization::2.4 Jacobians"


def test_cards_before_any_heading_have_no_section() -> None:
    [card] = parse_markdown("Q: a?\nA: b\n")
    assert (card.section, card.tags) == ("", ())


def test_underlined_text_is_not_a_heading_so_dashes_separate() -> None:
    first, second = parse_markdown("Q: One?\nA: first\n---\nQ: Two?\nA: second\n")
    assert first.answer == "first"
    assert first.section == second.section == ""


def test_plain_text_files_use_numbered_titles_not_hash_lines() -> None:
    text = md(
        """
        2.1 — The derivative

        Q: What is a derivative? A slope.

        # a code comment, not a heading
        x = 1

        2.2 — The gradient

        Q: What is a gradient? A vector of partials.
        """
    )
    derivative, gradient = parse_markdown(text, "chapter.txt")
    assert derivative.section == "2.1 — The derivative"
    assert gradient.section == "2.2 — The gradient"
    assert gradient.tags == ("2-2-the-gradient",)


# --- explicit ids ----------------------------------------------------------------------------


def test_explicit_id_comment_names_the_next_card() -> None:
    [card] = parse_markdown("<!-- id: chain-rule -->\nQ: Chain rule?\nA: Product.\n")
    assert (card.id, card.explicit_id) == ("chain-rule", True)


def test_explicit_id_survives_rewording() -> None:
    [card] = parse_markdown("<!--id:chain-rule-->\n\nQ: State the chain rule.\nA: Product.\n")
    assert card.id == "chain-rule"


def test_explicit_id_on_a_cloze_note_suffixes_each_number() -> None:
    cards = parse_markdown("<!-- id: shapes -->\n{{c1::n}} by {{c2::n}} Hessian.\n")
    assert [c.id for c in cards] == ["shapes::c1", "shapes::c2"]


def test_explicit_id_on_a_two_way_card_suffixes_the_reverse() -> None:
    cards = parse_markdown("<!-- id: grad -->\ngradient:::vector of partials\n")
    assert [c.id for c in cards] == ["grad", "grad::reverse"]


def test_id_comment_not_followed_by_a_card_is_reported() -> None:
    result = parse_document("<!-- id: lost -->\n# Heading\n\n<!-- id: two words -->\n", "i.md")
    assert [str(p) for p in result.problems] == [
        "i.md:1: id comment is not followed by a card (put it on the line right above one)",
        "i.md:4: explicit id must be one word, e.g. <!-- id: chain-rule-basics -->",
    ]


# --- problem blocks --------------------------------------------------------------------------


def test_problem_block_makes_a_problem_card() -> None:
    text = "# Drills\n\n```problem\nfamily: chain_rule\ndifficulty: 2\n```\n"
    [card] = parse_markdown(text)
    assert card.kind is CardKind.PROBLEM
    assert card.problem == ProblemSpec("chain_rule", 2)
    assert card.question == "Generated problem: chain_rule (difficulty 2)"
    assert card.answer == ""
    assert card.id == derive_card_id(CardKind.PROBLEM, "chain_rule:2")
    assert (card.line, card.section) == (3, "Drills")


def test_problem_difficulty_defaults_to_one_and_explicit_id_applies() -> None:
    [card] = parse_markdown("<!-- id: hessian-drill -->\n```problem\nfamily: hessian\n```\n")
    assert card.problem == ProblemSpec("hessian", 1)
    assert card.id == "hessian-drill"


# --- never cards -----------------------------------------------------------------------------


def test_tables_html_quotes_navigation_and_prose_are_not_cards_card_lines_are_reported() -> None:
    text = md(
        """
        - [Home](/) · [Blog](/blog)
        - Chapter 02 — Calculus

        | Q: | A: |
        |----|----|
        | Q: x | y |

        <div>
        Q: inside html
        A: still html
        </div>

        > Q: quoted
        > A: quote

        Why does this matter? Plain prose asks questions too.
        """
    )
    result = parse_document(text, "n.md")
    assert result.cards == []
    # Card lines inside HTML or a quote are not cards, but never left out in silence.
    assert [(p.line, p.message.split(": it is ")[1][:22]) for p in result.problems] == [
        (9, "inside the HTML block "),
        (13, "inside a list or quote"),
    ]
