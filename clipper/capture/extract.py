"""HTML in, `Article` out: the public entry point of extraction.

A pure function: no network, no disk. The steps, each in its own module:

1. `decode`: bytes to text (refusing PDFs, images and binary data).
2. `dom`: one lxml parse, shared by every later step.
3. `metadata`: title, standfirst, authors, date, site, canonical URL, language.
4. `figures` + `placement`: content images with captions and credits, and an index of
   the page's text elements, both read before anything is removed.
5. `boilerplate` + `structure`: remove page furniture from the tree, wrap loose text
   runs in paragraphs, drop citation markers; `tables`: layout tables become `div`s.
6. `body`: trafilatura on the cleaned tree, read back as blocks; `blocks` filters them.
7. `placement`: keep the article's figures and put them in reading order.
"""

from __future__ import annotations

import logging

from lxml import etree

from clipper.article import Article, Block
from clipper.capture.blocks import filter_blocks
from clipper.capture.body import extract_body
from clipper.capture.boilerplate import clean_tree
from clipper.capture.decode import decode_html
from clipper.capture.dom import parse_html
from clipper.capture.endmatter import drop_byline_blocks, drop_end_matter
from clipper.capture.fallbacks import fill_from_fallbacks
from clipper.capture.figures import find_figures
from clipper.capture.metadata import PageMeta, read_metadata
from clipper.capture.placement import (
    drop_above_headline,
    index_page,
    locate_blocks,
    paragraphs_outside,
    place_figures,
)
from clipper.capture.structure import (
    drop_citation_markers,
    join_split_bodies,
    paragraphize,
    promote_subheads,
)
from clipper.capture.tables import unwrap_layout_tables
from clipper.capture.teasers import find_cards, remove_cards
from clipper.capture.urls import base_url_of
from clipper.errors import ExtractionError
from clipper.rules import text_key

LOGGER = logging.getLogger(__name__)
_RECOVERABLE = (
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
    KeyError,
    LookupError,
    RecursionError,
    etree.LxmlError,
)


def extract_article(
    html: bytes | str, url: str = "", *, content_type: str | None = None
) -> Article:
    """Extract the article (metadata, body blocks, figures) from one page.

    Never raises on odd input: an empty or unreadable page gives an empty `Article`
    whose `warnings` say why. Raises `ExtractionError` only when the input is clearly
    not a web page (a PDF, an image, binary data).
    """
    article = Article(url=url, canonical_url=url)
    if content_type and _is_not_html_type(content_type) and not _starts_like_markup(html):
        raise ExtractionError(f"This is {content_type.split(';')[0].strip()}, not a web page.")
    decoded = decode_html(html, content_type)
    article.warnings.extend(decoded.warnings)
    parsed = parse_html(decoded.text)
    article.warnings.extend(parsed.warnings)
    if parsed.tree is None:
        return article
    try:
        _extract_into(article, parsed.tree, url)
    except _RECOVERABLE as exc:  # a bug or a pathological page must not lose the clip
        LOGGER.warning("extraction failed on %s: %r", url or "<page>", exc)
        article.warnings.append(f"Extraction stopped early: {type(exc).__name__}.")
    if not article.blocks:
        article.warnings.append("No article text was found on this page.")
    return article


def _extract_into(article: Article, tree: etree._Element, url: str) -> None:
    base = base_url_of(tree, url)
    page = read_metadata(tree, url, base)
    fill_from_fallbacks(page, tree, url)
    _copy_metadata(article, page)

    found = find_figures(tree, base)
    cards = find_cards(tree, base, url or base)
    index = index_page(tree)
    remove_cards(cards)
    clean_tree(tree)
    unwrap_layout_tables(tree)
    join_split_bodies(tree)
    promote_subheads(tree)
    drop_citation_markers(tree)
    paragraphize(tree)
    blocks = extract_body(tree, url)
    blocks = filter_blocks(
        blocks,
        title_variants=page.title_variants,
        subtitle=page.subtitle if page.subtitle_is_visible else "",
        figures=[f.info for f in found],
        body_texts=paragraphs_outside(index, found),
    )
    if page.subtitle and not page.subtitle_is_visible and _repeats_body(page.subtitle, blocks):
        article.subtitle = ""  # the meta description was the first paragraph, not a standfirst
    blocks = drop_byline_blocks(drop_end_matter(blocks), page.authors)
    positions = locate_blocks(blocks, index)
    blocks, positions = drop_above_headline(blocks, positions, index, page.headline)
    article.blocks, article.figures = place_figures(blocks, positions, found, index, page.headline)


def _copy_metadata(article: Article, page: PageMeta) -> None:
    article.title = page.title
    article.subtitle = page.subtitle
    article.authors = page.authors
    article.published = page.published
    article.site_name = page.site_name
    article.canonical_url = page.canonical_url or article.url
    article.language = page.language
    article.sources = dict(page.sources)


def _repeats_body(subtitle: str, blocks: list[Block]) -> bool:
    """Whether a description is (the start of) one of the first paragraphs."""
    key = text_key(subtitle)
    for block in blocks[:3]:
        text = text_key(block.text)
        if text and (text.startswith(key) or key.startswith(text)):
            return True
    return False


def _is_not_html_type(content_type: str) -> bool:
    """A Content-Type that names a clearly different format (PDF, image, audio, video)."""
    kind = content_type.split(";")[0].strip().lower()
    return kind.startswith(("image/", "audio/", "video/", "font/")) or kind in {
        "application/pdf",
        "application/zip",
    }


def _starts_like_markup(html: bytes | str) -> bool:
    head = html[:1024]
    text = head.decode("latin-1") if isinstance(head, bytes) else head
    return text.lstrip("\ufeff\xef\xbb\xbf \t\r\n").startswith("<")


__all__ = ["extract_article"]
