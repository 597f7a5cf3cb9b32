"""Where the body's blocks and the page's figures sit in the document.

trafilatura's output has no pointers back into the page, so the link is made by
text: before the tree is cleaned we index the block-level elements (document position
and folded text); each extracted block is then found again by its text. That gives the
article's extent in the page, which decides which figures belong to it (inside or
right around the text, not in a sidebar or a "related" box) and where each figure
goes in the reading order: after the last block that precedes it, or first for a lead
image above the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml.html import HtmlElement

from clipper.article import Block, FigureInfo
from clipper.capture.figures import FoundFigure
from clipper.capture.textutil import word_set
from clipper.rules import text_key

_TEXT_TAGS = word_set(
    "p h1 h2 h3 h4 h5 h6 li blockquote pre dd dt td th div span section article figcaption font"
)
_LAYOUT_TAGS = frozenset({"div", "span", "section", "article", "font"})
_PROBE = 48
_MAX_SCAN = 4000
_TRAILING_TEXT = 40
_LEAD_ELEMENTS = 400
_KICKER_WORDS = 8


@dataclass
class PageIndex:
    """Document positions of elements and the folded text of block-level ones."""

    order: dict[HtmlElement, int] = field(default_factory=dict)
    parent: dict[HtmlElement, HtmlElement | None] = field(default_factory=dict)
    """Each element's parent in the original tree (cleaning detaches some elements)."""
    texts: list[tuple[int, str, HtmlElement]] = field(default_factory=list)
    by_prefix: dict[str, int] = field(default_factory=dict)
    """First index into `texts` for each text's first `_PROBE` folded characters."""


def index_page(tree: HtmlElement) -> PageIndex:
    """Index the tree before anything is removed from it."""
    index = PageIndex()
    for position, element in enumerate(tree.iter()):
        index.order[element] = position
        index.parent[element] = element.getparent()
        if not isinstance(element.tag, str) or element.tag not in _TEXT_TAGS:
            continue
        if element.tag in _LAYOUT_TAGS and len((element.text or "").strip()) < 20:
            continue  # a layout element; its text is indexed on its children
        text = text_key(element.text_content())
        if len(text) < 3:
            continue
        index.by_prefix.setdefault(text[:_PROBE], len(index.texts))
        index.texts.append((position, text, element))
    return index


def paragraphs_outside(index: PageIndex, found: list[FoundFigure]) -> frozenset[str]:
    """Folded texts of `<p>` elements outside every figure: a caption that repeats one of
    them (some sites caption the lead image with the first paragraph) is body text too."""
    scopes = [f.element for f in found]
    if not scopes:
        return frozenset()
    return frozenset(
        text
        for _pos, text, element in index.texts
        if element.tag == "p" and not any(_inside(index, element, s) for s in scopes)
    )


def _locate(index: PageIndex, key: str, start: int) -> int | None:
    """Position in `index.texts` of the element holding a block's folded text."""
    probe = key[:_PROBE]
    hit = index.by_prefix.get(probe)
    if hit is not None and hit >= start:
        return hit
    end = min(len(index.texts), start + _MAX_SCAN)
    for i in range(start, end):
        text = index.texts[i][1]
        if probe in text or (len(text) >= 20 and text in key):
            return i
    if hit is not None:
        return hit
    return None


def locate_blocks(blocks: list[Block], index: PageIndex) -> list[int | None]:
    """Each block's document position (None for blocks not found again)."""
    positions: list[int | None] = []
    cursor = 0
    for block in blocks:
        key = text_key(block.text)
        found = _locate(index, key, cursor) if key else None
        if found is None:
            positions.append(None)
            continue
        positions.append(index.texts[found][0])
        cursor = found
    return positions


def _common_ancestor(index: PageIndex, a: HtmlElement, b: HtmlElement) -> HtmlElement | None:
    """Lowest common ancestor in the original tree."""
    ancestors: set[HtmlElement] = set()
    node: HtmlElement | None = a
    while node is not None:
        ancestors.add(node)
        node = index.parent.get(node)
    node = b
    while node is not None:
        if node in ancestors:
            return node
        node = index.parent.get(node)
    return None


def _inside(index: PageIndex, element: HtmlElement, root: HtmlElement) -> bool:
    node: HtmlElement | None = element
    while node is not None:
        if node is root:
            return True
        node = index.parent.get(node)
    return False


def _text_between(index: PageIndex, start: int, end: int, figure: HtmlElement) -> bool:
    """Whether real text (not this figure's caption) lies between two positions."""
    for position, text, element in index.texts:
        if (
            start < position < end
            and len(text) > _TRAILING_TEXT
            and not _inside(index, element, figure)
        ):
            return True
    return False


def drop_above_headline(
    blocks: list[Block],
    positions: list[int | None],
    index: PageIndex,
    headline: HtmlElement | None,
) -> tuple[list[Block], list[int | None]]:
    """Drop short blocks that sit above the headline: kickers, labels, breadcrumbs.

    Pages often state the headline twice (a sticky bar, a hidden copy, the visible
    heading); the copy that counts is the last one before the article's first long block.
    """
    head_pos = index.order.get(headline) if headline is not None else None
    if head_pos is None or headline is None:
        return blocks, positions
    title = text_key(headline.text_content())
    first_long = next(
        (p for b, p in zip(blocks, positions, strict=True) if p is not None and len(b.text) > 150),
        None,
    )
    if first_long is not None:
        copies = [pos for pos, text, _el in index.texts if text == title and pos < first_long]
        head_pos = max([head_pos, *copies])
    kept = [
        (block, pos)
        for block, pos in zip(blocks, positions, strict=True)
        if pos is None or pos > head_pos or len(block.text.split()) > _KICKER_WORDS
    ]
    return [b for b, _p in kept], [p for _b, p in kept]


def place_figures(
    blocks: list[Block],
    positions: list[int | None],
    found: list[FoundFigure],
    index: PageIndex,
    headline: HtmlElement | None,
) -> tuple[list[Block], list[FigureInfo]]:
    """Keep the article's figures and insert their blocks in reading order.

    `positions` are the blocks' document positions (`locate_blocks`).
    """
    if not found:
        return blocks, []
    located = [(p, i) for i, p in enumerate(positions) if p is not None]
    if not located:
        return blocks, []
    first_pos, last_pos = located[0][0], located[-1][0]
    elements = {pos: el for pos, _t, el in index.texts}
    root = _common_ancestor(index, elements[first_pos], elements[last_pos])
    head_pos = index.order.get(headline) if headline is not None else None
    lead_root = root
    if headline is not None and head_pos is not None and head_pos < first_pos:
        lead_root = _common_ancestor(index, headline, elements[first_pos])
    lead_start = head_pos if head_pos is not None and head_pos < first_pos else None

    kept: list[tuple[int, FigureInfo]] = []
    for figure in found:
        pos = index.order.get(figure.element)
        if pos is None:
            continue
        if pos < first_pos:
            start = lead_start if lead_start is not None else first_pos - _LEAD_ELEMENTS
            if pos < start or lead_root is None or not _inside(index, figure.element, lead_root):
                continue
        elif (
            root is None
            or not _inside(index, figure.element, root)
            or (pos > last_pos and _text_between(index, last_pos, pos, figure.element))
        ):
            continue
        kept.append((pos, figure.info))

    figures = [info for _pos, info in kept]
    result: list[Block] = []
    pending = list(enumerate(kept))
    for block, block_pos in zip(blocks, positions, strict=True):
        while pending and block_pos is not None and pending[0][1][0] < block_pos:
            number, _item = pending.pop(0)
            result.append(Block(kind="figure", figure=number))
        result.append(block)
    result.extend(Block(kind="figure", figure=number) for number, _item in pending)
    return result, figures


__all__ = [
    "PageIndex",
    "drop_above_headline",
    "index_page",
    "locate_blocks",
    "paragraphs_outside",
    "place_figures",
]
