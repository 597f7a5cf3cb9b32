"""The clip list model: ids in order, rows read in pages on the read pool.

For a library of 100,000 clips the model holds only the ordered id list (one indexed
query, one Python int per clip) and a bounded cache of rows. `data()` for a row not
yet loaded returns a placeholder and asks for its page (200 rows); the pages asked for
are read on the read pool (`TaskManager.run_read`), one batch at a time, the newest
first, and `dataChanged` repaints them. Nothing here reads the library on the GUI
thread: the id list, the pages and the rows a write changed all come back as results.
Results for an id list that has since been replaced are dropped (a generation number),
and a page read before a write never overwrites the row the write re-read.
Sorting re-queries the ids with the sort key. In search mode the rows are the search
hits (already complete) with a snippet column.
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
from clipper.library.types import Changes, ClipFilter, ClipSummary, SearchResults, SortKey

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
    rows_arrived = Signal()
    """Rows read in the background were applied (a page, or rows a write changed)."""

    PAGE_SIZE = 200
    MAX_PAGES = 50
    """Pages kept in memory (10,000 rows); older pages are dropped and re-read."""
    BATCH_PAGES = 4
    """Pages read together; more pages than this still wanted were scrolled past."""

    def __init__(
        self, library: Library | None, tasks: TaskManager, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._library = library
        self._tasks = tasks
        self._filter: ClipFilter | None = None
        self._sort: SortKey = "clipped"
        self._descending = True
        self._ids: list[int] = []
        self._rows: dict[int, ClipSummary] = {}
        self._pages: OrderedDict[int, tuple[int, ...]] = OrderedDict()
        self._wanted: OrderedDict[int, None] = OrderedDict()
        """Pages asked for by `data()` and not read yet, the newest last."""
        self._reading: set[int] = set()
        """Pages whose read is on its way."""
        self._requested: set[int] = set()
        """Pages asked for by `request_rows`: read even when scrolled past."""
        self._generation = 0
        """Bumped whenever the id list is replaced: older results are dropped."""
        self._stamp = 0
        self._changed: dict[int, int] = {}
        """Clip id -> stamp of the last write that changed it (pages read before skip it)."""
        self._refreshing = 0
        """Reads of changed rows on their way."""
        self._stale: set[int] = set()
        """Rows a write changed whose re-read is on its way (shown, but not handed out)."""
        self._search: SearchResults | None = None
        self._snippets: dict[int, str] = {}
        self._row_of: dict[int, int] | None = None
        self.page_loads = 0
        """Pages read so far (tests and benchmarks read it)."""
        self._loader = QTimer(self)
        self._loader.setSingleShot(True)
        self._loader.setInterval(0)
        self._loader.timeout.connect(self._read_wanted)
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

    # --- pages, read in the background --------------------------------------------------

    def _want(self, row: int, keep: bool = False) -> None:
        page = row // self.PAGE_SIZE
        if keep:
            self._requested.add(page)
        if page in self._reading:
            return
        self._wanted[page] = None
        self._wanted.move_to_end(page)
        if not self._loader.isActive():
            self._loader.start()

    def request_rows(self, rows: Iterable[int]) -> None:
        """Read these rows' pages if they are not in memory (results come as usual).

        Unlike the pages a repaint asks for, these are read even if scrolled past."""
        for row in rows:
            if 0 <= row < len(self._ids) and self._ids[row] not in self._rows:
                self._want(row, keep=True)

    def _read_wanted(self) -> None:
        """Read the newest pages asked for, one batch at a time."""
        if self._reading or not self._wanted or self._library is None or self._tasks.closed:
            return
        newest = list(self._wanted)[-self.BATCH_PAGES :]
        # Older asks of a repaint were scrolled past (a repaint asks again); requests stay.
        for page in list(self._wanted):
            if page in newest or page not in self._requested:
                del self._wanted[page]
        self._requested.difference_update(newest)
        pages = {p: tuple(self._ids[p * self.PAGE_SIZE : (p + 1) * self.PAGE_SIZE]) for p in newest}
        pages = {p: ids for p, ids in pages.items() if ids}
        if not pages:
            return
        self._reading = set(pages)
        library, generation, stamp = self._library, self._generation, self._stamp
        wanted = [i for ids in pages.values() for i in ids]

        def done(rows: list[ClipSummary]) -> None:
            if generation != self._generation:
                return  # the id list was replaced meanwhile
            self._reading.clear()
            self._apply_pages(pages, rows, stamp)
            self._read_wanted()

        def failed(error: BaseException) -> None:
            if generation == self._generation:
                self._reading.clear()
            self.load_failed.emit(error)

        self._tasks.run_read(
            lambda _p: library.clips.summaries(wanted), on_done=done, on_error=failed
        )

    def _apply_pages(
        self, pages: dict[int, tuple[int, ...]], rows: list[ClipSummary], stamp: int
    ) -> None:
        for summary in rows:
            if self._changed.get(summary.id, 0) <= stamp:  # else a write's re-read has it
                self._rows[summary.id] = summary
        for page, ids in sorted(pages.items()):
            self.page_loads += 1
            self._pages[page] = ids
            self._pages.move_to_end(page)
            first = page * self.PAGE_SIZE
            self.dataChanged.emit(
                self.index(first, 0), self.index(first + len(ids) - 1, len(COLUMNS) - 1)
            )
        while len(self._pages) > self.MAX_PAGES:
            _old, dropped = self._pages.popitem(last=False)
            for clip_id in dropped:
                self._rows.pop(clip_id, None)
        self.rows_arrived.emit()

    @property
    def settled(self) -> bool:
        """No id list, page or changed rows on their way (tests and scripts wait for it)."""
        return not (self.loading or self._reading or self._wanted or self._refreshing)

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
        """Re-read the ordered ids (after a sort, a filter change, clips added/removed).

        At 100,000 clips the ordered id query takes 100-150 ms: too long for the GUI
        thread on every new clip or header click. The old rows stay on screen until
        the new ones are ready; a newer reload supersedes one still on its way.
        """
        if self._search is not None or self._library is None or self._tasks.closed:
            return
        library = self._library
        flt, sort, descending = self._filter, self._sort, self._descending
        page = self.PAGE_SIZE

        def read(_progress: object) -> tuple[list[int], list[ClipSummary]]:
            ids = library.clips.ids(flt, sort, descending)
            return ids, library.clips.summaries(ids[:page])

        def done(result: tuple[list[int], list[ClipSummary]]) -> None:
            if self._search is None:
                self._apply_ids(*result)

        self.loading = True
        self._tasks.run_read(read, on_done=done, on_error=self._load_failed, latest=self)

    def _load_failed(self, error: BaseException) -> None:
        self.loading = False
        self.load_failed.emit(error)

    def _new_generation(self) -> None:
        self._generation += 1
        self._row_of = None
        self._pages.clear()
        self._wanted.clear()
        self._reading.clear()
        self._requested.clear()
        self._changed.clear()
        self._stale.clear()
        self._refreshing = 0

    def _apply_ids(self, ids: list[int], first_page: list[ClipSummary]) -> None:
        self.beginResetModel()
        self._new_generation()
        self._ids = ids
        self._rows = {s.id: s for s in first_page}
        if ids:
            # The rows a user sees first come with the ids: no placeholder flash.
            self._pages[0] = tuple(ids[: self.PAGE_SIZE])
            self.page_loads += 1
        self.endResetModel()
        self.loading = False
        self.loaded.emit()

    def set_search(self, results: SearchResults) -> None:
        """Show search hits (in relevance order until a column is sorted)."""
        self._tasks.supersede(self)  # an id list still on its way is for the old view
        self.loading = False
        self.beginResetModel()
        self._new_generation()
        self._search = results
        self._ids = [hit.clip.id for hit in results.hits]
        self._rows = {hit.clip.id: hit.clip for hit in results.hits}
        self._snippets = {hit.clip.id: hit.snippet for hit in results.hits}
        self.endResetModel()

    def clear_search(self) -> None:
        if self._search is None:
            return
        self._search = None
        self._snippets = {}
        self.reload()

    def _sort_hits(self) -> None:
        def key(clip_id: int) -> str | datetime:
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

    def on_operation(self, changes: Changes[object], _initiator: object = None) -> None:
        """Subscribed to `Operations.operation_did_execute`: this window's writes and
        other clients' commits. Clips added or removed: the ids are read again; clips
        changed: their rows, if in memory. All of it on the read pool. (Search hits are
        the window's: it runs the search again.)"""
        if self._search is not None:
            return
        if changes.added or changes.removed:
            self.reload()
        elif changes.clips:
            self.apply_changes(changes.clips)

    def apply_changes(self, clips: Iterable[int]) -> None:
        """Re-read changed rows in the background (tags renamed, a clip re-clipped).

        Rows not in memory need nothing: they are read when shown. The old row stays
        on screen until the new one arrives.
        """
        reading = {i for page in self._reading for i in self._page_ids(page)}
        changed = [c for c in clips if c in self._rows or c in reading]
        if not changed or self._library is None or self._tasks.closed:
            return
        self._stamp += 1
        stamp, generation, library = self._stamp, self._generation, self._library
        for clip_id in changed:
            self._changed[clip_id] = stamp
        self._stale.update(changed)
        self._refreshing += 1

        def done(rows: list[ClipSummary]) -> None:
            if generation != self._generation:
                return
            self._refreshing -= 1
            fresh = {s.id: s for s in rows}
            row_of = self.row_map()
            for clip_id in changed:
                if self._changed.get(clip_id) != stamp:
                    continue  # a later write re-reads it
                self._stale.discard(clip_id)
                if clip_id in fresh:
                    self._rows[clip_id] = fresh[clip_id]
                row = row_of.get(clip_id)
                if row is not None:
                    self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            self.rows_arrived.emit()

        def failed(error: BaseException) -> None:
            if generation == self._generation:
                self._refreshing -= 1
                for clip_id in changed:  # read again when next shown
                    if self._changed.get(clip_id) == stamp:
                        self._stale.discard(clip_id)
                        self._rows.pop(clip_id, None)
            self.load_failed.emit(error)

        self._tasks.run_read(
            lambda _p: library.clips.summaries(changed), on_done=done, on_error=failed
        )

    def _page_ids(self, page: int) -> Sequence[int]:
        return self._ids[page * self.PAGE_SIZE : (page + 1) * self.PAGE_SIZE]

    # --- lookups (memory only: never a query) -------------------------------------------

    def row_map(self) -> dict[int, int]:
        if self._row_of is None:
            self._row_of = {clip_id: row for row, clip_id in enumerate(self._ids)}
        return self._row_of

    def clip_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, clip_id: int) -> int | None:
        return self.row_map().get(clip_id)

    def cached(self, row: int) -> ClipSummary | None:
        """The row's clip if it is in memory and current (else None: `request_rows`)."""
        if not 0 <= row < len(self._ids):
            return None
        return self.cached_clip(self._ids[row])

    def cached_clip(self, clip_id: int) -> ClipSummary | None:
        """None also while a write's re-read of the clip is on its way: a command
        must not act on the tags the write just changed."""
        return None if clip_id in self._stale else self._rows.get(clip_id)

    @property
    def ids(self) -> Sequence[int]:
        return self._ids
