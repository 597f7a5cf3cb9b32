"""The reader's page: a QTextDocument built from a clip's stored blocks.

Built with QTextCursor (never from the page's HTML), block by block in the order and
with the texts of `clipper.article.plain_text`, so that a document position maps to a
plain-text offset (DESIGN.md, "Text and positions"). While inserting, we record
`Segment`s: runs where text offsets and document positions advance together. Blocks
are joined by "\\n\\n" in the plain text and by one paragraph break in the document;
figure captions and credits are one plain-text block ("caption\\ncredit") and two
paragraphs here, so the "\\n" between them is the paragraph break: still one to one.
What the plain text does not contain (headline, byline, images) lies between segments.

Positions are UTF-16 units in Qt and code points in Python: a character outside the
Basic Multilingual Plane (an emoji) is one text offset and two document positions, and
gets a segment of its own.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import (
    QImage,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextImageFormat,
    QTextLength,
    QTextListFormat,
)

from clipper.article import block_spans, block_texts
from clipper.gui.readerstyle import Style
from clipper.gui.readerstyle import block_format as _block
from clipper.gui.readerstyle import char_format as _char
from clipper.gui.readertable import TableRegion, add_table, split_range
from clipper.library.types import ClipDetail, StoredFigure

THUMB_SCHEME = "clipper-thumb"
FIGURE_SCHEME = "clipper-figure"
MAX_IMAGE_WIDTH = 480
# Characters QTextCursor.insertText would turn into structure (and so change lengths).
_STRUCTURAL = str.maketrans({"\r": " ", "\ufdd0": " ", "\ufdd1": " ", "\ufffc": " "})


# --- positions ------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """Text [text_start, +text_len) is document [doc_start, +doc_len).

    Either the lengths are equal (one to one) or the segment is one astral character
    (text_len 1, doc_len 2).
    """

    text_start: int
    doc_start: int
    text_len: int
    doc_len: int

    @property
    def text_end(self) -> int:
        return self.text_start + self.text_len

    @property
    def doc_end(self) -> int:
        return self.doc_start + self.doc_len


@dataclass
class OffsetMap:
    """Plain-text offsets <-> document positions, from the recorded segments."""

    segments: list[Segment] = field(default_factory=list)
    text_length: int = 0

    def __post_init__(self) -> None:
        self._text_starts = [s.text_start for s in self.segments]
        self._doc_starts = [s.doc_start for s in self.segments]

    def _reindex(self) -> None:
        self.__post_init__()

    def text_to_doc(self, offset: int) -> int:
        """Document position of a plain-text offset (separators map to a block end)."""
        if not self.segments:
            return 0
        offset = max(0, min(offset, self.text_length))
        i = max(0, bisect.bisect_right(self._text_starts, offset) - 1)
        seg = self.segments[i]
        if offset >= seg.text_end:
            return seg.doc_end
        if offset <= seg.text_start:
            return seg.doc_start
        if seg.text_len == seg.doc_len:
            return seg.doc_start + (offset - seg.text_start)
        return seg.doc_end

    def doc_to_text(self, position: int, *, forward: bool = True) -> int:
        """Plain-text offset of a document position.

        A position outside the text (the headline, an image, a paragraph break between
        blocks) snaps to the next text offset with `forward` (for a selection start),
        else to the previous one (for a selection end).
        """
        if not self.segments:
            return 0
        i = bisect.bisect_right(self._doc_starts, position) - 1
        if i < 0:
            return self.segments[0].text_start if forward else 0
        seg = self.segments[i]
        if position < seg.doc_end or (position == seg.doc_end and not forward):
            if seg.text_len == seg.doc_len:
                return seg.text_start + (position - seg.doc_start)
            return seg.text_start if position == seg.doc_start else seg.text_end
        # Between segments: after seg, before the next one.
        if position == seg.doc_end:
            return seg.text_end
        if forward and i + 1 < len(self.segments):
            return self.segments[i + 1].text_start
        return seg.text_end

    def doc_range_to_text(self, start: int, end: int) -> tuple[int, int]:
        """A document selection as a plain-text (start, end); empty if outside text."""
        a = self.doc_to_text(min(start, end), forward=True)
        b = self.doc_to_text(max(start, end), forward=False)
        return (a, b) if b > a else (a, a)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _segments_for(text: str, text_start: int, doc_start: int) -> list[Segment]:
    """Segments for one inserted run, splitting around astral characters."""
    segments: list[Segment] = []
    run_start = 0
    doc = doc_start
    for i, ch in enumerate(text):
        if ord(ch) > 0xFFFF:
            if i > run_start:
                n = i - run_start
                segments.append(Segment(text_start + run_start, doc, n, n))
                doc += n
            segments.append(Segment(text_start + i, doc, 1, 2))
            doc += 2
            run_start = i + 1
    if run_start < len(text):
        n = len(text) - run_start
        segments.append(Segment(text_start + run_start, doc, n, n))
    return segments


# --- building -------------------------------------------------------------------------


@dataclass
class ReaderDocument:
    """A built page and what the reader needs to know about it."""

    document: QTextDocument
    offsets: OffsetMap
    header_ranges: list[tuple[int, str]]
    """(document position, text) of headline and standfirst, for highlighting."""
    figures: dict[int, StoredFigure]
    """Figure position -> figure, for a click on an image."""
    tables: list[TableRegion] = field(default_factory=list)

    def draw_ranges(self, start: int, end: int) -> list[tuple[int, int]]:
        """A document range as ranges a selection can draw (cut at table cells)."""
        return split_range(self.tables, start, end)


def fit_images(document: QTextDocument, column: float) -> int:
    """Scale every figure to at most `column` px wide (keeping its proportions), up to
    its own width: a narrow reader shows whole figures instead of scrolling sideways.
    Returns how many images changed size."""
    changed = 0
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            if fmt.isImageFormat():
                img = fmt.toImageFormat()
                image = document.resource(
                    QTextDocument.ResourceType.ImageResource, QUrl(img.name())
                )
                if isinstance(image, QImage) and not image.isNull():
                    natural = min(image.width(), MAX_IMAGE_WIDTH)
                    width = max(40.0, min(float(natural), column))
                    if abs(img.width() - width) >= 1:
                        img.setWidth(width)
                        img.setHeight(image.height() * width / max(1, image.width()))
                        cursor = QTextCursor(document)
                        cursor.setPosition(fragment.position())
                        cursor.setPosition(
                            fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor
                        )
                        cursor.setCharFormat(img)
                        changed += 1
            it += 1
        block = block.next()
    return changed


def thumb_url(sha256: str) -> QUrl:
    return QUrl(f"{THUMB_SCHEME}:{sha256}")


def format_date(value: datetime | None, *, as_given: bool = False) -> str:
    """A day in the reader's words; `as_given` keeps the value's own zone (a publication
    date is the publisher's), else it is shown in this machine's zone."""
    if value is None:
        return ""
    local = value if as_given else value.astimezone()
    return f"{local.day} {local:%B %Y}"


class _Builder:
    def __init__(self, style: Style) -> None:
        self.style = style
        self.document = QTextDocument()
        self.document.setUndoRedoEnabled(False)
        self.cursor = QTextCursor(self.document)
        self.first = True
        self.segments: list[Segment] = []
        self.tables: list[TableRegion] = []

    def block(self, block_fmt: QTextBlockFormat, char_fmt: QTextCharFormat) -> None:
        if self.first:
            self.cursor.setBlockFormat(block_fmt)
            self.cursor.setBlockCharFormat(char_fmt)
            self.first = False
        else:
            self.cursor.insertBlock(block_fmt, char_fmt)

    def text(self, text: str, fmt: QTextCharFormat, text_start: int | None = None) -> int:
        """Insert text; record its segments when it is part of the plain text."""
        start = self.cursor.position()
        self.cursor.insertText(text.translate(_STRUCTURAL), fmt)
        if text_start is not None:
            self.segments.extend(_segments_for(text, text_start, start))
        return start

    def link(self, label: str, href: str, fmt: QTextCharFormat) -> None:
        link_fmt = QTextCharFormat(fmt)
        link_fmt.setAnchor(True)
        link_fmt.setAnchorHref(href)
        link_fmt.setForeground(self.style.link)
        link_fmt.setFontUnderline(True)
        self.cursor.insertText(label, link_fmt)


def build_document(
    detail: ClipDetail,
    thumbnails: Mapping[str, QImage],
    palette: QPalette,
    base_pt: float = 11.0,
) -> ReaderDocument:
    """The reader page for a clip. `thumbnails`: blob sha -> decoded thumbnail."""
    style = Style.from_palette(palette, base_pt)
    b = _Builder(style)
    header: list[tuple[int, str]] = []

    b.block(_block(0, 6, 120), _char(style, 1.9, bold=True))
    title = detail.title or "Untitled"
    header.append((b.text(title, _char(style, 1.9, bold=True)), title))
    if detail.subtitle:
        fmt = _char(style, 1.2, color=style.muted)
        b.block(_block(4, 6, 135), fmt)
        header.append((b.text(detail.subtitle, fmt), detail.subtitle))
    _meta_lines(b, detail)

    rule = QTextBlockFormat()
    rule.setTopMargin(4)
    rule.setBottomMargin(14)
    rule.setProperty(
        QTextFormat.Property.BlockTrailingHorizontalRulerWidth,
        QTextLength(QTextLength.Type.PercentageLength, 100),
    )
    # Qt draws the rule in the block's background colour when it has one.
    rule.setBackground(style.rule)
    b.block(rule, _char(style, 0.5, serif=False))

    figures = {f.position: f for f in detail.figures}
    _body(b, detail, figures, thumbnails)
    offsets = OffsetMap(b.segments, len(detail.text))
    return ReaderDocument(b.document, offsets, header, figures, b.tables)


def _meta_lines(b: _Builder, detail: ClipDetail) -> None:
    style = b.style
    fmt = _char(style, 0.9, serif=False, color=style.muted)
    parts = []
    if detail.authors:
        parts.append("By " + ", ".join(detail.authors))
    if detail.published_at is not None:
        parts.append(format_date(detail.published_at, as_given=True))
    if detail.site_name:
        parts.append(detail.site_name)
    b.block(_block(8, 2, 130), fmt)
    if parts:
        b.text("  ·  ".join(parts) + "  ·  ", fmt)
    b.link("Open original", detail.url, fmt)
    small = _char(style, 0.85, serif=False, color=style.faint)
    info = f"Clipped {format_date(detail.clipped_at)}"
    if detail.version_count > 1:
        info += f"  ·  {detail.version_count} versions"
    if detail.tags:
        info += "  ·  Tags: " + ", ".join(detail.tags)
    b.block(_block(0, 2, 130), small)
    b.text(info, small)


def _body(
    b: _Builder,
    detail: ClipDetail,
    figures: Mapping[int, StoredFigure],
    thumbnails: Mapping[str, QImage],
) -> None:
    style = b.style
    blocks = list(detail.blocks)
    fig_list: list[StoredFigure | None] = [None] * (max(figures, default=-1) + 1)
    for position, fig in figures.items():
        fig_list[position] = fig
    texts = block_texts(blocks, fig_list)
    spans = block_spans(blocks, fig_list)  # where each text is in `detail.text`
    current_list = None
    for block, text, (start, _end) in zip(blocks, texts, spans, strict=True):
        text_start = start if text else None
        if block.kind != "list_item":
            current_list = None
        if block.kind == "figure":
            shown = figures.get(block.figure) if block.figure is not None else None
            _figure(b, shown, thumbnails, text_start)
            continue
        if not text:
            continue
        if block.kind == "table":
            b.tables.append(add_table(b, block, text_start))
            continue
        if block.kind == "heading":
            level = block.level or 2
            scale = {2: 1.35, 3: 1.18}.get(level, 1.05)
            fmt = _char(style, scale, bold=True)
            b.block(_block(14, 6, 125), fmt)
        elif block.kind == "quote":
            fmt = _char(style, 1.0, italic=True, color=style.muted)
            block_fmt = _block(4, 12, 150)
            block_fmt.setLeftMargin(28)
            block_fmt.setRightMargin(16)
            b.block(block_fmt, fmt)
        elif block.kind == "code":
            fmt = _char(style, 0.9, mono=True)
            block_fmt = _block(4, 12, 120)
            block_fmt.setBackground(style.code_bg)
            b.block(block_fmt, fmt)
        elif block.kind == "list_item":
            fmt = _char(style, 1.0)
            b.block(_block(0, 6, 150), fmt)
            if current_list is None:
                list_fmt = QTextListFormat()
                list_fmt.setStyle(QTextListFormat.Style.ListDisc)
                list_fmt.setIndent(1)
                current_list = b.cursor.createList(list_fmt)
            else:
                current_list.add(b.cursor.block())
        else:
            fmt = _char(style, 1.0)
            b.block(_block(0, 12, 150), fmt)
        b.text(text, fmt, text_start)


def _figure(
    b: _Builder,
    fig: StoredFigure | None,
    thumbnails: Mapping[str, QImage],
    text_start: int | None,
) -> None:
    style = b.style
    center = Qt.AlignmentFlag.AlignHCenter
    image = thumbnails.get(fig.blob_sha256) if fig and fig.blob_sha256 else None
    if fig is not None and image is not None and not image.isNull():
        b.block(_block(10, 6, 100, center), _char(style))
        b.document.addResource(
            QTextDocument.ResourceType.ImageResource, thumb_url(fig.blob_sha256 or ""), image
        )
        img = QTextImageFormat()
        img.setName(thumb_url(fig.blob_sha256 or "").toString())
        width = min(image.width(), MAX_IMAGE_WIDTH)
        img.setWidth(width)
        img.setHeight(image.height() * width / max(1, image.width()))
        img.setAnchor(True)
        img.setAnchorHref(f"{FIGURE_SCHEME}:{fig.position}")
        img.setToolTip("Click to view the full-size image")
        b.cursor.insertImage(img)
    elif fig is not None:
        fmt = _char(style, 0.85, serif=False, italic=True, color=style.faint)
        b.block(_block(10, 4, 120, center), fmt)
        why = f": {fig.image_error}" if fig.image_error else ""
        b.text(f"(image not stored{why})", fmt)
    if fig is None or text_start is None:
        return
    cap_fmt = _char(style, 0.9, serif=False, color=style.muted)
    credit_fmt = _char(style, 0.8, serif=False, color=style.faint)
    position = text_start
    if fig.caption:
        b.block(_block(2, 2 if fig.credit else 16, 130), cap_fmt)
        b.text(fig.caption, cap_fmt, position)
        position += len(fig.caption) + 1
    if fig.credit:
        # The paragraph break before the credit is the "\n" of the plain text: the
        # caption's segment ends at it and the credit's starts right after.
        b.block(_block(1 if fig.caption else 2, 16, 120), credit_fmt)
        b.text(fig.credit, credit_fmt, position)
