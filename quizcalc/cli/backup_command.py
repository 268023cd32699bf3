"""``quizcalc restore`` and the ``.json`` case of ``quizcalc export``: full backups.

    quizcalc export backup.json            # every deck, card, schedule, review and setting
    quizcalc restore backup.json           # into an empty database
    quizcalc restore backup.json --force   # replace a database (a backup of it is kept)
    quizcalc restore backup.json --settings  # the backup's settings too (config.toml is kept)

Light at import (only click): ``quizcalc --help`` stays fast.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

import click

from quizcalc.cli.common import now, open_service, progress_bar, study_errors

if TYPE_CHECKING:
    from quizcalc.cli.common import Options

__all__ = ["export_backup", "restore"]


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def export_backup(options: Options, path: Path) -> None:
    """``quizcalc export PATH.json``: write a full backup of the store and the settings.

    The database is read as it is (no sync first). A folder that is missing or read-only is
    one line naming ``path``, told before the database is opened; the file appears only once
    complete.
    """
    from quizcalc.study.backup_use_cases import check_backup_target

    with study_errors():
        check_backup_target(path)
    with (
        open_service(options, sync=False) as service,
        study_errors(),
        progress_bar("backing up") as progress,
    ):
        report = service.export_backup(path, progress)
    click.echo(f"{report.summary()} ({_size(report.size)})")


@click.command("restore")
@click.argument("file", type=click.Path(path_type=Path), metavar="FILE")
@click.option(
    "--force",
    is_flag=True,
    help="Replace a database that is not empty (a backup of it is written first).",
)
@click.option(
    "--settings",
    "with_settings",
    is_flag=True,
    help="Also restore the backup's settings into the settings file (a copy of the old file, "
    "config.toml.bak-<time>, is kept and named).",
)
@click.pass_obj
def restore(options: Options, file: Path, force: bool, with_settings: bool) -> None:
    """Restore a backup written by `quizcalc export FILE.json`.

    Every deck, card, schedule and review comes back. The settings file is shared by every
    database, so it is left alone unless --settings is given (then the old file is copied
    aside first). The database must be empty unless --force is given: then the current
    database is first backed up (the path is printed) and replaced. A restore is all or
    nothing: if it fails, nothing changes.
    """
    from quizcalc.locations import config_path
    from quizcalc.study.backup import read_backup, restore_limits

    with study_errors():
        limits = restore_limits(config_path(options.config))
        backup = read_backup(file, limits)  # a bad file is told before the database is opened
    with (
        open_service(options, sync=False) as service,
        study_errors(),
        ExitStack() as saving_bar,
        progress_bar("restoring") as progress,
    ):
        saving = saving_bar.enter_context(progress_bar("saving the current database"))

        def saved(path: Path) -> None:
            saving_bar.close()  # the bar ends before the line and the restore's own bar
            click.echo(f"saved the current database to {path}")

        report = service.restore_backup(
            backup,
            now=now(),
            force=force,
            progress=progress,
            settings_file=config_path(options.config),
            write_settings=with_settings,
            saving_progress=saving,
            saved=saved,
        )
    click.echo(report.summary())
    settings = report.settings_summary()
    if settings is not None:
        click.echo(settings)
