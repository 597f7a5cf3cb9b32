"""What the user does to clips: the window's actions, menus and their operations.

Each write is an operation (`window.ops.run_op`): it runs on the writer thread and its
`Changes` are broadcast to every view. Commands act on the selected ids; what they need
to know of the clips (tags, a title, a link) comes from the list's memory or the read
pool. Confirmation goes through `self.confirm` (tests replace it), and deleting moves
clips to the trash so the last delete can be undone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMessageBox, QPushButton, QSizePolicy, QWidget

from clipper.gui.clipdialog import ClipUrlDialog
from clipper.gui.dropzone import acceptable
from clipper.gui.helpdialogs import HelpDialog, search_syntax_html, shortcuts_html
from clipper.gui.importer import Importer
from clipper.gui.mime import sources_from_mime
from clipper.gui.operations import Op
from clipper.gui.preferences import SettingsDialog
from clipper.gui.tagging import RenameTagDialog, TagDialog
from clipper.library.types import Changes, ClipSummary

if TYPE_CHECKING:
    from clipper.gui.mainwindow import MainWindow

UNDO_SECONDS = 30


def ask(parent: QWidget, title: str, text: str) -> bool:
    """A yes/no question; the default answer is No."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


class Commands:
    """Owns the window's QActions; one method per user command."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.confirm: Callable[[str, str], bool] = lambda title, text: ask(window, title, text)
        self.actions: dict[str, QAction] = {}
        self._last_deleted: list[int] = []
        self._undo: Callable[[], None] | None = None
        """The last undoable operation's undo (a clip or a passage delete)."""
        self._undo_button: QPushButton | None = None

    # --- actions and menus --------------------------------------------------------------

    def _action(
        self,
        name: str,
        text: str,
        slot: Callable[[], object],
        shortcuts: Sequence[QKeySequence | str] = (),
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self.window)
        keys = [QKeySequence(s) for s in shortcuts]
        if keys:
            action.setShortcuts(keys)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)
        self.actions[name] = action
        return action

    def install(self) -> None:
        w = self.window
        a = self._action
        a("clip", "&Clip URL…", self.clip_url_dialog, ["Ctrl+L"], "Clip a web page by its address")
        a("paste", "&Paste to Clip", self.paste, ["Ctrl+V"], "Clip the link on the clipboard")
        self.importer = Importer(w)
        a(
            "import",
            "&Import Bookmarks or URLs…",
            self.importer.choose_file,
            ["Ctrl+Shift+I"],
            "Clip every page of a bookmark file (Firefox, Chrome) or a list of URLs",
        )
        a(
            "import_folder",
            "Import a &Folder of Pages…",
            self.importer.choose_folder,
            tip="Clip every saved .html page in a folder",
        )
        a("quit", "&Quit", w.close, ["Ctrl+Q"])
        a("find", "&Search", w.focus_search, ["Ctrl+F", "Ctrl+K"], "Search the library")
        a("tag", "&Tag…", self.tag_selected, ["Ctrl+T"], "Add or remove tags")
        a("delete", "&Delete…", self.delete_selected, ["Delete"], "Delete the selected clips")
        a("undo", "&Undo Delete", self.undo, ["Ctrl+Z"], "Bring back the last deleted")
        a("open", "&Open Original", self.open_original, ["Ctrl+O"], "Open in your browser")
        a("copy_link", "Copy &Link", self.copy_link, ["Ctrl+Shift+C"], "Copy the address")
        a("select_all", "Select &All", w.list.selectAll, ["Ctrl+A"])
        a("about", "&About Clipper", self.about)
        a("settings", "Se&ttings…", self.settings_dialog, ["Ctrl+,"], "Library, fetching, look")
        a("search_help", "&Search Syntax", self.search_help, ["F1"], "How to write a search")
        a("shortcuts", "&Keyboard Shortcuts", self.shortcuts_help, ["Ctrl+/"])
        a("zoom_in", "Zoom &In", lambda: w.reader.zoom(1), ["Ctrl++", "Ctrl+="], "Larger text")
        a("zoom_out", "Zoom &Out", lambda: w.reader.zoom(-1), ["Ctrl+-"], "Smaller text")
        a("zoom_reset", "&Actual Size", lambda: w.reader.zoom(0), ["Ctrl+0"])
        a("refresh", "&Refresh", lambda: w.live.refresh(), ["F5"], "Read the library again")
        self.actions["undo"].setEnabled(False)
        w.reader.zoomed.connect(self._save_zoom)

        menu = w.menuBar()
        file_menu = menu.addMenu("&File")
        for name in ("clip", "paste", None, "import", "import_folder"):
            if name is None:
                file_menu.addSeparator()
            else:
                file_menu.addAction(self.actions[name])
        file_menu.addSeparator()
        file_menu.addAction(self.actions["quit"])
        edit = menu.addMenu("&Edit")
        for name in ("undo", None, "find", "select_all", None, "settings"):
            if name is None:
                edit.addSeparator()
            else:
                edit.addAction(self.actions[name])
        clip = menu.addMenu("C&lip")
        for name in ("open", "copy_link", None, "tag", None, "delete"):
            if name is None:
                clip.addSeparator()
            else:
                clip.addAction(self.actions[name])
        view = menu.addMenu("&View")
        for name in ("zoom_in", "zoom_out", "zoom_reset"):
            view.addAction(self.actions[name])
        view.addSeparator()
        view.addAction(self.actions["refresh"])
        view.addSeparator()
        help_menu = menu.addMenu("&Help")
        for name in ("search_help", "shortcuts", None, "about"):
            if name is None:
                help_menu.addSeparator()
            else:
                help_menu.addAction(self.actions[name])
        # Other parts of the window add their commands by name, never by label.
        w.menus.update(file=file_menu, edit=edit, clip=clip, view=view, help=help_menu)

        toolbar = w.toolbar
        toolbar.addAction(self.actions["clip"])
        toolbar.addAction(self.actions["tag"])
        toolbar.addAction(self.actions["open"])
        spacer = QWidget(toolbar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addWidget(w.search_bar)

        w.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for name in ("open", "copy_link", "tag", "delete"):
            w.list.addAction(self.actions[name])
        self.update_actions()

    SELECTION_ACTIONS = ("tag", "open", "copy_link", "delete")

    def update_actions(self) -> None:
        """What acts on the selected clips is enabled only when some are selected."""
        selection = self.window.list.selectionModel()
        selected = selection is not None and selection.hasSelection()
        for name in self.SELECTION_ACTIONS:
            self.actions[name].setEnabled(selected)

    # --- helpers ------------------------------------------------------------------------

    def _selection(self) -> list[int]:
        """The selected clips' ids (Select All over 100,000 clips is the id list)."""
        return self.window.list.selected_ids()

    def _current(self) -> int | None:
        current = self.window.current_id()
        if current is not None:
            return current
        selection = self._selection()
        return selection[0] if selection else None

    def with_summaries(
        self, ids: Sequence[int], then: Callable[[list[ClipSummary]], object], what: str = ""
    ) -> None:
        """Call `then` with these clips' rows: from the list's memory when it has them
        all, else read on the read pool (a command never queries on the GUI thread)."""
        model = self.window.model
        cached = [model.cached_clip(i) for i in ids]
        if all(s is not None for s in cached):
            then([s for s in cached if s is not None])
            return
        if what:
            self.window.statusBar().showMessage(what)
        library = self.window.library
        self.window.tasks.run_read(
            lambda _p: library.clips.summaries(ids),
            on_done=then,
            on_error=self.window.report_error,
            latest=(self, "selection"),
        )

    def _write(self, op: Op[None], message: str) -> None:
        window = self.window
        window.ops.run_op(op, self, on_done=lambda _: window.statusBar().showMessage(message, 5000))

    def _tag_names(self) -> list[str]:
        return self.window.sidebar.tag_names()

    # --- clipping -----------------------------------------------------------------------

    def clip_url_dialog(self) -> ClipUrlDialog:
        mime = QGuiApplication.clipboard().mimeData()
        initial = ""
        if mime is not None:
            urls = [s.url for s in sources_from_mime(mime) if s.url]
            initial = "\n".join(urls)
        dialog = ClipUrlDialog(self._tag_names(), initial, self.window)
        dialog.accepted.connect(
            lambda: self.window.clip_sources(dialog.sources(), dialog.tag_names())
        )
        dialog.open()
        self.window.clip_dialog = dialog
        return dialog

    def paste(self) -> None:
        sources = acceptable(QGuiApplication.clipboard().mimeData())
        if not sources:
            self.window.statusBar().showMessage(
                "The clipboard holds no link or page to clip.", 5000
            )
            return
        self.window.clip_sources(sources)

    # --- tags ---------------------------------------------------------------------------

    def tag_selected(self) -> None:
        """Open the tag dialog for the selection once its tags are read (off the GUI thread)."""
        ids = self._selection()
        if not ids:
            self.window.statusBar().showMessage("Select the clips to tag first.", 4000)
            return
        count = len(ids)
        what = f"Reading the tags of {count:,} clips…" if count > 1 else ""
        self.with_summaries(ids, lambda clips: self._open_tag_dialog(ids, clips), what)

    def _open_tag_dialog(self, ids: list[int], clips: list[ClipSummary]) -> TagDialog:
        if len(ids) > 1:
            self.window.statusBar().clearMessage()
        dialog = TagDialog([c.tags for c in clips], self._tag_names(), self.window)

        def apply() -> None:
            add, remove = dialog.changes()
            if add or remove:
                self.tag(ids, add, remove)

        dialog.accepted.connect(apply)
        dialog.open()
        self.window.tag_dialog = dialog
        return dialog

    def tag(self, ids: Sequence[int], add: Sequence[str], remove: Sequence[str]) -> None:
        library = self.window.library
        count = len(ids)
        what = f"{count} clip{'s' if count > 1 else ''}"
        self._write(lambda: library.tags.change(ids, add, remove), f"Tags updated on {what}.")

    def rename_tag(self, name: str) -> None:
        dialog = RenameTagDialog(name, self._tag_names(), self.window)

        def apply() -> None:
            new = dialog.new_name()
            if new and new != name:
                library = self.window.library
                if self.window.sidebar.current_key() == ("tag", name):
                    self.window.select_after_refresh = ("tag", new)
                self._write(lambda: library.tags.rename(name, new), f"Renamed “{name}” to “{new}”.")

        dialog.accepted.connect(apply)
        dialog.open()
        self.window.rename_dialog = dialog

    def delete_tag(self, name: str) -> None:
        text = f"Delete the tag “{name}”? The clips stay in the library."
        if not self.confirm("Delete tag", text):
            return
        library = self.window.library
        self._write(lambda: library.tags.delete(name), f"Deleted the tag “{name}”.")

    # --- delete and undo ----------------------------------------------------------------

    def delete_selected(self) -> None:
        ids = self._selection()
        if not ids:
            return
        if len(ids) > 1:
            self._confirm_delete(ids, f"Delete {len(ids):,} clips?")
            return
        self.with_summaries(
            ids,
            lambda clips: self._confirm_delete(
                ids, f"Delete “{clips[0].title or clips[0].url}”?" if clips else "Delete this clip?"
            ),
        )

    def _confirm_delete(self, ids: list[int], text: str) -> None:
        if not self.confirm("Delete", text + "\nYou can undo this until you quit."):
            return
        library = self.window.library
        window = self.window
        ranges = window.list.selected_ranges()
        row = ranges[0][0] if ranges else 0

        def op() -> Changes:
            return library.clips.delete(ids, permanent=False)

        def done(_: None) -> None:
            self._last_deleted = ids
            count = len(ids)
            self.offer_undo(f"Deleted {count} clip{'s' if count > 1 else ''}.", self.undo_delete)

        window.list.after_reset = ("row", row)  # the clip after the deleted ones
        window.ops.run_op(op, self, on_done=done)

    def offer_undo(self, message: str, undo: Callable[[], None]) -> None:
        """Make `undo` what Ctrl+Z and the status bar's Undo button do next."""
        self._undo = undo
        self.actions["undo"].setEnabled(True)
        bar = self.window.statusBar()
        if self._undo_button is None:
            self._undo_button = QPushButton("Undo", bar)
            self._undo_button.setFlat(True)
            self._undo_button.clicked.connect(self.undo)
            # A permanent widget: a temporary message is drawn over normal ones.
            bar.insertPermanentWidget(0, self._undo_button)
            bar.messageChanged.connect(self._hide_undo)
        bar.showMessage(message, UNDO_SECONDS * 1000)
        self._undo_button.show()

    def _hide_undo(self, message: str) -> None:
        if not message and self._undo_button is not None:
            self._undo_button.hide()

    def undo(self) -> None:
        undo, self._undo = self._undo, None
        self.actions["undo"].setEnabled(False)
        if self._undo_button is not None:
            self._undo_button.hide()
        if undo is not None:
            undo()

    def undo_delete(self) -> None:
        ids, self._last_deleted = self._last_deleted, []
        if not ids:
            return
        library = self.window.library
        count = len(ids)
        self._write(
            lambda: library.clips.restore(ids), f"Restored {count} clip{'s' if count > 1 else ''}."
        )

    # --- outside the app ----------------------------------------------------------------

    def open_original(self) -> None:
        current = self._current()
        if current is not None:
            self.with_summaries([current], self._open_url)

    @staticmethod
    def _open_url(clips: list[ClipSummary]) -> None:
        if clips and clips[0].url:
            QDesktopServices.openUrl(QUrl(clips[0].url))

    def copy_link(self) -> None:
        """The canonical address (what a citation gives), else the fetched one."""
        current = self._current()
        if current is not None:
            self.with_summaries([current], self._copy_link)

    def _copy_link(self, clips: list[ClipSummary]) -> None:
        link = clips[0].canonical_url or clips[0].url if clips else ""
        if link:
            QGuiApplication.clipboard().setText(link)
            self.window.statusBar().showMessage("Link copied.", 3000)

    # --- settings and help --------------------------------------------------------------

    def settings_dialog(self) -> SettingsDialog:
        window = self.window
        dialog = SettingsDialog(window.prefs, window.reader.default_pt(), window)
        dialog.accepted.connect(lambda: window.set_preferences(dialog.preferences()))
        dialog.open()
        window.settings_dialog = dialog
        return dialog

    def _save_zoom(self, points: float) -> None:
        from dataclasses import replace

        window = self.window
        window.prefs = replace(window.prefs, reader_pt=points)
        window.prefs.save(window.state.settings)

    def search_help(self) -> HelpDialog:
        return self._help("Search syntax", search_syntax_html())

    def shortcuts_help(self) -> HelpDialog:
        return self._help("Keyboard shortcuts", shortcuts_html(self.window.actions()))

    def _help(self, title: str, html: str) -> HelpDialog:
        dialog = HelpDialog(title, html, self.window)
        dialog.show()
        self.window.help_dialog = dialog
        return dialog

    def about(self) -> None:
        from clipper import __version__

        QMessageBox.about(
            self.window,
            "About Clipper",
            f"<b>Clipper {__version__}</b><br>A research clipping manager: clean articles "
            "with their figures, captions and credits, full-text search and tags.",
        )
