"""The warning a missing content folder gets at start, light enough for any command.

A mistyped ``--content`` (or ``QUIZCALC_CONTENT``) must not look like lost cards: the folder
is named at start, by the sync (every start of the TUI, the commands that sync) and by the
commands that do not sync (``stats``, ``import``, ``restore``…), and its cards stay as they
were.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["content_folder_warning"]


def content_folder_warning(path: Path) -> str | None:
    """One line naming ``path`` when it does not exist (``None`` when it does)."""
    if path.expanduser().exists():
        return None
    return (
        f"{path}: the content folder does not exist, so no cards were synced from it (your "
        "cards and progress are kept); check --content or QUIZCALC_CONTENT"
    )
