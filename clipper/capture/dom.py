"""Text to an lxml tree, once, with the same parser settings trafilatura uses.

Parsing is the single most expensive step we control, so the tree built here is shared
by the metadata, figure and boilerplate passes and handed to trafilatura (which copies
it before changing anything). libxml2 silently drops everything below 256 levels of
nesting; we notice that in the parser's error log and flatten layout tags instead of
returning an empty page.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html
from lxml.html import HtmlElement

# Characters XML (and so lxml) refuses, plus lone surrogates.
_INVALID_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# trafilatura's repair for a doctype that libxml2 misreads (a "/" inside it).
_FAULTY_DOCTYPE = re.compile(r"^< ?! ?DOCTYPE[^>]*/[^<>]*>", re.IGNORECASE)
# Tags kept when flattening a too-deep page: the ones that carry reading structure.
_KEEP_WHEN_FLAT = (
    "html|head|body|title|meta|link|base|script|style|noscript|template|p|h[1-6]|br|img|"
    "pre|code|figure|figcaption|picture|source"
)
_LAYOUT_TAG = re.compile(rf"</?(?!(?:{_KEEP_WHEN_FLAT})\b)[a-zA-Z][\w:-]*[^>]*>")
_ANY_TAG = re.compile(r"<[^>]*>")
_DEPTH_MESSAGE = "Excessive depth"
_SIZE_MESSAGE = "limit exceeded"


@dataclass
class Parsed:
    """A parsed page and what went wrong on the way."""

    tree: HtmlElement | None
    warnings: list[str] = field(default_factory=list)


def _parser(huge: bool = False) -> lxml_html.HTMLParser:
    # Same options as trafilatura's HTML_PARSER, so its heuristics see the tree they expect.
    # A fresh parser per call: its error log is per object and calls may run in threads.
    return lxml_html.HTMLParser(
        collect_ids=False,
        default_doctype=False,
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        huge_tree=huge,
    )


def _parse_once(text: str) -> tuple[HtmlElement | None, bool]:
    """Parse; return the tree (None if libxml2 found nothing) and whether it was too deep.

    libxml2's default limits also stop at about 10 MB of buffered text (a page with big
    inline scripts), silently dropping the rest; such pages are parsed again with the
    limit lifted. The nesting limit stays: it is what protects the recursion later on.
    """
    data = text.encode("utf-8")
    parser = _parser()
    try:
        tree = lxml_html.document_fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None, False
    messages = [entry.message for entry in parser.error_log]
    too_deep = any(_DEPTH_MESSAGE in m for m in messages)
    if not too_deep and any(_SIZE_MESSAGE in m for m in messages):
        # On failure, keep what the first parse found.
        with contextlib.suppress(etree.ParserError, etree.XMLSyntaxError, ValueError):
            tree = lxml_html.document_fromstring(data, parser=_parser(huge=True))
    return tree, too_deep


def _paragraphs_only(text: str) -> str:
    """Last resort for pathological markup: the visible text as plain paragraphs."""
    body = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", text)
    plain = _ANY_TAG.sub("\n", body)
    paragraphs = [" ".join(chunk.split()) for chunk in plain.split("\n")]
    kept = "".join(f"<p>{p}</p>" for p in paragraphs if p)
    return f"<html><body>{kept}</body></html>"


def clean_text(text: str) -> str:
    """Remove what lxml cannot take: invalid characters and an XML declaration."""
    text = _INVALID_CHARS.sub("", text)
    text = _XML_DECLARATION.sub("", text, count=1)
    head = text[:200].lstrip()
    if head.lower().startswith(("<!doctype", "< !doctype", "<! doctype")):
        text = _FAULTY_DOCTYPE.sub("", text.lstrip(), count=1)
    return text


def parse_html(text: str) -> Parsed:
    """Parse page text into an lxml HTML tree; None when there is nothing to parse."""
    text = clean_text(text)
    if not text.strip():
        return Parsed(None, ["The page is empty."])
    tree, too_deep = _parse_once(text)
    warnings: list[str] = []
    if too_deep:
        warnings.append("The page is nested too deeply; its layout was flattened to read it.")
        tree, too_deep = _parse_once(_LAYOUT_TAG.sub("", text))
        if too_deep:
            tree, _ = _parse_once(_paragraphs_only(text))
    if tree is None:
        return Parsed(None, [*warnings, "The page has no readable HTML."])
    return Parsed(tree, warnings)


__all__ = ["Parsed", "clean_text", "parse_html"]
