"""Live updates in the window: changes made by other clients, and View > Refresh (F5).

The core `ChangeWatcher` (`clipper.library.watch`) runs on its own thread and reports a
`Changes` value; a queued signal brings it to the GUI thread, where it enters the same
broadcast as the window's own writes (`Operations.broadcast`, `operation_did_execute`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from clipper.gui.mainwindow import MainWindow
    from clipper.library import Library
    from clipper.library.watch import ChangeWatcher


class LiveUpdates(QObject):
    changed = Signal(object)
    """A `Changes` value from another client (emitted from the watcher thread)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.watcher: ChangeWatcher | None = None
        self.changed.connect(self._apply)

    def start(self, library: Library) -> None:
        self.watcher = library.watch(self.changed.emit)

    def stop(self) -> None:
        if self.window.has_library:
            self.window.library.stop_watching()
        self.watcher = None

    def _apply(self, changes: object) -> None:
        from clipper.library.types import Changes

        if isinstance(changes, Changes):
            self.window.ops.broadcast(changes, self)

    def refresh(self) -> None:
        """View > Refresh: the list, the sidebar and the reader read again."""
        window = self.window
        if not window.has_library:
            return
        window.reload_all()
        current = window.current_id()
        if current is not None:
            window.load_reader(current)
        window.statusBar().showMessage("Refreshed.", 2000)
