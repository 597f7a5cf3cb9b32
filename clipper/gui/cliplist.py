"""The clip list: a lazily loaded table model, its view and the snippet delegate.

For a library of 100,000 clips the model holds only the ordered id list (one indexed
query, one Python int per clip) and a bounded cache of rows. `data()` for a row not
yet loaded returns a placeholder and asks for its page (~200 rows); pages are fetched
on the next event-loop turn by one indexed `summaries()` query, then `dataChanged`
repaints them. Sorting re-queries the ids with the sort key. In search mode the rows
are the search hits (already complete) with a snippet column.
"""

from __future__ import annotations

import html
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import ClassVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QPalette, QTextDocument
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

from clipper.library import Library
from clipper.library.types import ClipFilter, ClipSummary, SearchResults, SortKey

COLUMNS = ("title", "site", "published", "clipped", "tags", "snippet")
HEADERS = ("Title", "Site", "Published", "Clipped", "Tags", "Match")
SORT_KEYS: dict[int, SortKey] = {0: "title", 1: "site", 2: "published", 3: "clipped"}
TITLE, SITE, PUBLISHED, CLIPPED, TAGS, SNIPPET = range(6)
ClipIdRole = Qt.ItemDataRole.UserRole + 1
SnippetMarkupRole = Qt.ItemDataRole.UserRole + 2
LOADING = "Loading…"
AnyIndex = QModelIndex | QPersistentModelIndex


def format_published(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d") if value else ""


def format_clipped(value: datetime, with_time: bool = False) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def strip_marks(snippet: str) -> str:
    return snippet.replace("[[", "").replace("]]", "")


class ClipListModel(QAbstractTableModel):
    """Rows of clips in the current filter and sort, or of the current search."""

    PAGE_SIZE = 200
    MAX_PAGES = 50
    """Pages kept in memory (10,000 rows); older pages are dropped and re-read."""

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._filter: ClipFilter | None = None
        self._sort: SortKey = "clipped"
        self._descending = True
        self._ids: list[int] = []
        self._rows: dict[int, ClipSummary] = {}
        self._pages: OrderedDict[int, tuple[int, ...]] = OrderedDict()
        self._wanted: set[int] = set()
        self._search: SearchResults | None = None
        self._snippets: dict[int, str] = {}
        self._row_of: dict[int, int] | None = None
        self.page_loads = 0
        """Pages fetched so far (tests and benchmarks read it)."""
        self._loader = QTimer(self)
        self._loader.setSingleShot(True)
        self._loader.setInterval(0)
        self._loader.timeout.connect(self._load_wanted)

    # --- Qt model interface -------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt default
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt default
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section == SNIPPET:
                return "Where the search words were found"
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        clip_id = self._ids[index.row()]
        if role == ClipIdRole:
            return clip_id
        column = index.column()
        summary = self._rows.get(clip_id)
        if summary is None:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                self._want(index.row())
                return LOADING if column == TITLE else ""
            if role == Qt.ItemDataRole.ForegroundRole:
                return QPalette().color(QPalette.ColorRole.PlaceholderText)
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(summary, column)
        if role == SnippetMarkupRole and column == SNIPPET:
            return self._snippets.get(clip_id, "")
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == SNIPPET:
                return strip_marks(self._snippets.get(clip_id, ""))
            if column == TITLE:
                return f"{summary.title}\n{summary.url}"
            if column == CLIPPED:
                return f"Clipped {format_clipped(summary.clipped_at, with_time=True)}"
            return None
        return None

    def _display(self, summary: ClipSummary, column: int) -> str:
        if column == TITLE:
            return summary.title or summary.url
        if column == SITE:
            return summary.site_name
        if column == PUBLISHED:
            return format_published(summary.published_at)
        if column == CLIPPED:
            return format_clipped(summary.clipped_at)
        if column == TAGS:
            return ", ".join(summary.tags)
        return strip_marks(self._snippets.get(summary.id, ""))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column)
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if self._search is not None:
            self._sort, self._descending = key, descending
            self._sort_hits()
            return
        if (key, descending) == (self._sort, self._descending) and self._ids:
            return
        self._sort, self._descending = key, descending
        self.reload()

    # --- lazy loading -------------------------------------------------------------------

    def _want(self, row: int) -> None:
        self._wanted.add(row // self.PAGE_SIZE)
        if not self._loader.isActive():
            self._loader.start()

    def _load_wanted(self) -> None:
        pages, self._wanted = sorted(self._wanted), set()
        for page in pages:
            first, last = self._load_page(page)
            if last >= first:
                self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    def _load_page(self, page: int) -> tuple[int, int]:
        first = page * self.PAGE_SIZE
        ids = tuple(self._ids[first : first + self.PAGE_SIZE])
        if not ids:
            return (0, -1)
        for summary in self._library.summaries(ids):
            self._rows[summary.id] = summary
        self.page_loads += 1
        self._pages[page] = ids
        self._pages.move_to_end(page)
        while len(self._pages) > self.MAX_PAGES:
            _old, dropped = self._pages.popitem(last=False)
            for clip_id in dropped:
                self._rows.pop(clip_id, None)
        return (first, first + len(ids) - 1)

    def ensure_loaded(self, rows: Iterable[int]) -> None:
        """Load the pages of these rows now (for actions on a selection)."""
        wanted = {r for r in rows if 0 <= r < len(self._ids)}
        for page in sorted({r // self.PAGE_SIZE for r in wanted if self._ids[r] not in self._rows}):
            self._load_page(page)

    # --- what the rows are --------------------------------------------------------------

    @property
    def filter(self) -> ClipFilter | None:
        return self._filter

    @property
    def sort_key(self) -> tuple[SortKey, bool]:
        return self._sort, self._descending

    @property
    def search(self) -> SearchResults | None:
        return self._search

    def set_filter(self, flt: ClipFilter | None) -> None:
        self._filter = flt
        self._search = None
        self.reload()

    def reload(self) -> None:
        """Re-read the ordered ids (after a sort, a filter change, clips added/removed)."""
        if self._search is not None:
            return
        ids = self._library.clip_ids(self._filter, self._sort, self._descending)
        self.beginResetModel()
        self._ids = ids
        self._row_of = None
        self._rows.clear()
        self._pages.clear()
        self._wanted.clear()
        if ids:
            self._load_page(0)  # the rows a user sees first, without a placeholder flash
        self.endResetModel()

    def set_search(self, results: SearchResults) -> None:
        """Show search hits (in relevance order until a column is sorted)."""
        self.beginResetModel()
        self._search = results
        self._ids = [hit.clip.id for hit in results.hits]
        self._row_of = None
        self._rows = {hit.clip.id: hit.clip for hit in results.hits}
        self._snippets = {hit.clip.id: hit.snippet for hit in results.hits}
        self._pages.clear()
        self._wanted.clear()
        self.endResetModel()

    def clear_search(self) -> None:
        if self._search is None:
            return
        self._search = None
        self._snippets = {}
        self.reload()

    def _sort_hits(self) -> None:
        def key(clip_id: int) -> object:
            row = self._rows[clip_id]
            if self._sort == "title":
                return (row.title or row.url).casefold()
            if self._sort == "site":
                return row.site_name.casefold()
            if self._sort == "published":
                return row.published_at or datetime.min.replace(tzinfo=row.clipped_at.tzinfo)
            return row.clipped_at

        self.layoutAboutToBeChanged.emit()
        old = list(self._ids)
        self._ids.sort(key=key, reverse=self._descending)
        self._row_of = None
        new_rows = self.row_map()
        moved_from = [self.index(r, c) for r in range(len(old)) for c in range(len(COLUMNS))]
        moved_to = [self.index(new_rows[old[i.row()]], i.column()) for i in moved_from]
        self.changePersistentIndexList(moved_from, moved_to)
        self.layoutChanged.emit()

    def apply_changes(self, clips: Iterable[int]) -> None:
        """Re-read changed rows in place (tags renamed, a clip re-clipped)."""
        changed = [c for c in clips if c in self._rows]
        if not changed:
            return
        fresh = {s.id: s for s in self._library.summaries(changed)}
        rows = self.row_map()
        for clip_id in changed:
            if clip_id in fresh:
                self._rows[clip_id] = fresh[clip_id]
            row = rows.get(clip_id)
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # --- lookups ------------------------------------------------------------------------

    def row_map(self) -> dict[int, int]:
        if self._row_of is None:
            self._row_of = {clip_id: row for row, clip_id in enumerate(self._ids)}
        return self._row_of

    def clip_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, clip_id: int) -> int | None:
        return self.row_map().get(clip_id)

    def summary(self, row: int) -> ClipSummary | None:
        """The row's clip, reading its page now if needed."""
        if not 0 <= row < len(self._ids):
            return None
        clip_id = self._ids[row]
        if clip_id not in self._rows and self._search is None:
            self._load_page(row // self.PAGE_SIZE)
        return self._rows.get(clip_id)

    @property
    def ids(self) -> Sequence[int]:
        return self._ids


class SnippetDelegate(QStyledItemDelegate):
    """Paints `[[matched]]` words of a snippet in bold with a highlight."""

    def paint(self, painter, option: QStyleOptionViewItem, index: AnyIndex) -> None:  # type: ignore[no-untyped-def]
        markup = index.data(SnippetMarkupRole)
        if not markup:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        color = opt.palette.color(role)
        mark = QColor(255, 196, 0, 90 if not selected else 0)
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
