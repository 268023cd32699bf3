"""The headless core is a contract (harlequin-style): checked in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PURE_CORE = ["quizcalc.cards", "quizcalc.scheduling", "quizcalc.scheduling.sm2"]
NO_TEXTUAL = [
    *PURE_CORE,
    "quizcalc.store",
    "quizcalc.store.engine",
    "quizcalc.study",
    "quizcalc.study.service",
    "quizcalc.cli.main",
    "quizcalc.exchange",
    "quizcalc.study.exchange_cards",
    "quizcalc.exchange.export",
    "quizcalc.exchange.imports",
]
FAST_PATH = [
    "quizcalc.study.first_card",
    "quizcalc.study.queue",
    "quizcalc.config",
    "quizcalc.locations",
    "quizcalc.problems",
    "quizcalc.problems.catalog",
    "quizcalc.grading",
]


def _loaded_after_import(module: str) -> set[str]:
    code = (
        "import importlib, json, sys\n"
        f"importlib.import_module({module!r})\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return set(json.loads(out.stdout))


def _top_level(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


@pytest.mark.parametrize("module", NO_TEXTUAL)
def test_core_and_study_never_import_textual(module: str) -> None:
    assert "textual" not in _top_level(_loaded_after_import(module))


@pytest.mark.parametrize("module", PURE_CORE)
def test_pure_core_never_imports_sqlalchemy_or_sympy(module: str) -> None:
    loaded = _top_level(_loaded_after_import(module))
    assert not loaded & {"sqlalchemy", "sympy", "alembic", "textual"}


@pytest.mark.parametrize("module", FAST_PATH)
def test_first_card_path_stays_off_sqlalchemy_sympy_and_alembic(module: str) -> None:
    loaded = _top_level(_loaded_after_import(module))
    assert not loaded & {"sqlalchemy", "sympy", "alembic"}


def test_exchange_formats_load_their_libraries_only_when_used() -> None:
    """genanki, the anki library and zstandard stay out of the store, study and CLI imports."""
    for module in ("quizcalc.exchange", "quizcalc.study.service", "quizcalc.cli.main"):
        loaded = _top_level(_loaded_after_import(module))
        assert not loaded & {"genanki", "anki", "zstandard"}, module
