"""Export and import from inside the app (the command palette's "Export cards…" and
"Import cards…"), as ``quizcalc export`` and ``quizcalc import`` do from the shell.

Each asks for a path (:class:`~quizcalc.tui.modals.path_prompt.PathPrompt`), does the work in a
thread worker (a big package takes seconds) and says what it did in one notification; a path
that cannot be used is one error line naming it, and nothing is changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import work

from quizcalc.tui.bug_reports import report_bug
from quizcalc.tui.navigation import AppNavigation

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

__all__ = ["ExchangeActions"]

_EXPORT_ABOUT = (
    "Write every card to a file; its suffix picks the format: .apkg (Anki), .csv or .tsv "
    "(Anki text), .md (Markdown), or .json (a full backup, progress and settings included)."
)
_IMPORT_ABOUT = (
    "Add the cards of a Markdown file or folder, an Anki text file (.csv/.tsv), an .apkg or a "
    ".colpkg. The source is re-synced at every start; a file that cannot be read changes "
    "nothing."
)


class ExchangeActions(AppNavigation):
    """The export and import actions of the app."""

    def action_export_cards(self) -> None:
        """Ask where to, then export every card (a ``.json`` path: a full backup)."""
        if self._service_or_explain() is None:
            return
        from quizcalc.tui.modals.path_prompt import PathPrompt

        prompt = PathPrompt("Export cards", _EXPORT_ABOUT, placeholder="~/quizcalc-cards.apkg")
        self.push_screen(prompt, self._export_to)

    def action_import_cards(self) -> None:
        """Ask what from, then import it (remembered as a source, re-synced at each start)."""
        if self._service_or_explain() is None:
            return
        from quizcalc.tui.modals.path_prompt import PathPrompt

        prompt = PathPrompt("Import cards", _IMPORT_ABOUT, placeholder="~/Downloads/deck.apkg")
        self.push_screen(prompt, self._import_from)

    def _export_to(self, path: Path | None) -> None:
        if path is not None:
            self.export_cards(path)

    def _import_from(self, path: Path | None) -> None:
        if path is not None:
            self.import_cards(path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="exchange")
    def export_cards(self, path: Path) -> None:
        """Write the cards (or the backup) to ``path``; notify the summary or the error."""
        from quizcalc.exchange.model import ExportOptions
        from quizcalc.study.backup_use_cases import check_backup_target
        from quizcalc.study.errors import StudyError
        from quizcalc.study.export_target import check_export_target

        service = self.service
        if service is None:
            return
        try:
            if path.suffix.lower() == ".json":
                check_backup_target(path)
                summary = service.export_backup(path).summary()
            else:
                check_export_target(path)
                summary = service.export(path, ExportOptions()).summary()
        except StudyError as exc:
            self._tell(str(exc), "Not exported", "error")
            return
        except Exception as exc:  # a bug: reported, and the app goes on
            report_bug(self, exc, f"exporting to {path}")
            return
        self._tell(summary, "Exported", "information")

    @work(thread=True, exclusive=True, exit_on_error=False, group="exchange")
    def import_cards(self, path: Path) -> None:
        """Import ``path``; notify the summary (or what was skipped) and refresh the counts."""
        from quizcalc.study.errors import StudyError

        service = self.service
        if service is None:
            return
        try:
            report = service.import_path(path, self.now())
        except StudyError as exc:
            self._tell(str(exc), "Not imported", "error")
            return
        except Exception as exc:  # a bug: reported, and the app goes on
            report_bug(self, exc, f"importing {path}")
            return
        if report.skipped_sources:
            self._tell("; ".join(report.skipped_sources), "Not imported", "error")
            return
        message = f"{path}: {report.summary()}"
        if report.problems:
            message += f"\n{len(report.problems)} problem(s), first: {report.problems[0]}"
        self._tell(message, "Imported", "information")
        self.call_from_thread(self.home_screen.refresh_summary)

    def _tell(self, message: str, title: str, severity: SeverityLevel) -> None:
        self.call_from_thread(
            self.notify, message, title=title, severity=severity, markup=False, timeout=8
        )
