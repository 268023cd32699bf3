"""Snapshots of a collection that is not a SQLite file (PostgreSQL): JSON backups.

SQLite's backup API copies a collection file; a server database has no file to copy. Its
automatic snapshots are JSON backups (:func:`quizcalc.study.backup.write_backup`, the format
``quizcalc restore`` reads) written by the device that takes them (before a restore, at close
after answers, on the long-session timer) into that device's own backups folder
(:func:`quizcalc.locations.backups_dir`, where the default SQLite collection keeps its
snapshots too). Each database gets its own names there, ``<backend>_<database>-<digest>-
<when>-<reason>.json`` (the digest is of the URL without its password
or driver), so two collections
never mix their snapshots. They are listed, restored and pruned (``backups_keep``) as SQLite
snapshots are; the server's own backups (``pg_dump``) remain the learner's real safety net.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from quizcalc.study.log_kinds import ANSWER_KINDS

__all__ = [
    "JSON_SUFFIX",
    "json_snapshot_counts",
    "json_snapshot_place",
    "snapshot_before_migration",
]

JSON_SUFFIX = ".json"
"""How a JSON snapshot's file name ends."""


def json_snapshot_place(url: str) -> tuple[Path, str]:
    """The folder and the name stem of the JSON snapshots of the database at ``url``."""
    from sqlalchemy.engine import make_url

    from quizcalc.locations import backups_dir

    parsed = make_url(url)
    query = sorted((k, str(v)) for k, v in parsed.query.items())
    where = (parsed.get_backend_name(), parsed.username, parsed.host, parsed.port, query)
    digest = hashlib.sha256(repr((where, parsed.database)).encode()).hexdigest()[:8]
    name = f"{parsed.get_backend_name()}_{parsed.database or 'collection'}"
    return backups_dir(), f"{re.sub(r'[^A-Za-z0-9_]+', '_', name)}-{digest}"


def json_snapshot_counts(path: Path) -> tuple[int, int] | None:
    """(cards, answers) in the JSON backup ``path``; ``None`` when it does not read as one.

    Implicit credits and resets are rows of the log but not answers: not counted.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        cards = len(data["cards"]["rows"])
        log = data["review_log"]
        kind = log["columns"].index("kind")
        answers = sum(1 for row in log["rows"] if row[kind] in ANSWER_KINDS)
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None
    return cards, answers


def snapshot_before_migration(url: str, connection: Any, revision: str | None) -> Path:
    """Write the server database at ``url`` (schema ``revision``, read on ``connection``,
    under the migration's lock) as a ``before-migration-<revision>`` JSON snapshot; its path.

    Refuses (``StoreError``, nothing migrated) when the snapshot cannot be written.
    """
    from quizcalc.exchange.model import ExchangeError
    from quizcalc.store.errors import StoreError
    from quizcalc.store.messages import display_url
    from quizcalc.store.snapshots import free_snapshot_name
    from quizcalc.study.backup import write_backup_of_older_schema

    folder, stem = json_snapshot_place(url)
    reason = "before-migration" + (f"-{revision}" if revision else "")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = free_snapshot_name(folder, stem, datetime.now(), reason.lower(), JSON_SUFFIX)
        write_backup_of_older_schema(connection, target, revision)
    except (OSError, ExchangeError) as exc:
        raise StoreError(
            f"{display_url(url)}: its schema must be upgraded, but a backup could not be "
            f"written first to {folder} ({exc}); nothing was changed: free some space or "
            "make that folder writable."
        ) from exc
    return target
