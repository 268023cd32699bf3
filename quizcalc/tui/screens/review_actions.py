"""Anki's actions on the card under review: suspend, bury, flag, card info, edit; and each
grade's interval.

:class:`CardActionScreen` sits between the problem keys (:class:`ProblemReviewScreen`) and
the review screen, which calls in at four points: :meth:`~CardActionScreen.card_where` for the
header line, :meth:`~CardActionScreen.show_previews` when a card is shown,
:meth:`~CardActionScreen.undo_card_change` first thing in its undo, and
:meth:`~CardActionScreen.card_action_allowed` from ``check_action``.

Suspending and burying take the card out of today's queue and the next card shows; flagging
keeps it on screen, the flag in its header. Each change is one write through the study
service and is undone by `u` in order with the answers (Anki's undo). `e` opens the card's
Markdown file at its line in ``$VISUAL``/``$EDITOR`` while the app is suspended, then syncs
that source and shows the card as edited; a card with no Markdown file (an Anki import) opens
in the in-app editor.
"""

from __future__ import annotations

import os
import subprocess
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.widgets import Static

from quizcalc.study.card_marks import FLAG_NAMES
from quizcalc.study.errors import StudyError
from quizcalc.tui.external_editor import NoEditor, editor_command
from quizcalc.tui.screens.home import section_label
from quizcalc.tui.screens.review_problems import ProblemReviewScreen
from quizcalc.tui.widgets.flag_marker import flag_text

if TYPE_CHECKING:
    from quizcalc.study import QueuedCard
    from quizcalc.study.card_editing import EditTarget
    from quizcalc.study.card_marks import CardChange
    from quizcalc.study.service import StudyService

__all__ = ["CARD_ACTIONS", "CARD_GROUP", "CardActionScreen"]

CARD_GROUP = Binding.Group("card")
"""The card actions share one footer entry, ``e @ b f i card``, so the footer fits 80
columns; `?` and the palette list each with its description."""

CARD_ACTIONS = frozenset(
    {"suspend_card", "bury_card", "pick_flag", "toggle_flag", "card_info", "edit_card"}
)
"""The actions on the card on screen (see :meth:`CardActionScreen.card_action_allowed`)."""

_FLAG_KEYS = [
    Binding(
        f"ctrl+{n}",
        f"toggle_flag({n})",
        f"Flag {FLAG_NAMES[n]}",
        show=False,
        tooltip=f"Flag {FLAG_NAMES[n]} on or off (Anki's ctrl+{n})",
    )
    for n in range(1, 8)
]


class CardActionScreen(ProblemReviewScreen):
    """The review screen's card actions (see the module docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "e",
            "edit_card",
            "Edit",
            group=CARD_GROUP,
            tooltip="Edit this card: its file in $EDITOR, or here",
        ),
        Binding(
            "at",
            "suspend_card",
            "Suspend",
            key_display="@",
            group=CARD_GROUP,
            tooltip="Suspend this card (Anki's @); Browse unsuspends it",
        ),
        Binding(
            "b",
            "bury_card",
            "Bury",
            group=CARD_GROUP,
            tooltip="Bury this card until tomorrow (b or Anki's -)",
        ),
        Binding(
            "minus",
            "bury_card",
            "Bury",
            show=False,
            key_display="-",
            tooltip="Bury this card until tomorrow (b or Anki's -)",
        ),
        Binding(
            "f",
            "pick_flag",
            "Flag",
            group=CARD_GROUP,
            tooltip="Flag this card: f, then 1–7 or 0 to remove",
        ),
        *_FLAG_KEYS,
        Binding(
            "i",
            "card_info",
            "Info",
            group=CARD_GROUP,
            tooltip="Card info: dates, schedule, times, history",
        ),
    ]
    """Edit, suspend, bury, flag, card info (ctrl+1…7 flag directly where terminals send it)."""

    def __init__(self) -> None:
        super().__init__()
        self.card_changes: list[tuple[int, CardChange, QueuedCard]] = []
        """This sitting's undoable card changes: (answers given before it, the change, the
        card as it was shown), oldest first."""

    # --- what the review screen provides ----------------------------------------------------

    async def show_card(self, card: QueuedCard) -> None:
        """Put ``card`` on screen (the review screen's)."""
        raise NotImplementedError

    async def show_next(self) -> None:
        """Show the next card of the queue (the review screen's)."""
        raise NotImplementedError

    @property
    def study(self) -> StudyService:
        """The open study service (the session's; only used once a session is attached)."""
        service = self.quiz_app.service
        assert service is not None, "card actions run only once the session is attached"
        return service

    # --- what the review screen calls -------------------------------------------------------

    def card_where(self, card: QueuedCard) -> Text:
        """The header line: deck › section, then the card's flag in its colour."""
        where = card.deck if not card.section else f"{card.deck} › {section_label(card.section)}"
        text = Text(where)
        if card.flag:
            text.append("  ")
            text.append_text(flag_text(card.flag))
        return text

    def show_previews(self, card: QueuedCard) -> None:
        """Write on each grade key what it would give the card: ``4 · 6d right, hesitant``."""
        from quizcalc.scheduling.sm2 import Quality

        if self.session is None or self.quiz_app.service is None:
            return
        try:
            previews = self.study.grade_previews(card.key, self.quiz_app.now())
        except StudyError:
            previews = ()  # the plain legend still applies; the answer itself will say more
        shown = {p.quality: p.text for p in previews}
        for q in Quality:
            after = f" · {shown[q.value]}" if q.value in shown else ""
            self.query_one(f"#grade-{q.value}", Static).update(f"[b]{q.value}{after}[/b] {q.label}")

    def card_action_allowed(self, action: str, *, typing: bool) -> bool | None:
        """Letters type while the answer box has focus; otherwise a card and a session."""
        if typing:
            return False
        if self.card is None or self.session is None or self.pending_grade is not None:
            return None
        return True

    async def undo_card_change(self) -> bool:
        """Undo the last card change if it came after the last answer; ``True`` if one was."""
        if self.session is None or not self.card_changes:
            return False
        answers, change, card = self.card_changes[-1]
        if answers != len(self.session.answers):
            return False
        try:
            self.study.undo_card_change(change)
        except StudyError as exc:
            self.notify(str(exc), title="Cannot undo", severity="error", markup=False)
            return True
        self.card_changes.pop()
        done = {"suspend": "Suspend", "bury": "Bury", "flag": "Flag"}[change.action]
        self.notify(f"{done} undone.", timeout=2)
        if change.leaves_queue or self.card is None or self.card.key != card.key:
            await self.show_card(self._reloaded(card))
        else:
            self._set_flag_shown(change.before.flag)
        return True

    # --- the actions -------------------------------------------------------------------------

    def _reloaded(self, card: QueuedCard) -> QueuedCard:
        try:
            return self.study.card(card.key, card.reason)
        except StudyError:
            return card

    def _record(self, change: CardChange, card: QueuedCard) -> None:
        assert self.session is not None
        self.card_changes.append((len(self.session.answers), change, card))

    async def action_suspend_card(self) -> None:
        """Suspend the card on screen and go on (`u` takes it back)."""
        card = self.card
        if card is None or self.session is None:
            return
        try:
            change = self.study.suspend_card(card.key)
        except StudyError as exc:
            self.notify(str(exc), title="Not suspended", severity="error", markup=False)
            return
        self._record(change, card)
        self.notify(
            "Suspended: no more reviews until you unsuspend it in Browse. (u takes this back.)",
            title="Card suspended",
            timeout=4,
        )
        await self.show_next()

    async def action_bury_card(self) -> None:
        """Bury the card on screen until the next study day and go on (`u` takes it back)."""
        card = self.card
        if card is None or self.session is None:
            return
        try:
            change = self.study.bury_card(card.key, self.quiz_app.now())
        except StudyError as exc:
            self.notify(str(exc), title="Not buried", severity="error", markup=False)
            return
        self._record(change, card)
        self.notify("Buried until tomorrow. (u takes this back.)", title="Card buried", timeout=4)
        await self.show_next()

    def action_pick_flag(self) -> None:
        """Ask which flag (`f`, then a digit)."""
        if self.card is None or self.session is None:
            return
        from quizcalc.tui.modals.flag_picker import FlagPickerModal  # imported when first shown

        self.app.push_screen(FlagPickerModal(self.card.flag), callback=self._flag_chosen)

    async def _flag_chosen(self, flag: int | None) -> None:
        if flag is not None:
            await self.set_flag(flag)

    async def action_toggle_flag(self, flag: int) -> None:
        """Anki's ctrl+digit: set that flag, or remove it if the card has it already."""
        if self.card is not None:
            await self.set_flag(0 if self.card.flag == flag else flag)

    async def set_flag(self, flag: int) -> None:
        """Flag the card on screen (0 removes its flag); it stays on screen."""
        card = self.card
        if card is None or self.session is None or card.flag == flag:
            return
        try:
            change = self.study.flag_card(card.key, flag)
        except StudyError as exc:
            self.notify(str(exc), title="Not flagged", severity="error", markup=False)
            return
        self._record(change, card)
        self._set_flag_shown(flag)
        said = f"Flagged {FLAG_NAMES[flag]}." if flag else "Flag removed."
        self.notify(f"{said} (u takes this back.)", timeout=2)

    def _set_flag_shown(self, flag: int) -> None:
        from dataclasses import replace

        if self.card is None:
            return
        self.card = replace(self.card, flag=flag)
        self.query_one("#card-where", Static).update(self.card_where(self.card))

    def action_card_info(self) -> None:
        """Show Anki's card info for the card on screen."""
        card = self.card
        if card is None or self.session is None:
            return
        try:
            info = self.study.card_info(card.key)
        except StudyError as exc:
            self.notify(str(exc), title="No card info", severity="error", markup=False)
            return
        from quizcalc.tui.modals.card_info import CardInfoModal  # imported when first shown

        self.app.push_screen(CardInfoModal(info))

    async def action_edit_card(self) -> None:
        """Edit the card on screen: its Markdown file in the editor, or its fields here."""
        card = self.card
        if card is None or self.session is None:
            return
        service = self.study
        try:
            target = service.edit_target(card.key)
        except StudyError as exc:
            self.notify(str(exc), title="Cannot edit", severity="error", markup=False)
            return
        if target.file is None:
            from quizcalc.tui.modals.card_editor import CardEditorModal  # imported when shown

            self.app.push_screen(
                CardEditorModal(target, lambda fields: self._save_fields(target, fields)),
                callback=self._editor_closed,
            )
            return
        if not self._run_editor(target):
            return
        try:
            edited = service.resync_edited(target, self.quiz_app.now(), card.reason)
        except StudyError as exc:
            self.notify(str(exc), title="Edit not synced", severity="error", markup=False)
            return
        if edited.card is None:
            self.notify(f"{target.file.name} has no cards left: on to the next one.", timeout=4)
            await self.show_next()
            return
        self.notify(f"{target.file.name}: {edited.report.summary()}", title="Synced", timeout=4)
        await self.show_card(edited.card)

    def _run_editor(self, target: EditTarget) -> bool:
        """Hand the terminal to the editor until it exits; ``False`` if it could not run."""
        assert target.file is not None
        if not target.file.is_file():
            self.notify(
                f"{target.file}: no such file any more; sync, or restore the file",
                title="Cannot edit",
                severity="error",
                markup=False,
            )
            return False
        try:
            command = editor_command(os.environ, target.file, target.line)
        except NoEditor as exc:
            self.notify(str(exc), title="No editor", severity="error", timeout=10, markup=False)
            return False
        try:
            if self.app.is_headless:  # no terminal to hand over (tests, Textual Web)
                subprocess.run(command.argv, check=False, stdin=subprocess.DEVNULL)
            else:
                with self.app.suspend():
                    subprocess.run(command.argv, check=False)
        except OSError as exc:
            self.notify(
                f"could not run ${command.variable} ({command.argv[0]}): {exc.strerror or exc}; "
                f"set {command.variable} to your editor's command",
                title="No editor",
                severity="error",
                timeout=10,
                markup=False,
            )
            return False
        except SuspendNotSupported as exc:  # say where the card is, to edit it by hand
            self.notify(
                f"this terminal cannot hand over to an editor ({exc}); the card is at "
                f"{target.file}:{target.line}",
                title="Cannot edit here",
                severity="error",
                markup=False,
            )
            return False
        return True

    def _save_fields(self, target: EditTarget, fields: list[str]) -> bool:
        assert self.session is not None
        try:
            self.study.save_fields(target, fields, self.quiz_app.now())
        except StudyError as exc:
            self.notify(str(exc), title="Not saved", severity="error", markup=False)
            return False
        return True

    async def _editor_closed(self, saved: bool | None) -> None:
        card = self.card
        if not saved or card is None:
            return
        self.notify("Card saved.", timeout=2)
        await self.show_card(self._reloaded(card))
