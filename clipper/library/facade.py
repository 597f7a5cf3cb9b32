"""The `Library` facade: the one door to a library for the CLI and the GUI alike.

It owns the engine, the search index and (for an app window) the lock file. Writes go
through `_write()`, one short transaction each; after a write commits, the search index
is brought up to date for the clips it touched. The index is a derived cache: if that
step fails, the next open reconciles it with the database.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from clipper.errors import ClipperError, LibraryError, ReadOnlyLibraryError, describe_error
from clipper.library import queries
from clipper.library.annotations import reanchor_clip
from clipper.library.db import WRITE_FLAG, is_read_only, make_engine, make_sessionmaker
from clipper.library.editing import MetadataMixin
from clipper.library.lock import LibraryLock
from clipper.library.maintenance import MaintenanceMixin, open_index, prepare_database
from clipper.library.models import Annotation, Clip, ClipTag, Tag, utcnow
from clipper.library.passages import PassagesMixin
from clipper.library.store import (
    bump_revision,
    delete_unused_blobs,
    find_tag,
    get_or_create_tags,
    mark_changed,
    store_capture,
    touched_ids,
)
from clipper.library.types import (
    Changes,
    ClipDetail,
    ClipFilter,
    ClipResult,
    ClipSummary,
    SearchHit,
    SearchResults,
    SiteCount,
    SortKey,
    TagCount,
    VersionInfo,
)
from clipper.library.watch import CHANNEL, ChangeWatcher, notify_payload
from clipper.paths import LibraryLocation, resolve_location
from clipper.rules import tag_key, tag_name
from clipper.search.backend import SearchBackend
from clipper.search.document import IndexDoc
from clipper.search.query import parse_query
from clipper.search.snippet import make_snippet

if TYPE_CHECKING:  # extraction (trafilatura, lxml, Pillow, httpx) loads on the first clip
    from clipper.capture.fetch import Fetcher
    from clipper.capture.pipeline import Capture, CaptureOptions

log = logging.getLogger(__name__)
Progress = Callable[[int, int | None], None]
INDEX_BATCH = 200
TRASH_KEPT = timedelta(days=7)
"""A clip trashed longer ago is purged by any client (its own window would have)."""


class Library(PassagesMixin, MetadataMixin, MaintenanceMixin):
    """An open library. Thread use: reads from any thread; writes from one at a time."""

    def __init__(
        self,
        location: LibraryLocation,
        index: SearchBackend,
        lock: LibraryLock | None,
        *,
        read_only: bool = False,
    ) -> None:
        self.location = location
        self.read_only = read_only
        """Opened read-only (the files are not writable): reads work, writes refuse."""
        self.engine = make_engine(location.database_url, read_only=read_only)
        self._sessions = make_sessionmaker(self.engine)
        self.index = index
        self._lock = lock
        self.index_warnings: list[str] = []
        self.warnings: list[str] = []
        """Problems found on opening (a damaged database, a read-only library)."""
        self.client_id = uuid.uuid4().hex[:16]
        """Names this client's writes in change notifications (see `watch.py`)."""
        self._watcher: ChangeWatcher | None = None
        self._trashed_here: set[int] = set()
        """Clips this client moved to the trash: `empty_trash` purges these."""

    # --- opening and closing ------------------------------------------------------------

    @classmethod
    def open(
        cls,
        location: str | Path | LibraryLocation | None = None,
        *,
        exclusive: bool = False,
        reconcile: bool = True,
        progress: Progress | None = None,
    ) -> Library:
        """Open (creating if needed) a library folder or database URL.

        `exclusive` takes the app lock (one window per library). `reconcile=False`
        leaves index reconciliation to the caller (the GUI runs it in the background).
        """
        loc = location if isinstance(location, LibraryLocation) else resolve_location(location)
        read_only = is_read_only(loc.database_url)
        if not read_only:
            try:
                loc.folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise LibraryError(f"cannot create the library folder {loc.folder}: {exc}") from exc
        lock = None
        if exclusive and not read_only:  # nothing can change a read-only library
            lock = LibraryLock(loc.lock_path)
            lock.acquire()
        try:
            problems = prepare_database(loc, read_only)
            index, temporary = open_index(loc, read_only)
            library = cls(loc, index, lock, read_only=read_only)
            library._temp_index = temporary
            library.warnings.extend(problems)
        except ClipperError:
            if lock:
                lock.release()
            raise
        except Exception as exc:
            if lock:
                lock.release()
            raise LibraryError(
                f"cannot open the library {loc.describe()}: {describe_error(exc)}"
            ) from exc
        if read_only:
            library.warnings.append(f"the library {loc.describe()} is read-only")
            library.sync_read_only_index(progress)
        elif reconcile:
            library.reconcile(progress)
        return library

    def close(self) -> None:
        self.stop_watching()
        self.index.close()
        self.engine.dispose()
        self.drop_temporary_index()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- sessions -----------------------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One transaction; on SQLite the write lock is taken up front.

        A full disk or a library that became read-only is one clear `LibraryError`; the
        transaction is rolled back, so nothing is half written."""
        if self.read_only:
            raise ReadOnlyLibraryError(
                f"the library {self.location.describe()} is read-only: nothing can be changed"
            )
        try:
            with self.engine.connect() as connection:
                connection.info[WRITE_FLAG] = True
                try:
                    with Session(bind=connection, expire_on_commit=False) as session:
                        yield session
                        touched = self._index_in_transaction(session)
                        session.commit()
                    if self._watcher is not None:
                        self._watcher.saw_own(touched)
                finally:
                    connection.info.pop(WRITE_FLAG, None)
        except OperationalError as exc:
            message = describe_error(exc)
            if message.startswith(("the disk is full", "the library is read-only")):
                raise LibraryError(message) from exc
            raise

    def _index_in_transaction(self, session: Session) -> list[int]:
        """An index kept in the database (PostgreSQL search) is written by the same
        transaction as the clips it describes: every client sees both or neither. On
        PostgreSQL the other clients are told which clips changed (NOTIFY, sent on
        commit). Returns the changed clips' ids."""
        session.flush()
        ids = sorted(touched_ids(session))
        if getattr(self.index, "transactional", False):
            if ids:
                docs = queries.index_docs(session, ids)
                gone = set(ids) - {d.id for d in docs}
                self.index.write(session.connection(), docs, gone)  # type: ignore[attr-defined]
            session.execute(
                text("SELECT pg_notify(:channel, :payload)"),
                {"channel": CHANNEL, "payload": notify_payload(self.client_id, ids)},
            )
        return ids

    def watch(self, on_change: Callable[[Changes], None]) -> ChangeWatcher:
        """Start telling `on_change` (from another thread) what other clients changed."""
        self.stop_watching()
        self._watcher = ChangeWatcher(self, on_change)
        self._watcher.start()
        return self._watcher

    def stop_watching(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None

    # --- capture ------------------------------------------------------------------------

    def clip_url(
        self,
        url: str,
        tags: Sequence[str] = (),
        *,
        options: CaptureOptions | None = None,
        fetcher: Fetcher | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> Changes[ClipResult]:
        """Fetch, extract and store one page. Raises `ClipperError` with nothing stored."""
        from clipper.capture.fetch import Fetcher
        from clipper.capture.pipeline import capture_url

        own = fetcher is None
        fetcher = fetcher or Fetcher()
        try:
            capture = capture_url(url, fetcher, options, progress)
        finally:
            if own:
                fetcher.close()
        return self.store(capture, tags)

    def clip_file(
        self,
        path: Path,
        tags: Sequence[str] = (),
        *,
        base_url: str | None = None,
        options: CaptureOptions | None = None,
        fetcher: Fetcher | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> Changes[ClipResult]:
        from clipper.capture.pipeline import capture_file

        capture = capture_file(path, fetcher, base_url, options, progress)
        return self.store(capture, tags)

    def store(self, capture: Capture, tags: Sequence[str] = ()) -> Changes[ClipResult]:
        """Write a capture (new clip, new version, or nothing if unchanged) and tag it."""
        with self._write() as session:
            wanted = get_or_create_tags(session, tags)  # before any clip lock: one order
            outcome = store_capture(session, capture)
            clip = outcome.clip
            moved = []
            if outcome.status == "updated":
                moved = reanchor_clip(session, clip, outcome.version)
            if outcome.status == "unchanged" and wanted:
                queries.live_clip(session, clip.id, lock=True)
            new_tags = [t for t in wanted if t not in clip.tags]
            if new_tags:
                clip.tags.extend(new_tags)
                if outcome.status == "unchanged":
                    bump_revision(session, clip)
            result = ClipResult(
                clip_id=clip.id,
                status=outcome.status,
                version_id=outcome.version.id,
                title=clip.title,
                url=clip.url,
                warnings=tuple(capture.warnings),
                reanchored=tuple((r.annotation_id, r.state) for r in moved),
                duplicate_of=clip.duplicate_of_id if outcome.status == "new" else None,
            )
        if outcome.status != "unchanged" or tags:
            self._sync_index([result.clip_id])
        one = frozenset({result.clip_id})
        changed = outcome.status == "updated" or bool(new_tags)
        return Changes(
            clips=one if changed and outcome.status != "new" else frozenset(),
            added=one if outcome.status == "new" else frozenset(),
            tags=outcome.status == "new" or bool(new_tags) or bool(moved),
            passages=one if moved else frozenset(),
            sites=outcome.status != "unchanged",
            result=result,
        )

    # --- reading ------------------------------------------------------------------------

    def count(self, flt: ClipFilter | None = None) -> int:
        with self._read() as session:
            return queries.count_clips(session, flt)

    def find_url(self, url: str) -> int | None:
        """The clip already holding this page (same normalized URL), without fetching."""
        from clipper.rules import url_key

        with self._read() as session:
            return queries.clip_with_url(session, url_key(url))

    def clip_ids(
        self, flt: ClipFilter | None = None, sort: SortKey = "clipped", descending: bool = True
    ) -> list[int]:
        with self._read() as session:
            return queries.clip_ids(session, flt, sort, descending)

    def summaries(self, ids: Sequence[int]) -> list[ClipSummary]:
        with self._read() as session:
            return queries.summaries(session, ids)

    def list_clips(
        self,
        flt: ClipFilter | None = None,
        sort: SortKey = "clipped",
        descending: bool = True,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[ClipSummary]:
        with self._read() as session:
            ids = queries.clip_ids(session, flt, sort, descending)
            end = None if limit is None else offset + limit
            return queries.summaries(session, ids[offset:end])

    def get_clip(self, clip_id: int, version_id: int | None = None) -> ClipDetail:
        with self._read() as session:
            return queries.clip_detail(session, clip_id, version_id)

    def versions(self, clip_id: int) -> list[VersionInfo]:
        with self._read() as session:
            return queries.versions(session, clip_id)

    def tags(self) -> list[TagCount]:
        with self._read() as session:
            return queries.tag_counts(session)

    def sites(self) -> list[SiteCount]:
        with self._read() as session:
            return queries.site_counts(session)

    def blob(self, sha256: str, *, thumbnail: bool = False) -> bytes | None:
        with self._read() as session:
            return queries.blob_bytes(session, sha256, thumbnail)

    def search(self, query: str, *, limit: int = 50, offset: int = 0) -> SearchResults:
        """Full-text search; never raises on bad syntax (see `clipper.search.query`)."""
        results = self.index.search(parse_query(query), limit=limit, offset=offset)
        ids = [hit.id for hit in results.hits]
        with self._read() as session:
            rows = {s.id: s for s in queries.summaries(session, ids)}
            texts = queries.texts_for(session, ids)
            notes = queries.notes_for(session, ids)
        hits = []
        for hit in results.hits:
            summary = rows.get(hit.id)
            if summary is None:
                continue  # deleted since the index was written: reconcile will drop it
            source = texts.get(hit.id, "")
            if "note" in hit.where and "text" not in hit.where and notes.get(hit.id):
                source = notes[hit.id]
            hits.append(
                SearchHit(
                    clip=summary,
                    score=hit.score,
                    snippet=make_snippet(source, results.terms),
                    where=hit.where,
                    terms=results.terms,
                )
            )
        return SearchResults(
            query=query, total=results.total, hits=tuple(hits), warnings=results.warnings
        )

    # --- tags ---------------------------------------------------------------------------

    def tag(
        self, ids: Iterable[int], add: Sequence[str] = (), remove: Sequence[str] = ()
    ) -> Changes:
        ids = list(ids)
        changed: set[int] = set()
        with self._write() as session:
            add_tags = get_or_create_tags(session, add)
            drop = {tag_key(n) for n in remove}
            for clip_id in sorted(set(ids)):  # locks in id order: no deadlock between two
                clip = queries.live_clip(session, clip_id, lock=True)
                before = {t.normalized for t in clip.tags}
                clip.tags = [t for t in clip.tags if t.normalized not in drop]
                clip.tags.extend(t for t in add_tags if t not in clip.tags)
                if {t.normalized for t in clip.tags} != before:
                    bump_revision(session, clip)
                    changed.add(clip_id)
        self._sync_index(changed)
        return Changes(clips=frozenset(changed), tags=True)

    def rename_tag(self, old: str, new: str) -> Changes:
        """Rename, or merge into an existing tag of that name."""
        name = tag_name(new)
        if not name:
            raise LibraryError("a tag name cannot be empty")
        with self._write() as session:
            tag = find_tag(session, old)
            if tag is None:
                raise LibraryError(f"no tag named {old!r}")
            target = find_tag(session, name)
            affected = self._clips_with_tag(session, tag.id)
            if target is not None and target.id != tag.id:
                for clip in session.scalars(select(Clip).where(Clip.tags.any(Tag.id == tag.id))):
                    if target not in clip.tags:
                        clip.tags.append(target)
                tagged = select(Annotation).where(Annotation.tags.any(Tag.id == tag.id))
                for passage in session.scalars(tagged):  # passages keep their tag too
                    if target not in passage.tags:
                        passage.tags.append(target)
                session.delete(tag)
            else:
                tag.name = name
                tag.normalized = tag_key(name)
            self._bump(session, affected)
        self._sync_index(affected)
        return Changes(clips=frozenset(affected), passages=frozenset(affected), tags=True)

    def delete_tag(self, name: str) -> Changes:
        with self._write() as session:
            tag = find_tag(session, name)
            if tag is None:
                raise LibraryError(f"no tag named {name!r}")
            affected = self._clips_with_tag(session, tag.id)
            session.delete(tag)
            self._bump(session, affected)
        self._sync_index(affected)
        return Changes(clips=frozenset(affected), passages=frozenset(affected), tags=True)

    @staticmethod
    def _clips_with_tag(session: Session, tag_id: int) -> list[int]:
        """Clips carrying the tag themselves or on a passage (what `tag:` finds)."""
        on_passages = select(Annotation.clip_id).where(Annotation.tags.any(Tag.id == tag_id))
        on_clips = select(ClipTag.clip_id).where(ClipTag.tag_id == tag_id)
        return sorted(set(session.scalars(on_clips)) | set(session.scalars(on_passages)))

    @staticmethod
    def _bump(session: Session, ids: Sequence[int]) -> None:
        mark_changed(session, ids)
        if ids:
            session.execute(update(Clip).where(Clip.id.in_(ids)).values(revision=Clip.revision + 1))

    # --- deleting -----------------------------------------------------------------------

    def delete(self, ids: Iterable[int], *, permanent: bool = True) -> Changes:
        """Delete clips; `permanent=False` moves them to the trash (see `restore`).

        Like every write, a failure of the search index after the commit is a warning
        (`index_warnings`), not an error: the delete happened, so undo stays possible."""
        ids = list(ids)
        with self._write() as session:
            for clip_id in ids:
                queries.live_clip(session, clip_id)  # NotFoundError for a bad id
            mark_changed(session, ids)
            if permanent:
                self._purge(session, ids)
            else:
                session.execute(
                    update(Clip)
                    .where(Clip.id.in_(ids))
                    .values(deleted_at=utcnow(), revision=Clip.revision + 1)
                )
        if not permanent:
            self._trashed_here.update(ids)
        self._unindex(ids)
        return Changes(removed=frozenset(ids), tags=True, sites=True)

    def restore(self, ids: Iterable[int]) -> Changes:
        """Undo a `delete(permanent=False)`."""
        ids = list(ids)
        with self._write() as session:
            mark_changed(session, ids)
            session.execute(
                update(Clip)
                .where(Clip.id.in_(ids), Clip.deleted_at.is_not(None))
                .values(deleted_at=None, revision=Clip.revision + 1)
            )
        self._trashed_here.difference_update(ids)
        self._sync_index(ids)
        return Changes(added=frozenset(ids), tags=True, sites=True)

    def empty_trash(self, *, older_than: timedelta = TRASH_KEPT) -> Changes[int]:
        """Purge what this client moved to the trash, and what anyone trashed longer
        than `older_than` ago (a window that crashed before emptying its own).

        Never every trashed clip: in a shared library another user's delete stays
        undoable until that user quits. The result is the number purged."""
        cutoff = utcnow() - older_than
        mine = sorted(self._trashed_here)
        with self._write() as session:
            trashed = Clip.deleted_at.is_not(None)
            ids = set(session.scalars(select(Clip.id).where(trashed, Clip.deleted_at < cutoff)))
            for start in range(0, len(mine), 1000):
                chunk = mine[start : start + 1000]
                ids.update(session.scalars(select(Clip.id).where(trashed, Clip.id.in_(chunk))))
            purged = sorted(ids)
            mark_changed(session, purged)
            self._purge(session, purged)
        self._trashed_here.clear()
        return Changes(removed=frozenset(purged), result=len(purged))

    @staticmethod
    def _purge(session: Session, ids: Sequence[int]) -> None:
        if not ids:
            return
        # Break the clip -> current version cycle first, then let cascades do the rest.
        session.execute(update(Clip).where(Clip.id.in_(ids)).values(current_version_id=None))
        session.execute(
            update(Clip).where(Clip.duplicate_of_id.in_(ids)).values(duplicate_of_id=None)
        )
        session.execute(delete(Clip).where(Clip.id.in_(ids)))
        session.flush()
        delete_unused_blobs(session)

    # --- the search index ---------------------------------------------------------------

    def _unindex(self, ids: Sequence[int]) -> None:
        """Remove deleted clips from the index; a failure is a warning (reconcile)."""
        if not ids or getattr(self.index, "transactional", False):
            return
        try:
            self.index.delete(ids)
        except Exception as exc:  # noqa: BLE001 - the index is a cache; reconcile repairs it
            self._index_failed(exc)

    def _index_failed(self, exc: BaseException) -> None:
        message = (
            f"search index not updated ({describe_error(exc)}); it will be repaired on next open"
        )
        log.warning(message)
        self.index_warnings.append(message)

    def _sync_index(self, ids: Iterable[int]) -> None:
        ids = sorted(set(ids))
        if not ids or getattr(self.index, "transactional", False):
            return  # nothing to do, or written with the clips (`_index_in_transaction`)
        try:
            with self._read() as session:
                docs = queries.index_docs(session, ids)
            self.index.upsert(docs)
            gone = set(ids) - {d.id for d in docs}
            if gone:
                self.index.delete(gone)
        except Exception as exc:  # noqa: BLE001 - the index is a cache; reconcile repairs it
            self._index_failed(exc)

    def reconcile(self, progress: Progress | None = None) -> tuple[int, int]:
        """Make the index agree with the database: (clips indexed, entries removed)."""
        with self._read() as session:
            wanted = queries.revisions(session)
        if self.index.needs_rebuild:
            self.reindex(progress)
            return len(wanted), 0
        have = self.index.revisions()
        stale = sorted(i for i, rev in wanted.items() if have.get(i) != rev)
        extra = sorted(set(have) - set(wanted))
        if extra:
            self.index.delete(extra)
        for start in range(0, len(stale), INDEX_BATCH):
            batch = stale[start : start + INDEX_BATCH]
            with self._read() as session:
                self.index.upsert(queries.index_docs(session, batch))
            if progress:
                progress(min(start + INDEX_BATCH, len(stale)), len(stale))
        return len(stale), len(extra)

    def reindex(self, progress: Progress | None = None) -> int:
        """Rebuild the whole index from the database."""
        with self._read() as session:
            ids = sorted(queries.revisions(session))

        def docs() -> Iterator[IndexDoc]:
            for start in range(0, len(ids), INDEX_BATCH):
                with self._read() as session:
                    yield from queries.index_docs(session, ids[start : start + INDEX_BATCH])

        self.index.rebuild(docs(), total=len(ids), progress=progress)
        return len(ids)
