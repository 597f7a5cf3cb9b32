"""Passages in the desktop app, on a real library clipped from the local fixture site:
highlight and annotate the reader's selection, the panel, all passages, versions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from clipper.gui.mainwindow import MainWindow
from clipper.library import Library
from clipper.library.types import PassageInfo
from tests.gui.conftest import close_window, open_window
from tests.helpers.pages import LOREM, article_page
from tests.helpers.site import FixtureSite

CAPTION = "Illustrative: A helicopter flies over at the end of the African Lion military"
FIRST = "Morocco’s army said Tuesday it had agreed with Israel"


@pytest.fixture
def seed(
    qtbot: QtBot, gui_library: Library, site: FixtureSite, settings_path: Path
) -> Iterator[tuple[MainWindow, int]]:
    clip_id = gui_library.clips.clip_url(site.url("seed-news.html")).result.clip_id
    yield from window_on_clip(qtbot, gui_library, settings_path, clip_id)


def window_on_clip(
    qtbot: QtBot, library: Library, settings_path: Path, clip_id: int
) -> Iterator[tuple[MainWindow, int]]:
    """The body of a fixture: the window open on a clip, closed afterwards."""
    window = open_window(qtbot, library, settings_path)
    try:
        open_clip(qtbot, window, clip_id)
        yield window, clip_id
    finally:
        close_window(qtbot, window)


def open_clip(qtbot: QtBot, window: MainWindow, clip_id: int) -> None:
    detail = window.reader.detail
    if detail is not None and detail.id == clip_id:
        return
    with qtbot.waitSignal(window.passage_actions.passages_loaded, timeout=5000):
        window.select_clip(clip_id)


def select_offsets(window: MainWindow, start: int, end: int) -> None:
    """Select plain-text [start, end) in the reader, as a mouse drag would."""
    page = window.reader.page
    assert page is not None
    cursor = QTextCursor(window.reader.document())
    cursor.setPosition(page.offsets.text_to_doc(start))
    cursor.setPosition(page.offsets.text_to_doc(end), QTextCursor.MoveMode.KeepAnchor)
    window.reader.setTextCursor(cursor)


def select_phrase(window: MainWindow, phrase: str) -> tuple[int, int]:
    detail = window.reader.detail
    assert detail is not None
    start = detail.text.index(phrase)
    select_offsets(window, start, start + len(phrase))
    return start, start + len(phrase)


def write(qtbot: QtBot, window: MainWindow, action: object) -> None:
    """Run a passage command and wait until the reader and panel show its result."""
    with qtbot.waitSignal(window.passage_actions.passages_loaded, timeout=5000):
        action()  # type: ignore[operator]


def only(library: Library, clip_id: int) -> PassageInfo:
    passages = library.passages.find(clip_id)
    assert len(passages) == 1
    return passages[0]


def test_highlight_stores_the_exact_quote_and_draws_it(
    qtbot: QtBot, seed: tuple[MainWindow, int], gui_library: Library
) -> None:
    window, clip_id = seed
    start, end = select_phrase(window, FIRST)
    write(qtbot, window, window.passage_actions.actions["highlight"].trigger)
    info = only(gui_library, clip_id)
    assert (info.exact, info.start, info.end, info.color) == (FIRST, start, end, "yellow")
    page = window.reader.page
    assert page is not None
    drawn = (page.offsets.text_to_doc(start), page.offsets.text_to_doc(end))
    assert window.reader.passage_ranges() == [drawn]
    cursor = QTextCursor(window.reader.document())
    cursor.setPosition(drawn[0])
    cursor.setPosition(drawn[1], QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == FIRST
    assert window.passage_actions.panel.passages[0].id == info.id
    assert FIRST in window.passage_actions.panel.list.item(0).text()


def test_highlight_across_two_paragraphs_in_a_colour(
    qtbot: QtBot, seed: tuple[MainWindow, int], gui_library: Library
) -> None:
    window, clip_id = seed
    detail = window.reader.detail
    assert detail is not None
    first = detail.text.index(FIRST)
    gap = detail.text.index("\n\n", first)
    start, end = gap - 20, gap + 2 + 25
    select_offsets(window, start, end)
    write(qtbot, window, lambda: window.passage_actions.highlight("green"))
    info = only(gui_library, clip_id)
    assert info.exact == detail.text[start:end] and "\n\n" in info.exact
    assert info.color == "green"
    [(doc_start, doc_end)] = window.reader.passage_ranges()
    document = window.reader.document()
    assert document.findBlock(doc_start) != document.findBlock(doc_end)
    cursor = QTextCursor(document)
    cursor.setPosition(doc_start)
    cursor.setPosition(doc_end, QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText().replace("\u2029", "\n\n") == info.exact


def test_highlight_in_a_figure_caption(
    qtbot: QtBot, seed: tuple[MainWindow, int], gui_library: Library
) -> None:
    window, clip_id = seed
    found = window.reader.document().find(CAPTION)
    assert not found.isNull()
    window.reader.setTextCursor(found)  # selected in the document, not by offsets
    write(qtbot, window, window.passage_actions.actions["highlight"].trigger)
    info = only(gui_library, clip_id)
    assert info.exact == CAPTION
    assert window.reader.passage_ranges() == [(found.selectionStart(), found.selectionEnd())]


def test_annotate_dialog_stores_note_tags_and_colour(
    qtbot: QtBot, seed: tuple[MainWindow, int], gui_library: Library
) -> None:
    window, clip_id = seed
    select_phrase(window, FIRST)
    window.passage_actions.actions["annotate"].trigger()
    dialog = window.passage_actions.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.note_edit.setPlainText("Key claim of the article.")
    dialog.tags_edit.setText("defense, morocco")
    dialog.color_box.setCurrentIndex(dialog.color_box.findData("blue"))
    write(qtbot, window, dialog.accept)
    info = only(gui_library, clip_id)
    assert (info.exact, info.note, info.color) == (FIRST, "Key claim of the article.", "blue")
    assert sorted(info.tags) == ["defense", "morocco"]
    assert "Key claim" in window.passage_actions.panel.list.item(0).text()


def test_nothing_selected_writes_nothing(
    qtbot: QtBot, seed: tuple[MainWindow, int], gui_library: Library
) -> None:
    window, clip_id = seed
    window.reader.setTextCursor(QTextCursor(window.reader.document()))
    window.passage_actions.actions["highlight"].trigger()
    assert window.passage_actions.annotate_dialog() is None
    qtbot.wait(50)
    assert gui_library.passages.find(clip_id) == []
    assert "Select some text" in window.statusBar().currentMessage()


def test_clicking_a_passage_scrolls_to_it_and_selects_it(
    qtbot: QtBot, seed: tuple[MainWindow, int], gui_library: Library
) -> None:
    window, clip_id = seed
    detail = window.reader.detail
    assert detail is not None
    last_words = detail.text.rstrip()[-40:]
    select_phrase(window, last_words)
    write(qtbot, window, window.passage_actions.actions["highlight"].trigger)
    reader = window.reader
    reader.setTextCursor(QTextCursor(reader.document()))
    reader.verticalScrollBar().setValue(0)
    panel = window.passage_actions.panel
    rect = panel.list.visualItemRect(panel.list.item(0))
    QTest.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert reader.textCursor().selectedText() == last_words
    assert reader.verticalScrollBar().value() > 0
    assert reader.viewport().rect().intersects(reader.cursorRect())


def test_edit_note_and_delete_with_undo(
    qtbot: QtBot, seed: tuple[MainWindow, int], gui_library: Library
) -> None:
    window, clip_id = seed
    select_phrase(window, FIRST)
    write(qtbot, window, window.passage_actions.actions["highlight"].trigger)
    passage_actions = window.passage_actions
    passage_actions.panel.select(only(gui_library, clip_id).id)
    passage_actions.panel.edit_button.click()
    dialog = passage_actions.dialog
    assert dialog is not None
    dialog.note_edit.setPlainText("Edited note")
    write(qtbot, window, dialog.accept)
    assert only(gui_library, clip_id).note == "Edited note"

    passage_actions.panel.select(only(gui_library, clip_id).id)
    write(qtbot, window, passage_actions.panel.delete_button.click)
    assert gui_library.passages.find(clip_id) == []
    assert window.reader.passage_ranges() == []
    assert passage_actions.panel.passages == []
    assert window.commands.actions["undo"].isEnabled()
    write(qtbot, window, window.commands.actions["undo"].trigger)
    back = only(gui_library, clip_id)
    assert (back.exact, back.note) == (FIRST, "Edited note")
    assert len(window.reader.passage_ranges()) == 1
    assert not window.commands.actions["undo"].isEnabled()


def test_all_passages_filter_by_tag_and_words_and_open_the_clip(
    qtbot: QtBot, gui_library: Library, site: FixtureSite, settings_path: Path
) -> None:
    seed_id = gui_library.clips.clip_url(site.url("seed-news.html")).result.clip_id
    site.pages["/harbour.html"] = article_page("Harbour plan revised", LOREM)
    other_id = gui_library.clips.clip_url(site.url("harbour.html")).result.clip_id
    gui_library.passages.add_quote(seed_id, FIRST, tags=["defense"], note="army")
    gui_library.passages.add_quote(other_id, "historic warehouses", tags=["city"])
    gui_library.passages.add_quote(other_id, "protected cycle lane", tags=["city", "transport"])
    window = open_window(qtbot, gui_library, settings_path)
    try:
        view = window.passage_actions.all_dialog
        assert view is None
        open_clip(qtbot, window, other_id)
        action = window.passage_actions.actions["all"]
        assert action.shortcut().toString() == "Ctrl+Shift+A"
        action.trigger()
        view = window.passage_actions.all_dialog
        assert view is not None and view.isVisible()
        qtbot.waitUntil(lambda: len(view.passages) == 3, timeout=5000)
        assert len(view.visible_passages()) == 3
        view.set_tag("city")
        assert {a.exact for a in view.visible_passages()} == {
            "historic warehouses",
            "protected cycle lane",
        }
        view.search_edit.setText("cycle")
        assert [a.exact for a in view.visible_passages()] == ["protected cycle lane"]
        view.search_edit.clear()
        view.set_tag(None)
        view.search_edit.setText("ARMY")  # the note, any case
        assert [a.exact for a in view.visible_passages()] == [FIRST]
        row = view.row_of(view.visible_passages()[0].id)
        assert row is not None
        with qtbot.waitSignal(window.passage_actions.passages_loaded, timeout=5000):
            view.table.cellDoubleClicked.emit(row, 0)
        assert window.reader.detail is not None and window.reader.detail.id == seed_id
        assert window.reader.textCursor().selectedText() == FIRST
        view.close()
    finally:
        close_window(qtbot, window)


def test_versions_dialog_shows_the_word_diff_of_a_changed_page(
    qtbot: QtBot, gui_library: Library, site: FixtureSite, settings_path: Path
) -> None:
    site.pages["/changing.html"] = article_page("Harbour plan", LOREM)
    clip_id = gui_library.clips.clip_url(site.url("changing.html")).result.clip_id
    changed = [LOREM[0].replace("two years", "three years"), *LOREM[1:]]
    site.pages["/changing.html"] = article_page("Harbour plan", changed)
    result = gui_library.clips.clip_url(site.url("changing.html")).result
    assert result.status == "updated" and len(gui_library.clips.versions(clip_id)) == 2
    window = open_window(qtbot, gui_library, settings_path)
    try:
        open_clip(qtbot, window, clip_id)
        action = window.passage_actions.actions["versions"]
        assert action in window.menus["clip"].actions()
        action.trigger()
        dialog = window.passage_actions.versions_dialog
        assert dialog is not None and dialog.isVisible()
        with qtbot.waitSignal(dialog.diff_shown, timeout=5000) as blocker:
            pass  # the versions, then the diff, come back from the read pool
        summary = blocker.args[0]
        assert "1 word removed" in summary and "1 added" in summary
        assert dialog.summary_label.text() == summary
        assert dialog.old_box.count() == 2 and dialog.new_box.currentIndex() == 1
        html = dialog.browser.toHtml()
        assert "line-through" in html
        text = dialog.browser.toPlainText()
        assert "two" in text and "three" in text and "warehouses" in text
        assert not dialog.browser.openLinks() and not dialog.browser.openExternalLinks()
        # The same version on both sides: nothing changed.
        with qtbot.waitSignal(dialog.diff_shown, timeout=5000):
            dialog.old_box.setCurrentIndex(1)
        assert dialog.summary_label.text() == "The same version."
        assert "three" in dialog.browser.toPlainText()
        dialog.close()
    finally:
        close_window(qtbot, window)


def test_reader_context_menu_offers_highlight_in_colours(
    qtbot: QtBot, seed: tuple[MainWindow, int], gui_library: Library
) -> None:
    window, clip_id = seed
    select_phrase(window, FIRST)
    reader = window.reader
    menu = window.passage_actions.build_context_menu(reader.cursorRect().center())
    texts = [a.text() for a in menu.actions()]
    assert "&Highlight" in texts and "&Annotate…" in texts
    colours = next(a.menu() for a in menu.actions() if a.text() == "Highlight in")
    pink = next(a for a in colours.actions() if a.text() == "Pink")
    write(qtbot, window, pink.trigger)
    menu.deleteLater()
    info = only(gui_library, clip_id)
    assert (info.exact, info.color) == (FIRST, "pink")
