"""The queue panel: one line per clip on its way in, with its progress or its error.

Failures stay listed with their message (and Retry) until dismissed; successful
items fade out after a few seconds. The panel hides itself when there is nothing to
show, so it never takes room from the list for nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clipper.gui.clipping import ClipQueue, QueueItem

DONE_LINGER_MS = 6000
ItemIdRole = Qt.ItemDataRole.UserRole + 1
GLYPHS = {"waiting": "…", "fetching": "↓", "storing": "↓", "done": "✓", "failed": "✕"}


class QueuePanel(QWidget):
    """Shows a `ClipQueue`; hidden when empty."""

    open_clip_requested = Signal(int)

    def __init__(self, queue: ClipQueue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._queue = queue
        self._rows: dict[int, QTreeWidgetItem] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(4)

        top = QHBoxLayout()
        top.setContentsMargins(6, 0, 6, 0)
        self.summary = QLabel(self)
        top.addWidget(self.summary, 1)
        self.clear_button = QPushButton("Clear finished", self)
        self.clear_button.setFlat(True)
        self.clear_button.clicked.connect(self.clear_finished)
        top.addWidget(self.clear_button)
        layout.addLayout(top)

        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(3)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._menu)
        self.tree.itemActivated.connect(self._activated)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(0, 28)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 300)
        layout.addWidget(self.tree)

        queue.item_changed.connect(self.update_item)
        self.setVisible(False)

    # --- showing ------------------------------------------------------------------------

    def update_item(self, item: QueueItem) -> None:
        row = self._rows.get(item.id)
        if row is None:
            row = QTreeWidgetItem(["", "", ""])
            row.setData(0, ItemIdRole, item.id)
            row.setTextAlignment(0, Qt.AlignmentFlag.AlignCenter)
            self.tree.addTopLevelItem(row)
            self._rows[item.id] = row
        row.setText(0, GLYPHS.get(item.state, ""))
        row.setText(1, item.label)
        row.setToolTip(1, item.source.url or str(item.source.path or ""))
        row.setText(2, item.message)
        row.setToolTip(2, item.message)
        palette = self.palette()
        if item.state == "failed":
            color = QColor("#d33c3c") if _is_light(palette) else QColor("#ff8a80")
        elif item.state == "done":
            color = palette.color(QPalette.ColorRole.PlaceholderText)
        else:
            color = palette.color(QPalette.ColorRole.Text)
        for column in range(3):
            row.setForeground(column, color)
        if item.state == "done":
            # With a context object the timer dies with the panel.
            QTimer.singleShot(DONE_LINGER_MS, self, lambda: self._drop_if_done(item.id))
        self._refresh_summary()

    def _refresh_summary(self) -> None:
        items = list(self._queue.items.values())
        active = sum(1 for i in items if i.active)
        failed = sum(1 for i in items if i.state == "failed")
        parts = []
        if active:
            parts.append(f"Clipping {active} page{'s' if active > 1 else ''}…")
        if failed:
            parts.append(f"{failed} failed")
        if not parts and items:
            parts.append("Done")
        self.summary.setText("  ·  ".join(parts))
        self.clear_button.setVisible(any(not i.active for i in items))
        self.setVisible(bool(self._rows))
        # As tall as its rows, up to six; then it scrolls.
        row_height = max(self.tree.sizeHintForRow(0), self.tree.fontMetrics().height() + 6)
        rows = max(1, min(len(self._rows), 6))
        self.tree.setFixedHeight(rows * row_height + 2 * self.tree.frameWidth() + 2)

    def _drop_if_done(self, item_id: int) -> None:
        item = self._queue.items.get(item_id)
        if item is not None and item.state == "done":
            self._remove(item_id)

    def _remove(self, item_id: int) -> None:
        self._queue.forget(item_id)
        row = self._rows.pop(item_id, None)
        if row is not None:
            index = self.tree.indexOfTopLevelItem(row)
            if index >= 0:
                self.tree.takeTopLevelItem(index)
        self._refresh_summary()

    def clear_finished(self) -> None:
        for item_id in self._queue.forget_finished():
            row = self._rows.pop(item_id, None)
            if row is not None:
                self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(row))
        self._refresh_summary()

    def messages(self) -> dict[int, str]:
        """Item id -> the message shown (for tests and the status bar)."""
        return {item_id: row.text(2) for item_id, row in self._rows.items()}

    # --- acting -------------------------------------------------------------------------

    def _activated(self, row: QTreeWidgetItem, _column: int) -> None:
        item = self._queue.items.get(int(row.data(0, ItemIdRole)))
        if item is not None and item.result is not None:
            self.open_clip_requested.emit(item.result.clip_id)

    def _menu(self, point: QPoint) -> None:
        row = self.tree.itemAt(point)
        if row is None:
            return
        item_id = int(row.data(0, ItemIdRole))
        item = self._queue.items.get(item_id)
        if item is None:
            return
        menu = QMenu(self)
        if item.active:
            menu.addAction("Cancel", lambda: self._queue.cancel(item_id))
            menu.popup(self.tree.viewport().mapToGlobal(point))
            return
        if item.state == "failed":
            menu.addAction("Retry", lambda: self._retry(item_id))
        menu.addAction("Dismiss", lambda: self._remove(item_id))
        menu.popup(self.tree.viewport().mapToGlobal(point))

    def _retry(self, item_id: int) -> None:
        item = self._queue.items.get(item_id)
        if item is None:
            return
        self._remove(item_id)
        self._queue.add(item.source, item.tags, item.page)  # a browser clip keeps its copy


def _is_light(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() > 128
