"""The main window driven like a user: search, tags, sidebar, delete, keyboard, state."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from clipper.errors import LibraryLockedError
from clipper.gui.app import locked_notice
from clipper.gui.cliplist import SITE, SNIPPET
from clipper.gui.mainwindow import MainWindow
from clipper.gui.tagging import TagDialog
from clipper.library import Library
from tests.gui.conftest import close_window, open_window
from tests.gui.util import make_capture, titles, wait_idle


@pytest.fixture
def stocked(gui_library: Library) -> Library:
    """Five clips, two tags, reconciled into the index."""
    papers = [
        ("Harbour plan delayed again", "The harbour committee postponed its vote.", "Port News"),
        (
            "Drought rations in the valley",
            "Water rationing begins as the reservoir drops.",
            "Valley",
        ),
        ("Ferry service cut", "The island ferry will run twice a week.", "Port News"),
        ("New library opens", "A quiet reading room and a harbour view.", "City Desk"),
        ("Frogs glow under UV", "Biofluorescence in amphibians is common.", "Lumen"),
    ]
    for title, text, site in papers:
        gui_library.clips.store(make_capture(title, [text], site=site))
    gui_library.tags.change([1, 3], add=["transport"])
    gui_library.tags.change([1, 2], add=["local politics"])
    return gui_library


@pytest.fixture
def win(qtbot: QtBot, stocked: Library, settings_path: Path):  # type: ignore[no-untyped-def]
    window = open_window(qtbot, stocked, settings_path)
    yield window
    close_window(qtbot, window)


def open_tag_dialog(qtbot: QtBot, window: MainWindow) -> TagDialog:
    """Tag… opens its dialog once the selection's tags are in (from memory or the pool)."""
    window.tag_dialog = None
    window.commands.tag_selected()
    qtbot.waitUntil(lambda: window.tag_dialog is not None, timeout=5000)
    assert isinstance(window.tag_dialog, TagDialog)
    return window.tag_dialog


def select_title(qtbot: QtBot, window: MainWindow, title: str) -> int:
    for row in range(window.model.rowCount()):
        summary = window.model.cached(row)
        if summary is not None and summary.title == title:
            reader = window.reader.detail
            if window.current_id() == summary.id and reader is not None and reader.id == summary.id:
                window.list.select_only(row)
                return summary.id
            with qtbot.waitSignal(window.reader_loaded, timeout=5000):
                window.list.select_only(row)
            return summary.id
    raise AssertionError(f"{title!r} not in the list")


def test_first_run_shows_what_to_do(window: MainWindow) -> None:
    assert window.stack.currentWidget() is window.empty
    assert "Drop a link here, or press Ctrl+L" in window.empty.text
    assert window.empty.isVisible()
    assert "0 clips" in window.library_label.text()


def test_window_has_the_app_icon(qtbot: QtBot, gui_library: Library, settings_path: Path) -> None:
    from clipper.gui.app import app_icon

    icon = app_icon()
    assert not icon.isNull()
    window = MainWindow(gui_library, icon=icon)
    assert not window.windowIcon().isNull()
    close_window(qtbot, window)


def test_status_bar_shows_library_and_count(win: MainWindow, stocked: Library) -> None:
    text = win.library_label.text()
    assert "5 clips" in text
    assert str(stocked.location.folder) in text


def test_sidebar_lists_tags_and_sites_and_filters(qtbot: QtBot, win: MainWindow) -> None:
    sidebar = win.sidebar
    assert sidebar.tag_names() == ["local politics", "transport"]
    assert sidebar.find_entry("untagged").text(1) == "2"
    assert sidebar.find_entry("site", "Port News").text(1) == "2"
    sidebar.select("tag", "transport")
    wait_idle(qtbot, win)
    assert sorted(titles(win)) == ["Ferry service cut", "Harbour plan delayed again"]
    sidebar.select("untagged")
    wait_idle(qtbot, win)
    assert sorted(titles(win)) == ["Frogs glow under UV", "New library opens"]
    sidebar.select("site", "Port News")
    wait_idle(qtbot, win)
    assert len(titles(win)) == 2
    sidebar.select("all")
    wait_idle(qtbot, win)
    assert len(titles(win)) == 5


def test_typing_in_the_search_box_filters_the_list(qtbot: QtBot, win: MainWindow) -> None:
    win.reconcile_index()
    wait_idle(qtbot, win)
    with qtbot.waitSignal(win.search_done, timeout=5000):
        qtbot.keyClicks(win.search_bar, "harbo")  # prefix of the last word, as you type
    assert sorted(titles(win)) == ["Harbour plan delayed again", "New library opens"]
    assert not win.list.isColumnHidden(SNIPPET)
    markup = win.model.data(win.model.index(0, SNIPPET), Qt.ItemDataRole.UserRole + 2)
    assert "[[" in markup
    with qtbot.waitSignal(win.search_done, timeout=5000):
        qtbot.keyClicks(win.search_bar, "ur tag:transport")
    assert titles(win) == ["Harbour plan delayed again"]
    qtbot.keyClick(win.search_bar, Qt.Key.Key_Escape)  # Escape clears
    wait_idle(qtbot, win)
    assert win.search_bar.text() == ""
    assert len(titles(win)) == 5
    assert win.list.isColumnHidden(SNIPPET)


def test_search_is_debounced(qtbot: QtBot, win: MainWindow) -> None:
    fired: list[str] = []
    win.search_bar.search_requested.connect(fired.append)
    qtbot.keyClicks(win.search_bar, "ferry")
    assert fired == []  # nothing while typing
    qtbot.waitUntil(lambda: fired == ["ferry"], timeout=2000)


def test_search_highlights_in_the_reader(qtbot: QtBot, win: MainWindow) -> None:
    win.reconcile_index()
    wait_idle(qtbot, win)
    with qtbot.waitSignals([win.search_done, win.reader_loaded], timeout=5000):
        win.search_bar.setText("reservoir")
        win.search_bar.flush()
    assert win.reader.detail is not None
    assert win.reader.detail.title == "Drought rations in the valley"
    ranges = win.reader.highlight_ranges()
    assert ranges
    document = win.reader.document()
    from tests.gui.test_readerdoc import doc_text

    assert {doc_text(document, a, b).lower() for a, b in ranges} == {"reservoir"}


def test_ctrl_f_and_ctrl_k_focus_the_search(qtbot: QtBot, win: MainWindow) -> None:
    win.activateWindow()
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is not None)
    for key in (Qt.Key.Key_F, Qt.Key.Key_K):
        win.list.setFocus()
        qtbot.keyClick(win.list, key, Qt.KeyboardModifier.ControlModifier)
        assert win.search_bar.hasFocus()


def test_tagging_from_the_gui_is_in_the_database(
    qtbot: QtBot, win: MainWindow, stocked: Library
) -> None:
    first = select_title(qtbot, win, "Ferry service cut")
    row = win.model.row_of(stocked.clips.ids()[-1])  # and one more clip
    win.list.selectionModel().select(
        win.model.index(row, 0),
        win.list.selectionModel().SelectionFlag.Select
        | win.list.selectionModel().SelectionFlag.Rows,
    )
    ids = win.selected_ids()
    assert len(ids) == 2 and first in ids
    dialog = open_tag_dialog(qtbot, win)
    completer = dialog.add_edit.completer()
    assert sorted(completer.model().stringList()) == ["local politics", "transport"]
    dialog.add_edit.setText("ferries, Research")
    # "transport" is on one of the two: leave it partial; uncheck nothing else.
    with qtbot.waitSignal(win.sidebar_loaded, timeout=5000):
        dialog.accept()
    for clip_id in ids:
        assert {"ferries", "Research"} <= set(stocked.clips.get(clip_id).tags)
    assert "transport" in stocked.clips.get(first).tags
    assert "research" in [t.casefold() for t in win.sidebar.tag_names()]
    # Remove a tag by unchecking it.
    dialog = open_tag_dialog(qtbot, win)
    item = dialog.current.findItems("ferries", Qt.MatchFlag.MatchExactly)[0]
    item.setCheckState(Qt.CheckState.Unchecked)
    with qtbot.waitSignal(win.sidebar_loaded, timeout=5000):
        dialog.accept()
    assert all("ferries" not in stocked.clips.get(i).tags for i in ids)
    # The tag itself stays (count 0, dimmed) until deleted from the sidebar.
    assert win.sidebar.find_entry("tag", "ferries").text(1) == "0"


def test_ctrl_t_opens_the_tag_dialog(qtbot: QtBot, win: MainWindow) -> None:
    select_title(qtbot, win, "Ferry service cut")
    win.commands.actions["tag"].trigger()
    assert win.tag_dialog.isVisible()
    assert [k.toString() for k in win.commands.actions["tag"].shortcuts()] == ["Ctrl+T"]
    win.tag_dialog.reject()


def test_rename_and_delete_a_tag_from_the_sidebar(
    qtbot: QtBot, win: MainWindow, stocked: Library
) -> None:
    win.sidebar.select("tag", "transport")
    win.commands.rename_tag("transport")
    win.rename_dialog.edit.setText("Mobility")
    with qtbot.waitSignal(win.sidebar_loaded, timeout=5000):
        win.rename_dialog.accept()
    assert [t.name for t in stocked.tags.counts()] == ["local politics", "Mobility"]
    assert win.sidebar.current_key() == ("tag", "Mobility")
    wait_idle(qtbot, win)
    assert len(titles(win)) == 2
    with qtbot.waitSignal(win.sidebar_loaded, timeout=5000):
        win.commands.delete_tag("Mobility")
    assert [t.name for t in stocked.tags.counts()] == ["local politics"]
    assert win.sidebar.current_key()[0] == "all"


def test_delete_with_confirmation_and_undo(qtbot: QtBot, win: MainWindow, stocked: Library) -> None:
    asked: list[str] = []
    win.commands.confirm = lambda _title, text: asked.append(text) or False
    clip_id = select_title(qtbot, win, "Ferry service cut")
    win.commands.actions["delete"].trigger()
    assert asked and "Ferry service cut" in asked[0]
    assert stocked.clips.count() == 5  # declined: nothing deleted
    win.commands.confirm = lambda _title, _text: True
    with qtbot.waitSignal(win.sidebar_loaded, timeout=5000):
        win.commands.actions["delete"].trigger()
    wait_idle(qtbot, win)
    assert stocked.clips.count() == 4
    assert "Ferry service cut" not in titles(win)
    assert win.commands.actions["undo"].isEnabled()
    assert "Deleted 1 clip" in win.statusBar().currentMessage()
    with qtbot.waitSignal(win.sidebar_loaded, timeout=5000):
        win.commands.actions["undo"].trigger()
    wait_idle(qtbot, win)
    assert stocked.clips.count() == 5
    assert win.model.row_of(clip_id) is not None


def test_arrow_keys_move_and_the_reader_follows(qtbot: QtBot, win: MainWindow) -> None:
    select_title(qtbot, win, titles(win)[0])
    win.list.setFocus()
    with qtbot.waitSignal(win.reader_loaded, timeout=5000) as blocker:
        qtbot.keyClick(win.list, Qt.Key.Key_Down)
    assert blocker.args == [win.model.clip_id(1)]
    assert win.reader.detail is not None and win.reader.detail.title == titles(win)[1]


def test_open_original_and_copy_link(
    qtbot: QtBot, win: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clipper.gui import commands

    opened: list[str] = []

    class FakeServices:
        @staticmethod
        def openUrl(url: object) -> bool:
            opened.append(url.toString())  # type: ignore[attr-defined]
            return True

    monkeypatch.setattr(commands, "QDesktopServices", FakeServices)
    select_title(qtbot, win, "Ferry service cut")
    win.commands.actions["open"].trigger()
    assert opened == ["https://news.example.test/ferry-service-cut"]
    win.commands.actions["copy_link"].trigger()
    assert QGuiApplication.clipboard().text() == "https://news.example.test/ferry-service-cut"


def test_state_is_restored_on_next_start(
    qtbot: QtBot, stocked: Library, settings_path: Path
) -> None:
    window = open_window(qtbot, stocked, settings_path)
    window.resize(700, 500)
    window.splitter.setSizes([160, 300, 240])
    window.list.setColumnWidth(SITE, 177)
    sizes = window.splitter.sizes()
    close_window(qtbot, window)
    again = open_window(qtbot, stocked, settings_path)
    try:
        assert (again.width(), again.height()) == (700, 500)
        assert again.splitter.sizes() == sizes
        assert again.list.columnWidth(SITE) == 177
    finally:
        close_window(qtbot, again)


def test_a_second_window_on_the_same_library_gets_a_message(
    qtbot: QtBot, gui_library: Library, library_path: Path
) -> None:
    with pytest.raises(LibraryLockedError) as info:
        Library.open(library_path, exclusive=True, reconcile=False)
    box = locked_notice(info.value)
    qtbot.addWidget(box)
    assert box.isVisible() and not box.isModal()
    assert "already open in another Clipper window" in box.text()
    assert str(library_path) in box.detailedText()
    box.close()


def test_sorting_from_the_header_keeps_the_selection(qtbot: QtBot, win: MainWindow) -> None:
    clip_id = select_title(qtbot, win, "Ferry service cut")
    header = win.list.horizontalHeader()
    header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)  # Title, as a click does
    wait_idle(qtbot, win)
    assert titles(win) == sorted(titles(win))
    assert win.selected_ids() == [clip_id]


def test_delete_moves_to_the_next_clip(qtbot: QtBot, win: MainWindow, stocked: Library) -> None:
    names = titles(win)
    select_title(qtbot, win, names[1])
    with qtbot.waitSignal(win.sidebar_loaded, timeout=5000):
        win.commands.delete_selected()
    wait_idle(qtbot, win)
    assert titles(win) == names[:1] + names[2:]
    assert win.list.selected_rows() == [1]
    assert win.reader.detail is not None and win.reader.detail.title == names[2]


def test_hidden_columns_are_remembered(qtbot: QtBot, stocked: Library, settings_path: Path) -> None:
    from clipper.gui.cliplist import PUBLISHED

    window = open_window(qtbot, stocked, settings_path)
    window.list.set_user_hidden({PUBLISHED})
    close_window(qtbot, window)
    again = open_window(qtbot, stocked, settings_path)
    try:
        assert again.list.isColumnHidden(PUBLISHED)
        assert again.list.user_hidden == {PUBLISHED}
        assert again.list.isColumnHidden(SNIPPET)
    finally:
        close_window(qtbot, again)


def test_sources_from_command_line_arguments(tmp_path: Path) -> None:
    from clipper.gui.app import sources_from_args

    page = tmp_path / "page.html"
    sources = sources_from_args(["https://example.test/a", str(page)])
    assert [s.url for s in sources] == ["https://example.test/a", ""]
    assert sources[1].path == page.resolve()
