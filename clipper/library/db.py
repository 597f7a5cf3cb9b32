"""Engines and schema upgrades for SQLite (WAL, foreign keys) and PostgreSQL.

The schema is always brought up to date by Alembic, from the first migration on, so a
library made by any earlier release opens in this one.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 15_000
WRITE_FLAG = "clipper_write"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _driver_autocommit(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite defers BEGIN to the first write; we emit BEGIN ourselves (below).
    dbapi_connection.isolation_level = None


def _sqlite_begin(conn: Connection) -> None:
    """A write transaction takes the write lock up front (BEGIN IMMEDIATE).

    Otherwise two processes (GUI and CLI) that both read then write deadlock on the lock
    upgrade and one fails with "database is locked" despite the busy timeout.
    """
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get(WRITE_FLAG) else "BEGIN")


def make_engine(url: str) -> Engine:
    """An engine with the settings Clipper relies on for this backend."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            # Pooled, not NullPool: closing the last connection to a WAL database
            # checkpoints it, 5-15 ms on every write (a third of a clip's store time).
            pool_size=4,
            max_overflow=8,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "connect", _driver_autocommit)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(engine: Engine) -> Config:
    config = Config()
    script_location = resources.files("clipper.library") / "migrations"
    config.set_main_option("script_location", str(script_location))
    config.attributes["connection_engine"] = engine
    return config


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration."""
    if current_revision(engine) == head_revision(engine):
        return
    command.upgrade(alembic_config(engine), "head")
