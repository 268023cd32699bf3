"""The browse search syntax: terms AND together, negation, phrases, wildcards, bad terms."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from quizcalc.study.browse_search import (
    SearchItem,
    SearchSyntaxError,
    asks_for_retired,
    parse_search,
    search_matches,
)

TODAY = date(2026, 11, 26)

ITEM = SearchItem(
    question="What does gradient descent do?",
    answer="It steps downhill.",
    card_id="gd-step",
    deck="ML::Optimisation",
    section="Calculus::2.3 The chain rule::Practice",
    tags=("calculus::limits", "hard"),
    kind="basic",
    family=None,
    status="active",
    due=TODAY,
    reviews=3,
    leech=False,
)


def _hits(text: str, item: SearchItem = ITEM) -> bool:
    return search_matches(parse_search(text), item, TODAY)


def test_blank_matches_everything() -> None:
    assert parse_search("   ") == ()
    assert _hits("")


def test_free_text_is_case_insensitive_over_question_answer_and_id_and_terms_and() -> None:
    assert _hits("GRADIENT")
    assert _hits("downhill")  # the answer
    assert _hits("GD-STEP")  # the id
    assert _hits("gradient downhill")
    assert not _hits("gradient uphill")  # both must hold


def test_a_quoted_phrase_is_one_term() -> None:
    assert _hits('"gradient descent"')
    assert not _hits('"descent gradient"')
    assert _hits("descent gradient")  # unquoted: two words, any order
    assert _hits('"gradient descent')  # an unclosed quote runs to the end


def test_minus_negates_a_term() -> None:
    assert not _hits("-gradient")
    assert _hits("-uphill")
    assert not _hits('-"gradient descent"')
    assert not _hits("-tag:hard")
    assert _hits("-is:suspended")


def test_tag_deck_and_family_take_wildcards_case_and_children() -> None:
    assert _hits("tag:HARD")
    assert _hits("tag:calculus")  # a parent tag matches its children
    assert _hits("tag:calc*")
    assert not _hits("tag:calc")  # no wildcard: whole names only
    assert _hits("deck:ml") and _hits("deck:*optim*") and not _hits("deck:optimisation")
    assert not _hits("tag:none") and _hits("tag:none", replace(ITEM, tags=()))
    problem = replace(ITEM, kind="problem", family="chain_rule")
    assert _hits("family:chain_rule", problem) and _hits("family:CHAIN*", problem)
    assert not _hits("family:chain*")  # a Q/A card has no family
    assert _hits("kind:problem", problem) and not _hits("kind:cloze", problem)


def test_section_matches_a_run_of_its_path_from_any_level() -> None:
    assert _hits("section:calculus")
    assert _hits('section:"2.3 the chain rule"')
    assert _hits('section:"the chain rule::practice"') is False  # parts are whole
    assert _hits("section:*chain*::practice")
    assert not _hits("section:practice::calculus")


def test_is_terms_read_the_schedule_and_status() -> None:
    assert _hits("is:due") and _hits("is:review") and not _hits("is:new")
    new = replace(ITEM, due=None, reviews=0)
    assert _hits("is:new", new) and not _hits("is:due", new)
    assert not _hits("is:due", replace(ITEM, due=date(2026, 11, 27)))
    assert _hits("is:suspended", replace(ITEM, status="suspended"))
    assert _hits("is:leech", replace(ITEM, leech=True)) and not _hits("is:leech")
    assert _hits("is:retired", replace(ITEM, status="retired"))
    assert asks_for_retired(parse_search("is:retired")) and not asks_for_retired(parse_search("x"))


def test_flag_terms_take_anki_s_numbers_or_the_colour() -> None:
    green = replace(ITEM, flag=3)
    assert _hits("flag:3", green) and _hits("flag:green", green) and _hits("flag:GREEN", green)
    assert not _hits("flag:1", green) and not _hits("flag:0", green)
    assert _hits("flag:0") and _hits("-flag:0", green)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("is:foo", "“is:foo” not understood: is: takes due, new, review, suspended, leech"),
        ("tg:calc", "“tg:calc” unknown: use tag: deck: section: family: kind: flag: is:"),
        ("flag:9", "“flag:9” not understood: flag: takes 0 (none) to 7, or red … purple"),
        ("kind:note", "kind: takes basic, cloze, problem"),
        ("tag:", "“tag:” needs a value"),
        ('deck:""', "needs a value"),
    ],
)
def test_a_bad_term_is_one_line_naming_it_and_what_is_understood(text: str, says: str) -> None:
    with pytest.raises(SearchSyntaxError) as caught:
        parse_search(f"gradient {text}")
    message = str(caught.value)
    assert says in message and "\n" not in message and len(message) <= 80


def test_a_colon_in_quotes_is_text() -> None:
    assert _hits('"What does"') and not _hits('"tg:calc"')
    assert _hits('"steps downhill."')
