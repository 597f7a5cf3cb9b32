"""The Alembic migrations and the models describe the same schema; SQLite settings."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from clipper.errors import LibraryLockedError
from clipper.library import Library
from clipper.library.db import make_engine, upgrade
from clipper.library.lock import LibraryLock
from clipper.library.models import Base
from clipper.paths import resolve_location


def test_migrations_match_models(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def test_sqlite_is_wal_with_foreign_keys(library: Library) -> None:
    db = library.location.folder / "library.sqlite"
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"
    with library.engine.connect() as conn:
        assert conn.exec_driver_sql("pragma foreign_keys").scalar() == 1


def test_second_window_gets_a_clear_message(library_path: Path) -> None:
    first = Library.open(library_path, exclusive=True)
    try:
        with pytest.raises(LibraryLockedError, match="already open in another Clipper window"):
            Library.open(library_path, exclusive=True)
        # The CLI (not exclusive) still works beside the app.
        with Library.open(library_path) as cli_side:
            assert cli_side.clips.count() == 0
    finally:
        first.close()
    Library.open(library_path, exclusive=True).close()  # released on close


def test_lock_is_released_when_dropped(tmp_path: Path) -> None:
    lock = LibraryLock(tmp_path / "l.lock")
    lock.acquire()
    lock.release()
    again = LibraryLock(tmp_path / "l.lock")
    again.acquire()
    again.release()


def test_location_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loc = resolve_location(tmp_path / "lib")
    assert loc.database_url == f"sqlite:///{tmp_path / 'lib' / 'library.sqlite'}"
    assert loc.index_dir == tmp_path / "lib" / "index"
    monkeypatch.setenv("CLIPPER_LIBRARY", str(tmp_path / "env"))
    assert resolve_location().folder == tmp_path / "env"
    remote = resolve_location("postgresql+psycopg://me:secret@db.example/clips")
    assert remote.describe() == "postgresql+psycopg://me:***@db.example/clips"
    assert "secret" not in str(remote.folder)


def test_unusable_library_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    from clipper.errors import LibraryError

    with pytest.raises(LibraryError, match="cannot"):
        Library.open(blocker / "lib")


def test_head_revision_read_from_the_files_is_alembics(tmp_path: Path) -> None:
    """Opening an up-to-date library compares revisions without loading Alembic."""
    from alembic.script import ScriptDirectory

    from clipper.library.db import alembic_config, current_revision, head_revision

    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    expected = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    assert head_revision() == expected
    assert current_revision(engine) is None  # a new database
    upgrade(engine)
    assert current_revision(engine) == expected
    engine.dispose()
