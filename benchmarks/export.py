"""Exporting a synthetic 10,000-card deck to each format, ``.apkg`` against genanki alone.

The deck is built in memory as :class:`ExchangeCard` records (no database): Q&A cards and
two-deletion cloze notes with inline and display math, spread over sections and tags, so
every field goes through the Markdown-to-Anki-HTML renderer as real cards do.

Figures printed (median of ``--repeat`` runs):

- ``apkg``: :func:`quizcalc.exchange.export.export_cards` to ``.apkg`` (rendering every field,
  building the notes, genanki writing the collection, zipping);
- ``apkg --with-progress``: the same with a schedule on every other card and five answers
  each in the review log;
- ``genanki direct``: genanki writing the *same* notes (same models, decks, GUIDs and field
  HTML, rendered beforehand) with ``Package.write_to_file``: what an export costs without
  quizcalc, and the ratio of the two;
- ``problem instance``: one static problem instance (generation + rendering), measured on
  ``--problems`` problem cards, as a problem card costs ``instances`` of these;
- ``md`` and ``csv`` through ``export_cards``, or ``n/a`` where that writer is missing;
- ``json``: a full backup of a store holding the deck (imported from the ``.md`` export).

    .venv/bin/python benchmarks/export.py [--cards 10000] [--repeat 3] [--problems 20]

These cards come from no store, so ``apkg`` here renders every field (the path of a card
whose stored rendering is missing); ``make bench ARGS="--only export-apkg"`` times the real
command on a synced deck, which reads the HTML rendered at sync.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import genanki

from quizcalc.exchange.anki_html import markdown_to_anki_html
from quizcalc.exchange.apkg_export import note_guid
from quizcalc.exchange.apkg_models import basic_model, cloze_model, stable_id
from quizcalc.exchange.export import export_cards
from quizcalc.exchange.model import (
    ExchangeCard,
    ExchangeError,
    ExchangeReview,
    ExchangeSchedule,
    ExportOptions,
)
from quizcalc.problems.catalog import FAMILY_NAMES

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
DECK = "Benchmark Calculus"
SECTIONS = 40
TAGS = ("derivatives", "chain-rule", "gradients", "optimisation", "linear-algebra")


def synthetic_deck(count: int) -> list[ExchangeCard]:
    """``count`` cards: 70 % Q&A, 30 % cloze (two deletions a note), with math and tags."""
    cards: list[ExchangeCard] = []
    key = 0
    while len(cards) < count:
        key += 1
        section = f"{key % SECTIONS:02d} Section {key % SECTIONS}::Part {key % 3}"
        tags = (TAGS[key % len(TAGS)], f"week-{key % 12}")
        if key % 10 < 7:
            cards.append(
                ExchangeCard(
                    card_id=f"bench-q-{key}",
                    kind="basic",
                    deck=DECK,
                    section=section,
                    tags=tags,
                    question=f"What is $\\frac{{d}}{{dx}} x^{{{key}}}$ at $x = {key % 7}$?",
                    answer=(
                        f"By the power rule, $\\frac{{d}}{{dx}} x^{{{key}}}"
                        f" = {key} x^{{{key - 1}}}$, so **{key} · {key % 7}^{{{key - 1}}}**.\n\n"
                        f"$$\\lim_{{h \\to 0}} \\frac{{(x+h)^{{{key}}} - x^{{{key}}}}}{{h}}$$"
                    ),
                )
            )
        else:
            note = (
                f"For $f(x) = e^{{{key}x}}$, $f'(x) = {{{{c1::{key} e^{{{key}x}}}}}}$ and "
                f"the tangent at $0$ has slope {{{{c2::{key}}}}} (note {key})."
            )
            for number in (1, 2):
                cards.append(
                    ExchangeCard(
                        card_id=f"bench-c-{key}::c{number}",
                        kind="cloze",
                        deck=DECK,
                        section=section,
                        tags=tags,
                        question=note,
                        answer=note,
                        note=note,
                        cloze_number=number,
                    )
                )
    return cards[:count]


def _history(card: ExchangeCard, index: int) -> ExchangeCard:
    """``card`` with an SM-2 schedule and five answers, on every other card."""
    if index % 2:
        return replace(card, schedule=ExchangeSchedule())
    reviews = []
    interval, easiness, reps = 0, 2.5, 0
    for day in range(5):
        before = ExchangeSchedule(reps, easiness, interval)
        reps, interval = reps + 1, max(1, round(interval * easiness)) if interval else 1
        easiness = round(easiness + 0.1, 2)
        after = ExchangeSchedule(reps, easiness, interval)
        at = NOW - timedelta(days=40 - 7 * day, minutes=index % 500)
        reviews.append(ExchangeReview(at, at.date(), 4 + day % 2, "review", before, after))
    due = NOW.date() + timedelta(days=index % 30)
    schedule = ExchangeSchedule(reps, easiness, interval, due, 0, 5, reviews[-1].reviewed_at)
    return replace(card, schedule=schedule, reviews=tuple(reviews))


def _genanki_direct(cards: list[ExchangeCard], out: Path) -> Callable[[], None]:
    """Build the same notes with the field HTML rendered beforehand; return the write step."""
    decks: dict[str, genanki.Deck] = {}
    seen: set[str] = set()
    for position, card in enumerate(cards, 1):
        if card.kind == "cloze" and card.note_id in seen:
            continue
        seen.add(card.note_id)
        parts = card.full_deck.split("::")
        for depth in range(1, len(parts) + 1):
            name = "::".join(parts[:depth])
            decks.setdefault(name, genanki.Deck(stable_id("deck", name), name))
        if card.kind == "cloze":
            fields = [markdown_to_anki_html(card.note), "", card.note_id]
            model = cloze_model()
        else:
            fields = [
                markdown_to_anki_html(card.question),
                markdown_to_anki_html(card.answer),
                card.card_id,
            ]
            model = basic_model()
        note = genanki.Note(model, fields, tags=list(card.tags), guid=note_guid(card), due=position)
        decks[card.full_deck].add_note(note)
    package = genanki.Package(list(decks.values()))

    def write() -> None:
        package.write_to_file(str(out))

    return write


def _median(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _optional(run: Callable[[], object], repeat: int) -> str:
    """Seconds, or ``n/a`` when that format's writer is not there (yet)."""
    try:
        return f"{_median(run, repeat):7.2f} s"
    except (ExchangeError, ImportError, AttributeError) as exc:
        return f"    n/a ({type(exc).__name__}: {exc})"


def main() -> None:
    """Build the deck, time each export, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--problems", type=int, default=20)
    args = parser.parse_args()

    cards = synthetic_deck(args.cards)
    with_history = [_history(card, i) for i, card in enumerate(cards)]
    plain, progress = ExportOptions(), ExportOptions(with_progress=True)
    notes = len({c.note_id for c in cards})
    print(f"{len(cards)} cards, {notes} notes, {len({c.full_deck for c in cards})} sub-decks")

    with tempfile.TemporaryDirectory(prefix="quizcalc-bench-") as folder:
        out = Path(folder)
        markdown_to_anki_html("warm $x$ up")  # the renderer's one-off set-up is not the export
        apkg = _median(lambda: export_cards(cards, out / "deck.apkg", plain), args.repeat)
        size = (out / "deck.apkg").stat().st_size
        apkg_progress = _median(
            lambda: export_cards(with_history, out / "progress.apkg", progress), args.repeat
        )
        write_direct = _genanki_direct(cards, out / "direct.apkg")
        direct = _median(write_direct, args.repeat)
        direct_size = (out / "direct.apkg").stat().st_size

        print(f"apkg                   {apkg:7.2f} s  ({size / 1e6:.1f} MB, deflated)")
        print(f"apkg --with-progress   {apkg_progress:7.2f} s  (5 reviews on every other card)")
        print(f"genanki direct         {direct:7.2f} s  ({direct_size / 1e6:.1f} MB, stored)")
        print(f"ratio apkg / direct    {apkg / direct:7.2f}")

        if args.problems:
            problems = [
                ExchangeCard(
                    card_id=f"bench-p-{i}",
                    kind="problem",
                    deck=DECK,
                    question="",
                    answer="",
                    family=FAMILY_NAMES[i % len(FAMILY_NAMES)],
                    difficulty=1 + i % 3,
                )
                for i in range(args.problems)
            ]
            options = ExportOptions(instances=5)
            export_cards(problems[:1], out / "warm.apkg", options)  # SymPy's import
            seconds = _median(lambda: export_cards(problems, out / "p.apkg", options), 1)
            each = seconds / (5 * len(problems)) * 1000
            print(f"problem instance       {each:7.1f} ms  (x5 per problem card by default)")

        markdown = _optional(lambda: export_cards(cards, out / "deck.md", plain), args.repeat)
        csv = _optional(lambda: export_cards(cards, out / "deck.csv", plain), args.repeat)
        print(f"md                     {markdown}")
        print(f"csv                    {csv}")
        print(f"json (full backup)     {_backup_seconds(out, args.repeat)}")


def _backup_seconds(out: Path, repeat: int) -> str:
    """A store holding the deck (imported from its Markdown export), backed up to JSON."""
    from datetime import UTC, datetime

    from quizcalc.config import Config
    from quizcalc.study import StudyService

    service = StudyService.open(f"sqlite:///{out / 'bench.sqlite3'}", Config())
    try:
        report = service.import_path(out / "deck.md", datetime.now(UTC))

        def backup() -> None:
            service.export_backup(out / "backup.json")

        seconds = _median(backup, repeat)
        size = (out / "backup.json").stat().st_size
        return f"{seconds:7.2f} s  ({report.added} cards in a store, {size / 1e6:.1f} MB)"
    finally:
        service.close()


if __name__ == "__main__":
    main()
