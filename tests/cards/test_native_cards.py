"""Native ``Q:``/``A:`` cards and interview-notes paragraphs, as a learner writes them."""

from __future__ import annotations

from textwrap import dedent

from quizcalc.cards import CardKind, derive_card_id, parse_document, parse_markdown


def md(text: str) -> str:
    return dedent(text).lstrip("\n")


def test_q_and_a_on_consecutive_lines_make_one_basic_card() -> None:
    [card] = parse_markdown("Q: What does the gradient point to?\nA: Steepest ascent.\n")
    assert card.kind is CardKind.BASIC
    assert card.question == "What does the gradient point to?"
    assert card.answer == "Steepest ascent."
    assert card.line == 1


def test_question_and_answer_may_be_separate_paragraphs() -> None:
    [card] = parse_markdown("Q: Derivative of x²?\n\nA: 2x\n")
    assert (card.question, card.answer) == ("Derivative of x²?", "2x")


def test_question_may_span_several_lines() -> None:
    [card] = parse_markdown("Q: Consider f(x) = x².\nWhat is f'(3)?\nA: 6\n")
    assert card.question == "Consider f(x) = x².\nWhat is f'(3)?"
    assert card.answer == "6"


def test_answer_keeps_paragraphs_lists_code_and_display_math_as_written() -> None:
    text = md(
        r"""
        Q: Write the gradient-descent update.
        A: Subtract the scaled gradient:

        \[ w \leftarrow w - \eta \nabla L(w) \]

        - too large: diverges
        - too small: crawls

        > Tune it first.

        ```python
        w = w - lr * grad(w)
        ```

        $$
        \eta < 2 / \lambda_{max}
        $$
        """
    )
    [card] = parse_markdown(text)
    expected = text.split("A: ", 1)[1].rstrip()
    assert card.answer == expected
    assert card.answer.startswith("Subtract the scaled gradient:\n\n\\[ w")
    assert card.answer.endswith("$$\n\\eta < 2 / \\lambda_{max}\n$$")


def test_answer_ends_at_thematic_break_heading_and_next_card() -> None:
    text = md(
        """
        Q: One?
        A: first

        still first

        ---

        Prose after the break.

        Q: Two?
        A: second

        # Next section

        Not part of the answer.
        """
    )
    first, second = parse_markdown(text)
    assert first.answer == "first\n\nstill first"
    assert second.answer == "second"


def test_answer_ends_before_an_id_comment_and_a_cloze() -> None:
    text = md(
        """
        Q: One?
        A: first

        <!-- id: two -->
        Q: Two?
        A: second

        The {{c1::chain rule}} multiplies local derivatives.
        """
    )
    first, second, cloze = parse_markdown(text)
    assert first.answer == "first"
    assert (second.id, second.answer) == ("two", "second")
    assert cloze.kind is CardKind.CLOZE


def test_cards_may_follow_each_other_without_blank_lines() -> None:
    cards = parse_markdown("Q: d/dx x²?\nA: 2x\nQ: d/dx sin x?\nA: cos x\n")
    assert [(c.question, c.answer, c.line) for c in cards] == [
        ("d/dx x²?", "2x", 1),
        ("d/dx sin x?", "cos x", 3),
    ]


def test_bold_prefixes_work() -> None:
    [card] = parse_markdown(
        "**Q:** What is a saddle point?\n**A:** Flat, up one way, down another."
    )
    assert card.question == "What is a saddle point?"
    assert card.answer == "Flat, up one way, down another."


def test_question_with_a_code_block_before_the_answer() -> None:
    text = md(
        """
        Q: What does this print?

        ```python
        print(2 ** 3)
        ```

        A: 8
        """
    )
    [card] = parse_markdown(text)
    assert card.question == "What does this print?\n\n```python\nprint(2 ** 3)\n```"
    assert card.answer == "8"


def test_q_inside_a_code_block_is_not_a_card() -> None:
    text = "```\nQ: not a card\nA: just code\n```\n\n    Q: indented code\n    A: also code\n"
    assert parse_markdown(text) == []


def test_card_line_counts_front_matter_and_blank_lines() -> None:
    text = "---\ndeck: D\n---\n\n# Head\n\nQ: Where am I?\nA: Line 7.\n"
    [card] = parse_markdown(text)
    assert card.line == 7


def test_crlf_line_endings_and_byte_order_mark() -> None:
    [card] = parse_markdown("\ufeffQ: Windows?\r\nA: Yes.\r\n")
    assert (card.question, card.answer, card.line) == ("Windows?", "Yes.", 1)


def test_basic_id_comes_from_the_question_only() -> None:
    [before] = parse_markdown("Q: What is a Hessian?\nA: Second derivatives.")
    [after] = parse_markdown("Q: What is a Hessian?\nA: The matrix of second partials.")
    [reflowed] = parse_markdown("Q: What is   a\nHessian?\nA: Second derivatives.")
    [reworded] = parse_markdown("Q: What is the Hessian?\nA: Second derivatives.")
    assert before.id == after.id == reflowed.id == derive_card_id("basic", "What is a Hessian?")
    assert reworded.id != before.id
    assert not before.explicit_id


# --- interview-notes paragraphs (no ``A:``) -------------------------------------------------


def test_interview_paragraph_splits_after_the_question() -> None:
    [card] = parse_markdown("Q: What is an epoch? One full pass over the training set.")
    assert card.question == "What is an epoch?"
    assert card.answer == "One full pass over the training set."


def test_interview_question_may_be_several_question_sentences() -> None:
    [card] = parse_markdown(
        r"Q: Why the limit as \(h \to 0\)? Why not a fixed \(h\)? A fixed \(h\) gives a secant."
    )
    assert card.question == r"Why the limit as \(h \to 0\)? Why not a fixed \(h\)?"
    assert card.answer == r"A fixed \(h\) gives a secant."


def test_interview_question_may_have_a_lead_in_sentence() -> None:
    [card] = parse_markdown("Q: Loss is NaN after three steps. What do you check first? The LR.")
    assert card.question == "Loss is NaN after three steps. What do you check first?"
    assert card.answer == "The LR."


def test_interview_without_question_mark_uses_the_first_sentence() -> None:
    [card] = parse_markdown("Q: Walk through one update. Compute the gradient, then step.")
    assert card.question == "Walk through one update."
    assert card.answer == "Compute the gradient, then step."


def test_question_marks_inside_math_code_quotes_and_parentheses_do_not_split() -> None:
    text = "Q: Is \\(a ? b\\) the same as `x?y` or “why?” (really?) here? Yes, e.g. in C. Mostly."
    [card] = parse_markdown(text)
    assert card.question == "Is \\(a ? b\\) the same as `x?y` or “why?” (really?) here?"
    assert card.answer == "Yes, e.g. in C. Mostly."


def test_interview_answer_is_only_the_rest_of_its_paragraph() -> None:
    text = "Q: What is momentum? A running average of gradients.\n\nTip: this is prose.\n"
    [card] = parse_markdown(text)
    assert card.answer == "A running average of gradients."


def test_inline_a_prefix_after_the_question_is_dropped() -> None:
    [card] = parse_markdown("Q: What is 2 + 2? A: 4")
    assert (card.question, card.answer) == ("What is 2 + 2?", "4")


def test_question_without_answer_is_reported_not_carded() -> None:
    result = parse_document("Q: What is a plateau?\n\nSome prose.\n", "deck.md")
    assert result.cards == []
    assert [str(p) for p in result.problems] == [
        "deck.md:1: Q without an answer (add an 'A:' line, or answer text after the question)"
    ]


def test_stray_answer_is_reported() -> None:
    result = parse_document("Intro.\n\nA: an answer nobody asked for\n", "deck.md")
    assert result.cards == []
    assert [str(p) for p in result.problems] == ["deck.md:3: A: without a preceding Q:"]
