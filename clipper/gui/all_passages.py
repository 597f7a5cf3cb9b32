"""Every passage in the library, in a table: filter by tag, search the words.

The list comes from `library.passages.find()` on the read pool; filtering happens in
memory (a library holds thousands of passages at most, not millions).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clipper.gui.passages_panel import short_quote, swatch
from clipper.gui.readerdoc import format_date
from clipper.gui.workers import TaskManager
from clipper.library.types import PassageInfo
from clipper.rules import fold, tag_key

if TYPE_CHECKING:
    from clipper.library import Library

HEADERS = ("Passage", "Note", "Tags", "Clip", "Created")
ALL_TAGS = "All tags"
InfoRole = Qt.ItemDataRole.UserRole + 1


def matches(info: PassageInfo, tag: str | None, words: Sequence[str]) -> bool:
    """Whether a passage has the tag (`tag_key`) and every folded word (in quote, note,
    tags, clip title; "cafe" finds "Café", as search does)."""
    if tag is not None and tag_key(tag) not in {tag_key(t) for t in info.tags}:
        return False
    haystack = fold(" ".join((info.exact, info.note, " ".join(info.tags), info.clip_title)))
    return all(word in haystack for word in words)


class AllPassagesDialog(QDialog):
    """A window listing every passage; double-click opens its clip at the passage."""

    open_requested = Signal(object)
    """The `PassageInfo` to show in the reader."""
    cite_requested = Signal(object)
    """The `PassageInfo` to copy a pinpoint citation of."""
    loaded = Signal()

    def __init__(self, library: Library, tasks: TaskManager, parent: QWidget | None = None):
        super().__init__(parent)
        self.library = library
        self.tasks = tasks
        self.passages: list[PassageInfo] = []
        self._seq = 0
        self.setWindowTitle("All passages")
        self.resize(900, 520)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText("Search passages, notes, tags, clip titles")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(lambda _t: self.apply_filter())
        self.tag_box = QComboBox(self)
        self.tag_box.setMinimumContentsLength(14)
        self.tag_box.currentIndexChanged.connect(lambda _i: self.apply_filter())
        row.addWidget(self.search_edit, 1)
        row.addWidget(QLabel("Tag:", self))
        row.addWidget(self.tag_box)
        layout.addLayout(row)
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setSortingEnabled(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column, width in ((1, 200), (2, 110), (3, 180), (4, 100)):
            self.table.setColumnWidth(column, width)
        self.table.cellDoubleClicked.connect(self._on_double_click)
        layout.addWidget(self.table, 1)
        self.count_label = QLabel(self)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        self.cite_button = QPushButton("Copy Citation", self)
        self.cite_button.clicked.connect(self._cite_current)
        bottom.addWidget(self.cite_button)
        layout.addLayout(bottom)

    def reload(self) -> None:
        self._seq += 1
        seq = self._seq
        library = self.library

        def done(passages: list[PassageInfo]) -> None:
            if seq == self._seq:
                self.set_passages(passages)
                self.loaded.emit()

        self.tasks.run_read(lambda _p: library.passages.find(), on_done=done)

    def set_passages(self, passages: Sequence[PassageInfo]) -> None:
        self.passages = sorted(passages, key=lambda a: a.created_at, reverse=True)
        chosen = self.selected_tag()
        tags: dict[str, str] = {}
        for info in self.passages:
            for tag in info.tags:
                tags.setdefault(tag_key(tag), tag)
        self.tag_box.blockSignals(True)
        self.tag_box.clear()
        self.tag_box.addItem(ALL_TAGS, None)
        for key in sorted(tags):
            self.tag_box.addItem(tags[key], tags[key])
        index = self.tag_box.findData(chosen) if chosen is not None else 0
        self.tag_box.setCurrentIndex(max(0, index))
        self.tag_box.blockSignals(False)
        self.table.setRowCount(len(self.passages))
        for row, info in enumerate(self.passages):
            quote = QTableWidgetItem(swatch(info.color), short_quote(info.exact, 160))
            quote.setData(InfoRole, info)
            quote.setToolTip(info.exact[:600])
            if info.state == "orphaned":
                quote.setText("(orphaned) " + quote.text())
            elif info.state == "changed":
                quote.setText("(text changed) " + quote.text())
                quote.setToolTip(f"Quoted: {info.exact[:300]}\nNow: {info.current_exact[:300]}")
            cells = [
                quote,
                QTableWidgetItem(short_quote(info.note, 120)),
                QTableWidgetItem(", ".join(info.tags)),
                QTableWidgetItem(info.clip_title),
                QTableWidgetItem(format_date(info.created_at)),
            ]
            for column, item in enumerate(cells):
                self.table.setItem(row, column, item)
        self.apply_filter()

    def selected_tag(self) -> str | None:
        data = self.tag_box.currentData()
        return str(data) if data else None

    def set_tag(self, tag: str | None) -> None:
        self.tag_box.setCurrentIndex(max(0, self.tag_box.findData(tag) if tag else 0))

    def apply_filter(self) -> None:
        tag = self.selected_tag()
        words = fold(self.search_edit.text()).split()
        shown = 0
        for row, info in enumerate(self.passages):
            visible = matches(info, tag, words)
            self.table.setRowHidden(row, not visible)
            shown += visible
        total = len(self.passages)
        self.count_label.setText(
            f"{shown} of {total} passages" if shown != total else f"{total} passages"
        )

    def visible_passages(self) -> list[PassageInfo]:
        return [info for row, info in enumerate(self.passages) if not self.table.isRowHidden(row)]

    def row_of(self, passage_id: int) -> int | None:
        for row, info in enumerate(self.passages):
            if info.id == passage_id:
                return row
        return None

    def _cite_current(self) -> None:
        item = self.table.item(self.table.currentRow(), 0)
        info = item.data(InfoRole) if item is not None else None
        if info is not None:
            self.cite_requested.emit(info)

    def _on_double_click(self, row: int, _column: int) -> None:
        item = self.table.item(row, 0)
        info = item.data(InfoRole) if item is not None else None
        if info is not None:
            self.open_requested.emit(info)
