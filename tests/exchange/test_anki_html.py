"""Card text to Anki's field HTML and back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizcalc.exchange.anki_html import anki_html_to_markdown, markdown_to_anki_html


@pytest.mark.parametrize(
    ("markdown", "field"),
    [
        ("$x^2$", r"\(x^2\)"),
        (r"\(a<b\)", r"\(a&lt;b\)"),
        ("$$\\sum_i x_i$$", "\\[\\sum_i x_i\\]"),
        (r"\[ x & y \]", r"\[ x &amp; y \]"),
        ("a <b>bold?</b> & c", "a &lt;b&gt;bold?&lt;/b&gt; &amp; c"),
        ("*em* and `a<b`", "<em>em</em> and <code>a&lt;b</code>"),
        ("{{c1::$y^2$::power}}", r"{{c1::\(y^2\)::power}}"),
    ],
)
def test_markdown_becomes_escaped_html_with_mathjax(markdown: str, field: str) -> None:
    assert markdown_to_anki_html(markdown) == field


def test_several_paragraphs_keep_their_paragraphs() -> None:
    field = markdown_to_anki_html("One.\n\nTwo.")
    assert field == "<p>One.</p>\n<p>Two.</p>"


@pytest.mark.parametrize(
    ("field", "markdown"),
    [
        ("Front<br>line&nbsp;2", "Front\nline 2"),
        ("<div>one</div><div>two</div>", "one\n\ntwo"),
        ("<b>bold</b> <i>it</i>", "**bold** *it*"),
        ("<ul>\n<li>a</li>\n<li>b</li>\n</ul>", "- a\n- b"),
        ("<ol><li>a</li><li>b</li></ol>", "1. a\n2. b"),
        (r"\(x &lt; 1\)", r"\(x < 1\)"),
        ("<script>alert(1)</script>safe", "safe"),
        ("<pre><code>x = 1\n</code></pre>", "```\nx = 1\n```"),
    ],
)
def test_anki_fields_become_markdown(field: str, markdown: str) -> None:
    assert anki_html_to_markdown(field) == markdown


def test_our_own_html_comes_back_as_the_same_markdown() -> None:
    source = "Subtract the gradient:\n\n$$w - \\eta g$$\n\n- too large: diverges\n- too small: slow"
    back = anki_html_to_markdown(markdown_to_anki_html(source))
    expected = "Subtract the gradient:\n\n\\[w - \\eta g\\]\n\n"
    assert back == expected + "- too large: diverges\n- too small: slow"


@given(st.text(max_size=200))
def test_no_field_crashes_the_converters(text: str) -> None:
    assert isinstance(anki_html_to_markdown(text), str)
    assert isinstance(markdown_to_anki_html(text), str)


@given(
    st.text(
        alphabet=st.sampled_from(list("ab x1.*_`$\\()[]{}<>&#-+|!:=~\t")) | st.characters(),
        max_size=60,
    ).filter(lambda t: "\n" not in t and "\r" not in t)
)
def test_the_one_line_fast_path_renders_as_the_full_parser_does(text: str) -> None:
    from quizcalc.exchange.anki_html import _one_paragraph, _renderer

    if _one_paragraph(text):
        full = _renderer().render(text).strip()
        if full.startswith("<p>") and full.endswith("</p>"):
            full = full[3:-4]
        assert markdown_to_anki_html(text) == full


@given(
    st.lists(
        st.text(
            alphabet=st.sampled_from(list("ab x1.*_`$\\()[]{}<>&#-+|!:=~\t\n;")) | st.characters(),
            max_size=30,
        ),
        min_size=1,
        max_size=4,
    ).map("\n\n".join)
)
def test_the_plain_paragraphs_fast_path_renders_as_the_full_parser_does(text: str) -> None:
    from quizcalc.exchange.anki_html import _one_paragraph, _plain_paragraphs, _renderer

    if _plain_paragraphs(text) is not None and not _one_paragraph(text):
        full = _renderer().render(text).strip()
        if full.count("<p>") == 1 and full.startswith("<p>") and full.endswith("</p>"):
            full = full[3:-4]
        assert markdown_to_anki_html(text) == full


def test_plain_paragraphs_skip_the_block_parser() -> None:
    from quizcalc.exchange.anki_html import _plain_paragraphs

    assert _plain_paragraphs("By \\(2x\\), so\nevaluate it.\n\nA *second* one.") is not None
    assert _plain_paragraphs("a\n\n- a list") is None
    assert _plain_paragraphs("a\n\n$$x$$") is None
    assert _plain_paragraphs("a\n===") is None


@pytest.mark.parametrize(
    "markdown",
    [
        "First line.\n\n\\[ x \\]\n\n(in brackets) then text.",
        "Before.\n\n\\[ x^2 \\] (1)\n\nAfter.",
        "\\[ x \\] and more words\n\nNext.",
        "Intro.\n\n\\[\n  a + b\n\\]\n\n(a) the first case.",
    ],
    ids=["paragraph-opening-with-a-bracket", "equation-label", "text-after-closing", "multiline"],
)
def test_text_next_to_display_maths_is_never_dropped(markdown: str) -> None:
    """texmath read ``\\] (…)`` as an equation label across a blank line, and its block ended
    at the closing line: the words there went missing from the Anki card."""
    field = markdown_to_anki_html(markdown)
    for words in ("(in brackets) then text.", "(1)", "and more words", "(a) the first case."):
        if words in markdown:
            assert words in field
    assert anki_html_to_markdown(field) == markdown
