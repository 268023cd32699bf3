"""Installed like any Python CLI: a wheel built from this repository carries the bundled decks.

The wheel is built without build isolation and installed with ``--no-deps`` into a fresh
virtual environment that sees this one's packages through a ``.pth`` line, so nothing is
downloaded; ``quizcalc cards list`` then runs from another folder, away from the checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHIPPED = ("pyproject.toml", "setup.py", "README.md", "quizcalc", "content")


def _run(argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False, **kwargs)  # type: ignore[call-overload, no-any-return]


def test_a_wheel_installed_elsewhere_finds_the_bundled_decks(tmp_path: Path) -> None:
    source = tmp_path / "source"  # a copy: building never writes into the checkout
    source.mkdir()
    for name in SHIPPED:
        if (REPO / name).is_dir():
            shutil.copytree(
                REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(REPO / name, source / name)
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-build-isolation", "--no-deps",
         str(source), "-w", str(tmp_path / "dist")]
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("quizcalc-*.whl")

    venv = tmp_path / "venv"
    made = _run([sys.executable, "-m", "venv", str(venv)])
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    site = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    # This environment's dependencies, after the new one's own packages (quizcalc among them).
    (Path(site.stdout.strip()) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    installed = _run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)])
    assert installed.returncode == 0, installed.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        **os.environ,
        "HOME": str(elsewhere),
        "QUIZCALC_DB": str(elsewhere / "study.db"),
        "QUIZCALC_CONFIG": str(elsewhere / "config.toml"),
    }
    env.pop("QUIZCALC_CONTENT", None)
    env.pop("PYTHONPATH", None)
    where = _run([str(python), "-c", "import quizcalc; print(quizcalc.__file__)"], cwd=elsewhere)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout + where.stderr
    command = [str(venv / "bin" / "quizcalc"), "cards", "list", "--json"]
    listed = _run(command, cwd=elsewhere, env=env)
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert "no such file" not in listed.stderr
    ids = {card["id"] for card in json.loads(listed.stdout)}
    assert "derivative-meaning" in ids and len(ids) > 50  # the bundled calculus deck
