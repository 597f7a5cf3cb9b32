"""The local search index: Whoosh's bookkeeping, our array segments, vectorized search.

Writes: a commit builds one new segment from the given clips (`builder.py`), marks the
clips' older copies deleted in their segments, and writes Whoosh's next table of
contents, all under Whoosh's write lock (a file lock, so the CLI and the app can share
an index). No merge ever runs inside a commit: when small segments pile up, a
background thread merges them without the lock and takes it only to swap the result
in (a few milliseconds), replaying deletions made meanwhile. A rebuild writes big
segments in worker processes and compacts them into one at the end (`compact.py`).
The folder, the merge policy and the memory budget have modules of their own.

Reads: a `View` maps every segment once; a search is array work on it (`engine.py`).
Thread safety: one lock serializes writers, another guards the view. A search never
waits for a write, only for the moment the view is swapped.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
from whoosh.index import TOC, FileIndex, clean_files

from clipper.search.backend import (
    IndexHit,
    IndexLockedError,
    IndexResults,
    Progress,
    SearchIndexError,
)
from clipper.search.document import IndexDoc
from clipper.search.query import ParsedQuery, parse_query
from clipper.search.whoosh.builder import SegmentBuilder
from clipper.search.whoosh.buildworker import build_parallel
from clipper.search.whoosh.codec import ArraySegment
from clipper.search.whoosh.compact import compact_segments
from clipper.search.whoosh.engine import Engine
from clipper.search.whoosh.folder import (
    INDEX_NAME,
    MARKER,
    IndexUnreadable,
    create_folder,
    open_folder,
)
from clipper.search.whoosh.memory import PageBudget
from clipper.search.whoosh.merging import merge_candidates
from clipper.search.whoosh.options import IndexOptions
from clipper.search.whoosh.segment import Array, SegmentCorrupt, SegmentData, write_arrays
from clipper.search.whoosh.view import View
from clipper.search.whoosh.where import where_matched

log = logging.getLogger(__name__)


def _approx_words(doc: IndexDoc) -> int:
    """Words of a clip's catch-all text, roughly (spaces), to size rebuild segments."""
    parts = (doc.title, doc.subtitle, doc.body, doc.captions, doc.notes)
    return sum(p.count(" ") + p.count("\n") + 1 for p in parts if p) + 1


class SearchIndex:
    """The library's full-text index in `folder` (created, or recreated when stale)."""

    def __init__(self, folder: Path, options: IndexOptions | None = None) -> None:
        self.folder = Path(folder)
        self.options = options or IndexOptions()
        self.needs_rebuild = False
        self._write_lock = threading.Lock()
        self._read_lock = threading.RLock()
        self._data: dict[str, SegmentData] = {}
        self._data_lock = threading.Lock()
        self._merging: threading.Thread | None = None
        self._writers = 0
        self._writers_lock = threading.Lock()
        self._no_writers = threading.Event()
        self._no_writers.set()
        self._pages = PageBudget(self.options.mapped_budget_mb)
        self._closed = False
        self._ix = self._open_or_create()
        self._view = self._load_view()

    # -- opening ---------------------------------------------------------------------

    def _open_or_create(self) -> FileIndex:
        try:
            ix = open_folder(self.folder, self.options, self._segment_data)
        except IndexUnreadable:
            ix = None
        if ix is None:
            self._drop_data()
            ix = create_folder(self.folder, self.options)
            self.needs_rebuild = True
        return ix

    def _drop_data(self) -> None:
        for data in self._data.values():
            data.close()
        self._data = {}

    def _segment_data(self, seg: ArraySegment) -> SegmentData:
        with self._data_lock:
            return self._segment_data_locked(seg)

    def _segment_data_locked(self, seg: ArraySegment) -> SegmentData:
        data = self._data.get(seg.segid)
        if data is None:
            if not isinstance(seg, ArraySegment):
                raise SegmentCorrupt(f"segment {seg!r} is not a Clipper segment")
            data = SegmentData(self.folder / seg.filename())
            if data.doc_count != seg.doc_count_all():
                raise SegmentCorrupt(f"{seg.filename()}: document count differs")
            self._data[seg.segid] = data
        return data

    def _load_view(self, toc: TOC | None = None) -> View:
        toc = toc or self._ix._read_toc()
        segments = [(self._segment_data(s), s.deleted_set()) for s in toc.segments]
        current = {s.segid for s in toc.segments}
        with self._data_lock:
            for segid in [k for k in self._data if k not in current]:
                self._data.pop(segid).close()
        view = View(segments, toc.generation)
        view.toc = toc
        view.data = {s.segid: d for s, (d, _) in zip(toc.segments, segments, strict=True)}
        return view

    def close(self) -> None:
        self.wait_for_merges()
        with self._write_lock, self._read_lock:
            if not self._closed:
                self._closed = True
                self._drop_data()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise SearchIndexError("The search index is closed.")

    @contextlib.contextmanager
    def _foreground(self) -> Iterator[None]:
        """A write someone waits for: a background merge pauses while it runs."""
        with self._writers_lock:
            self._writers += 1
            self._no_writers.clear()
        try:
            yield
        finally:
            with self._writers_lock:
                self._writers -= 1
                if not self._writers:
                    self._no_writers.set()

    def _yield_to_writers(self) -> None:
        """Where a background merge waits for foreground writes (bounded: a long batch
        write must not starve merging forever)."""
        if threading.current_thread() is self._merging:
            self._no_writers.wait(timeout=1.0)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[TOC]:
        """The write lock (thread, then file) and the current table of contents."""
        with self._write_lock:
            self._check_open()
            lock = self._ix.lock("WRITELOCK")
            deadline = time.monotonic() + self.options.lock_timeout
            while not lock.acquire():
                if time.monotonic() >= deadline:
                    raise IndexLockedError(
                        "The search index is being updated by another Clipper process; "
                        "try again when it has finished."
                    )
                time.sleep(0.02)
            try:
                yield self._ix._read_toc()
            finally:
                lock.release()

    def _write_segment(
        self, arrays: dict[str, Array], docs: int, publish: bool = True
    ) -> tuple[ArraySegment, Path]:
        """A new segment's file (under a temporary name unless `publish`)."""
        seg = ArraySegment(INDEX_NAME, docs)
        try:
            path = write_arrays(self.folder / seg.filename(), arrays, {"docs": docs}, publish)
        except OSError as exc:
            raise SearchIndexError(f"Cannot write the search index: {exc}") from exc
        return seg, path

    def _commit(self, toc: TOC, segments: list[ArraySegment]) -> None:
        """Write the next table of contents and switch the view to it."""
        new = TOC(toc.schema, segments, toc.generation + 1)
        try:
            new.write(self._ix.storage, INDEX_NAME)
        except OSError as exc:
            raise SearchIndexError(f"Cannot write the search index: {exc}") from exc
        clean_files(self._ix.storage, INDEX_NAME, new.generation, segments)
        self._swap(new)

    def _swap(self, toc: TOC) -> None:
        with self._read_lock:
            if not self._closed:
                self._view = self._load_view(toc)

    def _delete_ids(self, toc: TOC, ids: Collection[int]) -> None:
        """Mark the clips `ids` deleted in the segments of `toc` (the one being written)."""
        if not ids:
            return
        wanted = np.fromiter((i for i in ids if 0 <= i < 2**63), dtype=np.int64)
        view = self._view
        if view.toc is not None and [s.segid for s in view.toc.segments] == [
            s.segid for s in toc.segments
        ]:  # our view has these segments: one pass over its id column
            hits = np.flatnonzero(np.isin(view.ids, wanted))
            owners = np.searchsorted(view.bases, hits, side="right") - 1
            for docnum, owner in zip(hits.tolist(), owners.tolist(), strict=True):
                toc.segments[owner].delete_document(docnum - view.bases[owner])
            return
        for seg in toc.segments:  # another process committed since our view
            found = np.flatnonzero(np.isin(self._segment_data(seg).ids.astype(np.int64), wanted))
            for docnum in found.tolist():
                seg.delete_document(docnum)

    def upsert(self, docs: Sequence[IndexDoc]) -> None:
        """Add or replace documents by id; searchable when this returns."""
        if not docs:
            return
        with self._foreground():
            latest = {d.id: d for d in docs}  # a clip given twice: its last copy
            builder = SegmentBuilder()
            for doc in latest.values():
                builder.add(doc)
            arrays = builder.arrays()
            with self._locked() as toc:
                seg, _ = self._write_segment(arrays, len(builder))
                self._delete_ids(toc, latest.keys())
                self._commit(toc, [*toc.segments, seg])
        self._maybe_merge()

    def delete(self, ids: Iterable[int]) -> None:
        ids = list(ids)
        if not ids:
            return
        with self._foreground(), self._locked() as toc:
            self._delete_ids(toc, ids)
            self._commit(toc, list(toc.segments))

    def rebuild(
        self,
        docs: Iterable[IndexDoc],
        total: int | None = None,
        progress: Progress | None = None,
    ) -> None:
        """Replace the whole index with `docs`, a big segment at a time, built by
        `rebuild_procs` worker processes while this one reads the clips.

        The first segment's commit drops the old index, so until the last one, searches
        see the clips loaded so far; a failure before it leaves the old index as it was.
        """
        self.wait_for_merges()
        segments: deque[ArraySegment] = deque()
        done = 0

        def jobs() -> Iterator[tuple[Path, list[IndexDoc]]]:
            nonlocal done
            chunk: list[IndexDoc] = []
            words = 0
            for doc in docs:
                chunk.append(doc)
                words += _approx_words(doc)
                done += 1
                if progress is not None and done % 500 == 0:
                    progress(done, total)
                if words >= self.options.rebuild_words:
                    yield self._new_segment_path(segments, len(chunk)), chunk
                    chunk, words = [], 0
            if chunk or not segments:
                yield self._new_segment_path(segments, len(chunk)), chunk

        first = True
        built: list[str] = []
        try:
            for pending, count in build_parallel(jobs(), self.options.rebuild_procs):
                seg = segments.popleft()
                seg.set_doc_count(count)
                with self._locked() as toc:
                    pending.replace(self.folder / seg.filename())
                    self._commit(toc, [seg] if first else [*toc.segments, seg])
                built.append(seg.segid)
                first = False
        except BaseException:
            self._remove_temporary_files()
            raise
        self.needs_rebuild = False
        if self.options.rebuild_compact:
            try:
                self.compact(built)
            except SearchIndexError as exc:  # the rebuilt index is whole without it
                self._remove_temporary_files()
                log.warning("search index not compacted after the rebuild: %s", exc)
        if progress is not None:
            progress(done, total)

    def _remove_temporary_files(self) -> None:
        for leftover in self.folder.glob(f".{INDEX_NAME}_*.tmp"):
            leftover.unlink(missing_ok=True)

    def compact(
        self,
        segids: Collection[str] | None = None,
        before_swap: Callable[[], None] | None = None,
    ) -> bool:
        """Lay segments (`segids`, or all) end to end in one: fast, in bounded memory,
        deleted clips kept (marked). False, the index as it was, when there is nothing to
        compact or too many words for one segment."""
        self.wait_for_merges()
        with self._read_lock:
            view = self._current()
        sources = [s for s in view.toc.segments if segids is None or s.segid in segids]
        if len(sources) < 2:
            return False
        try:
            return self._replace(view, sources, compacting=True, before_swap=before_swap)
        except ValueError as exc:
            self._remove_temporary_files()
            log.info("search index not compacted: %s", exc)
            return False

    def _new_segment_path(self, segments: deque[ArraySegment], docs: int) -> Path:
        seg = ArraySegment(INDEX_NAME, docs)
        segments.append(seg)
        return self.folder / seg.filename()

    # -- merging ----------------------------------------------------------------------

    def _maybe_merge(self) -> None:
        if self._merging is not None and self._merging.is_alive():
            return
        with self._read_lock:
            toc = self._view.toc
        if not merge_candidates(toc.segments, self.options):
            return
        if not self.options.background_merge:
            self.merge()
            return
        self._merging = threading.Thread(
            target=self._merge_quietly, name="index-merge", daemon=True
        )
        self._merging.start()

    def _merge_quietly(self) -> None:
        try:
            self.merge()
        except Exception as exc:  # noqa: BLE001 - a merge is an optimisation; retried later
            log.warning("search index merge failed: %s", exc)

    def wait_for_merges(self) -> None:
        thread = self._merging
        if thread is not None:
            thread.join()

    def merge(
        self, everything: bool = False, before_swap: Callable[[], None] | None = None
    ) -> bool:
        """Merge a tier of small segments (or all: `everything`) into one.

        The merge reads mapped segments without any lock; only the swap is locked, and
        deletions made meanwhile are carried over to the merged segment.
        """
        with self._read_lock:
            view = self._current()
        sources = merge_candidates(view.toc.segments, self.options, everything)
        if not sources:
            return False
        return self._replace(view, sources, compacting=False, before_swap=before_swap)

    def _replace(
        self,
        view: View,
        sources: list[ArraySegment],
        compacting: bool,
        before_swap: Callable[[], None] | None = None,
    ) -> bool:
        """Write one segment for `sources` (segments of `view`) without any lock, then
        swap it in under the lock. A merge drops deleted documents and carries over
        deletions made meanwhile; a compaction (`compact.py`) copies every document and
        carries over all deletions."""
        # The view's segments are mapped already: a commit deleting their files now
        # cannot pull them away from under the merge.
        snapshot = [(view.data[s.segid], s.deleted_set()) for s in sources]
        keeps: list[npt.NDArray[np.bool_] | None] = []
        for data, deleted in snapshot:
            keep = None
            if deleted and not compacting:
                keep = np.ones(data.doc_count, dtype=bool)
                keep[np.fromiter(deleted, dtype=np.int64)] = False
            keeps.append(keep)
        kept = [
            np.arange(d.doc_count) if k is None else np.flatnonzero(k)
            for (d, _), k in zip(snapshot, keeps, strict=True)
        ]
        carried = [frozenset() if compacting else frozenset(dl) for _, dl in snapshot]
        seg = ArraySegment(INDEX_NAME, sum(len(k) for k in kept))
        try:
            pending = compact_segments(
                [d for d, _ in snapshot],
                self.folder / seg.filename(),
                keeps,
                pause=None if compacting else self._yield_to_writers,
                release=compacting,
            )
        except OSError as exc:
            raise SearchIndexError(f"Cannot write the search index: {exc}") from exc
        if before_swap is not None:  # tests: writes that land while a merge runs
            before_swap()
        self._yield_to_writers()
        with self._locked() as now:
            current = {s.segid: s for s in now.segments}
            if any(s.segid not in current for s in sources):
                pending.unlink(missing_ok=True)
                return False
            pending.replace(self.folder / seg.filename())
            offset = 0
            for src, before, keep in zip(sources, carried, kept, strict=True):
                for docnum in current[src.segid].deleted_set() - before:
                    seg.delete_document(offset + int(np.searchsorted(keep, docnum)))
                offset += len(keep)
            merged_ids = {s.segid for s in sources}
            out: list[ArraySegment] = []
            for s in now.segments:
                if s.segid in merged_ids:
                    if s.segid == sources[0].segid:
                        out.append(seg)
                    continue
                out.append(s)
            self._commit(now, out)
        return True

    def optimize(self) -> None:
        """Merge every segment into one (slow at 100k clips; for idle time)."""
        self.wait_for_merges()
        self.merge(everything=True)

    # -- reading ---------------------------------------------------------------------

    def _current(self) -> View:
        """The view, refreshed if another process committed (a directory listing)."""
        self._check_open()
        if self._ix.latest_generation() != self._view.generation:
            self._view = self._fresh_view()  # the caller holds the read lock
        return self._view

    def _fresh_view(self) -> View:
        """The latest generation's view. Another process may commit (and delete the
        files of the generation just read) meanwhile: then read the next one."""
        for _attempt in range(20):
            try:
                return self._load_view()
            except SegmentCorrupt as exc:
                if not isinstance(exc.__cause__, FileNotFoundError):
                    raise SearchIndexError(f"The search index is damaged: {exc}") from exc
                time.sleep(0.01)
        raise SearchIndexError("The search index keeps changing under us; try again.")

    def segment_count(self) -> int:
        with self._read_lock:
            return len(self._current().segments)

    def doc_count(self) -> int:
        with self._read_lock:
            return self._current().doc_count

    def revisions(self) -> dict[int, int]:
        """id -> revision of every indexed clip, for reconciliation with the database."""
        with self._read_lock:
            return self._current().revisions()

    def search(
        self,
        query: str | ParsedQuery,
        *,
        limit: int = 20,
        offset: int = 0,
        restrict_ids: Collection[int] | None = None,
        prefix_last: bool = True,
    ) -> IndexResults:
        """Run a user query; `restrict_ids` limits hits to those clips."""
        parsed = parse_query(query, prefix_last=prefix_last) if isinstance(query, str) else query
        terms = parsed.highlight_terms
        if not any(c.alternatives for c in parsed.clauses):
            return IndexResults(0, (), terms, parsed.warnings)
        limit, offset = max(limit, 0), max(offset, 0)
        with self._read_lock:
            view = self._current()
            engine = Engine(view, self.options.weighting)
            key = (parsed, None if restrict_ids is None else frozenset(restrict_ids))
            outcome = view.results.get(key) if self.options.result_cache > 0 else None
            if outcome is None or len(outcome.ranked) < min(offset + limit, outcome.total):
                restrict = None if restrict_ids is None else view.docnums_for(restrict_ids)
                want = max(offset + limit, 2 * limit, 50)
                outcome = engine.run(parsed, restrict, want, 0)
                if self.options.result_cache > 0:
                    if len(view.results) >= self.options.result_cache:
                        view.results.pop(next(iter(view.results)))
                    view.results[key] = outcome
            total, ranked = outcome.total, outcome.ranked
            probes, parts = outcome.probes, outcome.filter_parts
            page = ranked[offset : offset + limit]
            where = where_matched(engine, probes, [d for d, _ in page], parts)
            ids = view.ids
            hits = tuple(IndexHit(int(ids[d]), s, where[d]) for d, s in page)
            self._pages.check(view.segments)
        return IndexResults(total, hits, terms, parsed.warnings)


__all__ = ["MARKER", "IndexOptions", "SearchIndex"]
