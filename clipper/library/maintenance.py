"""Checks, repair and backup: damage is found and said, not met by surprise later.

- On open, `PRAGMA quick_check` at most once a day (a stamp file in the library folder),
  reported as warnings so reading still works; a damaged header fails the open.
- `check()`: the full `integrity_check`, foreign keys, every blob against its SHA-256,
  the search index against the database; `check(repair=True)` rebuilds the index.
- `backup(path)`: a consistent copy while the app runs (SQLite's online backup API).
- Read-only libraries search a temporary index when theirs cannot be used as it is.

`Maintenance` is the facade's manager for these (`library.maintenance`), with the
index upkeep (`reindex`, `reconcile`); the functions before it run while opening.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from clipper.errors import LibraryError
from clipper.library import queries
from clipper.library.db import check_schema, make_engine, sqlite_path, sqlite_ro_uri, upgrade
from clipper.library.models import Blob, Clip
from clipper.library.types import Changes
from clipper.paths import LibraryLocation
from clipper.search.backend import SearchBackend
from clipper.search.document import IndexDoc
from clipper.search.whoosh.index import SearchIndex

if TYPE_CHECKING:
    from clipper.library.facade import Library

Progress = Callable[[int, int | None], None]
CHECK_STAMP = "last-check.json"
QUICK_CHECK_INTERVAL = 24 * 3600
BLOB_BATCH = 50
INDEX_BATCH = 200
"""Clips read from the database per step of a reindex or reconcile."""
INDEX_PROBLEM = "search index:"


@dataclass(frozen=True)
class CheckReport:
    problems: tuple[str, ...]
    repaired: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _damaged(detail: str) -> str:
    return (
        f"the library database is damaged ({detail}); run `clipper check`, and restore "
        "a backup if it finds problems"
    )


def scheduled_checks(loc: LibraryLocation, read_only: bool) -> list[str]:
    """The cheap check on open: warnings (a damaged header is an error: nothing works)."""
    path = sqlite_path(loc.database_url)
    if path is None or not path.exists() or path.stat().st_size == 0:
        return []
    # The file is never opened here but by SQLite: closing any descriptor of a database
    # file drops every POSIX lock this process holds on it (SQLite's "how to corrupt",
    # 2.2), which would expose another open connection. A damaged header fails the open
    # with "file is not a database", which `describe_error` words as damage.
    stamp = loc.folder / CHECK_STAMP
    try:
        last = float(json.loads(stamp.read_text(encoding="utf-8"))["quick_check"])
    except (OSError, ValueError, KeyError, TypeError):
        last = 0.0
    if time.time() - last < QUICK_CHECK_INTERVAL:
        return []
    problems = _pragma_check(path, "quick_check", 5)
    if not read_only and not problems:
        with contextlib.suppress(OSError):  # else the check runs again next time
            stamp.write_text(json.dumps({"quick_check": time.time()}), encoding="utf-8")
    return [_damaged("; ".join(problems))] if problems else []


def prepare_database(loc: LibraryLocation, read_only: bool) -> list[str]:
    """The checks on open, then the schema: upgraded, or (read-only) checked as newest."""
    problems = scheduled_checks(loc, read_only)
    engine = make_engine(loc.database_url, read_only=read_only)
    try:
        if read_only:
            check_schema(engine, read_only=True)
        else:
            upgrade(engine)
    finally:
        engine.dispose()
    return problems


def _pragma_check(path: Path, pragma: str, limit: int) -> list[str]:
    try:
        with closing(sqlite3.connect(sqlite_ro_uri(path), uri=True, timeout=15)) as conn:
            rows = conn.execute(f"PRAGMA {pragma}({int(limit)})").fetchall()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    messages = [str(row[0]) for row in rows]
    return [] if messages == ["ok"] else messages


def open_index(loc: LibraryLocation, read_only: bool) -> tuple[SearchBackend, Path | None]:
    """The library's index: PostgreSQL's own text search for a team library (nothing
    per machine), else the local Whoosh index; for a read-only library whose index
    cannot be opened where it is, an empty temporary one (see `sync_read_only_index`)."""
    if loc.database_url.startswith("postgresql"):
        from clipper.search.postgres.backend import PostgresSearch

        return PostgresSearch(make_engine(loc.database_url)), None
    if not read_only:
        return SearchIndex(loc.index_dir), None
    try:
        return SearchIndex(loc.index_dir), None
    except Exception:  # noqa: BLE001 - any failure: search from a temporary copy
        folder = Path(tempfile.mkdtemp(prefix="clipper-index-"))
        return SearchIndex(folder), folder


class Maintenance:
    """Index upkeep, checks and backups of one library (`library.maintenance`).

    `reindex`, `reconcile` and `repair` write the search index only: they return
    `Changes` naming no clip (nothing a view shows changed), with their own answer."""

    def __init__(self, library: Library, temp_index: Path | None = None) -> None:
        self._lib = library
        self._temp_index = temp_index
        """A temporary index searched instead of a read-only library's own."""

    # --- the search index ---------------------------------------------------------------

    def reindex(self, progress: Progress | None = None) -> Changes[int]:
        """Rebuild the whole index from the database; the number of clips indexed."""
        lib = self._lib
        with lib._read() as session:
            ids = sorted(queries.revisions(session))

        def docs() -> Iterator[IndexDoc]:
            for start in range(0, len(ids), INDEX_BATCH):
                with lib._read() as session:
                    yield from queries.index_docs(session, ids[start : start + INDEX_BATCH])

        lib.index.rebuild(docs(), total=len(ids), progress=progress)
        return Changes(result=len(ids))

    def reconcile(self, progress: Progress | None = None) -> Changes[tuple[int, int]]:
        """Make the index agree with the database: (clips indexed, entries removed)."""
        lib = self._lib
        with lib._read() as session:
            wanted = queries.revisions(session)
        if lib.index.needs_rebuild:
            self.reindex(progress)
            return Changes(result=(len(wanted), 0))
        have = lib.index.revisions()
        stale = sorted(i for i, rev in wanted.items() if have.get(i) != rev)
        extra = sorted(set(have) - set(wanted))
        if extra:
            lib.index.delete(extra)
        for start in range(0, len(stale), INDEX_BATCH):
            batch = stale[start : start + INDEX_BATCH]
            with lib._read() as session:
                lib.index.upsert(queries.index_docs(session, batch))
            if progress:
                progress(min(start + INDEX_BATCH, len(stale)), len(stale))
        return Changes(result=(len(stale), len(extra)))

    # --- read-only libraries ------------------------------------------------------------

    def sync_read_only_index(self, progress: Progress | None = None) -> None:
        """A read-only library cannot update its index: when it is out of date, search
        a temporary index built from the database instead."""
        lib = self._lib
        with lib._read() as session:
            wanted = queries.revisions(session)
        if self._temp_index is None and not lib.index.needs_rebuild:
            try:
                if lib.index.revisions() == wanted:
                    return
            except Exception:  # noqa: BLE001 - an unreadable index: rebuild a copy
                pass
        if self._temp_index is None:
            lib.index.close()
            self._temp_index = Path(tempfile.mkdtemp(prefix="clipper-index-"))
            lib.index = SearchIndex(self._temp_index)
        self.reindex(progress)

    def drop_temporary_index(self) -> None:
        if self._temp_index is not None:
            shutil.rmtree(self._temp_index, ignore_errors=True)
            self._temp_index = None

    # --- checks -------------------------------------------------------------------------

    def check(self) -> CheckReport:
        """The full check: database integrity, blobs against their hashes, the index
        against the database. Reads only (`repair` mends what it can)."""
        problems, index_problems, counts = self._checks()
        return CheckReport(tuple(problems + index_problems), (), counts)

    def _checks(self) -> tuple[list[str], list[str], dict[str, int]]:
        """(problems of the database and blobs, problems of the index, counts)."""
        problems: list[str] = []
        counts: dict[str, int] = {}
        path = sqlite_path(self._lib.location.database_url)
        if path is not None:
            integrity = _pragma_check(path, "integrity_check", 20)
            problems += [f"database: {message}" for message in integrity]
            problems += [f"database: {m}" for m in _foreign_key_problems(path)]
        problems += self._check_clips()
        problems += self._check_blobs(counts)
        return problems, self._check_index(counts), counts

    def repair(self, progress: Progress | None = None) -> Changes[CheckReport]:
        """`check`, then rebuild the index when it disagrees with the database (the
        database itself is never repaired in place: restore a backup)."""
        problems, index_problems, counts = self._checks()
        repaired: list[str] = []
        if index_problems:
            if self._lib.read_only:
                problems += [*index_problems, "repair: the library is read-only"]
            else:
                count = self.reindex(progress).result
                repaired.append(f"search index rebuilt from the database ({count} clips)")
        if any(p.startswith(("database:", "blob")) for p in problems):
            problems.append(
                "repair: database damage cannot be repaired in place; restore a backup "
                "(`clipper backup` makes one)"
            )
        return Changes(result=CheckReport(tuple(problems), tuple(repaired), counts))

    def _check_clips(self) -> list[str]:
        """Clips without a current version (a half-written clip, or damage)."""
        with self._lib._read() as session:
            broken = list(
                session.scalars(
                    select(Clip.id).where(Clip.current_version_id.is_(None)).order_by(Clip.id)
                )
            )
        if not broken:
            return []
        shown = ", ".join(map(str, broken[:10])) + (" ..." if len(broken) > 10 else "")
        return [f"database: {len(broken)} clip(s) without a current version ({shown})"]

    def _check_blobs(self, counts: dict[str, int]) -> list[str]:
        problems: list[str] = []
        with self._lib._read() as session:
            keys = list(session.scalars(select(Blob.sha256).order_by(Blob.sha256)))
        counts["blobs"] = len(keys)
        for start in range(0, len(keys), BLOB_BATCH):
            batch = keys[start : start + BLOB_BATCH]
            with self._lib._read() as session:
                rows = session.execute(
                    select(Blob.sha256, Blob.data, Blob.size).where(Blob.sha256.in_(batch))
                )
                for sha, data, size in rows:
                    if hashlib.sha256(data).hexdigest() != sha or len(data) != size:
                        problems.append(f"blob {sha[:12]}: its bytes do not match its SHA-256")
        return problems

    def _check_index(self, counts: dict[str, int]) -> list[str]:
        with self._lib._read() as session:
            wanted = queries.revisions(session)
        counts["clips"] = len(wanted)
        try:
            have = self._lib.index.revisions()
        except Exception as exc:  # noqa: BLE001 - any failure means the index is unusable
            return [f"{INDEX_PROBLEM} cannot be read ({exc.__class__.__name__})"]
        missing = [i for i in wanted if i not in have]
        stale = [i for i, rev in wanted.items() if i in have and have[i] != rev]
        extra = [i for i in have if i not in wanted]
        problems = []
        if missing:
            problems.append(f"{INDEX_PROBLEM} {len(missing)} clip(s) missing")
        if stale:
            problems.append(f"{INDEX_PROBLEM} {len(stale)} clip(s) out of date")
        if extra:
            problems.append(f"{INDEX_PROBLEM} {len(extra)} deleted clip(s) still indexed")
        return problems

    # --- backup -------------------------------------------------------------------------

    def backup(self, target: Path) -> Path:
        """A consistent copy of the database at `target` (a file), even while another
        process writes: SQLite's online backup copies one snapshot. The library itself
        is not changed."""
        path = sqlite_path(self._lib.location.database_url)
        if path is None:
            raise LibraryError(
                "backup of a PostgreSQL library: use the server's tool, e.g. "
                "`pg_dump --format=custom DATABASE > clipper.dump`"
            )
        target = Path(target).expanduser()
        if target.is_dir():
            target = target / f"clipper-backup-{time.strftime('%Y%m%d-%H%M%S')}.sqlite"
        if target.exists():
            raise LibraryError(f"{target}: already exists (backups never overwrite)")
        partial = target.with_name(target.name + ".part")
        try:
            source = sqlite3.connect(sqlite_ro_uri(path), uri=True, timeout=15)
            with closing(source) as src, closing(sqlite3.connect(partial)) as dst:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
            partial.replace(target)
        except (OSError, sqlite3.Error) as exc:
            partial.unlink(missing_ok=True)
            raise LibraryError(f"{target}: backup failed ({exc})") from exc
        return target


def _foreign_key_problems(path: Path) -> list[str]:
    try:
        with closing(sqlite3.connect(sqlite_ro_uri(path), uri=True, timeout=15)) as conn:
            rows = conn.execute("PRAGMA foreign_key_check").fetchmany(20)
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [f"row {row[1]} of {row[0]} refers to a missing {row[2]}" for row in rows]


__all__ = [
    "CheckReport",
    "Maintenance",
    "open_index",
    "prepare_database",
    "scheduled_checks",
]
