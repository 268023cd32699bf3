"""``quizcalc export deck.apkg`` of a synced 10,000-card deck, whole processes, against genanki.

The deck is :func:`heavy_collection.write_content` at 10,000 cards in 20 files (Q&A cards with
inline and display maths, lists, cloze notes, every problem skill), synced into a temporary
database by quizcalc itself. Figures (median of ``--repeat`` runs, each a fresh process):

- ``quizcalc --version``: the floor every command pays;
- ``quizcalc export``: the real command (it syncs first: the deck is unchanged);
- ``genanki alone``: a process that imports genanki, reads the *same* notes (fields, tags,
  GUIDs, note types, decks: taken from the package quizcalc wrote) from a JSON file and
  writes them with ``Package.write_to_file``: what an export costs without quizcalc;
- the ratio of the two (the target is ≤ 1.5).

    .venv/bin/python benchmarks/export_process.py [--repeat 5] [--cards 10000]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUIZCALC = Path(sys.executable).parent / "quizcalc"

_GENANKI_ALONE = """\
import json, sys
import genanki
from quizcalc.exchange.apkg_models import basic_model, cloze_model, problem_model
models = {m.model_id: m for m in (basic_model(), cloze_model(), problem_model())}
data = json.load(open(sys.argv[1]))
decks = {}
for name, deck_id in data["decks"]:
    decks[name] = genanki.Deck(deck_id, name)
for mid, fields, tags, guid, deck, due in data["notes"]:
    decks[deck].add_note(genanki.Note(models[mid], fields, tags=tags, guid=guid, due=due))
genanki.Package(list(decks.values())).write_to_file(sys.argv[2])
"""
"""genanki writing given notes: the baseline process."""


def build_deck(folder: Path, cards: int) -> tuple[Path, Path]:
    """Write and sync the deck into ``folder`` (printing the sync's seconds, in-process, which
    include rendering the cards' Anki HTML); its (content folder, database)."""
    from benchmarks.heavy_collection import Scale, write_content
    from quizcalc.config import Config
    from quizcalc.study import StudyService

    content, database = folder / "content", folder / "collection.sqlite3"
    write_content(content, Scale("s10k", cards=cards, files=20, review_rows=0))
    service = StudyService.open(f"sqlite:///{database}", Config())
    try:
        start = time.perf_counter()
        service.sync(content, datetime.now(UTC))
        print(f"{'first sync (in-process)':<24}{time.perf_counter() - start:7.3f} s")
    finally:
        service.close()
    return content, database


def notes_of(package: Path, target: Path) -> int:
    """Dump the notes of ``package`` (as genanki needs them) to the JSON file ``target``."""
    with zipfile.ZipFile(package) as archive:
        collection = target.with_suffix(".anki2")
        collection.write_bytes(archive.read("collection.anki2"))
    db = sqlite3.connect(collection)
    decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
    names = {int(k): v["name"] for k, v in decks.items()}
    rows = db.execute(
        "SELECT n.mid, n.flds, n.tags, n.guid, min(c.did), min(c.due) FROM notes n"
        " JOIN cards c ON c.nid = n.id GROUP BY n.id ORDER BY n.id"
    ).fetchall()
    db.close()
    notes = [
        [mid, flds.split("\x1f"), tags.split(), guid, names[did], due]
        for mid, flds, tags, guid, did, due in rows
    ]
    used = sorted({deck for *_, deck, _ in notes})
    wanted = sorted(
        {"::".join(n.split("::")[:i]) for n in used for i in range(1, 1 + n.count("::") + 1)}
    )
    by_name = {v: k for k, v in names.items()}
    target.write_text(json.dumps({"decks": [[n, by_name[n]] for n in wanted], "notes": notes}))
    return len(notes)


def median_seconds(command: list[str], repeat: int, cwd: Path) -> tuple[float, float, float]:
    """Median, min and max wall-clock seconds of running ``command`` ``repeat`` times."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times)


def main() -> None:
    """Build the deck, time the real export and genanki alone, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cards", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="quizcalc-bench-") as name:
        folder = Path(name)
        content, database = build_deck(folder, args.cards)
        base = [str(QUIZCALC), "--db", str(database), "--content", str(content)]
        export = [*base, "export", str(folder / "deck.apkg")]
        subprocess.run(export, check=True, capture_output=True)  # the first export (see below)
        notes = notes_of(folder / "deck.apkg", folder / "notes.json")
        script = folder / "genanki_alone.py"
        script.write_text(_GENANKI_ALONE)
        alone = [sys.executable, str(script), str(folder / "notes.json"), str(folder / "g.apkg")]
        version = median_seconds([str(QUIZCALC), "--version"], args.repeat, folder)
        ours = median_seconds(export, args.repeat, folder)
        theirs = median_seconds(alone, args.repeat, folder)
        print(f"{args.cards} cards, {notes} notes; median (min–max) of {args.repeat} processes")
        for label, (mid, low, high) in (
            ("quizcalc --version", version),
            ("quizcalc export .apkg", ours),
            ("genanki alone", theirs),
        ):
            print(f"{label:<24}{mid:7.3f} s  ({low:.3f}–{high:.3f})")
        print(f"{'ratio export / genanki':<24}{ours[0] / theirs[0]:7.2f}   (target ≤ 1.5)")


if __name__ == "__main__":
    main()
