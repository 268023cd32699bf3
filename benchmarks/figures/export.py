"""`quizcalc export deck.apkg` of 10,000 cards against genanki writing the same notes.

Both are whole processes. The deck is ``heavy_collection.write_content``'s Markdown (Q&A cards
with inline and display maths, cloze notes) without its generated-problem blocks (1,000 cards
with ``--quick``), synced into a fresh database once beforehand; the export then runs with a
content folder that does not exist, so its start-up sync skips it (and keeps the cards) and
only the export is measured.
The baseline is ``benchmarks/genanki_write.py`` writing the notes read back from quizcalc's
first package (same models, decks, GUIDs, tags and field HTML), so the two write the same
thing whatever the exporter's internals.
"""

from __future__ import annotations

import json
import re
import sqlite3
import zipfile
from pathlib import Path

from benchmarks.figures.base import Context, Figure
from benchmarks.measure import PYTHON, QUIZCALC, ROOT, run_process, user_env
from benchmarks.report import Measured, Target

_PROBLEM = re.compile(r"```problem\n.*?```\n", re.DOTALL)


def write_flashcard_deck(ctx: Context, cards: int) -> Path:
    """``cards`` flashcards (no problem cards) in 20 files; their folder."""
    from benchmarks.heavy_collection import Scale, write_content
    from quizcalc.problems.catalog import FAMILY_NAMES

    folder = ctx.folder / "deck"
    skills = 3 * len(FAMILY_NAMES)
    write_content(folder, Scale("export", cards=cards + skills, files=20, review_rows=0))
    for path in folder.glob("*.md"):
        path.write_text(_PROBLEM.sub("", path.read_text("utf-8")), "utf-8")
    return folder


def notes_of(package: Path) -> dict[str, object]:
    """The models, decks and notes of an ``.apkg`` written by genanki, as plain JSON data."""
    target = package.with_suffix(".anki2")
    with zipfile.ZipFile(package) as archive:
        target.write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(target)
    try:
        raw_models, raw_decks = connection.execute("SELECT models, decks FROM col").fetchone()
        deck_of = dict(connection.execute("SELECT nid, min(did) FROM cards GROUP BY nid"))
        rows = connection.execute("SELECT id, guid, mid, flds, tags FROM notes ORDER BY id")
        notes = [
            {
                "guid": guid,
                "model": str(mid),
                "deck": str(deck_of[nid]),
                "fields": flds.split("\x1f"),
                "tags": tags.split(),
            }
            for nid, guid, mid, flds, tags in rows
        ]
    finally:
        connection.close()
        target.unlink()
    models = {
        model_id: {
            "name": model["name"],
            "fields": [field["name"] for field in model["flds"]],
            "templates": [
                {"name": t["name"], "qfmt": t["qfmt"], "afmt": t["afmt"]} for t in model["tmpls"]
            ],
            "css": model["css"],
            "cloze": model["type"] == 1,
        }
        for model_id, model in json.loads(raw_models).items()
    }
    decks = {deck_id: deck["name"] for deck_id, deck in json.loads(raw_decks).items()}
    return {"models": models, "decks": decks, "notes": notes}


def export(ctx: Context) -> Measured:
    """Alternate genanki writing the notes and ``quizcalc export`` (one warm-up each)."""
    cards = 1_000 if ctx.quick else 10_000
    deck = write_flashcard_deck(ctx, cards)
    database = ctx.folder / "export.sqlite3"
    run_process([QUIZCALC, "sync"], user_env(ctx.folder, database, deck))
    env = user_env(ctx.folder, database, ctx.folder / "no-content-folder")
    ours_argv = [QUIZCALC, "export", str(ctx.folder / "quizcalc.apkg")]
    run_process(ours_argv, env)
    notes = ctx.folder / "notes.json"
    data = notes_of(ctx.folder / "quizcalc.apkg")
    notes_list = data["notes"]
    assert isinstance(notes_list, list)
    notes.write_text(json.dumps(data), "utf-8")
    floor_argv = [
        PYTHON,
        str(ROOT / "benchmarks" / "genanki_write.py"),
        str(notes),
        str(ctx.folder / "genanki.apkg"),
    ]
    run_process(floor_argv, env)
    ours, floor = [], []
    for _ in range(ctx.runs):
        floor.append(run_process(floor_argv, env))
        ours.append(run_process(ours_argv, env))
    return Measured(
        samples=[run.seconds for run in ours],
        baseline=[run.seconds for run in floor],
        peak_mb=max(run.peak_mb for run in ours),
        note=f"{cards:,} cards, {len(notes_list):,} notes",
    )


FIGURES = [
    Figure(
        "export-apkg",
        ".apkg export of 10k cards (quizcalc export) vs genanki writing the same notes",
        (Target("ratio", 1.5),),
        export,
    ),
]
