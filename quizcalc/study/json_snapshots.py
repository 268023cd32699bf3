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
from pathlib import Path

from quizcalc.study.log_kinds import ANSWER_KINDS

__all__ = ["JSON_SUFFIX", "json_snapshot_counts", "json_snapshot_place"]

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
