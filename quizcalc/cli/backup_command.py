"""``quizcalc restore`` and the ``.json`` case of ``quizcalc export``: full backups.

    quizcalc export backup.json            # every deck, card, schedule, review and setting
    quizcalc restore backup.json           # into an empty database
    quizcalc restore backup.json --force   # replace a database (a backup of it is kept)

Light at import (only click): ``quizcalc --help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from quizcalc.cli.common import UserError, now, open_service, progress_bar

if TYPE_CHECKING:
    from quizcalc.cli.common import Options
    from quizcalc.config import Config
    from quizcalc.exchange.backup import Backup

__all__ = ["automatic_backup_path", "export_backup", "restore"]


@contextmanager
def _backup_errors(url: str = "") -> Iterator[None]:
    """Every failure of a backup or restore as one line, never a traceback."""
    from sqlalchemy.exc import SQLAlchemyError

    from quizcalc.exchange.model import ExchangeError
    from quizcalc.store.engine import describe_db_error

    try:
        yield
    except ExchangeError as exc:
        raise UserError(str(exc)) from exc
    except SQLAlchemyError as exc:  # e.g. locked by another quizcalc at commit time
        raise UserError(describe_db_error(url, exc)) from exc


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def export_backup(options: Options, path: Path) -> None:
    """``quizcalc export PATH.json``: write a full backup of the store and the settings.

    The database is read as it is (no sync first). A folder that is missing or read-only is
    one line naming ``path``; the file appears only once complete.
    """
    from quizcalc.exchange.backup import write_backup
    from quizcalc.exchange.files import check_export_path

    with _backup_errors():
        check_export_path(path)  # told before the database is opened
    with (
        open_service(options, sync=False) as service,
        _backup_errors(service.store.url),
        progress_bar("backing up") as progress,
        service.store.transaction() as session,
    ):
        report = write_backup(session, path, asdict(service.config), progress)
    click.echo(f"{report.summary()} ({_size(report.size)})")


def automatic_backup_path(when: Any) -> Path:
    """Where ``restore --force`` keeps the database it replaces (``when``: a datetime)."""
    from quizcalc.locations import backups_dir

    return backups_dir() / f"before-restore-{when:%Y%m%d-%H%M%S}.json"


@click.command("restore")
@click.argument("file", type=click.Path(path_type=Path), metavar="FILE")
@click.option(
    "--force",
    is_flag=True,
    help="Replace a database that is not empty (a backup of it is written first).",
)
@click.pass_obj
def restore(options: Options, file: Path, force: bool) -> None:
    """Restore a backup written by `quizcalc export FILE.json`.

    Every deck, card, schedule and review comes back with its settings. The database must be
    empty unless --force is given: then the current database is first backed up (the path is
    printed) and replaced. A restore is all or nothing: if it fails, nothing changes.
    """
    from quizcalc.exchange.backup import count_rows, read_backup, restore_backup, write_backup

    with _backup_errors():
        backup = read_backup(file)  # a bad file is told before the database is opened
    with open_service(options, sync=False) as service, _backup_errors(service.store.url):
        where = service.store.url.removeprefix("sqlite:///")
        with service.store.transaction() as session:
            existing = count_rows(session)
            if any(existing.values()) and not force:
                raise UserError(
                    f"{file}: not restored: the database {where} already holds "
                    f"{_count(existing['cards'], 'card')} and "
                    f"{_count(existing['review_log'], 'review')}; "
                    "pass --force to replace it (a backup of it is written first)"
                )
            if any(existing.values()):
                saved = automatic_backup_path(now())
                try:
                    saved.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise UserError(
                        f"{saved}: cannot create the backups folder ({exc.strerror}); "
                        "nothing was restored"
                    ) from exc
                with progress_bar("saving the current database") as progress:
                    write_backup(session, saved, asdict(service.config), progress)
                click.echo(f"saved the current database to {saved}")
            with progress_bar("restoring") as progress:
                report = restore_backup(session, backup, progress, replace=force)
        click.echo(report.summary())
        _restore_settings(options, backup, service.config)


def _restore_settings(options: Options, backup: Backup, current: Config) -> None:
    """Write the backup's settings to the config file (after the database was restored)."""
    from quizcalc.config import save_config, validate_settings
    from quizcalc.locations import config_path

    path = config_path(options.config)
    if not backup.settings:
        click.echo(f"settings: none in the backup; {path} left as it was")
        return
    wanted = validate_settings(backup.settings)
    if wanted == current:
        click.echo(f"settings: unchanged ({path})")
        return
    try:
        save_config(wanted, path)
    except OSError as exc:
        raise UserError(
            f"{path}: the database was restored, but the settings could not be written "
            f"({exc.strerror or exc}); set them again with the settings screen"
        ) from exc
    click.echo(f"settings: restored to {path}")
