"""`quizcalc review` → first card on screen, against a bare Textual app started the same way.

Both run in an 80×24 pseudo-terminal as a user would start them; the clock stops when the
expected text appears in the terminal output (the bare app's one line; the first three words
of the card StudyService says comes first). One warm-up run each comes first, so both read
``.pyc`` files from a warm page cache. Three starting points:

- ``first-card-warm``: the bundled deck, its database already made and synced (an ordinary
  day's start);
- ``first-card-cold``: no database file at all, as on the very first launch: quizcalc creates
  and migrates it and syncs the bundled deck before the first card (a new, empty path for
  every run; the Python files are warm, as they are for the bare app);
- ``first-card-week-away``: a copy of the heavy collection (50,000 cards / 1M reviews; 5k/100k
  with ``--quick``) after a week away, its content folder as ``QUIZCALC_CONTENT``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from benchmarks.figures.base import Context, Figure
from benchmarks.measure import PYTHON, QUIZCALC, ROOT, Run, time_to_text, user_env
from benchmarks.report import Measured, Target

BARE = [PYTHON, str(ROOT / "benchmarks" / "bare_textual_app.py")]
BARE_TEXT = "bare textual app ready"


def first_card_words(url: str, content: Path, ctx: Context, sync: bool = True) -> str:
    """Sync ``content`` into the database at ``url`` (if ``sync``) and return the first three
    words of the first card's question as the terminal shows them."""
    from quizcalc.cards.display import latex_to_unicode
    from quizcalc.config import Config
    from quizcalc.study import StudyService

    service = StudyService.open(url, Config())
    try:
        if sync:
            service.sync(content, ctx.now())
        card = service.next_card(ctx.now())
    finally:
        service.close()
    if card is None:
        raise RuntimeError("no card due in the prepared database")
    return " ".join(latex_to_unicode(card.question).split()[:3])


def against_bare(
    ctx: Context,
    env: dict[str, str],
    needle: str,
    before_each: Callable[[], None] | None = None,
) -> Measured:
    """Alternate bare app and ``quizcalc review`` runs (one warm-up each first)."""
    ours_argv = [QUIZCALC, "review"]

    def ours() -> Run:
        if before_each is not None:
            before_each()
        return time_to_text(ours_argv, needle, env)

    time_to_text(BARE, BARE_TEXT, env)
    ours()
    bare_runs, our_runs = [], []
    for _ in range(ctx.runs):
        bare_runs.append(time_to_text(BARE, BARE_TEXT, env))
        our_runs.append(ours())
    return Measured(
        samples=[run.seconds for run in our_runs],
        baseline=[run.seconds for run in bare_runs],
        peak_mb=max(run.peak_mb for run in our_runs),
    )


def _bundled(ctx: Context) -> tuple[dict[str, str], str]:
    from quizcalc.locations import bundled_content_dir

    database = ctx.folder / "warm.sqlite3"
    env = user_env(ctx.folder, database, bundled_content_dir())
    return env, first_card_words(f"sqlite:///{database}", bundled_content_dir(), ctx)


def warm(ctx: Context) -> Measured:
    """The bundled deck, database made and synced beforehand."""
    env, needle = _bundled(ctx)
    return against_bare(ctx, env, needle)


def cold(ctx: Context) -> Measured:
    """No database file: every run starts from a path that does not exist yet."""
    env, needle = _bundled(ctx)  # the same first card the fresh database will show
    database = Path(env["QUIZCALC_DB"].removeprefix("sqlite:///"))

    def fresh() -> None:
        database.unlink(missing_ok=True)
        for extra in database.parent.glob(f"{database.name}*"):
            extra.unlink()
        shutil.rmtree(ctx.folder / "home" / "data", ignore_errors=True)

    return against_bare(ctx, env, needle, before_each=fresh)


def week_away(ctx: Context) -> Measured:
    """A copy of the heavy collection, its content folder synced at start as usual."""
    from benchmarks.heavy_collection import copy_database, heavy_collection

    collection = heavy_collection(ctx.scale)
    url = copy_database(collection, ctx.folder / "heavy.sqlite3")
    env = user_env(ctx.folder, ctx.folder / "heavy.sqlite3", collection.content)
    needle = first_card_words(url, collection.content, ctx, sync=False)
    measured = against_bare(ctx, env, needle)
    return Measured(
        measured.samples, measured.baseline, measured.peak_mb, note=ctx.collection_note()
    )


FIGURES = [
    Figure(
        "first-card-warm",
        "quizcalc review → first card, bundled deck, vs bare Textual",
        (Target("ratio", 1.2),),
        warm,
    ),
    Figure(
        "first-card-cold",
        "the same, first launch: no database file yet (created, migrated, synced)",
        (Target("ratio", 1.5),),
        cold,
    ),
    Figure(
        "first-card-week-away",
        "the same on the heavy collection after a week away",
        (Target("ratio", 1.3),),
        week_away,
    ),
]
