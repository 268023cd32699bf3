"""An import or sync parses its files before it takes the write lock, so an open review in
another window waits only while the parsed cards are written."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from quizcalc.config import Config
from quizcalc.store import engine
from quizcalc.study import StudyService, source_reading
from tests.conftest import FIXED_NOW


@pytest.fixture
def events(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What happened, in order: each file parsed, each write transaction begun and ended."""
    seen: list[str] = []
    transaction = engine.Store.transaction
    parse = source_reading.parse_document

    @contextmanager
    def spy_transaction(self: engine.Store, *, write: bool = False) -> Iterator[Any]:
        with transaction(self, write=write) as session:
            seen.extend(["write begins"] if write else [])
            yield session
        seen.extend(["write ends"] if write else [])

    def spy_parse(text: str, **options: Any) -> Any:
        seen.append(f"parse {Path(options['source']).name}")
        return parse(text, **options)

    monkeypatch.setattr(engine.Store, "transaction", spy_transaction)
    monkeypatch.setattr(source_reading, "parse_document", spy_parse)
    return seen


def _folder(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for n in range(3):
        (folder / f"{n}.md").write_text(f"Q: {name} question {n}?\nA: Answer {n}.\n")
    return folder


def test_an_import_parses_every_file_before_it_takes_the_write_lock(
    db_url: str, tmp_path: Path, events: list[str]
) -> None:
    service = StudyService.open(db_url, Config())
    events.clear()  # opening a new collection stores its settings once
    report = service.import_path(_folder(tmp_path, "imported"), FIXED_NOW)
    assert report.added == 3
    assert events == ["parse 0.md", "parse 1.md", "parse 2.md", "write begins", "write ends"]
    service.close()


def test_a_sync_parses_a_changed_source_outside_the_lock_and_skips_an_unchanged_one(
    db_url: str, tmp_path: Path, events: list[str]
) -> None:
    service = StudyService.open(db_url, Config())
    events.clear()  # opening a new collection stores its settings once
    content = _folder(tmp_path, "content")
    service.sync(content, FIXED_NOW)
    assert events == ["parse 0.md", "parse 1.md", "parse 2.md", "write begins", "write ends"]
    events.clear()
    assert service.sync(content, FIXED_NOW).unchanged == 3
    assert events == []  # nothing changed: nothing parsed, no write lock taken
    service.close()
