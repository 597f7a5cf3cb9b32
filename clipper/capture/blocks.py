"""trafilatura's XML body to our `Block`s, and the block-level clean-up.

trafilatura returns its body as a small XML vocabulary (`head`, `p`, `list/item`,
`quote`, `code`, `table/row/cell`, `lb`, `hi`...). Reading that element tree keeps the
structure (a heading stays a heading, a list item an item) that its plain-text output
would flatten.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from lxml.etree import _Element

from clipper.article import Block, FigureInfo
from clipper.capture.boilerplate import is_boilerplate_text
from clipper.capture.tables import LAYOUT_CHILDREN, PageTables, is_layout, table_blocks
from clipper.rules import text_key

_HEADING_LEVEL = re.compile(r"h([1-6])")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_INLINE_BLOCKS = {"list", "quote", "table", "code"}
_LEADING_BLOCKS = 4


def _tag(element: _Element) -> str:
    return element.tag if isinstance(element.tag, str) else ""


def _tidy(text: str) -> str:
    """Collapse spaces inside lines; keep line breaks that came from `<br>`."""
    text = _ZERO_WIDTH.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _inline_text(element: _Element, skip: set[str] = _INLINE_BLOCKS) -> str:
    """Text of an element, `<lb/>` as a newline, without nested block children."""
    parts: list[str] = [element.text or ""]
    for child in element:
        tag = _tag(child)
        if tag == "lb":
            parts.append("\n")
        elif tag and tag not in skip:
            parts.append(_inline_text(child, skip))
        if child.tail:
            parts.append(child.tail)
    return "".join(parts)


def _code_text(element: _Element) -> str:
    """Code keeps its whitespace; `<lb/>` becomes a newline."""
    parts: list[str] = []

    def walk(node: _Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if _tag(child) == "lb":
                parts.append("\n")
            else:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return "".join(parts).strip("\n")


def _heading_level(element: _Element) -> int:
    match = _HEADING_LEVEL.fullmatch(element.get("rend") or "")
    level = int(match.group(1)) if match else 2
    return min(max(level, 2), 6)


def _list_items(element: _Element) -> Iterator[Block]:
    for item in element:
        if _tag(item) != "item":
            continue
        text = _tidy(_inline_text(item))
        if text:
            yield Block(kind="list_item", text=text)
        for child in item:
            if _tag(child) == "list":
                yield from _list_items(child)


def _layout_cells(element: _Element, tables: PageTables) -> Iterator[Block]:
    """A layout table's cells in order, read as ordinary blocks."""
    for row in element.iter("row"):
        for cell in row:
            text = _tidy(_inline_text(cell, set(LAYOUT_CHILDREN)))
            if text:
                yield Block(kind="paragraph", text=text)
            for child in cell:
                if _tag(child) in LAYOUT_CHILDREN:
                    yield from _blocks_of(child, tables)


def _blocks_of(element: _Element, tables: PageTables) -> Iterator[Block]:
    tag = _tag(element)
    if tag == "head":
        text = _tidy(_inline_text(element)).replace("\n", " ")
        if text:
            yield Block(kind="heading", text=text, level=_heading_level(element))
    elif tag == "list":
        yield from _list_items(element)
    elif tag == "quote":
        inner = [c for c in element if _tag(c) in {"p", "list", "head", "quote"}]
        if inner:
            for child in inner:
                for block in _blocks_of(child, tables):
                    yield Block(kind="quote", text=block.text)
            rest = _tidy(element.text or "")
            if rest:
                yield Block(kind="quote", text=rest)
        else:
            text = _tidy(_inline_text(element))
            if text:
                yield Block(kind="quote", text=text)
    elif tag == "code":
        text = _code_text(element)
        if text.strip():
            yield Block(kind="code", text=text)
    elif tag == "table":
        if is_layout(element):
            yield from _layout_cells(element, tables)
        else:
            yield from table_blocks(*tables.match(element))
    elif tag:
        text = _tidy(_inline_text(element))
        if text:
            yield Block(kind="paragraph", text=text)
        for child in element:
            if _tag(child) in _INLINE_BLOCKS:
                yield from _blocks_of(child, tables)


def body_to_blocks(body: _Element | None, page: _Element | None = None) -> list[Block]:
    """Blocks from trafilatura's XML body (None -> no blocks); `page`, the tree
    trafilatura read, gives tables their caption, header cells and spans."""
    if body is None:
        return []
    tables = PageTables(page)
    blocks: list[Block] = []
    for child in body:
        blocks.extend(_blocks_of(child, tables))
    return blocks


def filter_blocks(
    blocks: Iterable[Block],
    *,
    title_variants: Iterable[str],
    subtitle: str,
    figures: Iterable[FigureInfo],
    body_texts: frozenset[str] = frozenset(),
) -> list[Block]:
    """Drop blocks that are not the article: title, standfirst, captions, prompts, repeats."""
    titles = {text_key(t) for t in title_variants if t}
    subtitle_key = text_key(subtitle)
    figure_texts: set[str] = set()
    for figure in figures:
        for part in (figure.caption, figure.credit, figure.alt, figure.caption_block_text()):
            if part and text_key(part) in body_texts:
                continue  # the caption repeats a paragraph of the article, which stays
            if part:
                figure_texts.add(text_key(part))
    kept: list[Block] = []
    previous_key = ""
    for index, block in enumerate(blocks):
        key = text_key(block.text)
        if not key or key in titles or key in figure_texts:
            continue
        if subtitle_key and key == subtitle_key and index < _LEADING_BLOCKS:
            continue
        if block.kind != "code" and is_boilerplate_text(block.text):
            continue
        if kept and kept[-1].kind == block.kind and previous_key == key:
            continue  # the same block twice in a row (a duplicated responsive element)
        kept.append(block)
        previous_key = key
    return kept


__all__ = ["body_to_blocks", "filter_blocks"]
