"""Full JSON backups, the database side: read every table in order, restore them all at once.

The file format lives in :mod:`quizcalc.exchange.backup_format` and
:mod:`quizcalc.exchange.backup_reader`, which know nothing of the database. This module tells
them what the tables are (:func:`backup_layout`, plain data built from the store's models) and
moves rows between a session and the file. The use cases built on it are
:class:`~quizcalc.study.backup_use_cases.BackupUseCases`.

Writing streams rows from the database sorted by primary key (on SQLite as the stored text,
:mod:`quizcalc.study.backup_rows_out`). Reading checks every row of the file before anything
is written, keeping only where each table's rows start; restoring reads them again in batches
and inserts them inside the caller's transaction (on SQLite through the driver's
``executemany``, :mod:`quizcalc.study.backup_loading`, with the lookup indexes rebuilt once at
the end), so a failure half-way leaves the store as it was. Measured on the heavy collection
(50,000 cards, 1,000,000 reviews, a 184.5 MB file; ``benchmarks/backup.py``): a backup takes
~9 s of CPU within ~85 MB, a restore ~18.5 s of CPU within ~80 MB (was ~50 s and ~420 MB).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    Float,
    Integer,
    String,
    Table,
    delete,
    func,
    insert,
    inspect,
    select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from quizcalc.config import SettingError, validate_settings
from quizcalc.exchange.backup_format import (
    CHUNK,
    Backup,
    BackupColumn,
    BackupLayout,
    BackupReport,
    BackupTableLayout,
    BadValue,
    ColumnKind,
    converters,
    write_backup_file,
)
from quizcalc.exchange.backup_reader import read_backup_file
from quizcalc.exchange.limits import ImportLimits
from quizcalc.exchange.model import ExchangeError, Progress
from quizcalc.store.bulk_load import (
    catch_up_sequences,
    drop_lookup_indexes,
    refresh_statistics,
    restore_indexes,
)
from quizcalc.store.models import Base, UTCDateTime, derived_source_key
from quizcalc.store.schema_version import HEAD_REVISION
from quizcalc.study.backup_loading import fast_loader
from quizcalc.study.backup_rows_out import stored_chunks
from quizcalc.study.batches import batches
from quizcalc.study.errors import ExchangeProblem, use_case

__all__ = [
    "BACKUP_TABLES",
    "backup_layout",
    "count_rows",
    "holds_data",
    "read_backup",
    "restore_limits",
    "restore_rows",
    "write_backup",
]

BACKUP_TABLES: dict[str, str] = {
    "collection_settings": "collection_settings",
    "decks": "decks",
    "deck_options": "deck_options",
    "sources": "sources",
    "note_types": "note_types",
    "cards": "cards",
    "schedules": "schedule",
    "review_log": "review_log",
    "anki_revlog_extra": "anki_revlog_extra",
}
"""JSON key → database table, in insert order (parents before the rows that refer to them)."""

TABLES_SINCE: dict[str, str] = {
    "note_types": "0007",
    "anki_revlog_extra": "0008",
    "collection_settings": "0009",
    "deck_options": "0009",
}
"""Tables added after the first backup format: a backup of an older schema has none."""


def _table(key: str) -> Table:
    return Base.metadata.tables[BACKUP_TABLES[key]]


def _kind(column: Column[Any]) -> ColumnKind:
    kind = column.type
    if isinstance(kind, UTCDateTime):
        return "datetime"
    if isinstance(kind, Date):
        return "date"
    if isinstance(kind, Float):
        return "float"
    if isinstance(kind, Integer):
        return "integer"
    if isinstance(kind, String):
        return "string"
    raise TypeError(f"no backup kind for {column}")  # pragma: no cover - a new column type


def _has_default(column: Column[Any]) -> bool:
    return bool(column.nullable or column.default is not None or column.server_default)


@functools.cache
def backup_layout() -> BackupLayout:
    """The backed-up tables as the file format sees them: keys, columns, kinds, schema."""
    tables = tuple(
        BackupTableLayout(
            key=key,
            columns=tuple(
                BackupColumn(
                    name=column.name,
                    kind=_kind(column),
                    nullable=bool(column.nullable),
                    required=not _has_default(column),
                )
                for column in _table(key).columns
            ),
            since=TABLES_SINCE.get(key, ""),
        )
        for key in BACKUP_TABLES
    )
    return BackupLayout(schema=HEAD_REVISION, tables=tables)


def count_rows(session: Session) -> dict[str, int]:
    """Rows in each backed-up table of the store, by JSON key (all zero: an empty store)."""
    return {
        key: session.execute(select(func.count()).select_from(_table(key))).scalar_one()
        for key in BACKUP_TABLES
    }


def holds_data(counts: Mapping[str, int]) -> bool:
    """Whether a store with these row counts (:func:`count_rows`) holds anything a restore
    would lose: every collection has settings, which alone do not count."""
    return any(count for key, count in counts.items() if key != "collection_settings")


def write_backup(
    session: Session,
    path: Path,
    settings: Mapping[str, Any],
    progress: Progress | None = None,
) -> BackupReport:
    """Write every table of the store and ``settings`` to ``path``, atomically.

    The file appears only once complete; a missing or read-only folder is an
    ``ExchangeError`` naming ``path``. ``progress`` hears (rows written, rows in all).
    """
    total = sum(count_rows(session).values())
    done = 0

    def written(rows: int) -> None:
        nonlocal done
        done += rows
        if progress is not None:
            progress(done, total)

    def rows(table: BackupTableLayout) -> Iterator[Sequence[Sequence[Any]]]:
        source = _table(table.key)
        fast = stored_chunks(session.connection(), source, table)
        if fast is not None:  # SQLite: its stored text, not SQLAlchemy objects
            yield from fast
            return
        statement = select(source).order_by(*source.primary_key.columns)
        result = session.execute(statement, execution_options={"yield_per": CHUNK})
        yield from result.partitions(CHUNK)

    if progress is not None:
        progress(0, total)
    return write_backup_file(path, backup_layout(), settings, rows, written)


def restore_limits(config_file: Path) -> ImportLimits:
    """The caps on a restored backup the settings in ``config_file`` set (``restore_max_*``;
    a restore reads its backup first).

    A settings file that cannot be read raises :class:`~quizcalc.study.errors.StudyError`.
    """
    from quizcalc.study.settings import read_settings

    return ImportLimits.for_restore(read_settings(config_file))


@use_case("read the backup")
def read_backup(path: Path, limits: ImportLimits | None = None) -> Backup:
    """Read and check the backup at ``path``, its settings included; nothing is written.

    A file past ``limits`` (the restore caps, ``restore_max_*``; their defaults when not
    given) is refused.

    Raises :class:`~quizcalc.study.errors.ExchangeProblem` with one line naming ``path`` and
    what is wrong (see :func:`quizcalc.exchange.backup_reader.read_backup_file`), or which
    setting is bad.
    """
    backup = read_backup_file(path, backup_layout(), limits or ImportLimits.for_restore())
    try:
        validate_settings(backup.settings)
    except SettingError as exc:
        raise ExchangeError(f"{path}: settings: {exc}") from exc
    return backup


def _as_dicts(columns: Iterable[str], rows: Iterable[list[Any]]) -> list[dict[str, Any]]:
    names = tuple(columns)
    return [dict(zip(names, row, strict=True)) for row in rows]


def _one_source_per_key(
    columns: Sequence[str], rows: Iterable[list[Any]]
) -> tuple[Iterator[list[Any]], dict[int, int]]:
    """A backup written before source keys (0005): the first row of each derived key, and
    where each later one's cards go (two first starts at once could add a second row). Its
    content rows merge into the first, as migration 0006 merges them: then there was one
    content folder, and the others' rows were left over from folders it moved from."""
    role, path, key = columns.index("role"), columns.index("path"), columns.index("id")
    kept: dict[str, int] = {}
    merged: dict[int, int] = {}
    rows_kept: list[list[Any]] = []
    for row in rows:
        source_key = (
            "content"
            if row[role] == "content"
            else derived_source_key(str(row[role]), str(row[path]))
        )
        if source_key in kept:
            merged[row[key]] = kept[source_key]
        else:
            kept[source_key] = row[key]
            rows_kept.append(row)
    return iter(rows_kept), merged


def _content_keyed_by_path(
    columns: Sequence[str], rows: Iterable[list[Any]]
) -> Iterator[list[Any]]:
    """A backup written before schema 0013: its content row, keyed ``content``, gets the key
    ``content:<path>`` (a content folder is a source of its own per path now)."""
    path, key = columns.index("path"), columns.index("key")
    for row in rows:
        if row[key] == "content":
            row[key] = f"content:{row[path]}"
        yield row


def _repointed(
    columns: Sequence[str], rows: Iterable[list[Any]], merged: Mapping[int, int]
) -> Iterator[list[Any]]:
    source = columns.index("source_id")
    for row in rows:
        if row[source] in merged:
            row[source] = merged[row[source]]
        yield row


CACHE_TABLES = ("card_renderings", "source_files")
"""Tables a sync fills from the files (never backed up): a restored collection re-syncs, so a
restore empties them, before the rows they would otherwise be cascade-deleted with."""


def _raw_rows(backup: Backup, key: str) -> Iterator[list[Any]]:
    for chunk in backup.tables[key].chunks():
        yield from chunk


def _insert_chunk(session: Session, table: Table, columns: Sequence[str]) -> Any:
    """What puts one chunk of JSON rows of ``table`` in: the driver's ``executemany`` on
    SQLite (:mod:`quizcalc.study.backup_loading`), SQLAlchemy's ``insert`` elsewhere."""
    layout = next(t for t in backup_layout().tables if BACKUP_TABLES[t.key] == table.name)
    kinds = layout.columns_named(columns)
    defaults = [c for c in table.columns if c.name not in columns and c.default is not None]
    fast = None if defaults else fast_loader(session.connection(), table, kinds)
    if fast is not None:  # (a column the file lacks may need its default computed: slowly)
        return lambda rows: fast(session.connection(), rows)
    convert_all = converters(kinds)

    def insert_slowly(rows: list[list[Any]]) -> None:
        values = [[convert(v) for convert, v in zip(convert_all, row, strict=True)] for row in rows]
        session.execute(insert(table), _as_dicts(columns, values))

    return insert_slowly


def restore_rows(
    session: Session,
    backup: Backup,
    progress: Progress | None = None,
    *,
    replace: bool = False,
) -> dict[str, int]:
    """Put ``backup``'s rows into the store, inside the caller's transaction; rows per table.

    With ``replace`` the store's rows are deleted first; otherwise it must be empty (the
    caller checks; :func:`holds_data`) and only its collection settings are replaced. The
    sync caches (:data:`CACHE_TABLES`) are emptied either way. A row the database refuses (a
    broken link, a duplicate key) raises :class:`~quizcalc.study.errors.ExchangeProblem`
    naming the file, table and rows; the caller's rollback then leaves the store as it was.
    Other database errors (a lock, a full disk) leave as they came, for the transaction to
    report. ``progress`` hears (rows restored, rows in all). A backup written before source
    keys (schema 0005) gets them derived, its rows sharing a key merged into the first (their
    cards follow it); one written before 0013 has its content row keyed by its path.

    The tables' lookup indexes are dropped while the rows go in and made again at the end
    (:mod:`quizcalc.store.bulk_load`), all inside the transaction.
    """
    total = backup.rows
    done = 0
    if progress is not None:
        progress(0, total)
    where = "deleting the current rows"
    connection = session.connection()
    try:
        indexes = drop_lookup_indexes(connection, [*BACKUP_TABLES.values(), *CACHE_TABLES])
        for name in CACHE_TABLES:
            session.execute(delete(Base.metadata.tables[name]))
        if replace:
            for key in reversed(BACKUP_TABLES):
                session.execute(delete(_table(key)))
        else:  # an empty store still has its settings: the backup's take their place
            session.execute(delete(_table("collection_settings")))
        merged: dict[int, int] = {}
        for key in BACKUP_TABLES:
            part = backup.tables[key]
            table = _table(key)
            rows = _raw_rows(backup, key)
            if key == "sources" and "key" not in part.columns:
                rows, merged = _one_source_per_key(part.columns, rows)
            elif key == "sources":
                rows = _content_keyed_by_path(part.columns, rows)
            elif key == "cards" and merged:
                rows = _repointed(part.columns, rows, merged)
            insert_chunk = _insert_chunk(session, table, part.columns)
            for start, chunk in enumerate(batches(rows, CHUNK)):
                first = start * CHUNK + 1
                where = f'table "{key}", rows {first}–{first + len(chunk) - 1}'
                insert_chunk(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
        where = "rebuilding the indexes"
        restore_indexes(connection, indexes)
        catch_up_sequences(connection, BACKUP_TABLES.values())  # PostgreSQL: new ids come after
        refresh_statistics(connection, BACKUP_TABLES.values())  # and its planner knows the rows
    except (IntegrityError, DataError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise ExchangeProblem(
            f"{backup.path}: cannot restore ({where}: {reason}); the database was left unchanged"
        ) from exc
    except BadValue as exc:  # the file changed between reading and restoring
        raise ExchangeProblem(
            f"{backup.path}: cannot restore ({where}: expected {exc}); "
            "the database was left unchanged"
        ) from exc
    return {key: backup.count(key) for key in BACKUP_TABLES}


def write_backup_of_older_schema(
    connection: Connection, path: Path, revision: str | None
) -> BackupReport:
    """Write the store at schema ``revision`` (older than the models) to ``path``, as a
    backup of that schema: the tables and columns it has, so a migration's snapshot is taken
    before the migration. No settings (the device's stay in its settings file)."""
    present = set(inspect(connection).get_table_names())
    tables = []
    for table in backup_layout().tables:
        source = _table(table.key)
        if source.name not in present:
            continue
        names = {column["name"] for column in inspect(connection).get_columns(source.name)}
        columns = tuple(column for column in table.columns if column.name in names)
        tables.append(dataclasses.replace(table, columns=columns))
    layout = BackupLayout(schema=revision or "", tables=tuple(tables))
    by_key = {table.key: table for table in tables}

    def rows(table: BackupTableLayout) -> Iterator[Sequence[Sequence[Any]]]:
        source = _table(table.key)
        chosen = [source.c[column.name] for column in by_key[table.key].columns]
        statement = select(*chosen).order_by(*source.primary_key.columns)
        result = connection.execute(statement, execution_options={"yield_per": CHUNK})
        yield from result.partitions(CHUNK)

    return write_backup_file(path, layout, {}, rows)
