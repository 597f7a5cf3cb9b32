"""Clipping from the desktop: real drag-and-drop events, paste, the Clip URL dialog."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPoint, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from clipper.gui.mainwindow import MainWindow
from clipper.library import Library
from tests.gui.util import titles, wait_idle
from tests.helpers.pages import LOREM, article_page
from tests.helpers.site import FixtureSite

SEED_TITLE = "Morocco says it will boost military ties with Israel"
NO_IMAGES_TITLE = "Libraries should stop apologizing for being quiet"


def drop(window: MainWindow, mime: QMimeData) -> bool:
    """A real drag enter + drop sent to the window; True if both were accepted."""
    point = window.list.mapTo(window, window.list.rect().center())
    actions = Qt.DropAction.CopyAction | Qt.DropAction.LinkAction
    enter = QDragEnterEvent(
        point, actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, enter)
    if not enter.isAccepted():
        return False
    event = QDropEvent(
        point,
        actions,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QEvent.Type.Drop,
    )
    QApplication.sendEvent(window, event)
    return event.isAccepted()


def utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def firefox(urls: list[str]) -> QMimeData:
    mime = QMimeData()
    mime.setData("text/x-moz-url", utf16("\n".join(f"{u}\nA title" for u in urls)))
    mime.setData("text/x-moz-url-data", utf16(urls[0]))
    mime.setData("text/uri-list", "\r\n".join(urls).encode())
    mime.setData("_NETSCAPE_URL", f"{urls[0]}\nA title".encode())
    mime.setHtml(f'<a href="{urls[0]}">A title</a>')
    mime.setText(urls[0])
    return mime


def chromium(urls: list[str]) -> QMimeData:
    mime = QMimeData()
    mime.setData("text/uri-list", "\r\n".join(urls).encode())
    mime.setHtml("".join(f'<a href="{u}">link</a>' for u in urls))
    mime.setText(urls[0])
    return mime


def moz_url_only(urls: list[str]) -> QMimeData:
    mime = QMimeData()
    mime.setData("text/x-moz-url", utf16("\n".join(f"{u}\nA title" for u in urls)))
    return mime


def uri_list_only(urls: list[str]) -> QMimeData:
    mime = QMimeData()
    mime.setData("text/uri-list", "\r\n".join(urls).encode())
    return mime


def netscape(urls: list[str]) -> QMimeData:
    mime = QMimeData()
    mime.setData("_NETSCAPE_URL", f"{urls[0]}\nA title".encode())
    return mime


def html_only(urls: list[str]) -> QMimeData:
    mime = QMimeData()
    mime.setHtml("".join(f'<a href="{u}">link</a>' for u in urls))
    return mime


def plain_text(urls: list[str]) -> QMimeData:
    mime = QMimeData()
    mime.setText("\n".join(urls))
    return mime


SHAPES: dict[str, Callable[[list[str]], QMimeData]] = {
    "firefox (x-moz-url + uri-list + html)": firefox,
    "text/x-moz-url alone": moz_url_only,
    "text/uri-list alone": uri_list_only,
    "chromium (uri-list + html)": chromium,
    "_NETSCAPE_URL": netscape,
    "text/html alone": html_only,
    "plain-text URL": plain_text,
}


def wait_for_clips(qtbot: QtBot, window: MainWindow, library: Library, count: int) -> None:
    qtbot.waitUntil(lambda: library.clips.count() >= count, timeout=20_000)
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: window.model.rowCount() >= count, timeout=5000)


@pytest.mark.parametrize("shape", list(SHAPES))
def test_drop_each_mime_shape_stores_a_clip(
    qtbot: QtBot, window: MainWindow, gui_library: Library, site: FixtureSite, shape: str
) -> None:
    assert drop(window, SHAPES[shape]([site.url("seed-news.html")]))
    wait_for_clips(qtbot, window, gui_library, 1)
    assert titles(window) == [SEED_TITLE]
    assert window.stack.currentWidget() is window.list
    # The new clip appears in the list and opens in the reader.
    qtbot.waitUntil(lambda: window.reader.detail is not None, timeout=5000)


def test_drop_several_links_at_once(
    qtbot: QtBot, window: MainWindow, gui_library: Library, site: FixtureSite
) -> None:
    urls = [site.url("seed-news.html"), site.url("no-images.html"), site.url("multi-figure.html")]
    assert drop(window, firefox(urls))
    wait_for_clips(qtbot, window, gui_library, 3)
    assert set(titles(window)) >= {SEED_TITLE, NO_IMAGES_TITLE}
    assert len(titles(window)) == 3


def test_drop_html_files_from_the_file_manager(
    qtbot: QtBot, window: MainWindow, gui_library: Library, tmp_path: Path
) -> None:
    first = tmp_path / "saved page.html"
    first.write_bytes(article_page("A page saved to disk", LOREM))
    second = tmp_path / "other.HTM"
    second.write_bytes(article_page("Another saved page", LOREM[::-1]))
    mime = QMimeData()
    mime.setData("text/uri-list", f"{first.as_uri()}\r\n{second.as_uri()}\r\n".encode())
    assert drop(window, mime)
    wait_for_clips(qtbot, window, gui_library, 2)
    assert sorted(titles(window)) == ["A page saved to disk", "Another saved page"]


def test_drop_of_nothing_clippable_is_refused(window: MainWindow, tmp_path: Path) -> None:
    mime = QMimeData()
    mime.setText("just some words")
    assert not drop(window, mime)
    assert window.queue.items == {}


def test_a_failure_is_a_message_on_its_item_not_a_dialog(
    qtbot: QtBot, window: MainWindow, gui_library: Library, site: FixtureSite, tmp_path: Path
) -> None:
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    mime = QMimeData()
    mime.setText(f"{site.url('missing-page.html')} {site.url('no-images.html')}")
    assert drop(window, mime)
    assert drop(window, uri_list_only([pdf.as_uri()]))
    wait_for_clips(qtbot, window, gui_library, 1)
    failed = [i for i in window.queue.items.values() if i.state == "failed"]
    assert len(failed) == 2
    by_source = {i.source.label: i.message for i in failed}
    assert "404" in by_source[site.url("missing-page.html")]
    assert not by_source[site.url("missing-page.html")].startswith("http")  # no repeat
    assert by_source["paper.pdf"] == "Only .html and .htm pages can be clipped"
    assert window.queue_panel.isVisible()
    shown = window.queue_panel.messages().values()
    assert any("404" in m for m in shown)
    dialogs = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()
    ]
    assert dialogs == []
    assert titles(window) == [NO_IMAGES_TITLE]


def test_paste_a_link(
    qtbot: QtBot, window: MainWindow, gui_library: Library, site: FixtureSite
) -> None:
    QGuiApplication.clipboard().setText(site.url("no-images.html"))
    window.commands.actions["paste"].trigger()
    wait_for_clips(qtbot, window, gui_library, 1)
    assert titles(window) == [NO_IMAGES_TITLE]


def test_paste_with_ctrl_v_in_the_list(
    qtbot: QtBot, window: MainWindow, gui_library: Library, site: FixtureSite
) -> None:
    QGuiApplication.clipboard().setText(site.url("no-images.html"))
    window.activateWindow()
    window.list.setFocus()
    qtbot.keyClick(window.list, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    wait_for_clips(qtbot, window, gui_library, 1)


def test_clip_url_dialog_with_tags(
    qtbot: QtBot, window: MainWindow, gui_library: Library, site: FixtureSite
) -> None:
    QGuiApplication.clipboard().setText(site.url("no-images.html"))
    window.commands.actions["clip"].trigger()  # Ctrl+L
    dialog = window.clip_dialog
    assert dialog.isVisible()
    assert dialog.urls.toPlainText() == site.url("no-images.html")  # prefilled
    dialog.urls.setPlainText(site.url("seed-news.html"))
    dialog.tags.setText("defense, Morocco")
    dialog._accept()
    wait_for_clips(qtbot, window, gui_library, 1)
    clip = gui_library.clips.get(window.model.clip_id(0))
    assert clip.title == SEED_TITLE
    assert clip.tags == ("defense", "Morocco")


def test_clip_url_dialog_rejects_non_urls(window: MainWindow) -> None:
    dialog = window.commands.clip_url_dialog()
    dialog.urls.setPlainText("not a link")
    dialog._accept()
    assert dialog.isVisible() and not dialog.error.isHidden()
    dialog.reject()


def test_drop_target_point_is_inside_the_window(window: MainWindow) -> None:
    point = window.list.mapTo(window, window.list.rect().center())
    assert window.rect().contains(point)
    assert isinstance(point, QPoint)
