"""``quizcalc sync`` when nothing changed, told with the stdlib ``sqlite3`` driver.

Importing SQLAlchemy and the whole study service costs several times what comparing the
files' stamps does, and "nothing changed" is the usual answer. :func:`unchanged_quickly`
compares each source's files with the stamp its last sync left (read-only, as
:meth:`~quizcalc.study.content.ContentUseCases.sync` first does) and counts the cards; it
returns ``None`` whenever the real sync has something to do or to say (a change, a missing
folder, an older schema, settings to adopt or warn about, another database, any error).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from quizcalc.config import ConfigError
from quizcalc.locations import bundled_content_dir
from quizcalc.study.collection_values import read_stored_settings
from quizcalc.study.content_folder import content_folder_warning
from quizcalc.study.errors import StudyError
from quizcalc.study.source_reading import find_source_files
from quizcalc.study.sqlite_peek import open_current, runner, settings_file_decides_nothing

__all__ = ["sync_would_change_nothing", "unchanged_quickly"]


def _sources(content: Path | None, bundled_keys: set[str]) -> list[tuple[str, Path, str]] | None:
    """(role, path, key) of the content folder's sources; None when a sync must sort them out
    (a missing folder, a bundled deck no longer shipped)."""
    if content is None:
        return []
    if content_folder_warning(content) is not None:
        return None
    folder = content.expanduser().resolve()
    bundled = bundled_content_dir().resolve()
    if folder != bundled:
        return [("content", folder, f"content:{folder}")]
    from quizcalc.cards.lint import find_card_files

    shipped = [
        ("bundled", file, f"bundled:{file.relative_to(bundled).as_posix()}")
        for file in find_card_files(folder)
    ]
    if bundled_keys - {key for _, _, key in shipped}:
        return None
    return shipped


def _unchanged(
    connection: sqlite3.Connection, content: Path | None, config_file: Path
) -> int | None:
    stored = read_stored_settings(runner(connection))
    if stored.empty or stored.problems:
        return None  # the real open adopts or reports them
    if not settings_file_decides_nothing(config_file):
        return None  # the file may set what the collection decides: the real open says so
    rows = connection.execute(
        "SELECT id, role, path, key, fingerprint FROM sources ORDER BY id"
    ).fetchall()
    by_key = {key: (key_id, stamp) for key_id, _, _, key, stamp in rows}
    bundled = bundled_content_dir().resolve()
    if any(role == "content" and Path(path).resolve() == bundled for _, role, path, _, _ in rows):
        return None  # an old collection's bundled cards: the real sync moves them
    sources = _sources(content, {key for _, role, _, key, _ in rows if role == "bundled"})
    if sources is None:
        return None
    sources += [("import", Path(path), key) for _, role, path, key, _ in rows if role == "import"]
    total = 0
    for role, path, key in sources:
        found = find_source_files(role, path)
        if role == "import" and f"import:{found.path}" != key:
            return None
        row = by_key.get(key)
        if row is None or row[1] != found.stamp:
            return None
        count = connection.execute(
            "SELECT COUNT(*) FROM cards WHERE source_id = ? AND status != 'retired'", (row[0],)
        ).fetchone()
        total += int(count[0])
    return total


def unchanged_quickly(url: str, content: Path | None, config_file: Path) -> int | None:
    """The active cards of every source the sync of ``content`` (and the imports) covers,
    when all their files are as last synced; None when the real sync must run."""
    connection = open_current(url)
    if connection is None:
        return None
    try:
        return _unchanged(connection, content, config_file)
    except (sqlite3.Error, OSError, ConfigError, StudyError):
        return None
    finally:
        connection.close()


def sync_would_change_nothing(
    connection: sqlite3.Connection, content: Path | None, config_file: Path
) -> list[str] | None:
    """What the sync a command starts with would print, when it would change nothing: no line,
    or the one naming a content folder that does not exist (whose cards it leaves as they are,
    syncing only the imports); None when the real sync must run. ``connection`` comes from
    :func:`~quizcalc.study.sqlite_peek.open_current` (the caller's own, still open after)."""
    missing = None if content is None else content_folder_warning(content)
    try:
        cards = _unchanged(connection, None if missing else content, config_file)
    except (sqlite3.Error, OSError, ConfigError, StudyError):
        return None
    if cards is None:
        return None
    return [missing] if missing else []
