"""Teasers: images that advertise another page, not illustrate this one.

Two general shapes, both read from the original tree:

* an image inside a container whose class/id names a recommendation box ("related",
  "recirc", "more-stories", "trending", "outbrain", "promo", "sponsored", ads);
* a *card*: the image is a link to another page, and a headline next to it links to the
  same page (video carousels, "watch next" rails, related-article tiles). An image that
  links to a larger rendition of itself, or a gallery slide, is not a card.
"""

from __future__ import annotations

import re
from itertools import pairwise
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from clipper.capture.textutil import word_set

_CONTAINER_TOKENS = word_set(
    "related recommended recommendations recirc recirculation more-stories morestories "
    "read-more readmore trending mostread most-read most-popular popular outbrain taboola "
    "promo promos promoted sponsor sponsored ad ads advert advertisement dfp "
    "up-next upnext watch-next whats-next"
)
_TOKEN_SPLIT = re.compile(r"[\s_]+|(?<=[a-z])(?=[A-Z])")
_PART_SPLIT = re.compile(r"-+")
_HEADLINE_CLASS = re.compile(r"headline|title|caption|heading", re.IGNORECASE)
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|bmp|tiff?)(?:$|[?#])", re.IGNORECASE)
_STOP = frozenset({"body", "html", "main"})
_CARD_LEVELS = 4
_CARD_TEXT = 400
_CARD_IMAGES = 2


def _names_teaser_box(element: HtmlElement) -> bool:
    marks = f"{element.get('class') or ''} {element.get('id') or ''}"
    for token in _TOKEN_SPLIT.split(marks):
        word = token.lower()
        if not word:
            continue
        if word in _CONTAINER_TOKENS:
            return True
        parts = [p for p in _PART_SPLIT.split(word) if p]
        if any(p in _CONTAINER_TOKENS for p in parts):
            return True
        if any(f"{a}-{b}" in _CONTAINER_TOKENS for a, b in pairwise(parts)):
            return True
    return False


def in_teaser_box(img: HtmlElement) -> bool:
    """Inside a container named as a recommendation, promotion or ad box."""
    for ancestor in img.iterancestors():
        if ancestor.tag in _STOP:
            return False  # <body> classes are page-wide flags ("f_ads_on"), not boxes
        if _names_teaser_box(ancestor):
            return True
    return False


def _target(href: str, base_url: str) -> str:
    """A link's page, without fragment or query (so tracking parameters do not count)."""
    absolute = urljoin(base_url, href.strip())
    parts = urlsplit(absolute)
    return f"{parts.netloc.lower()}{parts.path.rstrip('/')}"


def _link_of(img: HtmlElement) -> HtmlElement | None:
    for level, ancestor in enumerate(img.iterancestors()):
        if level >= 3 or ancestor.tag in _STOP:
            return None
        if ancestor.tag == "a" and ancestor.get("href"):
            return ancestor
    return None


def card_of(img: HtmlElement, base_url: str, page_url: str) -> HtmlElement | None:
    """The card around an image that links to another page a headline beside it links to
    as well; None when the image is not in such a card."""
    link = _link_of(img)
    if link is None:
        return None
    href = link.get("href") or ""
    if href.startswith(("#", "javascript:")) or _IMAGE_FILE.search(href):
        return None  # a jump, a script or the full-size image
    target = _target(href, base_url)
    if not target or target == _target(page_url, base_url):
        return None
    if _headline_like(link, inside=True):
        return link  # the whole card is one link: image and headline
    node: HtmlElement | None = link
    for _ in range(_CARD_LEVELS):
        node = node.getparent() if node is not None else None
        if node is None or node.tag in _STOP:
            return None
        if len(node.findall(".//img")) > _CARD_IMAGES:
            return None
        if len(" ".join(node.text_content().split())) > _CARD_TEXT:
            return None
        for other in node.iter("a"):
            same = other is not link and _target(other.get("href") or "", base_url) == target
            if same and _headline_like(other):
                return node
    return None


def is_card(img: HtmlElement, base_url: str, page_url: str) -> bool:
    return card_of(img, base_url, page_url) is not None


def find_cards(tree: HtmlElement, base_url: str, page_url: str) -> list[HtmlElement]:
    """Every teaser card of the page (see `card_of`), outermost first, no duplicates."""
    cards: list[HtmlElement] = []
    seen: set[HtmlElement] = set()
    for img in tree.iter("img"):
        card = card_of(img, base_url, page_url)
        if card is not None and card not in seen:
            seen.add(card)
            cards.append(card)
    return cards


def remove_cards(cards: list[HtmlElement]) -> None:
    """Take teaser cards out of the tree (their headlines are not the article's text)."""
    for card in cards:
        parent = card.getparent()
        if parent is not None:
            card.drop_tree()


def _headline_like(link: HtmlElement, inside: bool = False) -> bool:
    """A link whose text reads as a story title (in a heading or a title-classed element)."""
    candidates = list(link.iter()) if inside else [link, *link.iterancestors()][:3]
    for element in candidates:
        if not isinstance(element.tag, str):
            continue
        heading = element.tag in {"h2", "h3", "h4", "h5", "h6"}
        titled = bool(_HEADLINE_CLASS.search(element.get("class") or ""))
        if (heading or titled) and len(element.text_content().split()) >= 3:
            return True
    return False


__all__ = ["card_of", "find_cards", "in_teaser_box", "is_card", "remove_cards"]
