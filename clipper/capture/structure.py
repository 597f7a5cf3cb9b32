"""DOM normalisation before trafilatura: loose text becomes paragraphs.

Old blogs and CMS templates write paragraphs as text runs separated by `<br><br>`
directly inside a `<div>` or `<td>`. trafilatura keeps only text in block elements and
silently drops such runs (often the first paragraph of the run). Wrapping each run in a
`<p>`, split at double line breaks, is what Readability does too. Citation markers
("[1]") are removed here as well: they are links, not prose.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import TypeAlias

from lxml.html import HtmlElement

from clipper.capture.boilerplate import remove_keeping_tail
from clipper.capture.textutil import word_set

_CONTAINERS = ("div", "section", "article", "td", "main", "center", "blockquote", "body")
_INLINE = word_set(
    "a abbr b bdi bdo big cite code data dfn em font i kbd mark q s samp small span "
    "strike strong sub sup time tt u var wbr img label br"
)
_MIN_RUN = 30
_PROSE = 150
_SUBHEAD_WORDS = 20
_BETWEEN_CHUNKS = 60
_COMMENT = re.compile(
    r"comment(?!ary)|(?<![a-z])(?:repl(?:y|ies)|responses?)(?![a-z])", re.IGNORECASE
)
_SUBHEAD_CLASS = re.compile(
    r"(?<![a-z0-9])(?:sub-?head(?:ing|line)?|inter-?titre|intertitle|cross-?head|"
    r"section-?(?:heading|title)|body-?heading|article-?subtitle|mid-?heading)(?![a-z0-9])",
    re.IGNORECASE,
)
_CITATION = re.compile(r"^\s*\[(?:\d{1,3}|[a-z]|citation needed|note \d+)\]\s*$", re.IGNORECASE)

_BARE_MARKER = re.compile(r"^\s*(?:\d{1,3}|[a-z]{1,2}|[*†‡§¶]{1,3})\s*$", re.IGNORECASE)
_NOTE_CLASS = re.compile(r"footnote|endnote|noteref|reference|(?<![a-z])fn(?![a-z])", re.IGNORECASE)

Node: TypeAlias = str | HtmlElement


def _is_block(node: Node) -> bool:
    return not isinstance(node, str) and (not isinstance(node.tag, str) or node.tag not in _INLINE)


def _has_loose_text(element: HtmlElement) -> bool:
    if element.text and element.text.strip():
        return True
    return any(child.tail and child.tail.strip() for child in element)


def _nodes(element: HtmlElement) -> list[Node]:
    """The element's content as a flat list of text strings and child elements."""
    nodes: list[Node] = []
    if element.text:
        nodes.append(element.text)
    for child in element:
        nodes.append(child)
        if child.tail:
            nodes.append(child.tail)
    return nodes


def _runs(nodes: list[Node]) -> list[tuple[bool, list[Node]]]:
    """Split into (is_inline_run, nodes): runs end at blocks and at double `<br>`."""
    runs: list[tuple[bool, list[Node]]] = []
    current: list[Node] = []
    for index, node in enumerate(nodes):
        if _is_block(node):
            if current:
                runs.append((True, current))
                current = []
            runs.append((False, [node]))
            continue
        if not isinstance(node, str) and node.tag == "br" and _next_is_br(nodes, index):
            if current:
                runs.append((True, current))
                current = []
            continue
        if not isinstance(node, str) and node.tag == "br" and not current:
            continue  # the second <br> of a pair, or a leading one
        current.append(node)
    if current:
        runs.append((True, current))
    return runs


def _next_is_br(nodes: list[Node], index: int) -> bool:
    for node in nodes[index + 1 :]:
        if isinstance(node, str):
            if node.strip():
                return False
            continue
        return bool(node.tag == "br")
    return False


def _run_text(run: list[Node]) -> str:
    parts = [n if isinstance(n, str) else n.text_content() for n in run]
    return " ".join("".join(parts).split())


def _rebuild(element: HtmlElement, runs: list[tuple[bool, list[Node]]]) -> None:
    element.text = None
    for child in list(element):
        element.remove(child)
        child.tail = None  # tails are separate text nodes in `runs`
    last: HtmlElement | None = None

    def put_text(text: str) -> None:
        if last is None:
            element.text = (element.text or "") + text
        else:
            last.tail = (last.tail or "") + text

    for inline, run in runs:
        if inline and len(_run_text(run)) >= _MIN_RUN:
            paragraph = element.makeelement("p", {})
            inner_last: HtmlElement | None = None
            for node in run:
                if isinstance(node, str):
                    if inner_last is None:
                        paragraph.text = (paragraph.text or "") + node
                    else:
                        inner_last.tail = (inner_last.tail or "") + node
                else:
                    paragraph.append(node)
                    inner_last = node
            element.append(paragraph)
            last = paragraph
            continue
        for node in run:
            if isinstance(node, str):
                put_text(node)
            else:
                element.append(node)
                last = node


def paragraphize(tree: HtmlElement) -> int:
    """Wrap substantial loose text runs in `<p>`; return how many containers changed."""
    changed = 0
    body = tree.find("body")
    root = body if body is not None else tree
    candidates = [e for e in root.iter(*_CONTAINERS) if _has_loose_text(e)]
    for element in candidates:
        runs = _runs(_nodes(element))
        if len(runs) < 2:
            continue  # one run of text: trafilatura reads a lone text block as it is
        if any(inline and len(_run_text(run)) >= _MIN_RUN for inline, run in runs):
            _rebuild(element, runs)
            changed += 1
    return changed


def drop_citation_markers(tree: HtmlElement) -> None:
    """Remove footnote markers: "[1]"-style `<sup>`s, and bare "1", "a", "*" ones that link
    to a note on the same page (otherwise "since 1993.1" glues the note to the text)."""
    for sup in list(tree.iter("sup")):
        text = sup.text_content() or ""
        if _CITATION.match(text) or (_BARE_MARKER.match(text) and _links_to_note(sup)):
            _drop_keeping_tail(sup)


def _links_to_note(sup: HtmlElement) -> bool:
    """The marker is (or sits in) a link to a fragment of this page, or is classed a note."""
    marks = f"{sup.get('class') or ''} {sup.get('id') or ''}"
    if _NOTE_CLASS.search(marks):
        return True
    links = [*sup.iter("a"), *(a for a in sup.iterancestors("a"))]
    return any((a.get("href") or "").startswith("#") for a in links)


def _drop_keeping_tail(element: HtmlElement) -> None:
    """Remove a marker; a link that holds nothing but the marker goes with it."""
    parent = element.getparent()
    lone = parent is not None and parent.tag == "a" and len(parent) == 1
    if lone and parent is not None and not (parent.text or "").strip():
        element = parent  # <a href="#fn1"><sup>1</sup></a>
    remove_keeping_tail(element)


def promote_subheads(tree: HtmlElement) -> int:
    """Turn `div`s styled as subheads into `<h2>`, so the body keeps them as headings.

    trafilatura drops short text in layout `div`s; a subhead written as
    `<div class="subheadline">Who pays?</div>` is then lost. An element counts as a
    subhead when its class names one, its text is a short line with no block inside,
    and it sits among the article's paragraphs (a long paragraph comes before it).
    """
    changed = 0
    body = tree.find("body")
    root = body if body is not None else tree
    seen_prose = False
    for element in root.iter("p", "div", "span"):
        if element.tag == "p" and len(" ".join(element.text_content().split())) >= _PROSE:
            seen_prose = True
            continue
        if not seen_prose or element.tag == "p":
            continue
        marks = f"{element.get('class') or ''} {element.get('id') or ''}"
        if not _SUBHEAD_CLASS.search(marks) or any(
            isinstance(c.tag, str) and c.tag not in _INLINE for c in element
        ):
            continue
        words = len(element.text_content().split())
        if 0 < words <= _SUBHEAD_WORDS:
            element.tag = "h2"
            changed += 1
    return changed


def join_split_bodies(tree: HtmlElement) -> int:
    """Join an article body that an ad row split into two containers of the same class.

    Some templates write the body as several "chunks" (`div.article__body` twice, with an
    ad row between); trafilatura then keeps the densest chunk and drops the rest. Chunks
    are joined when they carry the identical class, each holds prose (two paragraphs of
    150 characters or more), they sit in the same `<article>`, and none is a comment.
    """
    groups: dict[tuple[str, HtmlElement], list[HtmlElement]] = {}
    for element in tree.iter("div", "section"):
        classes = element.get("class")
        if not classes or _COMMENT.search(classes):
            continue
        article = next(element.iterancestors("article"), None)
        if article is None or not _holds_paragraphs(element):
            continue
        groups.setdefault((classes, article), []).append(element)
    joined = 0
    for chunks in groups.values():
        first = chunks[0]
        for previous, chunk in pairwise(chunks):
            if first in chunk.iterancestors() or chunk in first.iterancestors():
                continue
            if _text_between(previous, chunk) > _BETWEEN_CHUNKS:
                break  # something with text sits between: keep the reading order
            for child in list(chunk):
                first.append(child)
            parent = chunk.getparent()
            if parent is not None:
                parent.remove(chunk)
            joined += 1
    return joined


def _text_between(first: HtmlElement, second: HtmlElement) -> int:
    """Characters of text in the elements after `first` and before `second`."""
    inside = set(first.iter())
    total = 0
    for element in first.xpath("following::*"):
        if element is second:
            return total
        if element in inside:
            continue
        total += len((element.text or "").strip()) + len((element.tail or "").strip())
        if total > _BETWEEN_CHUNKS:
            return total
    return total


def _holds_paragraphs(element: HtmlElement, minimum: int = 2) -> bool:
    count = 0
    for paragraph in element.iter("p"):
        if len(" ".join(paragraph.text_content().split())) >= _PROSE:
            count += 1
            if count >= minimum:
                return True
    return False


__all__ = ["drop_citation_markers", "join_split_bodies", "paragraphize", "promote_subheads"]
