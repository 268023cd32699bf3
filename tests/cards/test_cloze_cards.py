"""Cloze notes, Anki's ``{{c1::…}}`` and hashcards' ``C: […]``: one card per deletion number."""

from __future__ import annotations

from quizcalc.cards import (
    CardKind,
    derive_card_id,
    derive_cloze_id,
    latex_to_unicode,
    parse_document,
    parse_markdown,
)

NOTE = (
    r"The gradient points {{c1::uphill}}; a minimizer steps along {{c2::\(-\nabla f\)::a vector}}."
)


def test_one_card_per_cloze_number_with_others_shown_plainly() -> None:
    first, second = parse_markdown(NOTE)
    assert first.kind is second.kind is CardKind.CLOZE
    assert (first.cloze_number, second.cloze_number) == (1, 2)
    assert first.question == r"The gradient points [...]; a minimizer steps along \(-\nabla f\)."
    assert first.answer == r"The gradient points **uphill**; a minimizer steps along \(-\nabla f\)."
    assert second.question == "The gradient points uphill; a minimizer steps along [a vector]."
    assert (
        second.answer == r"The gradient points uphill; a minimizer steps along **\(-\nabla f\)**."
    )


def test_cloze_siblings_share_one_note_id_from_the_full_text() -> None:
    first, second = parse_markdown(NOTE)
    note_id = derive_card_id(CardKind.CLOZE, NOTE)
    assert (first.id, second.id) == (f"{note_id}::c1", f"{note_id}::c2")
    assert first.id == derive_cloze_id(NOTE, 1)


def test_deletions_sharing_a_number_hide_together() -> None:
    [card] = parse_markdown("{{c1::Newton}} and {{c1::Leibniz}} invented calculus.")
    assert card.question == "[...] and [...] invented calculus."
    assert card.answer == "**Newton** and **Leibniz** invented calculus."


def test_latex_braces_inside_a_deletion_balance() -> None:
    [card] = parse_markdown(r"The slope is {{c1::\frac{dy}{dx}}} here.")
    assert card.answer == r"The slope is **\frac{dy}{dx}** here."


def test_cloze_in_a_list_item_is_its_own_note_with_its_line() -> None:
    cards = parse_markdown("Notes:\n\n- plain item\n- the {{c1::Hessian}} holds curvature\n")
    assert [(c.question, c.line) for c in cards] == [("the [...] holds curvature", 4)]


def test_cloze_markup_in_a_code_span_is_not_a_deletion() -> None:
    assert parse_markdown("Anki writes `{{c1::text}}` for a deletion.") == []


def test_cloze_double_colon_is_not_an_obsidian_card() -> None:
    cards = parse_markdown("Capital of {{c1::France}} is {{c2::Paris::city}}.")
    assert [c.kind for c in cards] == [CardKind.CLOZE, CardKind.CLOZE]
    assert cards[1].question == "Capital of France is [city]."


def test_a_cloze_inside_math_is_a_blank_in_the_formula_never_emphasis() -> None:
    [card] = parse_markdown(r"\(\int_0^1 x\,dx = {{c1::\frac{1}{2} }}\)")
    assert card.question == r"\(\int_0^1 x\,dx = [...]\)"
    assert card.answer == r"\(\int_0^1 x\,dx = \frac{1}{2} \)"
    assert latex_to_unicode(card.question) == "∫₀¹ x dx = [...]"
    assert latex_to_unicode(card.answer) == "∫₀¹ x dx = 1/2"


def test_a_hint_inside_math_stays_valid_latex() -> None:
    [card] = parse_markdown(r"Slope: $m = {{c1::\frac{dy}{dx}::ratio}}$ and {{c1::more}}.")
    assert card.question == r"Slope: $m = [\text{ratio}]$ and [...]."
    assert latex_to_unicode(card.question) == "Slope: m = [ratio] and [...]."
    assert card.answer == r"Slope: $m = \frac{dy}{dx}$ and **more**."


def test_nested_clozes_render_as_anki_renders_them() -> None:
    result = parse_document("{{c1::Gradient {{c2::descent}} }} finds minima.\n", "n.md")
    assert result.problems == []
    first, second = result.cards
    assert (first.question, first.answer) == (
        "[...] finds minima.",
        "**Gradient descent**  finds minima.",
    )
    assert (second.question, second.answer) == (
        "Gradient [...]  finds minima.",
        "Gradient **descent**  finds minima.",
    )
    assert first.id.removesuffix("::c1") == second.id.removesuffix("::c2")
    assert first.note == second.note == "{{c1::Gradient {{c2::descent}} }} finds minima."


def test_nested_clozes_with_hints_and_a_shared_number() -> None:
    text = "{{c1::Gradient {{c2::descent::d}}::method}} and {{c2::ascent}}."
    first, second = parse_markdown(text)
    assert first.question == "[method] and ascent."
    assert second.question == "Gradient [d] and [...]."
    assert second.answer == "Gradient **descent** and **ascent**."


def test_nesting_too_deep_is_broken_markup() -> None:
    text = "{{c1::" * 9 + "x" + "}}" * 9
    result = parse_document(text + "\n", "n.md")
    assert result.cards == []
    assert [str(p) for p in result.problems] == [
        "n.md:1: clozes nested more than 8 deep in {{c1::… (nest fewer)"
        "; note skipped (no card is stored from it)"
    ]


def test_empty_and_unclosed_clozes_are_reported() -> None:
    result = parse_document("Keep {{c1::this}} and {{c2::}}.\n\nBroken {{c1::here.\n", "n.md")
    assert [c.cloze_number for c in result.cards] == [1]
    assert [str(p) for p in result.problems] == [
        "n.md:1: empty cloze {{c2::}}: put the hidden text after ::",
        "n.md:3: unclosed cloze {{c1::… (add the closing }})"
        "; note skipped (no card is stored from it)",
    ]


def test_a_note_with_an_unclosed_or_unnumbered_cloze_makes_no_card() -> None:
    text = (
        "Linear maps have {{c1::eigenvectors}} and {{c2::eigenvalues}.\n\n"
        "A {{c0::zero}} and a {{c1::one}}.\n\nFine {{c1::card}}.\n"
    )
    result = parse_document(text, "n.md")
    assert [c.question for c in result.cards] == ["Fine [...]."]
    assert [
        (
            p.line,
            p.message.endswith("; note skipped (no card is stored from it)"),
        )
        for p in result.problems
    ] == [(1, True), (3, True)]


# --- hashcards ``C:`` ------------------------------------------------------------------------


def test_hashcards_brackets_number_deletions_in_order() -> None:
    first, second = parse_markdown("C: The [gradient] points [uphill].")
    assert (first.question, first.answer) == (
        "The [...] points uphill.",
        "The **gradient** points uphill.",
    )
    assert (second.question, second.answer) == (
        "The gradient points [...].",
        "The gradient points **uphill**.",
    )
    assert first.id == derive_cloze_id("The [gradient] points [uphill].", 1)


def test_hashcards_leaves_links_images_footnotes_math_and_code_alone() -> None:
    text = r"C: See [docs](http://x), [ref][r], ![img](a.png) [^1] \(\[0, 1]\) `[i]` for [Adam]."
    [card] = parse_markdown(text)
    assert (
        card.question
        == r"See [docs](http://x), [ref][r], ![img](a.png) [^1] \(\[0, 1]\) `[i]` for [...]."
    )


def test_hashcards_without_brackets_is_reported() -> None:
    result = parse_document("C: Nothing is hidden here.\n", "h.md")
    assert result.cards == []
    assert [str(p) for p in result.problems] == [
        "h.md:1: C: cloze has no [deletions]: wrap the text to hide in [brackets]"
    ]
