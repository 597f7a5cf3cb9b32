"""The small things: focus, colours, panel height, undo button, dialogs, zoom, settings,
help. Each test fails on the defect it is named after."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QFontMetrics, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from clipper.gui.highlight import COLORS, search_hit_format
from clipper.gui.mainwindow import MainWindow
from clipper.gui.mime import sources_from_formats
from clipper.gui.preferences import Preferences
from clipper.library import Library
from tests.gui.test_passages import FIRST, seed, select_phrase, write
from tests.gui.test_window import select_title, stocked, win
from tests.gui.util import wait_idle
from tests.helpers.site import FixtureSite

__all__ = ["seed", "stocked", "win"]  # fixtures used here


def test_emptying_the_search_box_keeps_the_focus_there(qtbot: QtBot, win: MainWindow) -> None:
    win.activateWindow()
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is not None)
    win.focus_search()
    qtbot.keyClicks(win.search_bar, "ferry")
    for _ in range(5):
        qtbot.keyClick(win.search_bar, Qt.Key.Key_Backspace)
    assert win.search_bar.text() == ""
    assert win.search_bar.hasFocus()
    qtbot.keyClicks(win.search_bar, "x")  # the next letters go to the box, not the list
    assert win.search_bar.text() == "x"
    qtbot.keyClick(win.search_bar, Qt.Key.Key_Escape)
    qtbot.keyClick(win.search_bar, Qt.Key.Key_Escape)  # empty: Escape leaves the box
    assert win.list.hasFocus()


def test_search_hits_do_not_look_like_a_yellow_passage() -> None:
    fmt = search_hit_format()
    hit = fmt.background().color()
    for name, rgb in COLORS.items():
        hue_gap = abs(hit.hueF() - QColor(*rgb).hueF()) * 360
        assert min(hue_gap, 360 - hue_gap) >= 15, name
    assert fmt.fontUnderline() or fmt.underlineStyle() != fmt.underlineStyle().NoUnderline


def test_passages_panel_shows_three_passages(
    qtbot: QtBot, seed: tuple[MainWindow, int], gui_library: Library
) -> None:
    window, clip_id = seed
    window.set_initial_size(1440, 900)
    detail = window.reader.detail
    assert detail is not None
    paragraphs = [p for p in detail.text.split("\n\n") if len(p) > 60][:3]
    for n, paragraph in enumerate(paragraphs):  # quote, note and date: three lines each
        start = detail.text.index(paragraph)
        gui_library.passages.add(clip_id, start, start + 40, note=f"Note number {n}", tags=["x"])
    write(qtbot, window, window.live.refresh)  # F5: written outside the window
    panel = window.passage_actions.panel
    assert panel.list.count() == 3
    qtbot.wait(20)
    last = panel.list.visualItemRect(panel.list.item(2))
    assert last.bottom() <= panel.list.viewport().height(), (last, panel.list.height())


def test_highlighting_clears_the_selection(
    qtbot: QtBot, seed: tuple[MainWindow, int], gui_library: Library
) -> None:
    window, _clip_id = seed
    select_phrase(window, FIRST)
    write(qtbot, window, window.passage_actions.actions["highlight"].trigger)
    assert not window.reader.textCursor().hasSelection()
    assert len(window.reader.passage_ranges()) == 1


def test_undo_button_is_not_drawn_over_its_message(qtbot: QtBot, win: MainWindow) -> None:
    select_title(qtbot, win, "Ferry service cut")
    win.commands.delete_selected()
    qtbot.waitUntil(lambda: win.commands.actions["undo"].isEnabled(), timeout=5000)
    bar = win.statusBar()
    button = win.commands._undo_button
    assert button is not None and button.isVisible()
    message = bar.currentMessage()
    assert message.startswith("Deleted 1 clip")
    text_end = QFontMetrics(bar.font()).horizontalAdvance(message) + 8
    assert button.geometry().left() >= text_end, (button.geometry(), text_end)
    assert not button.geometry().intersects(win.library_label.geometry())


def test_enter_in_clip_url_dialog_clips(
    qtbot: QtBot, window: MainWindow, gui_library: Library, site: FixtureSite
) -> None:
    QGuiApplication.clipboard().setText("")
    dialog = window.commands.clip_url_dialog()
    dialog.urls.setPlainText(site.url("no-images.html"))
    dialog.urls.moveCursor(dialog.urls.textCursor().MoveOperation.End)
    qtbot.keyClick(dialog.urls, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert dialog.urls.toPlainText().endswith("\n")  # Shift+Enter: another line
    assert dialog.isVisible()
    qtbot.keyClick(dialog.urls, Qt.Key.Key_Return)  # Enter: clip
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: gui_library.clips.count() == 1, timeout=20_000)


def test_a_new_clip_is_selected_and_read(
    qtbot: QtBot, win: MainWindow, stocked: Library, site: FixtureSite
) -> None:
    select_title(qtbot, win, "Ferry service cut")
    with qtbot.waitSignal(win.reader_loaded, timeout=20_000):
        win.clip_sources(
            sources_from_formats({"text/uri-list": site.url("no-images.html").encode()})
        )
    wait_idle(qtbot, win)
    qtbot.waitUntil(
        lambda: (
            win.reader.detail is not None
            and win.reader.detail.title == "Libraries should stop apologizing for being quiet"
        ),
        timeout=5000,
    )
    current = win.current_id()
    assert current is not None and stocked.clips.get(current).title.startswith("Libraries")


def test_selection_actions_are_disabled_without_a_selection(qtbot: QtBot, win: MainWindow) -> None:
    win.list.clearSelection()
    win.list.setCurrentIndex(win.model.index(-1, -1))
    actions = win.commands.actions
    for name in ("tag", "open", "copy_link", "delete"):
        assert not actions[name].isEnabled(), name
    select_title(qtbot, win, "Ferry service cut")
    for name in ("tag", "open", "copy_link", "delete"):
        assert actions[name].isEnabled(), name


def test_reader_zoom_with_ctrl_plus_and_minus_is_kept(
    qtbot: QtBot, win: MainWindow, stocked: Library, settings_path: Path
) -> None:
    select_title(qtbot, win, "Ferry service cut")
    reader = win.reader
    before = reader.document().begin().charFormat().fontPointSize()
    default = reader.default_pt()
    win.activateWindow()
    qtbot.keyClick(win.list, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(win.list, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert reader.text_pt == default + 2
    title_pt = reader.document().begin().charFormat().fontPointSize()
    assert title_pt > before
    qtbot.keyClick(win.list, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert reader.text_pt == default + 1
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    assert float(settings.value("preferences/reader_pt")) == default + 1
    qtbot.keyClick(win.list, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert reader.text_pt == 0


def test_settings_dialog_saves_and_applies(
    qtbot: QtBot, win: MainWindow, settings_path: Path, tmp_path: Path
) -> None:
    dialog = win.commands.settings_dialog()
    assert dialog.isVisible()
    dialog.library.setText(str(tmp_path / "elsewhere"))
    dialog.timeout.setValue(7)
    dialog.max_mb.setValue(3)
    dialog.images.setCurrentIndex(dialog.images.findData("fail"))
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.reader_pt.setValue(17)
    try:
        dialog.accept()
        prefs = Preferences.load(QSettings(str(settings_path), QSettings.Format.IniFormat))
        assert prefs == Preferences(
            library=str(tmp_path / "elsewhere"),
            timeout=7.0,
            max_page_mb=3.0,
            images="fail",
            theme="dark",
            reader_pt=17.0,
        )
        assert win.reader.text_pt == 17
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        window_color = app.palette().color(QPalette.ColorRole.Window)
        assert window_color.lightness() < 80  # dark now
        limits = win.queue.fetcher().limits
        assert (limits.timeout, limits.max_bytes) == (7.0, 3 * 1024 * 1024)
    finally:
        from clipper.gui.preferences import apply_theme

        apply_theme("system")
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() > 150


def test_settings_library_is_used_at_the_next_start(qtbot: QtBot, tmp_path: Path) -> None:
    from clipper.gui.app import main

    other = tmp_path / "from-settings"
    Preferences(library=str(other)).save()
    shot = tmp_path / "shot.png"
    assert main(["--screenshot", str(shot), "--size", "800x600"]) == 0
    assert (other / "library.sqlite").is_file()


def test_help_search_syntax_and_shortcuts(qtbot: QtBot, win: MainWindow) -> None:
    help_menu = win.menus["help"]
    assert win.menuBar().actions()[-1].menu() is help_menu  # Help stays last
    texts = [a.text() for a in help_menu.actions()]
    assert "&Search Syntax" in texts and "&Keyboard Shortcuts" in texts
    syntax = win.commands.search_help()
    text = syntax.text.toPlainText()
    for token in ('"air defense"', "tag:defense", "after:2024-01", "has:note", "-opinion"):
        assert token in text
    assert not syntax.isModal()
    keys = win.commands.shortcuts_help().text.toPlainText()
    for line in ("Ctrl+L", "Clip URL", "Ctrl+H", "Highlight", "Ctrl+T", "Ctrl+Shift+I"):
        assert line in keys


def test_list_snippets_mark_hits_in_the_readers_colour(qtbot: QtBot, win: MainWindow) -> None:
    from clipper.gui.cliplist import SNIPPET
    from clipper.gui.highlight import SEARCH_HIT_RGB

    win.reconcile_index()
    wait_idle(qtbot, win)
    with qtbot.waitSignal(win.search_done, timeout=5000):
        win.search_bar.setText("harbour")
        win.search_bar.flush()
    wait_idle(qtbot, win)
    assert win.model.rowCount() == 2
    win.list.select_only(0)
    win.resize(1600, 900)
    win.list.setColumnWidth(SNIPPET, 420)
    win.list.scrollTo(win.model.index(1, SNIPPET))
    qtbot.wait(50)
    rect = win.list.visualRect(win.model.index(1, SNIPPET))  # an unselected row
    image = win.list.viewport().grab(rect).toImage()
    alpha = 90 / 255
    want = [round(255 - (255 - c) * alpha) for c in SEARCH_HIT_RGB]
    colors = {
        (
            image.pixelColor(x, y).red(),
            image.pixelColor(x, y).green(),
            image.pixelColor(x, y).blue(),
        )
        for x in range(image.width())
        for y in range(image.height())
    }
    assert any(all(abs(a - b) <= 8 for a, b in zip(c, want, strict=True)) for c in colors), (
        want,
        sorted(colors, key=lambda c: c[2] - c[0])[:5],
        image.size(),
    )
