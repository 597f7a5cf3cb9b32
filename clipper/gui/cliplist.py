"""The clip list: a lazily loaded table model, its view and the snippet delegate.

For a library of 100,000 clips the model holds only the ordered id list (one indexed
query, one Python int per clip) and a bounded cache of rows. `data()` for a row not
yet loaded returns a placeholder and asks for its page (~200 rows); pages are fetched
on the next event-loop turn by one indexed `summaries()` query, then `dataChanged`
repaints them. Sorting re-queries the ids with the sort key. In search mode the rows
are the search hits (already complete) with a snippet column.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QPalette

from clipper.gui.workers import TaskManager
from clipper.library.types import ClipFilter, ClipSummary, SearchResults, SortKey

if TYPE_CHECKING:
    from clipper.library import Library

COLUMNS = ("title", "site", "published", "clipped", "tags", "snippet")
HEADERS = ("Title", "Site", "Published", "Clipped", "Tags", "Match")
SORT_KEYS: dict[int, SortKey] = {0: "title", 1: "site", 2: "published", 3: "clipped"}
TITLE, SITE, PUBLISHED, CLIPPED, TAGS, SNIPPET = range(6)
ClipIdRole = Qt.ItemDataRole.UserRole + 1
SnippetMarkupRole = Qt.ItemDataRole.UserRole + 2
LOADING = "Loading…"
AnyIndex = QModelIndex | QPersistentModelIndex


def format_published(value: datetime | None) -> str:
    """The publisher's own date (`published_at` carries their offset), not ours."""
    return value.strftime("%Y-%m-%d") if value else ""


def format_clipped(value: datetime, with_time: bool = False) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def strip_marks(snippet: str) -> str:
    return snippet.replace("[[", "").replace("]]", "")


class ClipListModel(QAbstractTableModel):
    """Rows of clips in the current filter and sort, or of the current search."""

    loaded = Signal()
    """The id list of a reload is in (the rows of a filter or a sort are ready)."""
    load_failed = Signal(object)

    PAGE_SIZE = 200
    MAX_PAGES = 50
    """Pages kept in memory (10,000 rows); older pages are dropped and re-read."""

    def __init__(self, library: Library | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library: Library = library  # type: ignore[assignment] # None until attach()
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
        self._tasks: TaskManager | None = None
        self._reload_seq = 0
        self.loading = False
        """True while an id list is being read in the background."""

    def attach(self, library: Library) -> None:
        """The library to read (the window opens it after showing itself)."""
        self._library = library

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
        if (key, descending) == (self._sort, self._descending):
            return  # already in that order (the view re-sorts when sorting is enabled)
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
        for summary in self._library.clips.summaries(ids):
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

    def use_tasks(self, tasks: TaskManager) -> None:
        """Read ids in the background from now on (the window does; tests may not).

        At 100,000 clips the ordered id query takes 100-150 ms: too long for the GUI
        thread on every new clip or header click. The old rows stay on screen until
        the new ones are ready.
        """
        self._tasks = tasks

    def reload(self) -> None:
        """Re-read the ordered ids (after a sort, a filter change, clips added/removed)."""
        if self._search is not None:
            return
        self._reload_seq += 1
        seq = self._reload_seq
        library = self._library
        flt, sort, descending = self._filter, self._sort, self._descending
        page = self.PAGE_SIZE

        def read(_progress: object = None) -> tuple[list[int], list[ClipSummary]]:
            ids = library.clips.ids(flt, sort, descending)
            return ids, library.clips.summaries(ids[:page])

        def done(result: tuple[list[int], list[ClipSummary]]) -> None:
            if seq == self._reload_seq and self._search is None:
                self._apply_ids(*result)

        if self._tasks is None or self._tasks.closed:
            done(read())
        else:
            self.loading = True
            self._tasks.run_read(read, on_done=done, on_error=self._load_failed)

    def _load_failed(self, error: BaseException) -> None:
        self.loading = False
        self.load_failed.emit(error)

    def _apply_ids(self, ids: list[int], first_page: list[ClipSummary]) -> None:
        self.beginResetModel()
        self._ids = ids
        self._row_of = None
        self._rows = {s.id: s for s in first_page}
        self._pages.clear()
        self._wanted.clear()
        if ids:
            # The rows a user sees first come with the ids: no placeholder flash.
            self._pages[0] = tuple(ids[: self.PAGE_SIZE])
            self.page_loads += 1
        self.endResetModel()
        self.loading = False
        self.loaded.emit()

    def set_search(self, results: SearchResults) -> None:
        """Show search hits (in relevance order until a column is sorted)."""
        self._reload_seq += 1  # an id list still on its way is for the old view
        self.loading = False
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
        fresh = {s.id: s for s in self._library.clips.summaries(changed)}
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
