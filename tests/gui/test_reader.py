"""The reader on the real seed article: figure, caption, credit, no boilerplate, offline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QImage, QPalette, QTextCursor, QTextDocument
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from clipper.gui.mainwindow import MainWindow
from clipper.gui.readerdoc import THUMB_SCHEME
from clipper.library import Library
from tests.gui.conftest import close_window, open_window
from tests.helpers.site import FixtureSite

CAPTION = (
    "Illustrative: A helicopter flies over at the end of the African Lion military "
    "exercise, in Tantan, south of Agadir, Morocco, June 18, 2021."
)
CREDIT = "AP Photo/Mosa'ab Elshamy"
BOILERPLATE = (
    "Register for free",
    "Register to continue",
    "Sign in or Register",
    "Registering also lets you comment",
    "Israeli defense firm said set to open drone plant",  # related-articles list
)


@pytest.fixture
def seed_window(
    qtbot: QtBot, gui_library: Library, site: FixtureSite, settings_path: Path
) -> Iterator[tuple[MainWindow, int]]:
    clip_id = gui_library.clips.clip_url(site.url("seed-news.html")).result.clip_id
    site.requests.clear()  # from here on, the server must see nothing
    window = open_window(qtbot, gui_library, settings_path)
    try:
        yield window, clip_id
    finally:
        close_window(qtbot, window)


def open_clip(qtbot: QtBot, window: MainWindow, clip_id: int) -> None:
    if window.reader.detail is not None and window.reader.detail.id == clip_id:
        return
    with qtbot.waitSignal(window.reader_loaded, timeout=5000):
        window.select_clip(clip_id)


def test_seed_reader_shows_figure_caption_credit_and_no_boilerplate(
    qtbot: QtBot, seed_window: tuple[MainWindow, int]
) -> None:
    window, clip_id = seed_window
    open_clip(qtbot, window, clip_id)
    reader = window.reader
    document = reader.document()
    text = document.toPlainText()
    assert text.startswith("Morocco says it will boost military ties with Israel\n")
    assert "Rabat and Jerusalem will strengthen cooperation" in text  # standfirst
    assert "26 July 2022" in text and "The Times of Israel" in text
    assert CAPTION in text
    for junk in BOILERPLATE:
        assert junk not in text
    # The credit is set apart: its own paragraph right after the caption, smaller, greyer.
    caption = document.find(CAPTION)
    credit = document.find(CREDIT)
    assert not caption.isNull() and not credit.isNull()
    assert credit.block().blockNumber() == caption.block().blockNumber() + 1
    assert credit.block().text().strip("()") == CREDIT
    cap_fmt, credit_fmt = caption.charFormat(), credit.charFormat()
    assert credit_fmt.fontPointSize() < cap_fmt.fontPointSize()
    assert credit_fmt.foreground().color() != cap_fmt.foreground().color()
    # The figure's image is the library's thumbnail, shown before its caption.
    image_block = document.findBlockByNumber(caption.block().blockNumber() - 1)
    fmt = image_block.begin().fragment().charFormat()
    assert fmt.isImageFormat()
    name = fmt.toImageFormat().name()
    assert name.startswith(f"{THUMB_SCHEME}:")
    image = document.resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
    assert isinstance(image, QImage) and image.width() > 100
    # The offsets of the reader and of the stored plain text agree on the caption.
    detail = reader.detail
    assert detail is not None and reader.page is not None
    start = detail.text.index(CAPTION)
    assert reader.page.offsets.text_to_doc(start) == caption.selectionStart()


def test_opening_a_stored_clip_makes_zero_network_requests(
    qtbot: QtBot, seed_window: tuple[MainWindow, int], site: FixtureSite
) -> None:
    window, clip_id = seed_window
    open_clip(qtbot, window, clip_id)
    qtbot.wait(200)  # anything lazy would have gone out by now
    assert site.requests == []
    assert window.reader.refused == []


def test_reader_refuses_anything_not_in_the_library(
    qtbot: QtBot, seed_window: tuple[MainWindow, int], site: FixtureSite
) -> None:
    window, clip_id = seed_window
    open_clip(qtbot, window, clip_id)
    reader = window.reader
    assert reader.loadResource(2, QUrl(site.url("/www/images/regwall-illustration.png"))) is None
    assert reader.loadResource(2, QUrl("file:///etc/passwd")) is None
    assert len(reader.refused) == 2
    assert site.requests == []
    assert not reader.openLinks() and not reader.openExternalLinks()


def test_clicking_the_figure_opens_it_full_size_from_the_library(
    qtbot: QtBot, seed_window: tuple[MainWindow, int], site: FixtureSite
) -> None:
    window, clip_id = seed_window
    open_clip(qtbot, window, clip_id)
    reader = window.reader
    document = reader.document()
    caption = document.find(CAPTION)
    image_block = document.findBlockByNumber(caption.block().blockNumber() - 1)
    cursor = QTextCursor(image_block)
    cursor.setPosition(image_block.position())
    reader.setTextCursor(cursor)
    reader.ensureCursorVisible()
    rect = reader.cursorRect(cursor)
    point = QPoint(rect.right() + 40, rect.center().y())  # inside the image
    with qtbot.waitSignal(reader.figure_requested, timeout=3000) as blocker:
        QTest.mouseClick(reader.viewport(), Qt.MouseButton.LeftButton, pos=point)
    figure = blocker.args[0]
    assert figure.caption == CAPTION
    dialog = window.figure_dialog
    qtbot.waitExposed(dialog)
    pixmap = dialog.image_label.pixmap()
    assert not pixmap.isNull() and pixmap.width() == 1200  # the full-size image
    dialog.close()
    assert site.requests == []


def test_open_original_link_in_the_reader_uses_the_browser(
    qtbot: QtBot, seed_window: tuple[MainWindow, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from clipper.gui import reader as reader_module

    opened: list[str] = []

    class FakeServices:
        @staticmethod
        def openUrl(url: QUrl) -> bool:
            opened.append(url.toString())
            return True

    monkeypatch.setattr(reader_module, "QDesktopServices", FakeServices)
    window, clip_id = seed_window
    open_clip(qtbot, window, clip_id)
    window.reader.anchorClicked.emit(QUrl(window.reader.detail.url))  # type: ignore[union-attr]
    assert opened == [window.reader.detail.url]  # type: ignore[union-attr]
    window.reader.anchorClicked.emit(QUrl("javascript:alert(1)"))
    assert len(opened) == 1


def test_reader_follows_a_dark_palette(qtbot: QtBot, seed_window: tuple[MainWindow, int]) -> None:
    window, clip_id = seed_window
    open_clip(qtbot, window, clip_id)
    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
    dark.setColor(QPalette.ColorRole.Window, QColor("#2b2b2b"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e6e6e6"))
    window.reader.setPalette(dark)
    body = window.reader.document().find("Morocco’s army said Tuesday")
    assert body.charFormat().foreground().color().lightness() > 180


def test_figure_follows_the_reader_width(qtbot: QtBot, seed_window: tuple[MainWindow, int]) -> None:
    """At the default window size (and narrower) the figure fits: no sideways scrolling."""
    window, clip_id = seed_window
    window.set_initial_size(1440, 900)
    open_clip(qtbot, window, clip_id)
    reader = window.reader
    document = reader.document()
    caption = document.find(CAPTION)
    image_block = document.findBlockByNumber(caption.block().blockNumber() - 1)
    assert image_block.begin().fragment().charFormat().isImageFormat()
    widths = []
    for reader_width in (reader.width(), 420, 320):
        sizes = window.splitter.sizes()
        window.splitter.setSizes([sizes[0], sum(sizes) - sizes[0] - reader_width, reader_width])
        qtbot.waitUntil(lambda w=reader_width: abs(reader.width() - w) < 30, timeout=3000)
        qtbot.wait(20)
        layout = document.documentLayout()
        image_width = layout.blockBoundingRect(image_block).width()
        assert reader.horizontalScrollBar().maximum() == 0, reader_width
        assert image_width <= reader.viewport().width(), (image_width, reader_width)
        widths.append(layout.blockBoundingRect(image_block).width())
    assert widths[0] > widths[2]  # it shrinks with the reader, it is not cut
