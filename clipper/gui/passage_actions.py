"""Passages in the window: highlight and annotate the reader's selection, the panel of
the clip's passages, the view of all of them, and the clip's versions.

Writes are operations like every other (`window.ops.run_op`); reads of the passages go
through the read pool. A passage write names its clip in `Changes.passages`, not in
`Changes.clips`: the reader keeps its text and scroll position, and this class (which
subscribes to the broadcast) reads that clip's passages again and redraws them. The
sidebar refreshes from the same `Changes` when a passage's tags changed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QTextCursor
from PySide6.QtWidgets import QMenu

from clipper.errors import NotFoundError
from clipper.gui.all_passages import AllPassagesDialog
from clipper.gui.highlight import COLORS
from clipper.gui.operations import Op
from clipper.gui.passages_panel import PassageDialog, PassagesPanel, swatch
from clipper.gui.versions_dialog import VersionsDialog
from clipper.library.types import Changes, PassageInfo

if TYPE_CHECKING:
    from clipper.gui.mainwindow import MainWindow


class PassageActions(QObject):
    """Owns the passage actions, the panel dock and the dialogs of one window."""

    passages_loaded = Signal(int)
    """A clip id, after its passages are drawn and listed (tests wait for it)."""
    written = Signal(object)
    """The `PassageInfo` a write returned (tests wait for it)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.reader = window.reader
        self.actions: dict[str, QAction] = {}
        self._seq = 0
        self.dialog: PassageDialog | None = None
        self.all_dialog: AllPassagesDialog | None = None
        self.versions_dialog: VersionsDialog | None = None
        self._go_to_after_load: int | None = None

        self.panel = PassagesPanel(window)
        # Three passages high at first, not one and a half.
        window.add_panel(self.panel, self.panel.preferred_height())

        self.panel.activated.connect(self.go_to)
        self.panel.edit_requested.connect(self.edit)
        self.panel.delete_requested.connect(self.delete)
        window.reader_loaded.connect(self.load)
        window.ops.operation_did_execute.connect(self.on_changes)
        self.reader.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.reader.customContextMenuRequested.connect(self._context_menu)

    # --- actions and menus --------------------------------------------------------------

    def _action(
        self, name: str, text: str, slot: Callable[[], object], keys: Sequence[str] = ()
    ) -> QAction:
        action = QAction(text, self.window)
        if keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)
        self.actions[name] = action
        return action

    def install(self) -> None:
        a = self._action
        a("highlight", "&Highlight", lambda: self.highlight(), ["Ctrl+H"])
        a("annotate", "&Annotate…", self.annotate_dialog, ["Ctrl+Shift+H"])
        a("all", "All &Passages…", self.show_all, ["Ctrl+Shift+A"])
        a("versions", "&Versions…", self.show_versions)
        menus = self.window.menus
        menus["clip"].addSeparator()
        for name in ("highlight", "annotate", "versions"):
            menus["clip"].addAction(self.actions[name])
        view = menus["view"]
        view.addAction(self.actions["all"])
        toggle = self._action("panel", "Passages &Panel", lambda: None)
        toggle.setCheckable(True)
        toggle.setChecked(True)
        toggle.toggled.connect(self.panel.setVisible)
        view.addAction(toggle)

    def color_menu(self, parent: QMenu) -> QMenu:
        menu = QMenu("Highlight in", parent)
        for name in COLORS:
            action = menu.addAction(swatch(name), name.capitalize())
            action.triggered.connect(lambda _c=False, color=name: self.highlight(color))
        return menu

    def _context_menu(self, point: QPoint) -> None:
        menu = self.build_context_menu(point)
        menu.popup(self.reader.viewport().mapToGlobal(point))

    def build_context_menu(self, point: QPoint) -> QMenu:
        """The reader's own menu (Copy, Select All) plus the passage commands."""
        menu = self.reader.createStandardContextMenu(point)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        has_selection = self.reader.selected_text_range() is not None
        menu.addSeparator()
        for name in ("highlight", "annotate"):
            action = self.actions[name]
            menu.addAction(action)
            action.setEnabled(has_selection)
        colors = self.color_menu(menu)
        colors.setEnabled(has_selection)
        menu.addMenu(colors)
        menu.aboutToHide.connect(self._enable_actions)
        return menu

    def _enable_actions(self) -> None:
        for action in self.actions.values():
            action.setEnabled(True)

    # --- reading ------------------------------------------------------------------------

    def load(self, clip_id: int) -> None:
        """Read the passages of the clip in the reader; draw and list them."""
        self._seq += 1
        seq = self._seq
        library = self.window.library

        def done(passages: list[PassageInfo]) -> None:
            detail = self.reader.detail
            if seq != self._seq or detail is None or detail.id != clip_id:
                return
            self.reader.set_passages(passages)
            self.panel.set_passages(passages)
            target, self._go_to_after_load = self._go_to_after_load, None
            if target is not None:
                info = next((a for a in passages if a.id == target), None)
                if info is not None:
                    self.panel.select(info.id)
                    self.go_to(info)
            self.passages_loaded.emit(clip_id)

        def failed(error: BaseException) -> None:
            if not isinstance(error, NotFoundError):  # deleted meanwhile: the list moves on
                self.window.report_error(error)

        self.window.tasks.run_read(
            lambda _p: library.passages.find(clip_id), on_done=done, on_error=failed
        )

    def on_changes(self, changes: Changes[object], _initiator: object = None) -> None:
        """Subscribed to the broadcast: redraw the passages of the clip in the reader
        (unless the reader reloads it whole) and refresh the all-passages view."""
        detail = self.reader.detail
        reloading = changes.clips | changes.added  # the reader reloads these: reader_loaded
        if detail is not None and detail.id in changes.passages and detail.id not in reloading:
            self.load(detail.id)
        dialog = self.all_dialog
        if dialog is not None and dialog.isVisible() and changes.touched:
            dialog.reload()

    # --- writing ------------------------------------------------------------------------

    def _write(
        self,
        op: Op[PassageInfo],
        message: str,
        then: Callable[[PassageInfo], None] | None = None,
    ) -> None:
        window = self.window

        def done(info: PassageInfo) -> None:
            window.statusBar().showMessage(message, 5000)
            if then is not None:
                then(info)
            self.written.emit(info)

        window.ops.run_op(op, self, on_done=done)

    def _selection(self) -> tuple[int, int, int] | None:
        """(clip id, start, end) of the reader's selection in the plain text."""
        span = self.reader.selected_text_range()
        detail = self.reader.detail
        if span is None or detail is None or span[1] <= span[0]:
            self.window.statusBar().showMessage("Select some text of the clip first.", 4000)
            return None
        return detail.id, span[0], span[1]

    def highlight(self, color: str = "yellow") -> None:
        selection = self._selection()
        if selection is None:
            return
        clip_id, start, end = selection
        library = self.window.library
        cursor = self.reader.textCursor()
        cursor.clearSelection()  # the new highlight shows at once, not under the selection
        self.reader.setTextCursor(cursor)
        self._write(
            lambda: library.passages.add(clip_id, start, end, color=color), "Passage highlighted."
        )

    def annotate_dialog(self) -> PassageDialog | None:
        selection = self._selection()
        if selection is None or self.reader.detail is None:
            return None
        clip_id, start, end = selection
        quote = self.reader.detail.text[start:end]
        dialog = PassageDialog(quote, self._tag_names(), self.window)
        library = self.window.library

        def apply() -> None:
            note, tags, color = dialog.note(), dialog.tags(), dialog.color()
            self._write(
                lambda: library.passages.add(
                    clip_id, start, end, note=note, tags=tags, color=color
                ),
                "Passage annotated.",
            )

        dialog.accepted.connect(apply)
        dialog.open()
        self.dialog = dialog
        return dialog

    def edit(self, info: PassageInfo) -> PassageDialog:
        dialog = PassageDialog(
            info.exact,
            self._tag_names(),
            self.window,
            note=info.note,
            tags=info.tags,
            color=info.color,
            title="Edit passage",
        )
        library = self.window.library

        def apply() -> None:
            note, tags, color = dialog.note(), dialog.tags(), dialog.color()
            self._write(
                lambda: library.passages.update(
                    info.id,
                    note=note,
                    tags=tags,
                    color=color,
                    expected_version=info.edit_version,
                ),
                "Passage updated.",
            )

        dialog.accepted.connect(apply)
        dialog.open()
        self.dialog = dialog
        return dialog

    def delete(self, info: PassageInfo) -> None:
        library = self.window.library
        commands = self.window.commands

        def offer(deleted: PassageInfo) -> None:
            commands.offer_undo("Passage deleted.", lambda: self.restore(deleted))

        self._write(lambda: library.passages.delete(info.id), "Passage deleted.", offer)

    def restore(self, info: PassageInfo) -> None:
        library = self.window.library
        self._write(lambda: library.passages.restore(info), "Passage restored.")

    def _tag_names(self) -> list[str]:
        return self.window.sidebar.tag_names()

    # --- going to a passage -------------------------------------------------------------

    def go_to(self, info: PassageInfo) -> bool:
        """Scroll the reader to a passage and select it; False when it is orphaned."""
        span = self.reader.passage_range(info)
        if span is None:
            self.window.statusBar().showMessage(
                "This passage is not in the clip's current text (orphaned).", 5000
            )
            return False
        cursor = QTextCursor(self.reader.document())
        cursor.setPosition(span[1])
        self.reader.setTextCursor(cursor)
        self.reader.ensureCursorVisible()
        cursor.setPosition(span[0], QTextCursor.MoveMode.KeepAnchor)
        self.reader.setTextCursor(cursor)
        self.reader.ensureCursorVisible()
        return True

    def open_passage(self, info: PassageInfo) -> None:
        """Open a passage's clip in the reader (from the view of all passages)."""
        detail = self.reader.detail
        if detail is not None and detail.id == info.clip_id:
            self.panel.select(info.id)
            self.go_to(info)
            return
        self._go_to_after_load = info.id
        self.window.select_clip(info.clip_id)

    # --- views --------------------------------------------------------------------------

    def show_all(self) -> AllPassagesDialog:
        if self.all_dialog is None:
            self.all_dialog = AllPassagesDialog(self.window.library, self.window.tasks)
            self.all_dialog.setParent(self.window, self.all_dialog.windowFlags())
            self.all_dialog.open_requested.connect(self.open_passage)
            self.all_dialog.cite_requested.connect(self.panel.cite_requested)
        self.all_dialog.reload()
        if self.all_dialog.isVisible():
            self.all_dialog.raise_()  # already open, maybe behind the main window
        else:
            self.all_dialog.show()
        return self.all_dialog

    def show_versions(self) -> VersionsDialog | None:
        clip_id = self.window.current_id()
        if clip_id is None:
            self.window.statusBar().showMessage("Select a clip first.", 4000)
            return None
        dialog = VersionsDialog(self.window.library, self.window.tasks, clip_id, self.window)
        dialog.open()
        self.versions_dialog = dialog
        return dialog
