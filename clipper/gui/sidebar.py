"""The sidebar: All clips, Untagged, each tag and each site with its count.

Selecting an entry emits the `ClipFilter` the list should show. Tags have a context
menu (and F2 / Delete keys) to rename or delete them; the window does the work, so
the sidebar never writes the library.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from clipper.library.types import ClipFilter, SiteCount, TagCount
from clipper.rules import tag_key

KindRole = Qt.ItemDataRole.UserRole + 1
ValueRole = Qt.ItemDataRole.UserRole + 2
ALL, UNTAGGED, TAG, SITE, SECTION = "all", "untagged", "tag", "site", "section"


class Sidebar(QTreeWidget):
    """A two-column tree (name, count) of the library's filters."""

    filter_selected = Signal(object)
    """A `ClipFilter`, or None for all clips."""
    rename_tag_requested = Signal(str)
    delete_tag_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(2)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setIndentation(12)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setFrameShape(QTreeWidget.Shape.NoFrame)
        self.setObjectName("sidebar")
        # The window colour sets the sidebar apart from the list (light and dark alike).
        self.setStyleSheet(
            "QTreeWidget#sidebar { background: palette(window); }"
            "QTreeWidget#sidebar::item { padding: 3px 2px; }"
        )
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.customContextMenuRequested.connect(self._context_menu)
        self.currentItemChanged.connect(self._on_current)
        self._updating = False
        self._all = self._entry(None, "All clips", ALL)
        self._untagged = self._entry(None, "Untagged", UNTAGGED)
        self._tags = self._section("Tags")
        self._sites = self._section("Sites")
        self.setCurrentItem(self._all)

    # --- building -----------------------------------------------------------------------

    def _entry(
        self, parent: QTreeWidgetItem | None, label: str, kind: str, value: str = ""
    ) -> QTreeWidgetItem:
        item = QTreeWidgetItem([label, ""])
        item.setData(0, KindRole, kind)
        item.setData(0, ValueRole, value)
        item.setToolTip(0, label)
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        item.setForeground(1, muted)
        if parent is None:
            self.addTopLevelItem(item)
        else:
            parent.addChild(item)
        return item

    def _section(self, label: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem([label.upper(), ""])
        item.setData(0, KindRole, SECTION)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        item.setFont(0, font)
        item.setForeground(0, QColor(self.palette().color(QPalette.ColorRole.PlaceholderText)))
        item.setTextAlignment(0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        item.setSizeHint(0, QSize(-1, self.fontMetrics().height() + 18))
        self.addTopLevelItem(item)
        item.setExpanded(True)
        return item

    def populate(
        self,
        total: int,
        untagged: int,
        tags: Sequence[TagCount],
        sites: Sequence[SiteCount],
    ) -> None:
        """Refill the counts, keeping the selected entry (or falling back to All)."""
        kind, value = self.current_key()
        self._updating = True
        try:
            self._all.setText(1, str(total))
            self._untagged.setText(1, str(untagged))
            for section, entries, entry_kind in (
                (self._tags, tags, TAG),
                (self._sites, sites, SITE),
            ):
                section.takeChildren()
                for entry in entries:
                    item = self._entry(section, entry.name, entry_kind, entry.name)
                    item.setText(1, str(entry.count))
                    if not entry.count:  # an unused tag: still there to rename or delete
                        item.setForeground(
                            0, self.palette().color(QPalette.ColorRole.PlaceholderText)
                        )
                section.setHidden(not entries)
                section.setExpanded(True)
            restored = self.find_entry(kind, value)
        finally:
            self._updating = False
        if restored is None:
            self.setCurrentItem(self._all)  # emits: the selected tag or site is gone
        elif restored is not self.currentItem():
            self._updating = True
            self.setCurrentItem(restored)
            self._updating = False

    # --- queries ------------------------------------------------------------------------

    def find_entry(self, kind: str, value: str = "") -> QTreeWidgetItem | None:
        """The entry of a tag or site (`value`), or of All / Untagged; None if absent."""
        if kind == ALL:
            return self._all
        if kind == UNTAGGED:
            return self._untagged
        section = self._tags if kind == TAG else self._sites if kind == SITE else None
        if section is None:
            return None
        key = tag_key if kind == TAG else str.casefold
        wanted = key(value)
        for i in range(section.childCount()):
            child = section.child(i)
            if child is not None and key(str(child.data(0, ValueRole))) == wanted:
                return child
        return None

    def current_key(self) -> tuple[str, str]:
        item = self.currentItem()
        if item is None:
            return (ALL, "")
        return (str(item.data(0, KindRole)), str(item.data(0, ValueRole) or ""))

    def current_filter(self) -> ClipFilter | None:
        kind, value = self.current_key()
        return filter_for(kind, value)

    def tag_names(self) -> list[str]:
        children = (self._tags.child(i) for i in range(self._tags.childCount()))
        return [str(child.data(0, ValueRole)) for child in children if child is not None]

    def select(self, kind: str, value: str = "") -> None:
        item = self.find_entry(kind, value)
        if item is not None:
            self.setCurrentItem(item)

    # --- reacting -----------------------------------------------------------------------

    def _on_current(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        if self._updating or current is None:
            return
        kind = str(current.data(0, KindRole))
        if kind == SECTION:
            return
        self.filter_selected.emit(filter_for(kind, str(current.data(0, ValueRole) or "")))

    def _selected_tag(self) -> str | None:
        kind, value = self.current_key()
        return value if kind == TAG else None

    def _context_menu(self, point: QPoint) -> None:
        item = self.itemAt(point)
        if item is None or item.data(0, KindRole) != TAG:
            return
        self.setCurrentItem(item)
        name = str(item.data(0, ValueRole))
        menu = QMenu(self)
        menu.addAction(f"Rename “{name}”…", lambda: self.rename_tag_requested.emit(name))
        menu.addAction(f"Delete “{name}”…", lambda: self.delete_tag_requested.emit(name))
        menu.popup(self.viewport().mapToGlobal(point))

    def event(self, event: QEvent) -> bool:
        """Keep Delete and F2 for the selected tag (not the window's Delete clips)."""
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._selected_tag() is not None
            and event.key() in (Qt.Key.Key_F2, Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        tag = self._selected_tag()
        if tag is not None and event.key() == Qt.Key.Key_F2:
            self.rename_tag_requested.emit(tag)
            return
        if tag is not None and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_tag_requested.emit(tag)
            return
        super().keyPressEvent(event)


def filter_for(kind: str, value: str) -> ClipFilter | None:
    if kind == UNTAGGED:
        return ClipFilter(untagged=True)
    if kind == TAG:
        return ClipFilter(tag=value)
    if kind == SITE:
        return ClipFilter(site=value)
    return None
