"""The main window: sidebar | clip list (+ clip queue) | reader, search in the toolbar.

The window wires the pieces together and reacts; it never blocks. Reads that may take
a while (search, a clip's detail, sidebar counts) run on the read pool, writes on the
writer thread (`TaskManager`), and every write's `Changes` refresh the views
(`apply_changes`), like Anki's `operation_did_execute`. What the user does to clips
(tag, delete, open, copy) lives in `commands.py`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QIcon,
)
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from clipper.gui.citing import Citing
from clipper.gui.clipdialog import ClipUrlDialog
from clipper.gui.cliplist import CLIPPED, SNIPPET, ClipListModel
from clipper.gui.clipping import ClipQueue
from clipper.gui.clipview import ClipTableView
from clipper.gui.commands import Commands
from clipper.gui.dropzone import DropFilter, EmptyState
from clipper.gui.helpdialogs import HelpDialog
from clipper.gui.live import LiveUpdates
from clipper.gui.mime import ClipSource
from clipper.gui.opening import CLOSE_TIMEOUT_MS, LibraryDoor
from clipper.gui.operations import Operations
from clipper.gui.passage_actions import PassageActions
from clipper.gui.preferences import Preferences, SettingsDialog
from clipper.gui.queuepanel import QueuePanel
from clipper.gui.reader import FigureDialog, ReaderView, read_clip
from clipper.gui.searchbar import SearchBar
from clipper.gui.settings import WindowState
from clipper.gui.sidebar import Sidebar
from clipper.gui.tagging import RenameTagDialog, TagDialog
from clipper.gui.workers import GuiGarbageCollector, TaskManager
from clipper.library.types import (
    Changes,
    ClipDetail,
    ClipFilter,
    ClipResult,
    SearchResults,
    SiteCount,
    StoredFigure,
    TagCount,
)
from clipper.paths import LibraryLocation

if TYPE_CHECKING:
    from clipper.library import Library

log = logging.getLogger(__name__)
SEARCH_LIMIT = 200


class MainWindow(LibraryDoor, QMainWindow):
    """One library's window."""

    reader_loaded = Signal(int)
    """A clip id, after the reader shows it (tests and screenshots wait for it)."""
    search_done = Signal(object)
    sidebar_loaded = Signal()

    library_opened = Signal()
    """The library is attached: the list, sidebar and actions work from now on."""

    def __init__(
        self,
        library: Library | None,
        *,
        location: LibraryLocation | None = None,
        icon: QIcon | None = None,
        state: WindowState | None = None,
        tasks: TaskManager | None = None,
    ) -> None:
        """With `library=None` the window shows at once and `open_library` attaches it."""
        super().__init__()
        self._library: Library | None = None  # set by attach()
        self.location = library.location if library is not None else location
        self._pending_sources: list[tuple[Sequence[ClipSource], Sequence[str]]] = []
        self.tasks = tasks or TaskManager(self)
        self.state = state or WindowState()
        self.prefs = Preferences.load(self.state.settings)
        self.setWindowTitle("Clipper")
        if icon is not None:
            self.setWindowIcon(icon)
        self.setAcceptDrops(True)
        self.drops = DropFilter(self)  # every drop on the window lands there
        self.installEventFilter(self.drops)
        self._search_text = ""
        self._closing = False
        self.close_timeout_ms = CLOSE_TIMEOUT_MS
        self.total: int | None = None
        """Clips in the library, once the first count is back from the read pool."""
        self.tag_dialog: TagDialog | None = None
        self.figure_dialog: FigureDialog | None = None
        self.clip_dialog: ClipUrlDialog | None = None
        self.rename_dialog: RenameTagDialog | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.help_dialog: HelpDialog | None = None
        self.select_after_refresh: tuple[str, str] | None = None
        """A sidebar entry to select once the next refresh has it (a renamed tag)."""

        self.ops = Operations(self.tasks, self)
        """Every write goes through `ops.run_op`; views subscribe to its broadcast."""
        self.menus: dict[str, QMenu] = {}
        """The menu bar's menus by name ("file", "edit", "clip", "view", "help")."""
        self._panels: list[tuple[QWidget, int]] = []
        self.queue = ClipQueue(None, self.tasks, self.ops, self)
        self.model = ClipListModel(None, self.tasks, self)
        self._build(icon or QIcon())
        self.commands = Commands(self)
        self.commands.install()
        self.passage_actions = PassageActions(self)
        self.passage_actions.install()
        self.citing = Citing(self)  # copy as citation, File > Export, metadata panel
        self.citing.install()
        self.live = LiveUpdates(self)  # changes made elsewhere; View > Refresh
        self._connect()
        self._restore()
        self.apply_preferences()
        self.list.after_reset = "first"  # open on the newest clip, in the reader too
        self.list.setFocus()
        self.collector = GuiGarbageCollector(self)
        if library is not None:
            self.attach(library)
        else:
            self.statusBar().showMessage("Opening the library…")
            self._update_status()

    # --- building -----------------------------------------------------------------------

    def _build(self, icon: QIcon) -> None:
        self.search_bar = SearchBar(self)
        toolbar = QToolBar("Main", self)
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        toolbar.setFloatable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar = toolbar
        self.addToolBar(toolbar)

        self.sidebar = Sidebar(self)
        self.sidebar.setMinimumWidth(150)
        self.list = ClipTableView(self)
        self.list.setModel(self.model)
        # The indicator first: enabling sorting sorts by it, and that is the model's order.
        self.list.horizontalHeader().setSortIndicator(CLIPPED, Qt.SortOrder.DescendingOrder)
        self.list.setSortingEnabled(True)
        self.empty = EmptyState(icon, self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.empty)
        self.queue_panel = QueuePanel(self.queue, self)
        middle = QWidget(self)
        column = QVBoxLayout(middle)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.stack, 1)
        column.addWidget(self.queue_panel)
        self.reader = ReaderView(self)
        self.reader.setMinimumWidth(280)
        self.reader_column = QSplitter(Qt.Orientation.Vertical, self)
        self.reader_column.setObjectName("reader-column")
        self.reader_column.setChildrenCollapsible(False)
        self.reader_column.addWidget(self.reader)  # the passages panel goes below

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("main-splitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.reader_column)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setStretchFactor(2, 4)
        self.setCentralWidget(self.splitter)

        self.library_label = QLabel(self)
        self.library_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.library_label.setContentsMargins(6, 0, 6, 0)
        self.statusBar().addPermanentWidget(self.library_label)
        self.statusBar().setSizeGripEnabled(True)
        self.set_initial_size()

    def add_panel(self, panel: QWidget, height: int) -> None:
        """A panel below the reader (the passages panel), `height` pixels at first."""
        column = self.reader_column
        column.addWidget(panel)
        self._panels.append((panel, height))
        column.setStretchFactor(column.indexOf(self.reader), 4)
        heights = [h for _p, h in self._panels]
        for other, _h in self._panels:
            column.setStretchFactor(column.indexOf(other), 1)
        column.setSizes([max(300, 880 - sum(heights)), *heights])

    def set_initial_size(self, width: int = 0, height: int = 0) -> None:
        """A first-run size: 1440x900 or 90% of a smaller screen; panes 13/47/40 %."""
        if not width or not height:
            width, height = 1440, 900
            screen = self.screen()
            if screen is not None:
                available = screen.availableGeometry()
                width = min(width, int(available.width() * 0.9))
                height = min(height, int(available.height() * 0.9))
        self.resize(width, height)
        sidebar = max(170, int(width * 0.13))
        rest = width - sidebar
        self.splitter.setSizes([sidebar, int(rest * 0.54), rest - int(rest * 0.54)])

    def _connect(self) -> None:
        self.sidebar.filter_selected.connect(self._on_filter)
        self.sidebar.rename_tag_requested.connect(self.commands.rename_tag)
        self.sidebar.delete_tag_requested.connect(self.commands.delete_tag)
        self.search_bar.search_requested.connect(self.run_search)
        self.search_bar.cleared.connect(self._on_search_cleared)
        self.list.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.list.selectionModel().selectionChanged.connect(self._on_selection)
        self.model.modelAboutToBeReset.connect(self.list.remember_selection)
        self.model.modelReset.connect(self._update_stack)
        self.model.modelReset.connect(self._restore_selection)
        self.model.load_failed.connect(self.report_error)
        self.ops.operation_did_execute.connect(self.model.on_operation)
        self.ops.operation_did_execute.connect(self.apply_changes)
        self.ops.failed.connect(self.report_error)
        self.queue.clip_stored.connect(self._on_stored)
        self.queue.item_changed.connect(lambda _item: self._update_status())
        self.queue_panel.open_clip_requested.connect(self.select_clip)
        self.reader.figure_requested.connect(self._show_figure)
        self.empty.clip_url_requested.connect(self.commands.clip_url_dialog)
        self.drops.hovering.connect(self._on_hover)
        self.drops.dropped.connect(self.clip_sources)

    # --- state between runs -------------------------------------------------------------

    def _restore(self) -> None:
        if (geometry := self.state.load("geometry")) is not None:
            self.restoreGeometry(geometry)
        if (splitter := self.state.load("splitter")) is not None:
            self.splitter.restoreState(splitter)
        if (columns := self.state.load("columns")) is not None:
            header = self.list.horizontalHeader()
            header.restoreState(columns)
            self.list.setColumnHidden(SNIPPET, True)
            self.list.set_user_hidden(
                c for c in range(header.count()) if c != SNIPPET and header.isSectionHidden(c)
            )
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())

    persist_state = True
    """False for throwaway windows (screenshots): nothing is written to the settings."""

    def save_state(self) -> None:
        if not self.persist_state:
            return
        self.state.save("geometry", self.saveGeometry())
        self.state.save("splitter", self.splitter.saveState())
        if self.model.search is None:
            self.state.save("columns", self.list.horizontalHeader().saveState())
        self.state.sync()

    # --- reading the library ------------------------------------------------------------

    def reload_all(self) -> None:
        """Everything from scratch: counts, list (keeping the selection), status."""
        self.refresh_sidebar()
        self._reload_list()

    def refresh_sidebar(self) -> None:
        library = self.library

        def read(_progress: object) -> tuple[int, int, list[TagCount], list[SiteCount]]:
            return (
                library.clips.count(),
                library.clips.count(ClipFilter(untagged=True)),
                library.tags.counts(),
                library.clips.sites(),
            )

        def done(result: tuple[int, int, list[TagCount], list[SiteCount]]) -> None:
            total, untagged, tags, sites = result
            self.total = total
            self.sidebar.populate(total, untagged, tags, sites)
            if self.select_after_refresh is not None:
                self.sidebar.select(*self.select_after_refresh)
                self.select_after_refresh = None
            self._update_status()
            self._update_stack()
            self.sidebar_loaded.emit()

        self.tasks.run_read(read, on_done=done, on_error=self.report_error)

    def _reload_list(self) -> None:
        if self.model.search is not None:
            if self._search_text:
                self.run_search(self._search_text)
            return
        self.model.reload()  # the selection follows in _restore_selection

    def _placeholder_text(self) -> str:
        if self.model.rowCount() == 0:
            return ""
        return "Select a clip to read it here."

    def _update_stack(self) -> None:
        empty = self.model.rowCount() == 0
        first_run = self.total == 0 and self.model.filter is None and self.model.search is None
        self.reader_column.setVisible(not (empty and first_run))
        if not empty:
            self.stack.setCurrentWidget(self.list)
            return
        if self.model.search is not None:
            self.empty.show_no_match(f"Nothing found for “{self._search_text}”.")
        elif self.model.filter is not None:
            self.empty.show_no_match("No clip in this tag or site.")
        elif self.total == 0:
            self.empty.show_first_run()
        else:
            self.empty.show_no_match("")
        self.stack.setCurrentWidget(self.empty)
        self.reader.show_placeholder("")

    def _update_status(self) -> None:
        total = self.total or 0
        where = self.location.describe() if self.location is not None else ""
        if not self.has_library:
            self.library_label.setText(f"Opening {where}…")
            return
        text = f"{total:,} clip{'s' if total != 1 else ''}  ·  {where}"
        active = self.queue.active_count()
        if active:
            text = f"Clipping {active}…  ·  " + text
        self.library_label.setText(text)
        self.library_label.setToolTip(f"Library: {where}")

    # --- reacting to changes ------------------------------------------------------------

    def apply_changes(self, changes: Changes[object], _initiator: object = None) -> None:
        """The list, the sidebar and the reader refresh exactly what a write changed
        (subscribed to `ops.operation_did_execute`; passages refresh in `PassageActions`)."""
        if self._closing or not self.has_library:
            return
        # The list model refreshes itself from the same broadcast (`on_operation`).
        searching = self.model.search is not None and bool(self._search_text)
        if searching and (changes.added or changes.removed or changes.clips):
            self.run_search(self._search_text)
        if changes.tags or changes.sites or changes.added or changes.removed:
            self.refresh_sidebar()
        current = self.current_id()
        if current is not None and current in (changes.clips | changes.added):
            self.load_reader(current)

    def _on_stored(self, result: ClipResult) -> None:
        """After the store's `Changes` went round: the reader follows the new clip."""
        if self.commands.importer.batches and self.current_id() is not None:
            return  # an import stores many: the reader stays on what the user reads
        if result.status == "new":
            self.list.after_reset = ("select", result.clip_id)  # once the list has it
        else:
            self.select_clip(result.clip_id)

    def report_error(self, error: BaseException) -> None:
        """One line in the status bar for a failed background task (never a dialog)."""
        from clipper.gui.clipping import error_message

        log.warning("background task failed: %s", error)
        self.statusBar().showMessage(error_message(error), 10_000)

    # --- filter and search --------------------------------------------------------------

    def _on_filter(self, flt: ClipFilter | None) -> None:
        if self.search_bar.text():
            self.search_bar.clear()  # a sidebar click means "show me this", not search
        self.list.after_reset = "first"
        self.model.set_filter(flt)
        self.list.set_search_mode(False)

    def run_search(self, text: str) -> None:
        self._search_text = text
        library = self.library

        def done(results: SearchResults) -> None:
            if not self.search_bar.text().strip():
                return  # the user cleared the box (typing on supersedes this read)
            self.list.after_reset = "first"
            self.model.set_search(results)
            self.list.set_search_mode(True)
            message = f"{results.total:,} clip{'s' if results.total != 1 else ''} found"
            if results.total > len(results.hits):
                message += f" (showing the best {len(results.hits)})"
            if results.warnings:
                message += "  ·  " + "; ".join(results.warnings)
            self.statusBar().showMessage(message, 8000)
            self.search_done.emit(results)

        self.tasks.run_read(
            lambda _p: library.search(text, limit=SEARCH_LIMIT),
            on_done=done,
            on_error=self.report_error,
            latest=(self, "search"),
        )

    def _on_search_cleared(self) -> None:
        self.tasks.supersede((self, "search"))
        self._search_text = ""
        if self.model.search is not None:
            self.model.clear_search()  # the clip being read stays selected
            self.list.set_search_mode(False)
            self.statusBar().clearMessage()
        self.reader.set_terms(())
        if not self.search_bar.hasFocus():
            self.list.setFocus()  # Escape left the box; emptied by typing: keep typing there

    def focus_search(self) -> None:
        self.search_bar.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_bar.selectAll()

    # --- selection and the reader -------------------------------------------------------

    def select_clip(self, clip_id: int) -> None:
        """Select a clip, showing all clips first if the filter hides it."""
        model = self.model
        if model.row_of(clip_id) is None and model.search is None and model.filter is not None:
            self.sidebar.select("all")
            self.list.after_reset = ("select", clip_id)
            return
        self.list.select_id(clip_id)

    def selected_ids(self) -> list[int]:
        return self.list.selected_ids()

    def current_id(self) -> int | None:
        return self.list.current_id()

    def _restore_selection(self) -> None:
        if not self.list.restore_selection():
            self.reader.show_placeholder(self._placeholder_text())

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.load_reader(self.model.clip_id(current.row()))

    def _on_selection(self, *_args: object) -> None:
        self.commands.update_actions()
        count = self.list.selected_count()  # from the ranges: Select All is one
        if count > 1:
            self.statusBar().showMessage(f"{count} clips selected", 3000)

    def load_reader(self, clip_id: int) -> None:
        """Read the clip and its thumbnails on the read pool; show them when back."""
        library = self.library
        terms = (
            self.model.search.hits[0].terms if self.model.search and self.model.search.hits else ()
        )

        def done(result: tuple[ClipDetail, dict[str, bytes]]) -> None:
            detail, thumbs = result
            self.reader.show_clip(detail, thumbs, terms)
            self.reader_loaded.emit(clip_id)

        def failed(error: BaseException) -> None:
            self.reader.show_placeholder(str(error))

        self.tasks.run_read(
            lambda _p: read_clip(library, clip_id),
            on_done=done,
            on_error=failed,
            latest=(self, "reader"),
        )

    def _show_figure(self, figure: StoredFigure) -> None:
        """The full-size image is read on the read pool; the dialog opens when it is in."""
        library, sha = self.library, figure.blob_sha256

        def done(data: bytes | None) -> None:
            dialog = FigureDialog(figure, data, self)
            dialog.show()
            self.figure_dialog = dialog

        self.tasks.run_read(
            lambda _p: library.clips.blob(sha) if sha else None,
            on_done=done,
            on_error=self.report_error,
            latest=(self, "figure"),
        )

    # --- clipping -----------------------------------------------------------------------

    def clip_sources(self, sources: Sequence[ClipSource], tags: Sequence[str] = ()) -> int:
        if not self.has_library:  # dropped while the library opens: clipped once it is
            self._pending_sources.append((sources, tags))
            return len(sources)
        added = self.queue.add_many(sources, tags)
        if added:
            self.statusBar().showMessage(f"Clipping {added} page{'s' if added > 1 else ''}…", 4000)
        self._update_status()
        return added

    def _on_hover(self, count: int) -> None:
        if count:
            self.statusBar().showMessage(f"Drop to clip {count} page{'s' if count > 1 else ''}")
        else:
            self.statusBar().clearMessage()

    # --- closing ------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.tasks.busy or self.search_bar.pending

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True
        self.save_state()
        self.finish_writes()
        self.queue.close()
        self.collector.stop()
        self.live.stop()
        event.accept()
