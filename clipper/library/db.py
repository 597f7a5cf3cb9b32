"""Engines and schema upgrades for SQLite (WAL, foreign keys) and PostgreSQL.

The schema is always brought up to date by Alembic, from the first migration on, so a
library made by any earlier release opens in this one. Alembic itself (~0.1 s to import)
loads only when a migration is pending: opening an up-to-date library compares the
stored revision with the newest migration file's by a plain query.
"""

from __future__ import annotations

import os
import re
from functools import partial
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.orm import Session, sessionmaker

from clipper.errors import POSTGRES_DRIVER_HINT, LibraryError

SQLITE_BUSY_TIMEOUT_MS = 15_000
WRITE_FLAG = "clipper_write"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, *, read_only: bool = False) -> None:
    cursor = dbapi_connection.cursor()
    if not read_only:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (None for other databases or in-memory ones)."""
    if not url.startswith("sqlite:///"):
        return None
    return Path(url.removeprefix("sqlite:///").split("?", 1)[0])


def is_read_only(url: str) -> bool:
    """An SQLite library we may not write: its file, or its folder (where SQLite must
    create the WAL and shared-memory files), is not writable."""
    path = sqlite_path(url)
    if path is None or not path.exists():
        return False
    return not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)


def sqlite_ro_uri(path: Path) -> str:
    """An SQLite URI that opens `path` read-only, even in a folder we cannot write."""
    # Without a writable folder SQLite cannot make the -shm file a WAL reader needs; the
    # file is then immutable for everyone, which is what `immutable=1` promises.
    immutable = "&immutable=1" if not os.access(path.parent, os.W_OK) else ""
    return f"file:{path}?mode=ro{immutable}"


def _read_only_url(url: str) -> str:
    path = sqlite_path(url)
    assert path is not None
    return f"sqlite:///{sqlite_ro_uri(path)}&uri=true"


def _driver_autocommit(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite defers BEGIN to the first write; we emit BEGIN ourselves (below).
    dbapi_connection.isolation_level = None


def _sqlite_begin(conn: Connection) -> None:
    """A write transaction takes the write lock up front (BEGIN IMMEDIATE).

    Otherwise two processes (GUI and CLI) that both read then write deadlock on the lock
    upgrade and one fails with "database is locked" despite the busy timeout.
    """
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get(WRITE_FLAG) else "BEGIN")


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine with the settings Clipper relies on for this backend."""
    if url.startswith("sqlite"):
        engine = create_engine(
            _read_only_url(url) if read_only else url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            # Pooled, not NullPool: closing the last connection to a WAL database
            # checkpoints it, 5-15 ms on every write (a third of a clip's store time).
            pool_size=4,
            max_overflow=8,
        )
        event.listen(engine, "connect", partial(_sqlite_pragmas, read_only=read_only))
        event.listen(engine, "connect", _driver_autocommit)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except ModuleNotFoundError as exc:  # the `postgres` extra is not installed
        if url.startswith("postgres"):
            raise LibraryError(POSTGRES_DRIVER_HINT) from exc
        raise


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


if TYPE_CHECKING:
    from alembic.config import Config

_REVISION = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*['\"]?([^'\"\s]+)", re.M)


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    script_location = resources.files("clipper.library") / "migrations"
    config.set_main_option("script_location", str(script_location))
    config.attributes["connection_engine"] = engine
    return config


def _revisions() -> tuple[set[str], set[str]]:
    """(every revision, every revision named as a `down_revision`) of the migration files."""
    revisions: set[str] = set()
    parents: set[str] = set()
    versions = resources.files("clipper.library") / "migrations" / "versions"
    for entry in versions.iterdir():
        if not entry.name.endswith(".py") or entry.name.startswith("_"):
            continue
        for key, value in _REVISION.findall(entry.read_text(encoding="utf-8")):
            (revisions if key == "revision" else parents).add(value)
    return revisions, parents


def head_revision() -> str | None:
    """The newest migration's revision, read from the migration files (no Alembic).

    The one revision no other migration names as its `down_revision`.
    """
    revisions, parents = _revisions()
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def current_revision(engine: Engine) -> str | None:
    """The revision stored in the database (None for a new one)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def check_schema(engine: Engine, *, read_only: bool = False) -> bool:
    """True when the schema is the newest; raises when this Clipper cannot use it."""
    current = current_revision(engine)
    head = head_revision()
    if head is not None and current == head:
        return True
    if current is not None and current not in _revisions()[0]:
        raise LibraryError(
            f"the library was made by a newer Clipper (schema {current}); upgrade Clipper"
        )
    if read_only:
        raise LibraryError(
            "the library is read-only and was made by an older Clipper: "
            "open it once where it can be written, to upgrade it"
        )
    return False


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration."""
    if check_schema(engine):
        return
    from alembic import command

    command.upgrade(alembic_config(engine), "head")
