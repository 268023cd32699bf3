"""End-to-end: the real ``quizcalc`` command in a terminal, home → drill → stats."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.e2e.conftest import QUIZCALC
from tests.e2e.ptyrun import PtyProcess


@pytest.mark.slow
def test_home_then_a_drill_then_statistics(tmp_path: Path, env: dict[str, str]) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "deck.md").write_text(
        "# Practice\n\n```problem\nfamily: epochs_iterations\ndifficulty: 1\n```\n\n"
        "Q: What is an epoch?\nA: One full pass over the training set.\n",
        encoding="utf-8",
    )
    process = PtyProcess([QUIZCALC, "--content", str(content)], env, rows=30, cols=100)
    try:
        assert process.read_until("review 2 cards"), process.text()[-1500:]
        process.send("d")
        assert process.read_until("new drill"), process.text()[-1500:]
        assert process.read_until("Epochs and iterations")
        time.sleep(1.0)  # the set-up form settles (focus on the skill list)
        process.send(" ")  # select the first skill of the list
        time.sleep(0.5)
        process.send("\x13")  # ctrl+s: start
        assert process.read_until("drill · "), process.text()[-1500:]
        assert process.read_until("Differentiate with respect to x"), process.text()[-1500:]
        time.sleep(0.5)
        process.send("\x1b")  # leave the answer box
        time.sleep(0.5)
        process.send("q")  # end the drill early
        assert process.read_until("Drill over"), process.text()[-1500:]
        time.sleep(0.5)
        process.send("\x1b")  # home
        time.sleep(0.5)
        process.send("s")
        assert process.read_until("statistics"), process.text()[-1500:]
        assert process.read_until("No reviews yet"), process.text()[-1500:]
    finally:
        process.close()
