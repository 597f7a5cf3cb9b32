"""Table blocks in the reader: a real QTextTable (headers, spans, caption) whose cells
map to the plain text, passages and search hits drawn inside cells, and a passage made
by selecting in a cell. The window test clips the fixture page from the local site."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QFont, QPalette, QTextCursor, QTextDocument, QTextTable
from pytestqt.qtbot import QtBot

from clipper.article import Block, TableCell, table_cell_starts
from clipper.gui.mainwindow import MainWindow
from clipper.gui.readerdoc import ReaderDocument, build_document
from clipper.gui.readertable import MAX_CELLS
from clipper.library import Library
from tests.gui.test_passages import select_phrase, window_on_clip, write
from tests.gui.test_readerdoc import detail, doc_text
from tests.helpers.site import FixtureSite

ROWS = (
    (TableCell("Gauge", True), TableCell("Opened", True), TableCell("Highest 😀", True, colspan=2)),
    (TableCell("Town quay", True), TableCell("1871"), TableCell("6.42", rowspan=2), TableCell("")),
    (TableCell("Ferry slip", True), TableCell("1902"), TableCell("5.75 | est.")),
)
BLOCKS = (
    Block("paragraph", "Before the table."),
    Block.table(ROWS, "Gauges, 1871-2020"),
    Block.table(((TableCell("a"), TableCell("b")), (TableCell("c"), TableCell("d")))),
    Block("paragraph", "After the tables."),
)


@pytest.fixture
def page(qapp: object) -> tuple[str, ReaderDocument]:
    clip = detail(BLOCKS, ())
    return clip.text, build_document(clip, {}, QPalette())


def doc_tables(document: QTextDocument) -> list[QTextTable]:
    return [f for f in document.rootFrame().childFrames() if isinstance(f, QTextTable)]


def test_a_table_block_is_a_qtexttable_with_headers_and_spans(page) -> None:  # type: ignore[no-untyped-def]
    _text, built = page
    first, second = doc_tables(built.document)
    assert (first.rows(), first.columns(), second.rows(), second.columns()) == (3, 4, 2, 2)
    assert first.cellAt(0, 2).columnSpan() == 2 and first.cellAt(1, 2).rowSpan() == 2
    assert first.format().headerRowCount() == 1
    assert first.cellAt(0, 0).firstCursorPosition().block().text() == "Gauge"
    assert _weight_at(built.document, first.cellAt(0, 0).firstPosition()) == QFont.Weight.Bold
    assert _weight_at(built.document, first.cellAt(1, 1).firstPosition()) != QFont.Weight.Bold
    assert (
        first.cellAt(2, 3).firstCursorPosition().block().text() == "5.75 | est."
    )  # after the rowspan
    caption = built.document.find("Gauges, 1871-2020")
    assert not caption.isNull() and caption.currentTable() is None


def _weight_at(document: QTextDocument, position: int) -> QFont.Weight:
    cursor = QTextCursor(document)
    cursor.setPosition(position + 1)
    return cursor.charFormat().fontWeight()


def test_every_cell_maps_to_its_plain_text(page) -> None:  # type: ignore[no-untyped-def]
    text, built = page
    offsets = built.offsets
    block_start = text.index("Gauges, 1871-2020")
    table = BLOCKS[1]
    starts = table_cell_starts(table.rows, table.caption)
    for row, row_starts in zip(table.rows, starts, strict=True):
        for cell, start in zip(row, row_starts, strict=True):
            if start is None:
                continue
            a = block_start + start
            b = a + len(cell.text)
            assert (
                doc_text(built.document, offsets.text_to_doc(a), offsets.text_to_doc(b))
                == cell.text
            )
            for offset in range(a, b):
                assert offsets.doc_to_text(offsets.text_to_doc(offset)) == offset
    after = text.index("After the tables.")
    assert doc_text(built.document, offsets.text_to_doc(after), offsets.text_to_doc(len(text))) == (
        "After the tables."
    )


def test_ranges_are_drawn_cut_at_cells(page) -> None:  # type: ignore[no-untyped-def]
    text, built = page
    offsets = built.offsets
    start = text.index("table.")
    end = text.index("1902") + 2
    pieces = built.draw_ranges(offsets.text_to_doc(start), offsets.text_to_doc(end))
    drawn = []
    for a, b in pieces:
        cursor = QTextCursor(built.document)
        cursor.setPosition(a)
        cursor.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
        assert not cursor.hasComplexSelection()
        assert (
            cursor.currentTable() is None
            or cursor.selectionEnd() <= cursor.currentTable().lastPosition()
        )
        drawn.append(cursor.selectedText().replace("\u2029", "\n").replace("\ufdd0", ""))
    # Up to the table's frame in one range (paragraph and caption), then cell by cell.
    assert drawn[0] == "table.\nGauges, 1871-2020"
    assert drawn[1:] == [
        "Gauge",
        "Opened",
        "Highest 😀",
        "Town quay",
        "1871",
        "6.42",
        "Ferry slip",
        "19",
    ]
    # A range inside one cell stays one range.
    inside = offsets.text_to_doc(text.index("quay")), offsets.text_to_doc(text.index("quay") + 4)
    assert built.draw_ranges(*inside) == [inside]


def test_a_huge_table_is_shown_as_its_text(qapp: object) -> None:
    rows = tuple(
        tuple(TableCell(f"r{r}c{c}", header=r == 0) for c in range(3))
        for r in range(MAX_CELLS // 3 + 1)
    )
    clip = detail((Block("paragraph", "Before."), Block.table(rows, "Big")), ())
    built = build_document(clip, {}, QPalette())
    assert doc_tables(built.document) == []
    offsets = built.offsets
    for offset in range(len(clip.text)):
        if not clip.text[offset].isspace():
            assert (
                doc_text(
                    built.document, offsets.text_to_doc(offset), offsets.text_to_doc(offset + 1)
                )
                == clip.text[offset]
            )
    end = offsets.text_to_doc(len(clip.text))
    assert built.draw_ranges(0, end) == [(0, end)]


@pytest.fixture
def table_window(
    qtbot: QtBot, gui_library: Library, site: FixtureSite, settings_path: Path
) -> Iterator[tuple[MainWindow, int]]:
    clip_id = gui_library.clips.clip_url(site.url("data-tables.html")).result.clip_id
    yield from window_on_clip(qtbot, gui_library, settings_path, clip_id)


def test_a_passage_in_a_cell_and_across_cells_in_the_window(
    qtbot: QtBot, table_window: tuple[MainWindow, int], gui_library: Library, tmp_path: Path
) -> None:
    window, clip_id = table_window
    reader = window.reader
    [table] = doc_tables(reader.document())
    assert (table.rows(), table.columns()) == (5, 4)
    # Select a cell's words in the document, as a mouse would, and highlight them.
    found = reader.document().find("1968 (moved 1987)")
    assert found.currentTable() is not None
    reader.setTextCursor(found)
    write(qtbot, window, window.passage_actions.actions["highlight"].trigger)
    [info] = gui_library.passages.find(clip_id)
    assert info.exact == "1968 (moved 1987)"
    assert reader.passage_ranges() == [(found.selectionStart(), found.selectionEnd())]
    # A passage across a row is drawn cell by cell, each inside its cell.
    select_phrase(window, "Ferry slip | 1902 | 6.10")
    write(qtbot, window, lambda: window.passage_actions.highlight("green"))
    passage = next(a for a in gui_library.passages.find(clip_id) if a.color == "green")
    assert passage.exact == "Ferry slip | 1902 | 6.10"
    drawn = sorted(reader.passage_ranges())
    words = [doc_text(reader.document(), a, b) for a, b in drawn]
    assert words == ["Ferry slip", "1902", "6.10", "1968 (moved 1987)"]
    assert reader.passage_at(drawn[1][0]) is not None
    assert reader.passage_at(drawn[1][0]).id == passage.id  # type: ignore[union-attr]
    # Search terms light up inside cells too.
    reader.set_terms(["lifeboat"])
    hits = [doc_text(reader.document(), a, b) for a, b in reader.highlight_ranges()]
    assert "Lifeboat" in hits
    window.resize(1500, 950)
    qtbot.wait(100)
    at = QTextCursor(found)
    at.clearSelection()
    reader.setTextCursor(at)
    reader.ensureCursorVisible()
    assert window.grab().save(str(tmp_path / "reader-table.png"))
