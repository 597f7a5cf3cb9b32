"""Live updates: learn of commits made by other clients (another machine, the CLI).

A `ChangeWatcher` thread turns them into the `Changes` value a client's own writes
return, so a window refreshes through one path. PostgreSQL: every write transaction
sends `NOTIFY clipper_changes` with the writer's id and the clip ids it changed (sent on
commit, by `Library._write`); the watcher LISTENs on its own connection. SQLite: the
watcher reads `PRAGMA data_version` on its own connection, which changes whenever
another connection commits. Either way the clips' revisions are compared with the last
ones seen, which says what was added, changed or removed.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, closing
from typing import Protocol

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from clipper.library.db import sqlite_path, sqlite_ro_uri
from clipper.library.models import Clip
from clipper.library.types import Changes

log = logging.getLogger(__name__)
CHANNEL = "clipper_changes"
POLL_SECONDS = 0.5
"""How often SQLite's change counter is read (and the PostgreSQL wait per turn)."""
MAX_PAYLOAD_IDS = 800
"""More changed clips than this are sent as "*" (PostgreSQL payloads are < 8000 bytes)."""


def notify_payload(client: str, ids: list[int]) -> str:
    """ "<client> 1,2,3": who wrote, which clips ("*": too many to list)."""
    listed = "*" if len(ids) > MAX_PAYLOAD_IDS else ",".join(map(str, ids))
    return f"{client} {listed}"


def parse_payload(payload: str) -> tuple[str, list[int] | None]:
    """(client, ids); None ids: anything may have changed."""
    client, _space, listed = payload.partition(" ")
    if listed == "*":
        return client, None
    try:
        return client, [int(i) for i in listed.split(",") if i]
    except ValueError:
        return client, None


class _Source(Protocol):
    engine: Engine
    client_id: str

    def _read(self) -> AbstractContextManager[Session]: ...


class ChangeWatcher:
    """Calls `on_change(Changes)` from its own thread when another client commits."""

    def __init__(self, library: _Source, on_change: Callable[[Changes], None]) -> None:
        self.library = library
        self.on_change = on_change
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._seen: dict[int, int] = {}
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self.url = library.engine.url

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="clipper-watch", daemon=True)
        self._thread.start()

    def wait_ready(self, timeout: float = 10) -> bool:
        """True once the watcher listens (tests write only then)."""
        return self._ready.wait(timeout)

    def saw_own(self, ids: list[int]) -> None:
        """This client's own write: its caller refreshes, the watcher need not."""
        if ids and self._ready.is_set():
            with self._lock:
                now = self._revisions(ids)
                for i in ids:
                    self._seen.pop(i, None)
                self._seen.update(now)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    # --- what changed -----------------------------------------------------------------

    def _revisions(self, ids: list[int] | None) -> dict[int, int]:
        stmt = select(Clip.id, Clip.revision).where(Clip.deleted_at.is_(None))
        if ids is not None:
            stmt = stmt.where(Clip.id.in_(ids))
        with self.library._read() as session:
            return {int(i): int(r) for i, r in session.execute(stmt)}

    def changes(self, ids: list[int] | None) -> Changes:
        """What changed among `ids` (None: all clips) since the last call."""
        with self._lock:
            return self._changes(ids)

    def _changes(self, ids: list[int] | None) -> Changes:
        now = self._revisions(ids)
        before = self._seen if ids is None else {i: self._seen[i] for i in ids if i in self._seen}
        added = frozenset(now.keys() - before.keys())
        removed = frozenset(before.keys() - now.keys())
        changed = frozenset(i for i, rev in now.items() if i in before and before[i] != rev)
        if ids is None:
            self._seen = now
        else:
            for i in removed:
                self._seen.pop(i, None)
            self._seen.update(now)
        return Changes(
            clips=changed, added=added, removed=removed, tags=True, passages=changed, sites=True
        )

    def _report(self, ids: list[int] | None) -> None:
        changes = self.changes(ids)
        if ids is not None or changes.clips or changes.added or changes.removed:
            self.on_change(changes)

    # --- the thread -------------------------------------------------------------------

    def _run(self) -> None:
        try:
            with self._lock:
                self._seen = self._revisions(None)
            if self.url.get_backend_name() == "postgresql":
                self._listen()
            else:
                self._poll_sqlite()
        except Exception as exc:  # noqa: BLE001 - live updates are a convenience
            log.warning("live updates stopped: %s", exc)
        finally:
            self._ready.set()  # nobody waits for a watcher that stopped

    def _poll_sqlite(self) -> None:
        path = sqlite_path(self.url.render_as_string(hide_password=False))
        if path is None:
            return
        with closing(sqlite3.connect(sqlite_ro_uri(path), uri=True, timeout=15)) as conn:
            last = conn.execute("PRAGMA data_version").fetchone()[0]
            self._ready.set()
            while not self._stop.wait(POLL_SECONDS):
                version = conn.execute("PRAGMA data_version").fetchone()[0]
                if version != last:
                    last = version
                    self._report(None)

    def _listen(self) -> None:
        import psycopg

        conninfo = self.url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            self._ready.set()
            while not self._stop.is_set():
                heard = False
                pending: set[int] = set()
                everything = False
                for note in conn.notifies(timeout=POLL_SECONDS):  # one turn's batch
                    client, ids = parse_payload(note.payload)
                    if client == self.library.client_id:
                        continue  # our own write: its caller refreshed already
                    heard = True
                    if ids is None:
                        everything = True
                    else:
                        pending.update(ids)
                if heard:
                    self._report(None if everything else sorted(pending))
