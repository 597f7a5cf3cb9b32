"""The reader: the selected clip as a clean page, from the library alone.

A QTextBrowser showing the document `readerdoc.build_document` made from the stored
blocks: no page HTML, so no scripts, and `loadResource` refuses every URL that is not
a library image, so nothing is ever loaded from the network. Links do nothing by
themselves (`setOpenLinks(False)`); a click on "Open original" opens the browser, a
click on a figure opens it full size from the library.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QHelpEvent,
    QImage,
    QPalette,
    QPixmap,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFrameFormat,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QTextBrowser,
    QTextEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from clipper.gui.highlight import (
    PASSAGE_PROPERTY,
    highlight_color,
    search_hit_format,
    term_spans,
)
from clipper.gui.readerdoc import (
    FIGURE_SCHEME,
    THUMB_SCHEME,
    ReaderDocument,
    build_document,
    fit_images,
)
from clipper.gui.readertable import selection_span
from clipper.library.types import ClipDetail, PassageInfo, StoredFigure

if TYPE_CHECKING:
    from clipper.library import Library

log = logging.getLogger(__name__)
COLUMN_WIDTH = 700
"""Widest text column, in pixels: long lines are hard to read."""
MIN_MARGIN = 24
ZOOM_PT = (8.0, 32.0)
"""The smallest and largest reader text sizes (points)."""


def read_clip(library: Library, clip_id: int) -> tuple[ClipDetail, dict[str, bytes]]:
    """A clip and its figures' thumbnails, from the library only (runs on a pool)."""
    detail = library.clips.get(clip_id)
    thumbs: dict[str, bytes] = {}
    for figure in detail.figures:
        sha = figure.blob_sha256
        if sha and sha not in thumbs:
            data = library.clips.blob(sha, thumbnail=True)
            if data:
                thumbs[sha] = data
    return detail, thumbs


def passage_tooltip(info: PassageInfo) -> str:
    """Rich text: "Text changed" with both wordings (a word diff), else the note."""
    from html import escape

    if info.state == "changed":
        from clipper import textdiff

        diff = textdiff.render_html(textdiff.word_diff(info.exact, info.current_exact))
        return (
            f"<b>Text changed since quoted</b><br>Quoted: “{escape(info.exact)}”"
            f"<br>Now: “{escape(info.current_exact)}”<br>{diff}"
        )
    return escape(info.note) if info.note else f"“{escape(info.exact[:400])}”"


class ReaderView(QTextBrowser):
    """Shows one clip; emits what the user asks for, opens nothing on its own."""

    figure_requested = Signal(object)
    """A `StoredFigure` the user clicked."""
    zoomed = Signal(float)
    """The text size (points) the user chose with Ctrl+plus/minus (to keep it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.anchorClicked.connect(self._on_anchor)
        self.page: ReaderDocument | None = None
        self.detail: ClipDetail | None = None
        self.terms: tuple[str, ...] = ()
        self.passages: tuple[PassageInfo, ...] = ()
        """The shown clip's passages, drawn over the text (set by `PassageActions`)."""
        self.refused: list[str] = []
        """URLs `loadResource` refused (tests assert it stays empty for stored clips)."""
        self._images: dict[str, QImage] = {}
        self.text_pt = 0.0
        """The base text size in points; 0: `default_pt()` (from the UI font)."""
        self.show_placeholder("Select a clip to read it here.")

    # --- text size ----------------------------------------------------------------------

    def default_pt(self) -> float:
        return max(11.0, self.font().pointSizeF() + 2)

    def set_text_pt(self, points: float) -> None:
        """A new base size (0: the default); the shown clip is laid out again."""
        self.text_pt = 0.0 if not points else max(ZOOM_PT[0], min(ZOOM_PT[1], points))
        self._render()

    def zoom(self, steps: int) -> None:
        """Ctrl+plus (+1), Ctrl+minus (-1), Ctrl+0 (0: back to the default)."""
        current = self.text_pt or self.default_pt()
        points = 0.0 if steps == 0 else current + steps
        self.set_text_pt(points)
        self.zoomed.emit(self.text_pt)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta:
                self.zoom(1 if delta > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)

    # --- content ------------------------------------------------------------------------

    def show_placeholder(self, text: str) -> None:
        self.page = None
        self.detail = None
        self._images = {}
        doc = QTextDocument(self)
        cursor = QTextCursor(doc)
        fmt = QTextCharFormat()
        fmt.setForeground(self.palette().color(QPalette.ColorRole.PlaceholderText))
        block = cursor.blockFormat()
        block.setAlignment(Qt.AlignmentFlag.AlignCenter)
        cursor.setBlockFormat(block)
        cursor.insertText(text, fmt)
        root = doc.rootFrame().frameFormat()
        root.setTopMargin(max(40, self.viewport().height() // 3))
        doc.rootFrame().setFrameFormat(root)
        self.setDocument(doc)
        self.setExtraSelections([])

    def show_clip(
        self,
        detail: ClipDetail,
        thumbnails: Mapping[str, bytes],
        terms: Sequence[str] = (),
    ) -> None:
        """Display a clip; `thumbnails` are blob sha -> thumbnail bytes from the library."""
        images: dict[str, QImage] = {}
        for sha, data in thumbnails.items():
            image = QImage()
            if image.loadFromData(QByteArray(data)):
                images[sha] = image
        self._images = images
        if self.detail is None or self.detail.id != detail.id:
            self.passages = ()  # another clip's passages: `PassageActions` loads these
        self.detail = detail
        self.terms = tuple(terms)
        self._render()
        self.verticalScrollBar().setValue(0)

    def _render(self) -> None:
        if self.detail is None:
            return
        base_pt = self.text_pt or self.default_pt()
        palette = self.palette()
        self.page = build_document(self.detail, self._images, palette, base_pt)
        self.page.document.setParent(self)
        self.setDocument(self.page.document)
        self._apply_margins()
        self._highlight()

    def set_terms(self, terms: Sequence[str]) -> None:
        self.terms = tuple(terms)
        self._highlight()

    def set_passages(self, passages: Sequence[PassageInfo]) -> None:
        self.passages = tuple(passages)
        self._highlight()

    def passage_range(self, info: PassageInfo) -> tuple[int, int] | None:
        """The document range of a passage, or None when it is orphaned."""
        if self.page is None or info.start is None or info.end is None:
            return None
        offsets = self.page.offsets
        return offsets.text_to_doc(info.start), offsets.text_to_doc(info.end)

    def _passage_selections(self) -> list[QTextEdit.ExtraSelection]:
        selections = []
        for info in self.passages:
            span = self.passage_range(info)
            if span is None or span[1] <= span[0]:
                continue
            fmt = QTextCharFormat()
            fmt.setBackground(highlight_color(info.color))
            fmt.setProperty(PASSAGE_PROPERTY, info.id)
            if info.state == "changed":  # reworded since quoted: marked, explained on hover
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
                fmt.setUnderlineColor(QColor(200, 40, 40))
            selections.extend(self._selections(span[0], span[1], fmt))
        return selections

    def _selections(
        self, start: int, end: int, fmt: QTextCharFormat
    ) -> list[QTextEdit.ExtraSelection]:
        """Extra selections drawing [start, end), one per table cell it touches (a
        cursor range across cells would select them whole)."""
        assert self.page is not None
        selections = []
        for a, b in self.page.draw_ranges(start, end):
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.document())
            cursor.setPosition(a)
            cursor.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = fmt
            selections.append(selection)
        return selections

    def passage_at(self, doc_position: int) -> PassageInfo | None:
        """The passage drawn at a document position (the first one, if they overlap)."""
        for info in self.passages:
            span = self.passage_range(info)
            if span is None or self.page is None:
                continue
            if any(a <= doc_position < b for a, b in self.page.draw_ranges(*span)):
                return info
        return None

    def viewportEvent(self, event: QEvent) -> bool:
        """Hovering a passage tells what was quoted and, if reworded, what it says now."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            info = self.passage_at(self.cursorForPosition(event.pos()).position())
            if info is not None:
                QToolTip.showText(event.globalPos(), passage_tooltip(info), self.viewport())
                return True
        return super().viewportEvent(event)

    def passage_ranges(self) -> list[tuple[int, int]]:
        """The document ranges drawn as passages (for tests)."""
        return [
            (s.cursor.selectionStart(), s.cursor.selectionEnd())
            for s in self.extraSelections()
            if s.format.hasProperty(PASSAGE_PROPERTY)
        ]

    def _highlight(self) -> None:
        """Mark passages and search terms with extra selections (the document stays
        untouched)."""
        if self.page is None:
            self.setExtraSelections([])
            return
        passages = self._passage_selections()
        if not self.terms:
            self.setExtraSelections(passages)
            return
        fmt = search_hit_format()
        selections = []
        ranges: list[tuple[int, int]] = []
        for doc_start, text in self.page.header_ranges:
            ranges.extend((doc_start + s, doc_start + e) for s, e in term_spans(text, self.terms))
        offsets = self.page.offsets
        for start, end in term_spans(self.detail.text if self.detail else "", self.terms):
            ranges.append((offsets.text_to_doc(start), offsets.text_to_doc(end)))
        for start, end in ranges:
            selections.extend(self._selections(start, end, fmt))
        self.setExtraSelections(passages + selections)

    def highlight_ranges(self) -> list[tuple[int, int]]:
        """The document ranges highlighted for search terms (for tests)."""
        return [
            (s.cursor.selectionStart(), s.cursor.selectionEnd())
            for s in self.extraSelections()
            if not s.format.hasProperty(PASSAGE_PROPERTY)
        ]

    def selected_text_range(self) -> tuple[int, int] | None:
        """The selection as plain-text offsets (what a passage would store)."""
        cursor = self.textCursor()
        if self.page is None or not cursor.hasSelection():
            return None
        return self.page.offsets.doc_range_to_text(*selection_span(cursor))

    # --- layout -------------------------------------------------------------------------

    def _apply_margins(self) -> None:
        """Center a readable column whatever the window width."""
        doc = self.document()
        root = doc.rootFrame()
        fmt: QTextFrameFormat = root.frameFormat()
        width = self.viewport().width()
        side = max(MIN_MARGIN, (width - COLUMN_WIDTH) // 2)
        fit_images(doc, width - 2 * side - 2 * doc.documentMargin() - 2)
        if fmt.leftMargin() == side and fmt.topMargin() == 28:
            return
        fmt.setLeftMargin(side)
        fmt.setRightMargin(side)
        fmt.setTopMargin(28)
        fmt.setBottomMargin(40)
        root.setFrameFormat(fmt)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.page is not None:
            self._apply_margins()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.page is not None:
            self._render()  # light <-> dark: colours are baked into the char formats

    # --- resources and links ------------------------------------------------------------

    def loadResource(self, kind: int, url: QUrl | str) -> object:
        """Only images from the library; anything else is refused (no network, ever)."""
        qurl = QUrl(url) if isinstance(url, str) else url
        if qurl.scheme() == THUMB_SCHEME:
            image = self._images.get(qurl.path())
            if image is not None:
                return image
        self.refused.append(qurl.toString())
        log.debug("reader refused to load %s", qurl.toString())
        return None

    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme() == FIGURE_SCHEME and self.page is not None:
            try:
                figure = self.page.figures.get(int(url.path()))
            except ValueError:
                return
            if figure is not None:
                self.figure_requested.emit(figure)
            return
        if url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)


class FigureDialog(QDialog):
    """A figure at full size (from the library), with its caption and credit."""

    def __init__(self, figure: StoredFigure, data: bytes | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(figure.caption[:80] or "Figure")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        pixmap = QPixmap()
        if data is not None:
            pixmap.loadFromData(QByteArray(data))
        self.image_label = QLabel(self)
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if pixmap.isNull():
            self.image_label.setText("The image is not in the library.")
        else:
            self.image_label.setPixmap(pixmap)
        scroll = QScrollArea(self)
        scroll.setWidget(self.image_label)
        scroll.setWidgetResizable(True)
        scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(scroll, 1)
        if figure.caption:
            caption = QLabel(figure.caption, self)
            caption.setWordWrap(True)
            caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(caption)
        if figure.credit:
            credit = QLabel(figure.credit, self)
            credit.setWordWrap(True)
            font = credit.font()
            font.setPointSizeF(font.pointSizeF() * 0.9)
            credit.setFont(font)
            credit.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            layout.addWidget(credit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        screen = self.screen().availableGeometry() if self.screen() else None
        if not pixmap.isNull():
            width = pixmap.width() + 48
            height = pixmap.height() + 140
            if screen is not None:
                width = min(width, int(screen.width() * 0.9))
                height = min(height, int(screen.height() * 0.9))
            self.resize(max(width, 360), max(height, 240))
