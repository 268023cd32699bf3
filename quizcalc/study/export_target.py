"""Whether an export can go where it is asked to, told before any work is done.

Light at import (no store): ``quizcalc export`` checks its target first, then tries the quick
path (:mod:`~quizcalc.study.export_quick`) before it would load the store.
"""

from __future__ import annotations

from pathlib import Path

from quizcalc.study.errors import use_case

__all__ = ["check_export_target"]


@use_case("export the cards")
def check_export_target(path: Path) -> None:
    """Raise :class:`~quizcalc.study.errors.ExchangeProblem` when ``path`` has no known export
    format or cannot be written: told before any work is done."""
    from quizcalc.exchange.export import writer_for
    from quizcalc.exchange.files import check_export_path

    writer_for(path)
    check_export_path(path)
