"""``quizcalc export`` without the store (:mod:`quizcalc.study.export_quick`): the same file as
the normal path, and the normal path whenever the quick one cannot be sure.

The collection holds Q&A cards with maths, a cloze note, a problem card, a suspended card and
a tag added in the app; packages are compared table by table (the clock fixed, so ids agree).
"""

from __future__ import annotations

import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import quizcalc.exchange.apkg_export as apkg_export
from quizcalc.config import Config
from quizcalc.exchange.model import ExportOptions
from quizcalc.study import StudyService
from quizcalc.study.errors import ExchangeProblem
from quizcalc.study.export_quick import export_quickly
from tests.conftest import FIXED_NOW

DECK = """\
---
deck: Quick
tags: [maths]
---

# 2.3 The chain rule

Q: What is $\\frac{d}{dx} \\sin(x^2)$?
A: By the **chain rule**, \\(2x \\cos(x^2)\\).

Q: Which card gets suspended?
A: This one.

The {{c1::gradient}} of $L$ points {{c2::uphill}}.

# 2.6 Gradient descent

Q: What does one step do?
A: $w \\leftarrow w - \\eta \\nabla L(w)$

```problem
family: chain_rule
difficulty: 1
```
"""

NO_CONFIG = Path("/nonexistent-quizcalc-config/config.toml")


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Note ids and modification times come from the export's clock: fixed, they compare."""
    monkeypatch.setattr(apkg_export, "_clock", lambda: 1_780_000_000.0)


@pytest.fixture
def synced(db_url: str, write_deck: Callable[..., Path]) -> Iterator[tuple[str, Path]]:
    """The deck synced, one card suspended, one tag added in the app; (URL, content folder).
    No export has run yet, so the problem card's static instances are not stored."""
    content = write_deck(DECK)
    service = StudyService.open(db_url, Config())
    try:
        service.sync(content, FIXED_NOW)
        keys = dict(_keys(db_url))
        service.suspend_cards([keys["Which card gets suspended?"]], True)
        service.change_tags([keys["What does one step do?"]], "hard", add=True)
    finally:
        service.close()
    yield db_url, content


def _keys(url: str) -> list[tuple[str, int]]:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        return connection.execute("SELECT question, id FROM cards").fetchall()


def _normal(url: str, path: Path, options: ExportOptions) -> None:
    service = StudyService.open(url, Config())
    try:
        service.export(path, options)
    finally:
        service.close()


def _tables(package: Path, folder: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the package's notes, cards and col tables, and its media list."""
    with zipfile.ZipFile(package) as archive:
        target = folder / f"{package.name}.anki2"
        target.write_bytes(archive.read("collection.anki2"))
        media = archive.read("media")
    with sqlite3.connect(target) as db:
        tables = {
            name: db.execute(f"SELECT * FROM {name} ORDER BY id").fetchall()
            for name in ("notes", "cards", "col")
        }
    return {**tables, "media": [(media,)]}


@pytest.fixture
def exported(synced: tuple[str, Path], tmp_path: Path) -> tuple[str, Path]:
    """``synced`` after one normal export (which stores the problem card's instances)."""
    url, content = synced
    _normal(url, tmp_path / "first.apkg", ExportOptions())
    return url, content


@pytest.mark.parametrize(
    "options",
    [
        ExportOptions(),
        ExportOptions(instances=2, seed=7),
        ExportOptions(deck="quick", section="2.6 Gradient descent"),
    ],
    ids=["all", "two-instances-seeded", "deck-and-section"],
)
def test_the_quick_path_writes_the_package_the_normal_path_writes(
    exported: tuple[str, Path], tmp_path: Path, options: ExportOptions
) -> None:
    url, content = exported
    _normal(url, tmp_path / "normal.apkg", options)  # stores what these options need
    done = export_quickly(url, content, NO_CONFIG, tmp_path / "quick.apkg", options)
    assert done is not None and done.notices == []
    normal = _tables(tmp_path / "normal.apkg", tmp_path)
    assert _tables(tmp_path / "quick.apkg", tmp_path) == normal
    assert done.report.notes == len(normal["notes"]) > 0
    suspended = [row for row in normal["cards"] if row[7] == -1]
    assert options.section or suspended  # the suspended card travels, marked so


def test_the_quick_csv_is_the_normal_csv(exported: tuple[str, Path], tmp_path: Path) -> None:
    url, content = exported
    _normal(url, tmp_path / "normal.csv", ExportOptions())
    assert export_quickly(url, content, NO_CONFIG, tmp_path / "quick.csv", ExportOptions())
    quick = (tmp_path / "quick.csv").read_text("utf-8")
    assert quick == (tmp_path / "normal.csv").read_text("utf-8")
    assert "hard" in quick  # the tag added in the app


def test_the_tag_added_in_the_app_travels(exported: tuple[str, Path], tmp_path: Path) -> None:
    url, content = exported
    assert export_quickly(url, content, NO_CONFIG, tmp_path / "quick.apkg", ExportOptions())
    tags = [row[5].split() for row in _tables(tmp_path / "quick.apkg", tmp_path)["notes"]]
    assert ["maths", "2-6-gradient-descent", "hard"] in tags


def test_a_content_folder_that_does_not_exist_is_named_and_the_export_goes_on(
    exported: tuple[str, Path], tmp_path: Path
) -> None:
    url, _ = exported
    done = export_quickly(url, tmp_path / "gone", NO_CONFIG, tmp_path / "q.apkg", ExportOptions())
    assert done is not None and done.report.notes > 0
    assert len(done.notices) == 1 and "gone: the content folder does not exist" in done.notices[0]


def test_a_deck_that_does_not_exist_is_told_as_the_normal_path_tells_it(
    exported: tuple[str, Path], tmp_path: Path
) -> None:
    url, content = exported
    options = ExportOptions(deck="Linear algebra")
    with pytest.raises(ExchangeProblem) as quick:
        export_quickly(url, content, NO_CONFIG, tmp_path / "q.apkg", options)
    with pytest.raises(ExchangeProblem) as normal:
        _normal(url, tmp_path / "n.apkg", options)
    assert str(quick.value) == str(normal.value)
    assert "no deck named 'Linear algebra'; decks: Quick" in str(quick.value)


def test_the_first_export_after_a_sync_takes_the_normal_path_for_the_instances(
    synced: tuple[str, Path], tmp_path: Path
) -> None:
    """No instance of the problem card is stored yet: the normal path generates and keeps
    them, and the next export is quick."""
    url, content = synced
    assert export_quickly(url, content, NO_CONFIG, tmp_path / "a.apkg", ExportOptions()) is None
    assert not (tmp_path / "a.apkg").exists()
    _normal(url, tmp_path / "b.apkg", ExportOptions())
    assert export_quickly(url, content, NO_CONFIG, tmp_path / "c.apkg", ExportOptions())


def _stale_html(url: str) -> None:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        connection.execute(
            "UPDATE card_renderings SET text = '0000000000000000:<p>old</p>'"
            " WHERE form = 'anki_question'"
        )


def _edit_file(content: Path) -> None:
    path = content / "deck.md"
    path.write_text(path.read_text("utf-8").replace("one step", "a single step"), "utf-8")


@pytest.mark.parametrize(
    ("change", "options", "name"),
    [
        (None, ExportOptions(with_progress=True), "q.apkg"),
        (None, ExportOptions(), "q.md"),
        ("file", ExportOptions(), "q.apkg"),
        ("html", ExportOptions(), "q.apkg"),
        (None, ExportOptions(seed=99), "q.apkg"),
    ],
    ids=["with-progress", "markdown", "file-changed", "stale-html", "instances-of-another-seed"],
)
def test_the_normal_path_runs_whenever_the_quick_one_cannot_be_sure(
    exported: tuple[str, Path],
    tmp_path: Path,
    change: str | None,
    options: ExportOptions,
    name: str,
) -> None:
    url, content = exported
    if change == "file":
        _edit_file(content)
    elif change == "html":
        _stale_html(url)
    assert export_quickly(url, content, NO_CONFIG, tmp_path / name, options) is None
    assert not (tmp_path / name).exists()
