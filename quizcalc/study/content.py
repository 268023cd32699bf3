"""Content use cases: sync the Markdown folder and imported sources, import a file, export.

Part of :class:`~quizcalc.study.service.StudyService`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from quizcalc.exchange.limits import ImportLimits
from quizcalc.exchange.model import ExportOptions, ExportReport, Progress
from quizcalc.store.models import SourceRecord
from quizcalc.study.content_folder import content_folder_warning
from quizcalc.study.errors import SourceUnavailable, use_case
from quizcalc.study.export_target import check_export_target
from quizcalc.study.file_states import known_states
from quizcalc.study.media import keep_package_media, media_folder
from quizcalc.study.snapshots import SnapshotUseCases
from quizcalc.study.source_ownership import content_sources
from quizcalc.study.source_reading import SyncProgress, find_source_files, parse_source
from quizcalc.study.sync import sync_source, unchanged_cards
from quizcalc.study.views import SyncReport

__all__ = ["ContentUseCases", "check_export_target", "merge_reports"]


def merge_reports(reports: Iterable[SyncReport]) -> SyncReport:
    """Add several sync reports into one."""
    total = SyncReport()
    for r in reports:
        total = replace(
            total,
            added=total.added + r.added,
            updated=total.updated + r.updated,
            retired=total.retired + r.retired,
            unchanged=total.unchanged + r.unchanged,
            restored=total.restored + r.restored,
            problems=[*total.problems, *r.problems],
            skipped_sources=[*total.skipped_sources, *r.skipped_sources],
            histories=total.histories + r.histories,
        )
    return total


class ContentUseCases(SnapshotUseCases):
    """Bring card files into the store and write cards out to files."""

    @use_case("sync your cards")
    def sync(
        self, content: Path | None, now: datetime, progress: SyncProgress | None = None
    ) -> SyncReport:
        """Sync the content folder (if given) and every remembered imported source.

        The bundled ``content/`` folder is synced deck by deck (``bundled:<deck file>``).

        ``progress`` hears (files read, files in all) per source while files are parsed.
        """
        reports: list[SyncReport] = []
        with self.transaction() as session:
            rows = session.execute(
                select(SourceRecord.role, SourceRecord.path, SourceRecord.key)
                .where(SourceRecord.role.in_(["import", "bundled"]))
                .order_by(SourceRecord.id)
            ).all()
        missing = None if content is None else content_folder_warning(content)
        if missing is not None:
            reports.append(SyncReport(skipped_sources=[missing]))
        elif content is not None:
            known = [key for role, _, key in rows if role == "bundled"]
            for role, path in content_sources(content, known):
                reports.append(self._sync_one(role, path, now, progress))
        imports = [Path(p) for role, p, _ in rows if role == "import"]
        reports.extend(self._sync_one("import", path, now, progress) for path in imports)
        return merge_reports(reports)

    @use_case("import the file")
    def import_path(
        self,
        path: Path,
        now: datetime,
        *,
        with_progress: bool = False,
        progress: Progress | None = None,
    ) -> SyncReport:
        """Sync ``path`` now and remember it, so later starts re-sync it.

        All or nothing: a file that cannot be read leaves the store as it was and is named in
        ``skipped_sources``. ``with_progress`` also takes an Anki package's schedules and
        review log, for cards with no history here yet. ``progress`` hears (cards stored,
        cards in all). A missing path raises :class:`SourceUnavailable`.
        """
        if not path.exists():
            raise SourceUnavailable(f"{path}: no such file or folder; check the path.")
        self.snapshot("before-import", now)
        report = self._sync_one(
            "import", path, now, with_progress=with_progress, card_progress=progress, whole=True
        )
        if path.suffix.lower() in (".apkg", ".colpkg") and not report.skipped_sources:
            report.problems.extend(keep_package_media(self, path))
        return report

    @use_case("export the cards")
    def export(
        self, path: Path, options: ExportOptions, progress: Progress | None = None
    ) -> ExportReport:
        """Write the cards ``options`` selects to ``path``, in the format of its suffix.

        Raises :class:`~quizcalc.study.errors.ExchangeProblem` for an unknown format, an empty
        selection or a path that cannot be written.
        """
        from quizcalc.exchange.export import export_cards
        from quizcalc.study.anki_renderings import store_renderings
        from quizcalc.study.exchange_cards import read_exchange_cards, read_export_cards

        with self.transaction() as session:
            suffix = path.suffix.lower()
            if suffix in (".apkg", ".csv", ".tsv", ".txt"):  # the formats holding Anki HTML
                cards, fresh = read_export_cards(session, options, with_instances=suffix == ".apkg")
            else:
                cards, fresh = read_exchange_cards(session, options), []
        if fresh:  # rendered now (missing or stale): kept for the next export
            with self.transaction(write=True) as session:
                store_renderings(session, fresh)
        if options.media_dir is None:
            options = replace(options, media_dir=media_folder(self.store.url))
        return export_cards(cards, path, options, progress)

    def _sync_one(
        self,
        role: str,
        path: Path,
        now: datetime,
        progress: SyncProgress | None = None,
        *,
        with_progress: bool = False,
        card_progress: Progress | None = None,
        whole: bool = False,
    ) -> SyncReport:
        # ``whole`` (an import): a file that cannot be read at all fails the import, and the
        # path is not remembered as a source; a sync keeps such a file's cards instead.
        # Files are found and parsed before the write lock is taken, so an open review in
        # another window is held up only while the parsed cards are written.
        try:
            found = find_source_files(role, path)
            known = None  # an import reads every file; a sync only those changed since
            if not with_progress:
                with self.transaction() as session:
                    count = unchanged_cards(session, found)
                    if count is None and not whole:
                        known = known_states(session, found)
                if count is not None:
                    return SyncReport(unchanged=count)
            limits = ImportLimits.from_config(self.config)
            parsed = parse_source(found, progress, limits, known=known)
            if whole and parsed.scan.refused:
                return SyncReport(
                    skipped_sources=[f"{line} (nothing imported)" for line in parsed.scan.refused]
                )
            with self.transaction(write=True) as session:
                return sync_source(
                    session,
                    parsed,
                    now,
                    with_progress=with_progress,
                    card_progress=card_progress,
                )
        except SourceUnavailable as exc:
            return SyncReport(skipped_sources=[str(exc)])
