"""The collection's media folder: the image and sound files its Anki cards show.

An Anki package's cards keep their media references (``![](cat.jpg)``, ``[sound:a.mp3]``);
importing the package copies its files into ``media/`` beside the collection's database, and
an ``.apkg`` export puts the files its cards name back into the package.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from quizcalc.exchange.limits import ImportLimits
from quizcalc.exchange.model import ExchangeError
from quizcalc.store.messages import sqlite_path

if TYPE_CHECKING:
    from quizcalc.study.collection_base import CollectionAccess

__all__ = ["keep_package_media", "media_folder"]


def media_folder(url: str) -> Path | None:
    """``media/`` beside the SQLite file of ``url``; None for another kind of database."""
    database = sqlite_path(url)
    return None if database is None else database.parent / "media"


def keep_package_media(service: CollectionAccess, package: Path) -> list[str]:
    """Copy ``package``'s media files into the collection's media folder.

    Returns report lines: none when all went well, else one saying what was not kept.
    """
    from quizcalc.exchange.apkg_media import copy_package_media

    folder = media_folder(service.store.url)
    if folder is None:
        return [f"{package}: media files not kept (the collection is not a SQLite file)"]
    try:
        copy_package_media(package, folder, ImportLimits.from_config(service.config))
    except (OSError, ExchangeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        return [
            f"{package}: media files not copied to {folder} ({reason}); the cards keep"
            " their references"
        ]
    return []
