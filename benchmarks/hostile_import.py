"""Hostile Anki packages: the peak memory, temp-folder use and time of reading one, per checkout.

Three packages are built in a temporary folder (none holds the expanded bytes in memory):

- ``deflate bomb``: a ~2 MB ``.apkg`` whose ``collection.anki21`` is an SQLite header and
  2 GiB of zeros (deflate's ~1,000-fold ratio);
- ``zstd bomb``: a ~64 KB ``.apkg`` whose ``collection.anki21b`` is zstd RLE blocks expanding to
  2 GiB;
- ``50 MiB field``: a real collection whose first note's answer is 50 MiB.

Each is read with ``read_apkg`` in a fresh process whose ``TMPDIR`` is its own empty folder;
the parent prints the child's peak resident memory (its ``VmHWM``), the peak size of its temp
folder (sampled every 20 ms), the seconds, and how it ended. ``--before DIR`` runs the same in
another checkout (e.g. the main branch) for comparison::

    .venv/bin/python benchmarks/hostile_import.py [--before /work/main]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GIB = 1 << 30
CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from quizcalc.exchange.apkg_import import read_apkg
start = time.perf_counter()
try:
    deck = read_apkg(Path(sys.argv[2]))
    outcome = f"read {len(deck.cards)} cards"
except Exception as exc:
    outcome = f"{type(exc).__name__}: {exc}"
seconds = time.perf_counter() - start
status = Path("/proc/self/status").read_text().splitlines()
peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
print(json.dumps({"seconds": seconds, "outcome": outcome, "peak_rss_mib": peak}))
"""


def deflate_bomb(path: Path, size: int) -> Path:
    """``collection.anki21``: an SQLite header, then zeros to ``size`` bytes, deflated."""
    chunk = bytes(1 << 20)
    info = zipfile.ZipInfo("collection.anki21")
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w") as archive:
        with archive.open(info, "w", force_zip64=True) as member:
            member.write(b"SQLite format 3\x00")
            for _ in range(size // len(chunk)):
                member.write(chunk)
        archive.writestr("media", "{}")
    return path


def _folder_size(folder: Path) -> int:
    total = 0
    for dirpath, _, names in os.walk(folder):
        for name in names:
            try:
                total += (Path(dirpath) / name).stat().st_size
            except OSError:
                continue
    return total


def run(checkout: Path, package: Path) -> dict[str, object]:
    """Read ``package`` with ``checkout``'s quizcalc in a fresh process; its figures."""
    temp = Path(tempfile.mkdtemp(prefix="hostile-tmp-"))
    env = {**os.environ, "TMPDIR": str(temp), "OPENBLAS_NUM_THREADS": "1"}
    argv = [sys.executable, "-c", CHILD, str(checkout), str(package)]
    child = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    peak_disk = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_disk
        while not done.is_set():
            peak_disk = max(peak_disk, _folder_size(temp))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, status, _usage = os.wait4(child.pid, 0)
    done.set()
    sampler.join()
    child.returncode = os.waitstatus_to_exitcode(status)
    out = child.stdout.read().decode() if child.stdout else ""
    shutil.rmtree(temp, ignore_errors=True)
    figures: dict[str, object] = {
        "outcome": f"exit {child.returncode}",
        "seconds": None,
        "peak_rss_mib": float("nan"),
    }
    if out.strip():
        figures.update(json.loads(out.strip().splitlines()[-1]))
    figures["peak_temp_mib"] = peak_disk / (1 << 20)
    return figures


def main() -> None:
    """Build the packages, read each with each checkout, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="another checkout to compare with")
    parser.add_argument("--gib", type=float, default=2.0, help="expanded size of the bombs")
    args = parser.parse_args()
    from tests.exchange.bombs import big_field_package, zstd_bomb

    size = int(args.gib * GIB)
    with tempfile.TemporaryDirectory(prefix="hostile-") as folder:
        here = Path(folder)
        packages = {
            "deflate bomb": deflate_bomb(here / "deflate.apkg", size),
            "zstd bomb": zstd_bomb(here / "zstd.apkg", size),
            "50 MiB field": big_field_package(here / "field.apkg", 50 << 20),
        }
        checkouts = {"this checkout": ROOT}
        if args.before:
            checkouts = {"before": args.before.resolve(), **checkouts}
        for name, package in packages.items():
            print(f"{name}: {package.stat().st_size / (1 << 20):.2f} MiB on disk")
            for label, checkout in checkouts.items():
                figures = run(checkout, package)
                seconds = figures["seconds"]
                took = f"{seconds:6.2f} s" if isinstance(seconds, float) else "   —    "
                print(
                    f"  {label:>14}: peak RSS {figures['peak_rss_mib']:7.1f} MiB, "
                    f"temp {figures['peak_temp_mib']:7.1f} MiB, {took}; "
                    f"{str(figures['outcome'])[:110]}"
                )


if __name__ == "__main__":
    main()
