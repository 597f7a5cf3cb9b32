"""Closing the window: the trash is emptied on the writer thread, and a locked or slow
database cannot hold the close (undo of a delete lasts for the session)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import event, text

from clipper.library import Library
from clipper.paths import DB_FILENAME
from tests.gui.conftest import close_window, open_window
from tests.gui.util import make_capture


class Statements:
    """The statements the engine runs, split by the thread that ran them."""

    def __init__(self) -> None:
        self.on_gui: list[str] = []
        self.elsewhere: list[str] = []

    def __call__(self, *args: object) -> None:
        on_gui = threading.current_thread() is threading.main_thread()
        (self.on_gui if on_gui else self.elsewhere).append(str(args[2]))


def trashed_one(library: Library) -> int:
    """Two clips; the first moved to the trash (as Delete in the window does)."""
    first = library.clips.store(make_capture("Harbour plan delayed", ["The vote waits."])).result
    library.clips.store(make_capture("Ferry service cut", ["Twice a week from May."]))
    library.clips.delete([first.clip_id], permanent=False)
    return first.clip_id


def rows_of(library: Library, clip_id: int) -> int:
    with library.engine.connect() as conn:
        query = text("SELECT count(*) FROM clips WHERE id = :id")
        return int(conn.execute(query, {"id": clip_id}).scalar_one())


def test_closing_empties_the_trash_on_the_writer_thread(
    qtbot: QtBot, gui_library: Library, settings_path: Path
) -> None:
    clip_id = trashed_one(gui_library)
    window = open_window(qtbot, gui_library, settings_path)
    statements = Statements()
    event.listen(gui_library.engine, "before_cursor_execute", statements)
    try:
        close_window(qtbot, window)
    finally:
        event.remove(gui_library.engine, "before_cursor_execute", statements)
    assert statements.on_gui == []
    assert any(s.lstrip().upper().startswith("DELETE") for s in statements.elsewhere)
    assert rows_of(gui_library, clip_id) == 0  # purged before close() returned
    assert gui_library.clips.count() == 1


def test_a_locked_database_does_not_hold_the_close(
    qtbot: QtBot, gui_library: Library, library_path: Path, settings_path: Path
) -> None:
    clip_id = trashed_one(gui_library)
    window = open_window(qtbot, gui_library, settings_path)
    window.close_timeout_ms = 300
    other = sqlite3.connect(library_path / DB_FILENAME, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        assert window.close()  # returns while this thread still holds the lock
        assert window.tasks.writer.activeThreadCount() == 1  # the purge waits for it
        assert rows_of(gui_library, clip_id) == 1  # nothing lost: still in the trash
    finally:
        other.rollback()
        other.close()
    assert window.tasks.writer.waitForDone(30_000)  # the lock is gone: the purge ends
    assert rows_of(gui_library, clip_id) == 0
    close_window(qtbot, window)
