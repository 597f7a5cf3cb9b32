"""Data tables as table blocks, read from the page's own `<table>`.

trafilatura decides *whether* a table belongs to the article; its XML is a poor record of
*what* the table is: the caption becomes a first row, `th` cells are marked only in
some rows, spans become padding. So each table trafilatura keeps is matched (by its
words) with a `<table>` of the cleaned page, and the block is built from that element:
caption, header cells (`th`, or any cell of a `thead`), colspans and rowspans. When no
element matches, trafilatura's own rows are used (`role="head"` cells as headers).

A table whose cells hold a heading, a nested table or a run of prose (`PROSE_WORDS`) is
page layout: `unwrap_layout_tables` turns it into `div`s before trafilatura, so what it
holds is read in place as ordinary blocks (`blocks` applies the same test to what
trafilatura still returns as a table). Of the rest, a table is a data table when it has
at least two rows and two columns with text; anything smaller is read as paragraphs,
one per cell.
"""

from __future__ import annotations

from collections import defaultdict

from lxml.etree import _Element

from clipper.article import Block, TableCell, TableRows, table_grid
from clipper.rules import text_key

LAYOUT_CHILDREN = frozenset({"head", "list", "quote", "table", "code"})
"""trafilatura elements that make a cell page layout, not data (`<br>` becomes `p`)."""
PROSE_WORDS = 60
"""Words in one cell that make it a column of the page, not a value."""
_LAYOUT_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "table"})
_SECTIONS = frozenset({"thead", "tbody", "tfoot"})
_SKIP = frozenset({"script", "style", "template", "noscript"})
_BREAKS = frozenset(
    {"br", "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6"}
)


def _tag(element: _Element) -> str:
    return element.tag if isinstance(element.tag, str) else ""


def _text(element: _Element) -> str:
    """An element's words, a space wherever a line break or block boundary was."""
    parts: list[str] = []

    def walk(node: _Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            tag = _tag(child)
            if tag and tag not in _SKIP:
                if tag in _BREAKS:
                    parts.append(" ")
                walk(child)
                if tag in _BREAKS:
                    parts.append(" ")
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return " ".join("".join(parts).split())


def _key(text: str) -> str:
    """Words without spaces: "2000s bold" and "2000sbold" match (glued inline runs)."""
    return text_key(text).replace(" ", "")


def _own_rows(table: _Element) -> list[tuple[_Element, bool]]:
    """The table's rows (not a nested table's), each with whether it is in a `thead`."""
    rows: list[tuple[_Element, bool]] = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            rows.append((child, False))
        elif tag in _SECTIONS:
            rows.extend((tr, tag == "thead") for tr in child if _tag(tr) == "tr")
    return rows


def read_html_table(table: _Element) -> tuple[str, TableRows]:
    """Caption and rows of a page's `<table>` element."""
    caption_element = next((c for c in table if _tag(c) == "caption"), None)
    caption = _text(caption_element) if caption_element is not None else ""
    rows: list[tuple[TableCell, ...]] = []
    for tr, in_head in _own_rows(table):
        cells = tuple(
            TableCell(
                text=_text(cell),
                header=in_head or _tag(cell) == "th",
                colspan=cell.get("colspan") or 1,
                rowspan=cell.get("rowspan") or 1,
            )
            for cell in tr
            if _tag(cell) in {"td", "th"}
        )
        if cells:
            rows.append(cells)
    return caption, tuple(rows)


def _xml_rows(table: _Element) -> TableRows:
    """trafilatura's rows (`row/cell`, `role="head"` marking header cells)."""
    rows: list[tuple[TableCell, ...]] = []
    for row in table.iter("row"):
        cells = tuple(
            TableCell(text=_text(cell), header=cell.get("role") == "head")
            for cell in row
            if _tag(cell) == "cell"
        )
        if cells:
            rows.append(cells)
    return tuple(rows)


def _words(caption: str, rows: TableRows) -> str:
    return _key(" ".join([caption, *(cell.text for row in rows for cell in row)]))


class PageTables:
    """The cleaned page's `<table>` elements by their words, read on first need."""

    def __init__(self, tree: _Element | None) -> None:
        self._tree = tree
        self._by_words: dict[str, list[tuple[str, TableRows]]] | None = None

    def _index(self) -> dict[str, list[tuple[str, TableRows]]]:
        if self._by_words is None:
            self._by_words = defaultdict(list)
            if self._tree is not None:
                for element in self._tree.iter("table"):
                    caption, rows = read_html_table(element)
                    self._by_words[_words(caption, rows)].append((caption, rows))
        return self._by_words

    def match(self, xml_table: _Element) -> tuple[str, TableRows]:
        """The page's table with the same words as trafilatura's `table` (its first
        unused one), else trafilatura's rows without a caption."""
        rows = _xml_rows(xml_table)
        if self._tree is not None:
            found = self._index().get(_words("", rows))
            if found:
                return found.pop(0)
        return "", rows


def is_layout(xml_table: _Element) -> bool:
    """Whether trafilatura's table holds headings, lists or prose in a cell."""
    for row in xml_table.iter("row"):
        for cell in row:
            if any(_tag(child) in LAYOUT_CHILDREN for child in cell):
                return True
            if len(_text(cell).split()) >= PROSE_WORDS:
                return True
    return False


def _is_layout_html(table: _Element) -> bool:
    for tr, _in_head in _own_rows(table):
        for cell in tr:
            if _tag(cell) not in {"td", "th"}:
                continue
            if any(_tag(d) in _LAYOUT_TAGS for d in cell.iterdescendants()):
                return True
            if len(_text(cell).split()) >= PROSE_WORDS:
                return True
    return False


def unwrap_layout_tables(tree: _Element) -> None:
    """Layout tables become `div`s (rows and cells too), outermost first, so a data
    table inside one keeps its place among the paragraphs around it."""
    for table in list(tree.iter("table")):
        if not _is_layout_html(table):
            continue
        for tr, _in_head in _own_rows(table):
            for cell in tr:
                if _tag(cell) in {"td", "th"}:
                    cell.tag = "div"
            tr.tag = "div"
        for child in table:
            if _tag(child) in _SECTIONS or _tag(child) == "caption":
                child.tag = "div"
        table.tag = "div"


def table_blocks(caption: str, rows: TableRows) -> list[Block]:
    """A table block for a data table; a paragraph per row (and caption) otherwise."""
    kept = tuple(row for row in rows if any(cell.text for cell in row))
    filled_columns = {g.column for g in table_grid(kept)[0] if g.cell.text}
    if len(kept) >= 2 and len(filled_columns) >= 2:
        return [Block.table(kept, caption)]
    texts = [caption] if caption else []
    texts.extend(cell.text for row in kept for cell in row if cell.text)
    return [Block(kind="paragraph", text=text) for text in texts]


__all__ = [
    "PageTables",
    "is_layout",
    "read_html_table",
    "table_blocks",
    "unwrap_layout_tables",
]
