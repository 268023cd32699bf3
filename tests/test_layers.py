"""What the import-linter contracts (``.importlinter``) cannot say: what loads at import time.

The contracts check every import, lazy ones included, so they forbid a layer from *ever*
importing another. Some modules may import a heavy library later but must not at import time
(the start-up path, ``quizcalc --help``): that is checked here, in a fresh interpreter.
"""

from __future__ import annotations

import configparser
import json
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

FAST_PATH = [
    "quizcalc.study.first_card",
    "quizcalc.study.queue",
    "quizcalc.study.errors",
    "quizcalc.study.settings",
    "quizcalc.config",
    "quizcalc.locations",
    "quizcalc.problems",
    "quizcalc.problems.catalog",
    "quizcalc.grading",
    "quizcalc.scheduling",
]
"""Modules on the way to the first card: neither SQLAlchemy, nor SymPy, nor alembic."""

NO_TEXTUAL_AT_IMPORT = ["quizcalc.cli.main", "quizcalc.cli.common"]
"""The CLI starts the TUI lazily: ``quizcalc --help`` and the non-interactive commands stay fast."""


def _loaded_after_import(module: str) -> set[str]:
    code = (
        "import importlib, json, sys\n"
        f"importlib.import_module({module!r})\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return {name.split(".")[0] for name in json.loads(out.stdout)}


@pytest.mark.parametrize("module", FAST_PATH)
def test_first_card_path_stays_off_sqlalchemy_sympy_and_alembic(module: str) -> None:
    assert not _loaded_after_import(module) & {"sqlalchemy", "sympy", "alembic", "textual"}


@pytest.mark.parametrize("module", NO_TEXTUAL_AT_IMPORT)
def test_the_cli_loads_neither_textual_nor_sqlalchemy_at_import(module: str) -> None:
    assert not _loaded_after_import(module) & {"textual", "sqlalchemy", "sympy"}


@pytest.mark.parametrize("module", ["quizcalc.study.export_quick", "quizcalc.cli.exchange_command"])
def test_the_quick_export_loads_neither_the_store_nor_the_markdown_renderer(module: str) -> None:
    """``quizcalc export`` of a synced collection reads it with sqlite3 and writes stored HTML:
    SQLAlchemy (the store) and markdown-it (rendering) load only on the normal path."""
    assert not _loaded_after_import(module) & {"sqlalchemy", "markdown_it", "sympy", "textual"}


def test_exchange_formats_load_their_libraries_only_when_used() -> None:
    """genanki, the anki library and zstandard stay out of the store, study and CLI imports."""
    for module in ("quizcalc.exchange", "quizcalc.study.service", "quizcalc.cli.main"):
        loaded = _loaded_after_import(module)
        assert not loaded & {"genanki", "anki", "zstandard"}, module


def test_the_layers_contract_names_every_top_level_module() -> None:
    """The contract is exhaustive; this says so in a test too, naming what is missing."""
    config = configparser.ConfigParser()
    config.read(REPO_ROOT / ".importlinter")
    listed = {
        name.strip()
        for line in config["importlinter:contract:layers"]["layers"].split("\n")
        for name in line.replace(":", "|").split("|")
        if name.strip()
    }
    package = REPO_ROOT / "quizcalc"
    modules = {p.stem for p in package.glob("*.py") if p.stem != "__init__"} | {
        p.name for p in package.iterdir() if (p / "__init__.py").exists()
    }
    assert modules == listed


def test_the_contracts_hold() -> None:
    """``make test`` runs lint-imports; ``pytest`` alone checks the contracts too."""
    lint = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command as run; sys.exit(run())",
            "--no-cache",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert lint.returncode == 0, lint.stdout[-3000:]


FIRST_FRAME_TUI = [
    "quizcalc.tui.app",
    "quizcalc.tui.screens.review",
    "quizcalc.tui.widgets.math_markdown",
    "quizcalc.tui.modals.card_detail",
]
"""The TUI up to the first card: maths shows in its one-line form until a worker has loaded
the two-dimensional layout (``quizcalc.typeset``, which imports SymPy's boxes)."""


@pytest.mark.parametrize("module", FIRST_FRAME_TUI)
def test_the_first_frame_loads_neither_sympy_nor_the_2d_layout(module: str) -> None:
    code = (
        f"import importlib, sys; importlib.import_module({module!r}); "
        "print(sorted({'sympy', 'sqlalchemy', 'quizcalc.typeset'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "[]"
