"""``lint_paths``: each problem as ``file:line: message`` with what to fix; silence when clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizcalc.cards import LintMessage, lint_paths, parse_paths

CLEAN = """---
deck: Clean
tags: [calculus]
---
# Derivatives

Q: What is a derivative?
A: A rate of change.

The {{c1::gradient}} points uphill.

```problem
family: chain_rule
```
"""


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty ``content`` folder, with the working directory at its parent."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "content"
    folder.mkdir()
    return folder


def write(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def lint(*paths: str, families: set[str] | None = None) -> list[str]:
    return [str(message) for message in lint_paths([Path(p) for p in paths], families)]


def test_clean_file_has_no_problems(content: Path) -> None:
    write(content, "clean.md", CLEAN)
    assert lint("content") == []
    assert lint("content/clean.md", families={"chain_rule"}) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "# T\n\nQ: Lonely question?\n\nProse.\n",
            "content/x.md:3: Q without an answer (add an 'A:' line, or answer text after the "
            "question)",
        ),
        ("Intro.\n\nA: orphan answer\n", "content/x.md:3: A: without a preceding Q:"),
        (
            "Empty {{c1::}} here.\n",
            "content/x.md:1: empty cloze {{c1::}}: put the hidden text after ::",
        ),
        (
            "Broken {{c1::here.\n",
            "content/x.md:1: unclosed cloze {{c1::… (add the closing }})"
            "; note skipped (no card is stored from it)",
        ),
        (
            "C: no brackets at all\n",
            "content/x.md:1: C: cloze has no [deletions]: wrap the text to hide in [brackets]",
        ),
        (
            "<!-- id: a -->\nQ: x?\nA: y\n\n<!-- id: a -->\nQ: z?\nA: w\n",
            "content/x.md:6: duplicate card id 'a' (first used at content/x.md:2); give this card "
            "another id",
        ),
        (
            "Q: Same question?\nA: one\n\nQ: Same   question?\nA: two\n",
            "content/x.md:4: duplicate card: same question as content/x.md:1; reword one or "
            "give it <!-- id: ... -->",
        ),
        (
            "---\ndeck: [unclosed\n---\nQ: a?\nA: b\n",
            "content/x.md:2: front matter is not valid YAML (expected ',' or ']', but got '<stream "
            "end>'); write 'key: value' lines",
        ),
        (
            "---\ndeck: D\ntags: [1, two]\n---\n",
            "content/x.md:3: tags must be a list of strings, e.g. tags: [calculus, optimization]",
        ),
        (
            "---\ntags: {a: 1}\n---\n",
            "content/x.md:2: tags must be a list of strings or one string, e.g. tags: [calculus, "
            "optimization]",
        ),
        ("---\ndeck: 42\n---\n", "content/x.md:2: deck must be a non-empty string"),
        (
            "---\nQ: Swallowed by front matter?\nA: yes\n---\n",
            "content/x.md:2: front matter holds a card line: a '---' on the first line starts YAML "
            "front matter, so start the file with the card (or put a blank line above the '---')",
        ),
        (
            "```problem\nfamily: [unclosed\n```\n",
            "content/x.md:2: problem block is not valid YAML (expected ',' or ']', but got "
            "'<stream end>'); write 'key: value' lines",
        ),
        (
            "```problem\ndifficulty: 2\n```\n",
            "content/x.md:1: problem block has no 'family' (e.g. family: chain_rule)",
        ),
        (
            "```problem\njust text\n```\n",
            "content/x.md:1: problem block must be YAML like 'family: chain_rule'",
        ),
        (
            "```problem\nfamily: hessian\ndifficulty: 4\n```\n",
            "content/x.md:3: problem difficulty must be 1, 2 or 3 (got 4)",
        ),
        (
            "```problem\nfamily: hessian\ndificulty: 2\n```\n",
            "content/x.md:3: unknown key 'dificulty' in problem block (expected: family, "
            "difficulty)",
        ),
    ],
)
def test_each_problem_is_reported_with_file_line_and_remedy(
    content: Path, text: str, expected: str
) -> None:
    write(content, "x.md", text)
    assert lint("content") == [expected]


@pytest.mark.parametrize("difficulty", ["0", "'2'", "1.5", "true", "null"])
def test_difficulty_must_be_an_integer_from_1_to_3(content: Path, difficulty: str) -> None:
    write(content, "x.md", f"```problem\nfamily: hessian\ndifficulty: {difficulty}\n```\n")
    [message] = lint("content/x.md")
    assert message.startswith("content/x.md:3: problem difficulty must be 1, 2 or 3 (got ")


def test_unknown_family_is_reported_only_when_families_are_known(content: Path) -> None:
    write(content, "x.md", "\n```problem\nfamily: chain_rul\n```\n")
    assert lint("content") == []
    assert lint("content", families={"chain_rule", "hessian"}) == [
        "content/x.md:2: unknown problem family 'chain_rul' (known: chain_rule, hessian)"
    ]


def test_duplicates_across_files_are_reported_and_skipped(content: Path) -> None:
    write(content, "a.md", "<!-- id: shared -->\nQ: One?\nA: 1\n\nQ: Same?\nA: a\n")
    write(content, "b/b.md", "<!-- id: shared -->\nQ: Two?\nA: 2\n\nQ: Same?\nA: b\n")
    assert lint("content") == [
        "content/b/b.md:2: duplicate card id 'shared' (first used at content/a.md:2); give this "
        "card another id",
        "content/b/b.md:5: duplicate card: same question as content/a.md:5; reword one or give it "
        "<!-- id: ... -->",
    ]
    result = parse_paths([Path("content")])
    assert [card.answer for card in result.cards] == ["1", "a"]


def test_not_utf8_names_the_line_and_the_fix(content: Path) -> None:
    (content / "latin1.md").write_bytes("Q: Café?\nA: Oui\n\nQ: Crème?\n".encode("latin-1"))
    assert lint("content") == [
        "content/latin1.md:1: not UTF-8 text (byte 0xe9 on this line); re-save the file as UTF-8"
    ]


def test_missing_path_and_empty_folder(content: Path) -> None:
    (content / "empty").mkdir()
    assert lint("content/missing.md", "content/empty") == [
        "content/missing.md: no such file or folder; check the path",
        "content/empty: no card files (*.md, *.markdown, *.txt) here",
    ]


def test_unreadable_file_says_so(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(content, "locked.md", "Q: a?\nA: b\n")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert lint("content/locked.md") == [
        "content/locked.md: cannot read this file (Permission denied); check it and its permissions"
    ]


def test_folders_are_read_recursively_by_suffix(content: Path) -> None:
    write(content, "a.md", "Q: md?\nA: yes\n")
    write(content, "deep/b.markdown", "Q: markdown?\nA: yes\n")
    write(content, "deep/c.txt", "Q: txt?\nA: yes\n")
    write(content, "deep/d.rst", "Q: rst?\nA: skipped\n")
    write(content, ".obsidian/e.md", "Q: hidden?\nA: skipped\n")
    write(content, "README.md", "Q: readme?\n")
    result = parse_paths([Path("content"), Path("content/a.md")])
    assert [card.question for card in result.cards] == ["md?", "markdown?", "txt?"]
    assert [card.source for card in result.cards] == [
        "content/a.md",
        "content/deep/b.markdown",
        "content/deep/c.txt",
    ]
    assert result.problems == []


def test_messages_print_as_file_line_message() -> None:
    assert str(LintMessage("content/x.md", 12, "Q without an answer")) == (
        "content/x.md:12: Q without an answer"
    )
    assert str(LintMessage("content/x.md", 0, "no such file")) == "content/x.md: no such file"
