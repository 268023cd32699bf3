"""A problem card as the first card: `quizcalc review` launched → the problem's prompt on screen.

The content folder holds one generated-problem block (``derivative``, difficulty 1), synced
beforehand; the clock stops when the prompt panel's subtitle (``derivative · difficulty 1 of
3``, drawn together with the prompt) appears in the 80×24 pseudo-terminal. The bare Textual
app is the baseline column, for scale only: the target is absolute (≤ 0.8 s).
"""

from __future__ import annotations

from benchmarks.figures.base import Context, Figure
from benchmarks.figures.first_card import BARE, BARE_TEXT
from benchmarks.measure import QUIZCALC, time_to_text, user_env
from benchmarks.report import Measured, Target

PROBLEM_DECK = """---
deck: Bench problems
---

# Practice

```problem
family: derivative
difficulty: 1
```
"""
NEEDLE = "difficulty 1 of 3"


def problem_first(ctx: Context) -> Measured:
    """Launch → prompt, the only card being a problem card."""
    from quizcalc.config import Config
    from quizcalc.study import StudyService

    content = ctx.folder / "content"
    content.mkdir()
    (content / "problems.md").write_text(PROBLEM_DECK, "utf-8")
    database = ctx.folder / "problems.sqlite3"
    service = StudyService.open(f"sqlite:///{database}", Config())
    try:
        service.sync(content, ctx.now())
        card = service.next_card(ctx.now())
    finally:
        service.close()
    if card is None or card.kind != "problem":
        raise RuntimeError(f"the first card is not a problem card: {card}")
    env = user_env(ctx.folder, database, content)
    argv = [QUIZCALC, "review"]
    time_to_text(BARE, BARE_TEXT, env)
    time_to_text(argv, NEEDLE, env)
    bare, ours = [], []
    for _ in range(ctx.runs):
        bare.append(time_to_text(BARE, BARE_TEXT, env))
        ours.append(time_to_text(argv, NEEDLE, env))
    return Measured(
        samples=[run.seconds for run in ours],
        baseline=[run.seconds for run in bare],
        peak_mb=max(run.peak_mb for run in ours),
    )


FIGURES = [
    Figure(
        "problem-first",
        "a problem card first: launch → prompt on screen",
        (Target("median", 0.8),),
        problem_first,
    ),
]
