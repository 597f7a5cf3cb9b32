"""Tables (issue 15): data tables become table blocks with their caption, header cells
and spans; infoboxes are dropped; layout tables are read as the blocks they hold; tiny
tables as paragraphs. Never a table's cells as prose glued together."""

from __future__ import annotations

from pathlib import Path

import lxml.etree
import lxml.html

from clipper.article import Block, TableCell, table_text
from clipper.capture.blocks import body_to_blocks
from clipper.capture.extract import extract_article
from clipper.capture.tables import read_html_table

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"


def extract(name: str) -> list[Block]:
    data = (PAGES / name).read_bytes()
    return extract_article(data, f"http://fixtures.test/{name}").blocks


def cells(block: Block) -> list[list[tuple[str, bool, int, int]]]:
    return [[(c.text, c.header, c.colspan, c.rowspan) for c in row] for row in block.rows]


def test_a_data_table_keeps_caption_headers_and_spans() -> None:
    blocks = extract("data-tables.html")
    [table] = [b for b in blocks if b.kind == "table"]
    assert table.caption == "Gauges on the estuary, 1871-2020"
    assert cells(table) == [
        [("Gauge", True, 1, 1), ("Opened", True, 1, 1), ("Highest tide (m)", True, 2, 1)],
        [
            ("Town quay", True, 1, 1),
            ("1871", False, 1, 1),
            ("6.42", False, 1, 1),
            ("1953", False, 1, 1),
        ],
        [
            ("Ferry slip", True, 1, 1),
            ("1902", False, 1, 1),
            ("6.10", False, 1, 2),
            ("1990", False, 1, 1),
        ],
        [("Lifeboat slip", True, 1, 1), ("1931", False, 1, 1), ("2014", False, 1, 1)],
        [
            ("Upper reach", True, 1, 1),
            ("1968 (moved 1987)", False, 1, 1),
            ("5.75 | est.", False, 1, 1),
            ("", False, 1, 1),
        ],
    ]
    # In reading order, right after its subhead; its text is the one plain-text rule.
    kinds = [b.kind for b in blocks]
    assert kinds[kinds.index("table") - 1] == "heading"
    assert table.text == table_text(table.rows, table.caption)
    assert table.text.split("\n")[:3] == [
        "Gauges on the estuary, 1871-2020",
        "Gauge | Opened | Highest tide (m)",
        "Town quay | 1871 | 6.42 | 1953",
    ]


def test_infoboxes_are_dropped_and_one_cell_tables_are_paragraphs() -> None:
    blocks = extract("data-tables.html")
    text = "\n".join(b.text for b in blocks)
    for infobox_value in ("Cornwall, England", "Bodmin Moor", "Porthwenna harbour", "Country"):
        assert infobox_value not in text
    note = [b for b in blocks if b.text == "Readings are in metres above chart datum."]
    assert [b.kind for b in note] == ["paragraph"]
    assert sum(b.kind == "table" for b in blocks) == 1


def test_a_layout_table_is_read_as_the_blocks_it_holds() -> None:
    blocks = extract("layout-table.html")
    assert [b.kind for b in blocks] == ["paragraph", "paragraph", "table", "paragraph", "paragraph"]
    assert blocks[0].text.startswith("The old harbour wall was built in 1820")
    assert cells(blocks[2])[1] == [("1820", False, 1, 1), ("Built by the fishermen", False, 1, 1)]
    assert not any(" | " in b.text for b in blocks if b.kind == "paragraph")
    assert not any(word in b.text for b in blocks for word in ("Home", "Archive", "Contact"))


def test_trafilatura_rows_are_used_when_no_page_table_matches() -> None:
    body = lxml.etree.fromstring(
        "<body><table>"
        "<row><cell role='head'>Town</cell><cell role='head'>Ferries</cell></row>"
        "<row><cell>Porthwenna</cell><cell>12<p>(winter 4)</p></cell></row>"
        "</table></body>"
    )
    [table] = body_to_blocks(body, None)
    assert table.kind == "table" and table.caption == ""
    assert cells(table) == [
        [("Town", True, 1, 1), ("Ferries", True, 1, 1)],
        [("Porthwenna", False, 1, 1), ("12 (winter 4)", False, 1, 1)],
    ]


def test_a_table_with_long_prose_in_its_xml_cells_is_layout() -> None:
    prose = " ".join(["The harbour master walked the wall every morning."] * 10)
    body = lxml.etree.fromstring(
        "<body><table><row><cell>Menu</cell><cell>"
        f"{prose}</cell></row><row><cell>x</cell><cell>y</cell></row></table></body>"
    )
    blocks = body_to_blocks(body, None)
    assert [b.kind for b in blocks] == ["paragraph"] * 4
    assert blocks[1].text == prose


def test_reading_a_page_table_element() -> None:
    table = lxml.html.fromstring(
        "<table><caption> Ferries <b>by</b> town </caption>"
        "<thead><tr><td>Town</td><th colspan='999999'>Boats</th></tr></thead>"
        "<tr><td>Porth<br>wenna</td><td rowspan='x'>3<script>x()</script></td>"
        "<td><table><tr><td>nested</td></tr></table></td></tr></table>"
    )
    caption, rows = read_html_table(table)
    assert caption == "Ferries by town"
    assert rows[0] == (TableCell("Town", header=True), TableCell("Boats", True, colspan=100))
    assert rows[1][:2] == (TableCell("Porth wenna"), TableCell("3"))
    assert rows[1][2].text == "nested"
    assert len(rows) == 2  # the nested table's row is not one of this table's rows
