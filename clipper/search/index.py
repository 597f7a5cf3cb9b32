"""The Whoosh index: a derived cache of the library, built for speed at 100,000 clips.

Measured choices (benchmarks/search.py, docs/benchmarks.md): one long-lived searcher
refreshed after commits; only id and revision kept per document (columns); one
catch-all text field with positions for exact phrases; an edge-gram field for the word
being typed; filters as cached document sets; `compound=False` segments (compound ones
are copied into RAM when read); TF-IDF scoring.

Thread safety: one lock serializes writers, another guards the searcher. A search
never waits for a long write, only for the moment the searcher is swapped.
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import pickle
import shutil
import struct
import threading
import warnings
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from whoosh import collectors, scoring, writing
from whoosh import index as windex
from whoosh.index import FileIndex, LockError
from whoosh.searching import Searcher

from clipper.errors import ClipperError
from clipper.search.document import IndexDoc
from clipper.search.phrase import resolve_phrases
from clipper.search.plan import Plan, and_not, build_plan
from clipper.search.query import parse_query
from clipper.search.schema import (
    IndexOptions,
    build_schema,
    doc_fields,
    load_column,
    schema_signature,
)
from clipper.search.view import View
from clipper.search.where import where_matched

log = logging.getLogger(__name__)

INDEX_NAME = "clipper"
MARKER = "clipper-index.json"

_CORRUPT = (
    OSError,
    EOFError,
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    ImportError,
    struct.error,
    zlib.error,
    pickle.UnpicklingError,
    windex.IndexError,
)
"""What reading a damaged Whoosh folder has been seen to raise (a cache: recreate it)."""


class SearchIndexError(ClipperError):
    """The search index cannot be used (its folder is unwritable, or similar)."""


class IndexLockedError(SearchIndexError):
    """Another process is writing to the search index."""


@dataclass(frozen=True)
class IndexHit:
    id: int
    score: float
    where: tuple[str, ...]
    """Parts that matched, a subset of ("title", "text", "caption", "note", "tag")."""


@dataclass(frozen=True)
class IndexResults:
    total: int
    hits: tuple[IndexHit, ...]
    terms: tuple[str, ...]
    """Folded words to highlight; "word*" is a prefix, "two words" a phrase."""
    warnings: tuple[str, ...] = ()


def _weighting(name: str) -> scoring.WeightingModel:
    return scoring.BM25F() if name == "bm25f" else scoring.TF_IDF()


class SearchIndex:
    """The library's full-text index in `folder` (created, or recreated when stale)."""

    def __init__(self, folder: Path, options: IndexOptions | None = None) -> None:
        self.folder = Path(folder)
        self.options = options or IndexOptions()
        self.needs_rebuild = False
        self._write_lock = threading.Lock()
        self._read_lock = threading.RLock()
        self._schema = build_schema(self.options)
        self._ix = self._open_or_create()
        self._view = View(self._new_searcher())
        self._closed = False

    # -- opening ---------------------------------------------------------------------

    def _new_searcher(self) -> Searcher:
        searcher: Searcher = self._ix.searcher(weighting=_weighting(self.options.weighting))
        return searcher

    def _fingerprint_ok(self) -> bool:
        try:
            meta = json.loads((self.folder / MARKER).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return bool(meta == self.options.fingerprint())

    def _open_or_create(self) -> FileIndex:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SearchIndexError(f"Cannot create the search index folder: {exc}") from exc
        if not self._fingerprint_ok():
            log.info("no search index of this schema in %s: creating one", self.folder)
            return self._create()
        with warnings.catch_warnings():
            # Whoosh leaves files open when a damaged index fails to load; they are
            # closed by the collection below, quietly, not at a random later time.
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                return self._open_existing()
            except _CORRUPT as exc:
                reason = f"{type(exc).__name__}: {exc}"
                log.warning("search index in %s unreadable (%s): recreating", self.folder, reason)
            gc.collect()
        return self._create()

    def _open_existing(self) -> FileIndex:
        ix = windex.open_dir(str(self.folder), indexname=INDEX_NAME)
        if schema_signature(ix.schema) != schema_signature(self._schema):
            raise ValueError("schema differs")
        with ix.searcher() as s:
            s.doc_count()
            for leaf, _base in s.reader().leaf_readers():
                load_column(leaf, "id", "Q", 0)
        return ix

    def _create(self) -> FileIndex:
        """A new empty index; the library refills it (`needs_rebuild`)."""
        for path in self.folder.iterdir():
            name = path.name
            if name == MARKER or name.startswith((INDEX_NAME, "_" + INDEX_NAME)):
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
        try:
            ix = windex.create_in(str(self.folder), self._schema, indexname=INDEX_NAME)
            (self.folder / MARKER).write_text(
                json.dumps(self.options.fingerprint()), encoding="utf-8"
            )
        except OSError as exc:
            raise SearchIndexError(f"Cannot create the search index: {exc}") from exc
        self.needs_rebuild = True
        return ix

    def close(self) -> None:
        with self._write_lock, self._read_lock:
            if not self._closed:
                self._view.searcher.close()
                self._closed = True

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise SearchIndexError("The search index is closed.")

    def _writer(self, **kwargs: Any) -> writing.SegmentWriter:
        try:
            return self._ix.writer(
                timeout=self.options.lock_timeout,
                delay=0.05,
                compound=False,
                limitmb=self.options.limitmb,
                **kwargs,
            )
        except LockError as exc:
            raise IndexLockedError(
                "The search index is being updated by another Clipper process; "
                "try again when it has finished."
            ) from exc

    @contextlib.contextmanager
    def _writing(self, **kwargs: Any) -> Iterator[writing.SegmentWriter]:
        """A writer under the write lock; committed on success, cancelled on error."""
        with self._write_lock:
            self._check_open()
            writer = self._writer(**kwargs)
            try:
                yield writer
            except BaseException:
                writer.cancel()
                raise
        self._refresh()

    def upsert(self, docs: Sequence[IndexDoc]) -> None:
        """Add or replace documents by id; searchable when this returns."""
        if not docs:
            return
        with self._writing() as writer, writer.searcher() as s:
            for doc in docs:
                writer.delete_by_term("id", doc.id, searcher=s)
                writer.add_document(**doc_fields(doc))
            writer.commit()

    def delete(self, ids: Iterable[int]) -> None:
        ids = list(ids)
        if not ids:
            return
        with self._writing() as writer, writer.searcher() as s:
            for doc_id in ids:
                writer.delete_by_term("id", doc_id, searcher=s)
            writer.commit()

    def rebuild(
        self,
        docs: Iterable[IndexDoc],
        total: int | None = None,
        progress: Callable[[int, int | None], None] | None = None,
    ) -> None:
        """Replace the whole index with `docs`, committing every `rebuild_chunk` clips.

        Whoosh spills postings beyond `limitmb` to temporary run files, ~100 bytes per
        posting: one commit of 100,000 clips needed 16 GB of them. A commit per chunk
        bounds that to one chunk's runs (~1.7 GB). The first commit drops the old index,
        so until the last one, searches see the clips loaded so far; a failure before
        the first commit leaves the old index as it was.
        """
        procs = self.options.rebuild_procs
        kwargs: dict[str, Any] = {"procs": procs}
        if procs > 1:
            kwargs.update(multisegment=True, batchsize=256)
        chunk = max(1, self.options.rebuild_chunk)
        pending = iter(docs)
        done = 0
        first = True
        with self._write_lock:  # held across chunks: no upsert can slip in between
            self._check_open()
            while True:
                writer = self._writer(**kwargs)
                added = 0
                try:
                    for doc in islice(pending, chunk):
                        writer.add_document(**doc_fields(doc))
                        added += 1
                        done += 1
                        if progress is not None and done % 500 == 0:
                            progress(done, total)
                    writer.commit(mergetype=writing.CLEAR if first else writing.NO_MERGE)
                except BaseException:
                    writer.cancel()
                    raise
                first = False
                self._refresh()
                if added < chunk:
                    break
        self.needs_rebuild = False
        if progress is not None:
            progress(done, total)

    def optimize(self) -> None:
        """Merge all segments into one (slow; for idle time, never per batch)."""
        with self._writing() as writer:
            writer.commit(optimize=True)

    def _refresh(self) -> None:
        with self._read_lock:
            if self._closed:
                return
            old = self._view.searcher
            if old.up_to_date():
                return
            # Not Searcher.refresh(): in Whoosh 2.7.4 its reader reuse matches segments
            # by the wrong key and leaks the old segment files. Opening a reader over
            # non-compound segments is cheap (files are mapped, not read).
            self._view = View(self._new_searcher())
            old.close()

    # -- reading ---------------------------------------------------------------------

    def _current(self) -> View:
        """The view, refreshed if another process committed (a directory listing)."""
        self._check_open()
        if not self._view.searcher.up_to_date():
            self._refresh()
        return self._view

    def segment_count(self) -> int:
        """Whoosh segments (each costs a little per query term; see docs/benchmarks.md)."""
        with self._read_lock:
            return len(list(self._current().searcher.reader().leaf_readers()))

    def doc_count(self) -> int:
        with self._read_lock:
            return int(self._current().searcher.doc_count())

    def revisions(self) -> dict[int, int]:
        """id -> revision of every indexed clip, for reconciliation with the database."""
        with self._read_lock:
            return self._current().revisions()

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        offset: int = 0,
        restrict_ids: Collection[int] | None = None,
        prefix_last: bool = True,
    ) -> IndexResults:
        """Run a user query; `restrict_ids` limits hits to those clips."""
        parsed = parse_query(query, prefix_last=prefix_last)
        plan = build_plan(parsed)
        terms = parsed.highlight_terms
        if plan.empty:
            return IndexResults(0, (), terms, parsed.warnings)
        limit, offset = max(limit, 0), max(offset, 0)
        with self._read_lock:
            view = self._current()
            total, scored = self._cached_run(
                view, plan, query, prefix_last, restrict_ids, limit, offset
            )
            where = where_matched(
                view.searcher, plan.probes, [d for d, _ in scored], plan.filter_parts
            )
            ids = view.ids
            hits = tuple(IndexHit(int(ids[d]), s, where[d]) for d, s in scored)
        return IndexResults(total, hits, terms, parsed.warnings)

    def _cached_run(
        self,
        view: View,
        plan: Plan,
        query: str,
        prefix_last: bool,
        restrict_ids: Collection[int] | None,
        limit: int,
        offset: int,
    ) -> tuple[int, list[tuple[int, float]]]:
        """`_run` through the per-generation result cache (a page is a slice)."""
        size = self.options.result_cache
        if size <= 0:
            return self._run(view, plan, restrict_ids, limit, offset)
        restrict = None if restrict_ids is None else frozenset(restrict_ids)
        key = (query, prefix_last, restrict)
        cached = view.results.get(key)
        if cached is None or (len(cached[1]) < min(offset + limit, cached[0])):
            want = max(offset + limit, 2 * limit, 50)
            cached = self._run(view, plan, restrict_ids, want, 0)
            if len(view.results) >= size:
                view.results.pop(next(iter(view.results)))
            view.results[key] = cached
        total, ranked = cached
        return total, ranked[offset : offset + limit]

    def _run(
        self,
        view: View,
        plan: Plan,
        restrict_ids: Collection[int] | None,
        limit: int,
        offset: int,
    ) -> tuple[int, list[tuple[int, float]]]:
        """(total, [(docnum, score)] of the requested page)."""
        allow: set[int] | None = None
        for clause in plan.required:
            sets = [view.filter_set(key) for key in clause]
            union = sets[0] if len(sets) == 1 else set().union(*sets)
            allow = union if allow is None else (allow & union)
        if restrict_ids is not None:
            wanted = view.docnums_for(restrict_ids)
            allow = wanted if allow is None else (allow & wanted)
        mask: set[int] = set()
        for key in plan.excluded:
            mask |= view.filter_set(key)
        searcher = view.searcher
        text = plan.text
        negated = [
            resolve_phrases(q, "content", view.phrase_docs, searcher) for q in plan.negated_text
        ]
        if text is not None:
            text = resolve_phrases(text, "content", view.phrase_docs, searcher)
        if text is None:
            for q in negated:
                mask.update(searcher.docs_for_query(q))
            pool = view.live if allow is None else allow
            docs = [d for d in pool if d not in mask]
            docs.sort(key=lambda d: (-view.date_key(d), -d))
            return len(docs), [(d, 0.0) for d in docs[offset : offset + limit]]
        if allow is not None and not allow:
            return 0, []
        q = and_not(text, negated) if negated else text
        # Our own collector settings: no block-quality skipping (it cannot count, and
        # counting afterwards costs more than scoring every match: 42 vs 68 ms for two
        # common words at 20k clips) and no matcher "replacement" (it drops OR branches
        # that can no longer reach the top N, and their documents from the total).
        top = collectors.TopCollector(
            limit=offset + limit if limit else 1, usequality=False, replace=0
        )
        collector = (
            collectors.FilterCollector(top, allow=allow, restrict=mask or None)
            if allow is not None or mask
            else top
        )
        searcher.search_with_collector(q, collector)
        results = collector.results()
        scored = [(hit.docnum, float(hit.score or 0.0)) for hit in results]
        total = _exact_total(results, searcher, q, allow, mask)
        return total, scored[offset : offset + limit] if limit else []


def _exact_total(
    results: Any, searcher: Searcher, q: Any, allow: Collection[int] | None, mask: set[int]
) -> int:
    """The collector's count, or (should Whoosh ever skip) a count without scoring."""
    if results.has_exact_length():
        return len(results)
    count = 0
    for docnum in searcher.docs_for_query(q):
        if (allow is None or docnum in allow) and docnum not in mask:
            count += 1
    return count
