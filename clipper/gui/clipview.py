"""The clip list's view: whole rows, several at once, snippets with marked words.

The view also keeps the selection across model resets (a new clip, a sort, a filter):
the window says what to select next (`after_reset`), else the same clips stay selected.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import ClassVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from clipper.gui.cliplist import (
    CLIPPED,
    HEADERS,
    PUBLISHED,
    SITE,
    SNIPPET,
    TAGS,
    TITLE,
    ClipListModel,
    SnippetMarkupRole,
)
from clipper.gui.highlight import SEARCH_HIT_RGB

AnyIndex = QModelIndex | QPersistentModelIndex


class SnippetDelegate(QStyledItemDelegate):
    """Paints `[[matched]]` words of a snippet in bold with a highlight."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        markup = index.data(SnippetMarkupRole)
        if not markup:
            super().paint(painter, option, index)
            return
        markup = lead_to_match(markup)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        color = opt.palette.color(role)
        mark = QColor(*SEARCH_HIT_RGB, 90 if not selected else 0)  # as in the reader
        doc = QTextDocument()
        doc.setDefaultFont(opt.font)
        doc.setDocumentMargin(0)
        doc.setHtml(
            f'<span style="color:{color.name()}; white-space:nowrap">'
            + _marked_html(markup, mark)
            + "</span>"
        )
        rect = opt.rect.adjusted(4, 0, -4, 0)
        painter.save()
        painter.setClipRect(rect)
        top = rect.top() + max(0.0, (rect.height() - doc.size().height()) / 2)
        painter.translate(rect.left(), top)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        doc.documentLayout().draw(painter, ctx)
        painter.restore()


def lead_to_match(snippet: str, keep: int = 24) -> str:
    """Shorten the text before the first match so that a narrow column shows it."""
    first = snippet.find("[[")
    if first <= keep + 1:
        return snippet
    cut = snippet.find(" ", first - keep, first)
    start = cut + 1 if cut >= 0 else first - keep
    return "…" + snippet[start:]


def _marked_html(snippet: str, mark: QColor) -> str:
    out = []
    rest = snippet
    while rest:
        start = rest.find("[[")
        end = rest.find("]]", start + 2) if start >= 0 else -1
        if start < 0 or end < 0:
            out.append(html.escape(rest))
            break
        out.append(html.escape(rest[:start]))
        rgba = f"rgba({mark.red()},{mark.green()},{mark.blue()},{mark.alpha()})"
        out.append(f'<b style="background-color:{rgba}">{html.escape(rest[start + 2 : end])}</b>')
        rest = rest[end + 2 :]
    return "".join(out)


class ClipTableView(QTableView):
    """The list: whole rows, several at once, no grid; the title column takes the room.

    Right-clicking the header shows or hides columns (Title always shows).
    """

    DEFAULT_WIDTHS: ClassVar[dict[int, int]] = {
        SITE: 120,
        PUBLISHED: 92,
        CLIPPED: 92,
        TAGS: 120,
        SNIPPET: 300,
    }
    SEARCH_HIDDEN = (PUBLISHED, CLIPPED, TAGS)
    """Columns that give their room to the snippet while searching."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setTabKeyNavigation(False)
        self.setCornerButtonEnabled(False)
        self.setFrameShape(QTableView.Shape.NoFrame)
        self.setItemDelegateForColumn(SNIPPET, SnippetDelegate(self))
        vertical = self.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionsMovable(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setMinimumSectionSize(48)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self._user_hidden: set[int] = set()
        self._searching = False
        self._kept: tuple[list[int], int | None] = ([], None)
        self.after_reset: object = None
        """What to select when the rows next change: "first", ("select", id), ("row", n)."""

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        self.apply_default_widths()

    def apply_default_widths(self) -> None:
        header = self.horizontalHeader()
        if header.count() <= SNIPPET:
            return
        for column, width in self.DEFAULT_WIDTHS.items():
            self.setColumnWidth(column, width)
        self._set_modes()
        self.setColumnHidden(SNIPPET, True)

    def _set_modes(self) -> None:
        header = self.horizontalHeader()
        for column in range(header.count()):
            stretch = column == TITLE or (column == SNIPPET and self._searching)
            header.setSectionResizeMode(
                column,
                QHeaderView.ResizeMode.Stretch if stretch else QHeaderView.ResizeMode.Interactive,
            )

    def set_search_mode(self, searching: bool) -> None:
        """While searching, the snippet column shows and the dates and tags make room."""
        if searching == self._searching:
            return
        self._searching = searching
        for column in self.SEARCH_HIDDEN:
            self.setColumnHidden(column, searching or column in self._user_hidden)
        self.setColumnHidden(SNIPPET, not searching)
        self._set_modes()

    @property
    def user_hidden(self) -> set[int]:
        return set(self._user_hidden)

    def set_user_hidden(self, columns: Iterable[int]) -> None:
        self._user_hidden = {c for c in columns if c not in (TITLE, SNIPPET)}
        for column in (SITE, PUBLISHED, CLIPPED, TAGS):
            hidden = column in self._user_hidden or (
                self._searching and column in self.SEARCH_HIDDEN
            )
            self.setColumnHidden(column, hidden)

    def _header_menu(self, point: QPoint) -> None:
        menu = QMenu(self)
        for column in (SITE, PUBLISHED, CLIPPED, TAGS):
            action = menu.addAction(HEADERS[column])
            action.setCheckable(True)
            action.setChecked(column not in self._user_hidden)
            action.toggled.connect(lambda on, c=column: self._toggle(c, on))
        menu.popup(self.horizontalHeader().mapToGlobal(point))

    def _toggle(self, column: int, visible: bool) -> None:
        hidden = set(self._user_hidden)
        if visible:
            hidden.discard(column)
        else:
            hidden.add(column)
        self.set_user_hidden(hidden)

    def selected_rows(self) -> list[int]:
        model = self.selectionModel()
        if model is None:
            return []
        return sorted(index.row() for index in model.selectedRows())

    # --- keeping the selection across resets --------------------------------------------

    def clip_model(self) -> ClipListModel:
        model = self.model()
        assert isinstance(model, ClipListModel)
        return model

    def selected_ranges(self) -> list[tuple[int, int]]:
        """The selected rows as (first, last) ranges: Select All over 100,000 rows is one."""
        model = self.selectionModel()
        if model is None:
            return []
        spans = sorted({(r.top(), r.bottom()) for r in model.selection().toList()})
        merged: list[tuple[int, int]] = []
        for top, bottom in spans:
            if merged and top <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], bottom))
            else:
                merged.append((top, bottom))
        return merged

    def selected_ids(self) -> list[int]:
        """The selected clips, in list order, read from the id list (never the rows)."""
        ids = self.clip_model().ids
        return [i for top, bottom in self.selected_ranges() for i in ids[top : bottom + 1]]

    def selected_count(self) -> int:
        return sum(bottom - top + 1 for top, bottom in self.selected_ranges())

    def current_id(self) -> int | None:
        index = self.currentIndex()
        model = self.clip_model()
        if not index.isValid() or index.row() >= model.rowCount():
            return None
        return model.clip_id(index.row())

    def remember_selection(self) -> None:
        """Connected to `modelAboutToBeReset`: note the clips, not the rows."""
        self._kept = (self.selected_ids(), self.current_id())

    def restore_selection(self) -> bool:
        """Connected (after the window's own slots) to `modelReset`.

        Returns False when nothing could be selected again.
        """
        what, self.after_reset = self.after_reset, None
        model = self.clip_model()
        if what == "first":
            return self.select_first()
        if isinstance(what, tuple) and what[0] == "row":
            if not model.rowCount():
                return False
            self.select_only(min(int(what[1]), model.rowCount() - 1))
            return True
        if isinstance(what, tuple) and what[0] == "select":
            return self.select_id(int(what[1]))
        return self.reselect(*self._kept)

    def reselect(self, ids: Sequence[int], current: int | None) -> bool:
        model = self.clip_model()
        selection = QItemSelection()
        last = model.columnCount() - 1
        for clip_id in ids:
            row = model.row_of(clip_id)
            if row is not None:
                selection.select(model.index(row, 0), model.index(row, last))
        selection_model = self.selectionModel()
        if current is not None and (row := model.row_of(current)) is not None:
            selection_model.setCurrentIndex(
                model.index(row, 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )
        if selection.isEmpty():
            return False
        selection_model.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        return True

    def select_only(self, row: int) -> None:
        """Make `row` the one selected and current row.

        Not `selectRow()`: that one reads the keyboard modifiers held at the moment
        and, with Ctrl or Shift down, adds to the selection instead of replacing it.
        """
        model = self.clip_model()
        index = model.index(row, 0)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.selectionModel().setCurrentIndex(index, flags)

    def select_first(self) -> bool:
        if not self.clip_model().rowCount():
            return False
        self.select_only(0)
        self.scrollToTop()
        return True

    def select_id(self, clip_id: int) -> bool:
        row = self.clip_model().row_of(clip_id)
        if row is None:
            return False
        self.select_only(row)
        self.scrollTo(self.clip_model().index(row, 0))
        return True
