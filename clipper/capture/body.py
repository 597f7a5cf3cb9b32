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


def run_trafilatura(tree: HtmlElement, url: str) -> _Element | None:
    """trafilatura's XML body for a tree (it works on its own copy), or None."""
    try:
        document = trafilatura.bare_extraction(
            tree,
            url=url or None,
            fast=True,
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


def extract_body(tree: HtmlElement, url: str) -> list[Block]:
    """The main text of a cleaned tree as blocks (empty when trafilatura finds none)."""
    return body_to_blocks(run_trafilatura(tree, url))


__all__ = ["extract_body", "run_trafilatura"]
