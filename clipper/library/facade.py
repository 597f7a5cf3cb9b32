"""The `Library` facade: the one door to a library for the CLI and the GUI alike.

It owns the engine, the search index and (for an app window) the lock file, and hands
out its managers: `library.clips`, `library.tags`, `library.passages`,
`library.maintenance` (modules of the same names) and `library.export`
(`exporting.py`). Writes go through `_write()`, one short transaction each; after a write
commits, the search index is brought up to date for the clips it touched. The index is
a derived cache: if that step fails, the next open reconciles it with the database.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from clipper.errors import ClipperError, LibraryError, ReadOnlyLibraryError, describe_error
from clipper.library import queries
from clipper.library.clips import Clips
from clipper.library.db import WRITE_FLAG, is_read_only, make_engine, make_sessionmaker
from clipper.library.exporting import Export
from clipper.library.lock import LibraryLock
from clipper.library.maintenance import INDEX_BATCH, Maintenance, open_index, prepare_database
from clipper.library.passages import Passages
from clipper.library.store import touched_ids
from clipper.library.tags import Tags
from clipper.library.types import Changes, SearchHit, SearchResults
from clipper.library.watch import CHANNEL, ChangeWatcher, notify_payload
from clipper.paths import LibraryLocation, resolve_location
from clipper.search.backend import SearchBackend, TransactionalIndex
from clipper.search.document import IndexDoc
from clipper.search.query import parse_query
from clipper.search.snippet import make_snippet

log = logging.getLogger(__name__)
Progress = Callable[[int, int | None], None]


class Library:
    """An open library. Thread use: reads from any thread; writes from one at a time.

    Its managers hold the operations on each kind of record: `clips` (clipping,
    reading, correcting, deleting), `tags`, `passages`, `export` (the export formats)
    and `maintenance` (index upkeep, checks, backups). Every write returns `Changes`."""

    def __init__(
        self,
        location: LibraryLocation,
        index: SearchBackend,
        lock: LibraryLock | None,
        *,
        read_only: bool = False,
        temp_index: Path | None = None,
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
        self.clips = Clips(self)
        self.tags = Tags(self)
        self.passages = Passages(self)
        self.export = Export(self)
        self.maintenance = Maintenance(self, temp_index)

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
            library = cls(loc, index, lock, read_only=read_only, temp_index=temporary)
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
            library.maintenance.sync_read_only_index(progress)
        elif reconcile:
            library.maintenance.reconcile(progress)
        return library

    def close(self) -> None:
        self.stop_watching()
        self.index.close()
        self.engine.dispose()
        self.maintenance.drop_temporary_index()
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
        if isinstance(self.index, TransactionalIndex):
            if ids:
                docs = self._docs(session, ids)
                gone = set(ids) - {d.id for d in docs}
                self.index.write(session.connection(), docs, gone)
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

    # --- searching ----------------------------------------------------------------------

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

    # --- the search index ---------------------------------------------------------------

    def _unindex(self, ids: Sequence[int]) -> None:
        """Remove deleted clips from the index; a failure is a warning (reconcile)."""
        if not ids or isinstance(self.index, TransactionalIndex):
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
        if not ids or isinstance(self.index, TransactionalIndex):
            return  # nothing to do, or written with the clips (`_index_in_transaction`)
        try:
            with self._read() as session:
                docs = self._docs(session, ids)
            self.index.upsert(docs)  # one commit for the lot (a bulk tag: 5,000 clips)
            gone = set(ids) - {d.id for d in docs}
            if gone:
                self.index.delete(gone)
        except Exception as exc:  # noqa: BLE001 - the index is a cache; reconcile repairs it
            self._index_failed(exc)

    @staticmethod
    def _docs(session: Session, ids: Sequence[int]) -> list[IndexDoc]:
        """The index documents of these clips, read `INDEX_BATCH` ids at a time (a
        selection of any size stays under SQLite's limit of bound parameters)."""
        docs: list[IndexDoc] = []
        for start in range(0, len(ids), INDEX_BATCH):
            docs.extend(queries.index_docs(session, ids[start : start + INDEX_BATCH]))
        return docs
