"""Generated problems per second, for every family and difficulty, printed as a table.

Each cell generates ``--count`` consecutive seeds after one warm-up instance (so SymPy's
first import and caches are not charged to the first family that needs them); the import of
SymPy itself is timed on its own line.

    .venv/bin/python benchmarks/problems.py [--count 200] [--family chain_rule ...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quizcalc.problems import DIFFICULTIES, FAMILIES, generate


def rate(family: str, difficulty: int, count: int) -> float:
    """Instances per second for ``count`` fresh seeds of one cell."""
    generate(family, 10_000_000, difficulty)  # warm-up: lazy imports, SymPy caches
    start = time.perf_counter()
    for seed in range(count):
        generate(family, seed, difficulty)
    return count / (time.perf_counter() - start)


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=200, help="seeds per cell (default 200)")
    parser.add_argument("--family", action="append", help="only these families (repeatable)")
    args = parser.parse_args()
    families = args.family or list(FAMILIES)

    start = time.perf_counter()
    import sympy  # noqa: F401

    print(
        f"import sympy: {time.perf_counter() - start:.2f} s (paid once, by the first "
        "SymPy family)\n"
    )
    header = f"{'family':<20}" + "".join(f"{f'd{d} /s':>10}" for d in DIFFICULTIES)
    print(header + f"{'median':>10}")
    print("-" * len(header + " " * 10))
    for family in families:
        rates = [rate(family, d, args.count) for d in DIFFICULTIES]
        cells = "".join(f"{r:>10,.0f}" for r in rates)
        print(f"{family:<20}{cells}{statistics.median(rates):>10,.0f}")


if __name__ == "__main__":
    main()
