"""No query runs on the GUI thread: scrolling 100,000 rows, tagging 5,000 clips.

The library's engine is instrumented (`before_cursor_execute` records the thread of
every statement); the window runs as the user drives it. The list reads its pages on
the read pool, Commands read the selection there, the write runs on the writer thread.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from clipper.gui.cliplist import LOADING, TAGS, TITLE
from clipper.gui.mainwindow import MainWindow
from clipper.library import Library
from clipper.library.types import ClipFilter
from tests.gui.conftest import close_window, open_window
from tests.helpers.biglibrary import fill_library

CLIPS = 100_000
TAGGED = 5_000


@pytest.fixture(scope="session")
def big_library_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("big") / "library"
    fill_library(folder, CLIPS)
    return folder


@pytest.fixture
def big_library(big_library_template: Path, tmp_path: Path) -> Iterator[Library]:
    """A copy per test (a test writes to it), opened as the app opens it."""
    folder = tmp_path / "big"
    shutil.copytree(big_library_template, folder)
    library = Library.open(folder, exclusive=True, reconcile=False)
    try:
        yield library
    finally:
        library.close()


class QueryThreads:
    """Every statement the engine runs, and whether it ran on the GUI (main) thread."""

    def __init__(self) -> None:
        self.on_gui: list[str] = []
        self.elsewhere = 0
        self.recording = False
        self._gui = threading.main_thread()

    def __call__(self, *args: object) -> None:
        if not self.recording:
            return
        if threading.current_thread() is self._gui:
            self.on_gui.append(str(args[2])[:120])
        else:
            self.elsewhere += 1


def shown(window: MainWindow, row: int) -> bool:
    """The row's title is on screen (its page arrived), not the placeholder."""
    model = window.model
    return model.data(model.index(row, TITLE)) not in (None, LOADING)


def test_no_query_on_the_gui_thread_scrolling_100k_and_tagging_5000(
    qtbot: QtBot, big_library: Library, settings_path: Path, tmp_path: Path
) -> None:
    queries = QueryThreads()
    event.listen(big_library.engine, "before_cursor_execute", queries)
    window = open_window(qtbot, big_library, settings_path)
    try:
        view, model = window.list, window.model
        qtbot.waitUntil(lambda: model.rowCount() == CLIPS, timeout=10_000)
        queries.recording = True

        # Scrolling: every part of the list, each position's rows arriving from the pool.
        bar = view.verticalScrollBar()
        for step in range(21):
            bar.setValue(bar.maximum() * step // 20)
            top = view.rowAt(0)
            assert top >= 0
            qtbot.waitUntil(lambda top=top: shown(window, top), timeout=5000)
        assert shown(window, CLIPS - 1)
        bar.setValue(bar.maximum() // 2)
        qtbot.waitUntil(lambda: shown(window, view.rowAt(0)), timeout=5000)
        window.grab().save(str(tmp_path / "list-100k.png"))

        # Select All over 100,000 rows is the id list: no page is read for it.
        pages_before = model.page_loads
        view.selectAll()
        assert len(window.selected_ids()) == CLIPS
        assert model.page_loads == pages_before

        # Tagging 5,000 clips: the dialog opens once their tags are read off the thread.
        first_row = view.rowAt(0)  # the middle of the list, where the view is
        selection = QItemSelection(
            model.index(first_row, 0), model.index(first_row + TAGGED - 1, TAGS)
        )
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        view.selectionModel().select(selection, flags)
        ids = window.selected_ids()
        assert len(ids) == TAGGED
        window.tag_dialog = None
        window.commands.actions["tag"].trigger()
        qtbot.waitUntil(lambda: window.tag_dialog is not None, timeout=10_000)
        dialog = window.tag_dialog
        assert dialog is not None and dialog.windowTitle() == f"Tag {TAGGED} clips"
        dialog.add_edit.setText("bulk")
        dialog.accept()
        qtbot.waitUntil(
            lambda: "bulk" in str(model.data(model.index(first_row, TAGS))), timeout=60_000
        )
        qtbot.waitUntil(lambda: not window.busy, timeout=30_000)
        queries.recording = False

        assert queries.elsewhere > 0  # the reads and the write did run, on other threads
        assert queries.on_gui == [], f"{len(queries.on_gui)} queries on the GUI thread"
        assert big_library.clips.count(ClipFilter(tag="bulk")) == TAGGED
    finally:
        queries.recording = False
        close_window(qtbot, window)
        event.remove(big_library.engine, "before_cursor_execute", queries)


def test_pages_show_placeholders_until_they_arrive(
    qtbot: QtBot, big_library: Library, settings_path: Path
) -> None:
    window = open_window(qtbot, big_library, settings_path)
    try:
        model = window.model
        qtbot.waitUntil(lambda: model.rowCount() == CLIPS, timeout=10_000)
        far = CLIPS - 10
        assert model.data(model.index(far, TITLE)) == LOADING
        assert model.data(model.index(far, TITLE), Qt.ItemDataRole.ForegroundRole) is not None
        qtbot.waitUntil(lambda: shown(window, far), timeout=5000)
        assert str(model.data(model.index(far, TITLE))).endswith(" 10")  # oldest clips last
    finally:
        close_window(qtbot, window)
