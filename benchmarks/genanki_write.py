"""The floor for an ``.apkg`` export: genanki alone writing notes read from a JSON file.

    .venv/bin/python benchmarks/genanki_write.py NOTES.json OUT.apkg

``NOTES.json`` (made by ``benchmarks/figures/export.py`` from quizcalc's own export) holds the
models, decks and notes (fields already HTML, GUIDs, tags) exactly as quizcalc wrote them, so
this process does what the export must do at the least: build the notes, write the package.
"""

from __future__ import annotations

import json
import sys

import genanki


def main() -> None:
    """Read the notes, write the package."""
    source, out = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as file:
        data = json.load(file)
    models = {
        model_id: genanki.Model(
            int(model_id),
            model["name"],
            fields=[{"name": name} for name in model["fields"]],
            templates=model["templates"],
            css=model["css"],
            model_type=genanki.Model.CLOZE if model["cloze"] else genanki.Model.FRONT_BACK,
        )
        for model_id, model in data["models"].items()
    }
    decks = {deck_id: genanki.Deck(int(deck_id), name) for deck_id, name in data["decks"].items()}
    for note in data["notes"]:
        decks[note["deck"]].add_note(
            genanki.Note(
                models[note["model"]], note["fields"], tags=note["tags"], guid=note["guid"]
            )
        )
    genanki.Package(list(decks.values())).write_to_file(out)


if __name__ == "__main__":
    main()
