"""The article body: trafilatura on our cleaned tree, read back as blocks.

trafilatura is very good at finding the main text; what it lacks is knowledge of the
page beyond the text (which `<h1>` is the headline, which box is a newsletter form).
We give it a tree with that furniture already removed and take its XML body, so the
structure survives into our blocks.
"""

from __future__ import annotations

import logging

import trafilatura
from lxml import etree
from lxml.etree import _Element
from lxml.html import HtmlElement

from clipper.article import Block
from clipper.capture.blocks import body_to_blocks

# trafilatura logs every page it discards at WARNING; that is our warnings list's job.
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)

_PROSE_WORDS = 10
_MENU_SHARE = 0.5
_FAILURES = (
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
    KeyError,
    LookupError,
    RecursionError,
    etree.LxmlError,
)


def run_trafilatura(tree: HtmlElement, url: str, *, fast: bool = True) -> _Element | None:
    """trafilatura's XML body for a tree (it works on its own copy), or None."""
    try:
        document = trafilatura.bare_extraction(
            tree,
            url=url or None,
            fast=fast,
            include_comments=False,
            include_tables=True,
            include_images=False,
            output_format="xml",
        )
    except _FAILURES:
        return None
    if document is None or isinstance(document, dict):
        return None
    body: _Element | None = document.body
    return body


def _prose(blocks: list[Block]) -> tuple[int, float]:
    """Characters in sentence-length lines, and their share of all characters."""
    lines = [line for b in blocks for line in b.text.split("\n")]
    total = sum(len(line) for line in lines)
    prose = sum(len(line) for line in lines if len(line.split()) >= _PROSE_WORDS)
    return prose, (prose / total if total else 0.0)


def extract_body(tree: HtmlElement, url: str) -> list[Block]:
    """The main text of a cleaned tree as blocks (empty when trafilatura finds none).

    trafilatura's fast mode is tried first. When its result is mostly short lines (a
    menu or a tag cloud was taken for the article) or nothing, its slower cascade
    (readability, jusText, baseline) gets a chance, and the more prose-like result wins.
    """
    blocks = body_to_blocks(run_trafilatura(tree, url, fast=True), tree)
    prose, share = _prose(blocks)
    if blocks and share >= _MENU_SHARE:
        return blocks
    alternative = body_to_blocks(run_trafilatura(tree, url, fast=False), tree)
    alt_prose, alt_share = _prose(alternative)
    if not blocks or (alt_share > share and alt_prose >= 0.75 * prose):
        return alternative
    return blocks


__all__ = ["extract_body", "run_trafilatura"]
