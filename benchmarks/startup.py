"""Time from launch to the first card: `quizcalc review` vs a bare Textual app (warm and cold).

A thin wrapper: the figures live in ``benchmarks/figures/first_card.py`` and run through the
harness; this prints their rows of the table.

    .venv/bin/python benchmarks/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench import main as bench


def main() -> None:
    """``make bench --only first-card-warm --only first-card-cold``."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    bench(["--only", "first-card-warm", "--only", "first-card-cold", "--runs", str(args.runs)])


if __name__ == "__main__":
    main()
