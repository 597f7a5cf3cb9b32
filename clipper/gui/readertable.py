"""A table block in the reader: a QTextTable whose cells map to the plain text.

Each cell's text is inserted where `clipper.article.table_cell_starts` puts it in the
plain text, so passages and search hits land inside cells. A QTextTable lives in its
own frame: a cursor range that enters or crosses it selects whole cells, so ranges are
drawn cut at the frame and cell edges (`split_range`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, cast

from PySide6.QtGui import (
    QBrush,
    QColor,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFrameFormat,
    QTextLength,
    QTextTableFormat,
)

from clipper.article import Block, table_cell_starts, table_grid
from clipper.gui.readerstyle import Style, block_format, char_format

MAX_CELLS = 2000
"""Grid places drawn as a QTextTable; a bigger table is shown as its text, one row a
line (Qt lays a 10,000-cell table out in seconds, on the GUI thread)."""


class Builder(Protocol):
    """What `add_table` needs of the reader's document builder."""

    style: Style
    cursor: QTextCursor
    first: bool

    def block(self, block_fmt: QTextBlockFormat, char_fmt: QTextCharFormat) -> None: ...

    def text(self, text: str, fmt: QTextCharFormat, text_start: int | None = None) -> int: ...


@dataclass(frozen=True)
class TableRegion:
    """Document positions of one table: its frame [start, end) and each cell's text."""

    start: int
    end: int
    cells: tuple[tuple[int, int], ...]


def split_range(regions: Sequence[TableRegion], start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) as ranges that never cross a table frame or cell edge."""
    pieces: list[tuple[int, int]] = []
    cursor = start
    for region in regions:
        if region.end <= start or region.start >= end or region.start == region.end:
            continue
        if cursor < region.start:
            pieces.append((cursor, region.start))
        for cell_start, cell_end in region.cells:
            a, b = max(start, cell_start), min(end, cell_end)
            if a < b:
                pieces.append((a, b))
        cursor = max(cursor, region.end)
    if cursor < end:
        pieces.append((cursor, end))
    return pieces


def selection_span(cursor: QTextCursor) -> tuple[int, int]:
    """The document range a selection covers. A selection across table cells selects
    whole cells, and Qt then reports its end at the last cell's start: the range runs
    from the first selected cell's start to the last one's end instead."""
    table = cursor.currentTable()
    if not cursor.hasComplexSelection() or table is None:
        return cursor.selectionStart(), cursor.selectionEnd()
    # PySide6 returns Qt's four out-parameters as a tuple; its stubs say `object`.
    cells = cast(tuple[int, int, int, int], cursor.selectedTableCells())
    row, rows, column, columns = cells
    first = table.cellAt(row, column)
    last = table.cellAt(row + rows - 1, column + columns - 1)
    return first.firstPosition(), last.lastPosition()


def _table_format(rule: QColor, header_rows: int) -> QTextTableFormat:
    fmt = QTextTableFormat()
    fmt.setBorder(1)
    fmt.setBorderBrush(QBrush(rule))
    fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
    fmt.setBorderCollapse(True)
    fmt.setCellSpacing(0)
    fmt.setCellPadding(5)
    fmt.setTopMargin(4)
    fmt.setBottomMargin(14)
    fmt.setHeaderRowCount(header_rows)
    fmt.setWidth(QTextLength(QTextLength.Type.VariableLength, 0))
    return fmt


def add_table(b: Builder, block: Block, text_start: int | None) -> TableRegion:
    """The caption as a paragraph, then the table; the builder's cursor is left in the
    empty paragraph Qt keeps after a table, which the next block takes over."""
    style = b.style
    if block.caption:
        fmt = char_format(style, 0.9, serif=False, bold=True, color=style.muted)
        b.block(block_format(8, 2, 130), fmt)
        b.text(block.caption, fmt, text_start)
    cell_fmt = char_format(style, 0.92, serif=False)
    header_fmt = char_format(style, 0.92, serif=False, bold=True)
    placed, columns = table_grid(block.rows)
    if len(block.rows) * columns > MAX_CELLS:
        rows_text = block.text[len(block.caption) + 1 if block.caption else 0 :]
        at = None if text_start is None else text_start + len(block.text) - len(rows_text)
        b.block(block_format(4, 14, 130), cell_fmt)
        start = b.text(rows_text, cell_fmt, at)
        return TableRegion(start, start, ())
    header_rows = 0
    for row in block.rows:
        if not row or not all(c.header for c in row):
            break
        header_rows += 1
    cursor = b.cursor
    table = cursor.insertTable(
        len(block.rows), max(columns, 1), _table_format(style.rule, header_rows)
    )
    for spot in placed:
        if spot.rowspan > 1 or spot.colspan > 1:
            table.mergeCells(spot.row, spot.column, spot.rowspan, spot.colspan)
    starts = [s for row in table_cell_starts(block.rows, block.caption) for s in row]
    cells: list[tuple[int, int]] = []
    for spot, cell_start in zip(placed, starts, strict=True):
        table_cell = table.cellAt(spot.row, spot.column)
        if spot.cell.header:
            shaded = table_cell.format()
            shaded.setBackground(style.code_bg)
            table_cell.setFormat(shaded)
        if not spot.cell.text:
            continue
        cursor.setPosition(table_cell.firstPosition())
        at = None if text_start is None or cell_start is None else text_start + cell_start
        first = b.text(spot.cell.text, header_fmt if spot.cell.header else cell_fmt, at)
        cells.append((first, cursor.position()))
    frame_start = table.firstPosition() - 1
    frame_end = table.lastPosition() + 1
    cursor.setPosition(frame_end)
    b.first = True
    return TableRegion(frame_start, frame_end, tuple(cells))


__all__ = ["TableRegion", "add_table", "selection_span", "split_range"]
