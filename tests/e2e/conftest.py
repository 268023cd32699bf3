"""What every end-to-end test shares: the real command and an isolated environment."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

QUIZCALC = str(Path(sys.executable).parent / "quizcalc")
"""The console script installed in the test's virtual environment."""


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The process environment with home, data, config and database in the test's folder."""
    return {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "QUIZCALC_DB": str(tmp_path / "q.sqlite3"),
        "TERM": "xterm-256color",
        "COLUMNS": "100",
    }
