"""A sync parses only the files that changed, and leaves the cards as a full sync would.

On SQLite and on PostgreSQL (the files' states are upserted rows, their mtimes BIGINT there).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from quizcalc.config import Config
from quizcalc.store.models import CardRecord, SourceFileRecord
from quizcalc.study import StudyService, content, source_reading, sync
from tests.conftest import FIXED_NOW
from tests.postgres import db_url_on_both_backends, more_collections

__all__ = ["db_url_on_both_backends", "more_collections"]  # each test on both backends

FILES = {
    "a.md": """---
deck: Alpha
tags: [first]
---
# One

Q: What does the derivative measure?
A: The instantaneous rate of change.

<!-- id: chain -->
Q: State the chain rule.
A: The derivative of a composition is the product of the local derivatives.

The gradient points {{c1::uphill}}; descent steps {{c2::against it}}.
""",
    "b.md": """# Two

Q: What is a saddle point?
A: A critical point that is neither a minimum nor a maximum.

Q: What does momentum add to gradient descent?
A: A running average of past gradients.
""",
    "c.md": """---
deck: Gamma
---
# Three

<!-- id: lr -->
Q: What happens when the learning rate is too large?
A: The iterates overshoot and may diverge.

Q: What is a convex function?
A: One whose chords lie above its graph.
""",
}

MOVED = "\nQ: What is a convex function?\nA: One whose chords lie above its graph.\n"


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def _edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text("utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


STEPS: dict[str, Callable[[Path], None]] = {
    "add a card": lambda f: _edit(
        f, "b.md", "# Two\n", "# Two\n\nQ: What is a Hessian?\nA: The matrix of second partials.\n"
    ),
    "edit a question": lambda f: _edit(
        f, "b.md", "What is a saddle point?", "What is a saddle point, exactly?"
    ),
    "rewrite an answer": lambda f: _edit(
        f, "a.md", "The instantaneous rate of change.", "The instantaneous rate of change of f."
    ),
    "move a card between files": lambda f: (
        _edit(f, "c.md", MOVED, ""),
        _edit(f, "a.md", "# One\n", "# One\n" + MOVED),
    ),
    "copy an id into an earlier file": lambda f: _edit(
        f, "a.md", "# One\n", "# One\n\n<!-- id: lr -->\nQ: Too large a step?\nA: Divergence.\n"
    ),
    "copy an id into a later file": lambda f: _edit(
        f, "c.md", "# Three\n", "# Three\n\n<!-- id: chain -->\nQ: Chain rule?\nA: Multiply.\n"
    ),
    "edit a cloze": lambda f: _edit(f, "a.md", "{{c2::against it}}", "{{c2::the other way}}"),
    "delete a file": lambda f: (f / "b.md").unlink(missing_ok=True),
    "rename a file": lambda f: (f / "c.md").exists() and (f / "c.md").rename(f / "d.md"),
    "add a file first": lambda f: _write(
        f, "0.md", "Q: What is a gradient?\nA: The vector of partial derivatives.\n"
    ),
    "make a file unreadable": lambda f: (f / "a.md").write_bytes(
        (f / "a.md").read_bytes() + b"\n\xff\xfe broken\n"
    ),
    "fix the unreadable file": lambda f: (f / "a.md").write_bytes(
        (f / "a.md").read_bytes().replace(b"\n\xff\xfe broken\n", b"")
    ),
    "touch a file": lambda f: os.utime(f / "a.md", ns=(1, 1_700_000_000_000_000_000)),
    "bring the file back": lambda f: _write(f, "b.md", FILES["b.md"]),
}

SCENARIOS = [
    ["add a card", "edit a question", "rewrite an answer", "move a card between files"],
    ["copy an id into an earlier file", "edit a cloze", "touch a file", "add a file first"],
    ["copy an id into a later file", "rename a file", "delete a file", "bring the file back"],
    ["make a file unreadable", "delete a file", "fix the unreadable file", "rename a file"],
    ["delete a file", "add a file first", "bring the file back", "edit a question"],
]


def _cards(service: StudyService) -> list[tuple[Any, ...]]:
    with service.store.transaction() as session:
        return sorted(
            (
                r.card_id,
                r.kind,
                r.question,
                r.answer,
                r.status,
                Path(r.source).name,
                r.line,
                r.position,
                r.deck.name,
                r.section,
                r.tags,
                r.cloze_number,
                r.note,
            )
            for r in session.scalars(select(CardRecord)).unique()
        )


def _report(report: Any) -> tuple[Any, ...]:
    return (
        report.added,
        report.updated,
        report.retired,
        report.unchanged,
        report.restored,
        sorted(report.problems),
    )


@pytest.fixture
def open_service(more_collections: Callable[[str], str]) -> Iterator[Any]:
    opened: list[StudyService] = []

    def open_one(name: str) -> StudyService:
        service = StudyService.open(more_collections(name), Config())
        opened.append(service)
        return service

    yield open_one
    for service in opened:
        service.close()


def _full_sync(service: StudyService, folder: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The reference: every file parsed, as before per-file states existed."""
    with monkeypatch.context() as patch:
        patch.setattr(content, "known_states", lambda session, found: None)
        return service.sync(folder, FIXED_NOW)


@pytest.mark.parametrize("steps", SCENARIOS, ids=lambda steps: " / ".join(steps))
def test_an_incremental_sync_leaves_what_a_full_sync_leaves(
    steps: list[str], tmp_path: Path, open_service: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    for name, text in FILES.items():
        _write(folder, name, text)
    incremental, reference = open_service("incremental.sqlite3"), open_service("full.sqlite3")
    incremental.sync(folder, FIXED_NOW)
    _full_sync(reference, folder, monkeypatch)
    for step in steps:
        STEPS[step](folder)
        got = incremental.sync(folder, FIXED_NOW)
        want = _full_sync(reference, folder, monkeypatch)
        assert _report(got) == _report(want), step
        assert _cards(incremental) == _cards(reference), step
    fresh = open_service("fresh.sqlite3")
    fresh.sync(folder, FIXED_NOW)
    active = [card for card in _cards(incremental) if card[4] != "retired"]
    assert active == _cards(fresh)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files parsed, in order."""
    seen: list[str] = []
    real = source_reading.parse_document

    def counting(text: str, source: str, **kwargs: Any) -> Any:
        seen.append(Path(source).name)
        return real(text, source, **kwargs)

    monkeypatch.setattr(source_reading, "parse_document", counting)
    return seen


def _settle(folder: Path) -> None:
    """Give every file an mtime well in the past, as files not just written have."""
    for path in folder.iterdir():
        os.utime(path, ns=(1, 1_600_000_000_000_000_000))


def test_only_the_edited_file_is_parsed(
    tmp_path: Path, open_service: Any, parses: list[str]
) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    for name, text in FILES.items():
        _write(folder, name, text)
    _settle(folder)
    service = open_service("db.sqlite3")
    service.sync(folder, FIXED_NOW)
    assert sorted(parses) == ["a.md", "b.md", "c.md"]
    parses.clear()
    assert service.sync(folder, FIXED_NOW).unchanged == 8
    assert parses == []
    os.utime(folder / "b.md", ns=(1, 1_650_000_000_000_000_000))  # touched, not edited
    report = service.sync(folder, FIXED_NOW)
    assert (report.changed, report.unchanged, parses) == (False, 8, [])
    STEPS["edit a question"](folder)
    report = service.sync(folder, FIXED_NOW)
    assert (report.updated, report.unchanged, parses) == (1, 7, ["b.md"])


def test_a_touched_file_is_not_parsed_again_once_its_state_is_stored(
    tmp_path: Path, open_service: Any, parses: list[str]
) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    for name, text in FILES.items():
        _write(folder, name, text)
    _settle(folder)
    service = open_service("db.sqlite3")
    service.sync(folder, FIXED_NOW)
    os.utime(folder / "a.md", ns=(1, 1_650_000_000_000_000_000))
    service.sync(folder, FIXED_NOW)
    with service.store.transaction() as session:
        rows = {r.path: r.mtime_ns for r in session.scalars(select(SourceFileRecord))}
    assert rows == {
        "a.md": 1_650_000_000_000_000_000,
        "b.md": 1_600_000_000_000_000_000,
        "c.md": 1_600_000_000_000_000_000,
    }
    assert parses == ["a.md", "b.md", "c.md"]


def test_a_file_with_problems_is_parsed_at_every_sync(
    tmp_path: Path, open_service: Any, parses: list[str]
) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    for name, text in FILES.items():
        _write(folder, name, text)
    STEPS["copy an id into a later file"](folder)  # c.md repeats a.md's id: a problem line
    _settle(folder)
    service = open_service("db.sqlite3")
    service.sync(folder, FIXED_NOW)
    parses.clear()
    STEPS["rewrite an answer"](folder)
    report = service.sync(folder, FIXED_NOW)
    assert parses == ["a.md", "c.md"]
    assert any("duplicate card id 'chain'" in line for line in report.problems)


def test_file_states_roll_back_with_the_cards(
    tmp_path: Path, open_service: Any, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    for name, text in FILES.items():
        _write(folder, name, text)
    _settle(folder)
    service = open_service("db.sqlite3")
    service.sync(folder, FIXED_NOW)
    before = _cards(service)
    with service.store.transaction() as session:
        rows = sorted(
            (r.path, r.mtime_ns, r.content_hash) for r in session.scalars(select(SourceFileRecord))
        )
    real = sync.save_states

    def crash(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)
        raise RuntimeError("power cut")

    STEPS["edit a question"](folder)
    with monkeypatch.context() as patch:
        patch.setattr(sync, "save_states", crash)
        with pytest.raises(RuntimeError, match="power cut"):
            service.sync(folder, FIXED_NOW)
    with service.store.transaction() as session:
        after = sorted(
            (r.path, r.mtime_ns, r.content_hash) for r in session.scalars(select(SourceFileRecord))
        )
    assert (after, _cards(service)) == (rows, before)
    parses.clear()
    assert service.sync(folder, FIXED_NOW).updated == 1
    assert parses == ["b.md"]


def test_a_reading_made_stale_by_another_window_is_planned_again_under_the_lock(
    tmp_path: Path, open_service: Any
) -> None:
    """Files were read against states another window's sync has since replaced: the write
    plans the reading again from the states the store holds now."""
    from quizcalc.study.file_states import known_states
    from quizcalc.study.source_reading import find_source_files, parse_source

    folder = tmp_path / "content"
    folder.mkdir()
    for name, text in FILES.items():
        _write(folder, name, text)
    _settle(folder)
    service = open_service("db.sqlite3")
    service.sync(folder, FIXED_NOW)
    STEPS["add a card"](folder)  # b.md
    found = find_source_files("content", folder)
    with service.store.transaction() as session:
        stale = parse_source(found, known=known_states(session, found))
    assert stale.parsed == {str((folder / "b.md").resolve())}
    STEPS["rewrite an answer"](folder)  # a.md, synced by "another window" meanwhile
    service.sync(folder, FIXED_NOW)
    STEPS["edit a question"](folder)  # b.md again, after the stale reading
    with service.store.transaction(write=True) as session:
        sync.sync_source(session, stale, FIXED_NOW)
    reference = open_service("reference.sqlite3")
    reference.sync(folder, FIXED_NOW)
    assert [c for c in _cards(service) if c[4] != "retired"] == _cards(reference)
