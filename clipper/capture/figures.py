"""Figures: each content image with its caption, credit and alt text.

trafilatura keeps no reliable link between an image and its caption, and its text
output mixes captions into the body. This pass reads the original tree instead: for
every real image (not an icon, pixel, logo or ad) it finds the figure around it
(`<figure>`, WordPress `wp-caption` / `wp-block-image`, MediaWiki `thumb`), the caption
and credit inside, and the largest rendition. Which figures belong to the article, and
where they go in the reading order, is decided later against the extracted body
(`placement`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from clipper.article import FigureInfo
from clipper.capture.credits import clean_credit, merge_credit
from clipper.capture.images_in_page import Rendition, choose_rendition, is_decorative
from clipper.capture.metadata import in_page_chrome
from clipper.capture.teasers import in_teaser_box, is_card
from clipper.capture.textutil import word_set
from clipper.rules import collapse, text_key

_SCOPE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:wp-caption|wp-block-image|thumb|thumbinner|figure|image|img|photo|picture|"
    r"media|caption|inline-image|article-image|image-container|image-wrapper|photo-wrapper|"
    r"embed-image|lead-image|hero)(?:$|[\s_-])",
    re.IGNORECASE,
)
_CAPTION_CLASS = re.compile(
    r"caption|cutline|legend|figure-?text|image-?text|photo-?text|img-?desc|image-?desc|"
    r"photo-?desc|(?:^|[\s_-])desc(?:ription)?(?:$|[\s_-])",
    re.IGNORECASE,
)
_CREDIT_CLASS = re.compile(
    r"credit|copyright|photographer|byline|attribution|courtesy|(?:^|[\s_-])source(?:$|[\s_-])|"
    r"rights|(?:^|[\s_-])author(?:$|[\s_-])|(?:^|[\s_-])owner(?:$|[\s_-])",
    re.IGNORECASE,
)
_JUNK_ALT = re.compile(
    r"^(?:image|img|photo|picture|foto|bild|graphic|thumbnail|placeholder|untitled|null|"
    r"undefined|\S+\.(?:jpe?g|png|gif|webp|avif))$",
    re.IGNORECASE,
)
_SIZE_SUFFIX = re.compile(r"-\d{2,5}x\d{2,5}(?=\.\w{2,5}$)|[?#].*$")
_STOP_TAGS = frozenset({"body", "html", "article", "main", "section"})
_SKIP_TEXT_TAGS = frozenset({"noscript", "script", "style", "button", "svg", "template"})
_INLINE_TAGS = word_set(
    "a abbr b bdi bdo cite code data dfn em i kbd mark q s samp small span strong sub sup "
    "time u var font"
)
_MAX_SCOPE_TEXT = 600
_MAX_SCOPE_DEPTH = 5
_MAX_SCOPE_ELEMENTS = 40


@dataclass
class FoundFigure:
    """A content image as found in the page, with the element that holds it."""

    info: FigureInfo
    element: HtmlElement
    """The figure's outermost element (the `<figure>`, or the image itself)."""


def _marks(element: HtmlElement) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def visible_text(element: HtmlElement, skip: frozenset[HtmlElement] | None = None) -> str:
    """Text of an element without scripts, buttons and the elements in `skip`.

    Block-level children are separated by a space; inline ones are not, so
    "the <a>2021 retrospective</a>." keeps its full stop attached.
    """
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag and tag not in _SKIP_TEXT_TAGS and (skip is None or child not in skip):
                block = tag not in _INLINE_TAGS
                if block:
                    parts.append(" ")
                walk(child)
                if block:
                    parts.append(" ")
            elif tag in {"br"}:
                parts.append(" ")
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return collapse("".join(parts))


def _in_site_header(element: HtmlElement) -> bool:
    """Inside a page header that is not the article's own header."""
    node = element.getparent()
    inside_header = False
    while node is not None:
        if node.tag == "header" or (node.get("role") or "") == "banner":
            inside_header = True
        if node.tag in {"article", "main"}:
            return False
        node = node.getparent()
    return inside_header


def _small(node: HtmlElement) -> bool:
    """Small enough to be one figure: few elements, few images, little text."""
    images = 0
    for count, element in enumerate(node.iter(), start=1):
        images += element.tag == "img"
        if count > _MAX_SCOPE_ELEMENTS or images > 3:
            return False
    return len(visible_text(node)) <= _MAX_SCOPE_TEXT


def _scope(img: HtmlElement) -> HtmlElement:
    """The figure element around an image: a `<figure>` or a captioned wrapper."""
    best: HtmlElement | None = None
    node = img.getparent()
    for _ in range(_MAX_SCOPE_DEPTH):
        if node is None or node.tag in _STOP_TAGS:
            break
        if node.tag == "figure":
            return node
        if not _small(node):
            break
        if _caption_elements(node):
            return node
        if _SCOPE_CLASS.search(_marks(node)):
            best = node
        node = node.getparent()
    if best is not None:
        return best
    wrapper = img.getparent()
    if wrapper is not None and wrapper.tag in {"a", "picture"}:
        return wrapper
    return img


def _caption_elements(scope: HtmlElement) -> list[HtmlElement]:
    """Caption elements inside a scope: `<figcaption>` first, then caption classes."""
    found = list(scope.iter("figcaption"))
    if found:
        return found[:1]
    for element in scope.iter("*"):
        if element is scope or not isinstance(element.tag, str) or element.tag == "img":
            continue
        marks = _marks(element)
        if (
            _CAPTION_CLASS.search(marks)
            and not _CREDIT_CLASS.search(marks)
            and element.find(".//img") is None
            and visible_text(element)
        ):
            return [element]
    return []


def _next_caption(scope: HtmlElement) -> HtmlElement | None:
    """A caption that follows a bare image (`<p><img></p><p class=caption>`).

    The image may sit alone in a wrapper (`<p>`, `<a>`); the caption is then the
    wrapper's next sibling.
    """
    node: HtmlElement | None = scope
    for _ in range(3):
        if node is None:
            return None
        sibling = node.getnext()
        if sibling is not None and isinstance(sibling.tag, str):
            if _CAPTION_CLASS.search(_marks(sibling)) or sibling.tag == "figcaption":
                return sibling
            return None
        parent = node.getparent()
        if parent is None or len(parent) != 1 or (parent.text or "").strip():
            return None
        node = parent
    return None


def _credit_elements(scope: HtmlElement) -> list[HtmlElement]:
    """Elements holding the credit: credit-like classes, or a `<cite>` in the caption."""
    credits: list[HtmlElement] = []
    for element in scope.iter("*"):
        if element is scope or not isinstance(element.tag, str):
            continue
        is_credit = element.tag == "cite" or _CREDIT_CLASS.search(_marks(element))
        if not is_credit or _wraps_caption(element):
            continue  # "image__caption-credit": a wrapper of both, not the credit
        if not any(element in c.iterdescendants() for c in credits):
            credits.append(element)
    return credits


def _wraps_caption(element: HtmlElement) -> bool:
    """The element is or holds a caption element: a caption-and-credit wrapper.

    A class alone does not decide ("caption-credit" is a credit); what is inside does.
    """
    if element.tag == "figcaption":
        return True
    return any(
        isinstance(e.tag, str) and (e.tag == "figcaption" or _CAPTION_CLASS.search(_marks(e)))
        for e in element.iterdescendants()
    )


def _caption_and_credit(scope: HtmlElement, img: HtmlElement) -> tuple[str, str]:
    captions = _caption_elements(scope)
    if not captions and scope.tag != "figure":
        following = _next_caption(scope)
        if following is not None:
            scope, captions = following, [following]
    credit_elements = _credit_elements(scope)
    credit = " ".join(visible_text(c) for c in credit_elements)
    skip = frozenset(credit_elements)
    if captions:
        caption = visible_text(captions[0], skip)
    elif scope.tag == "figure":
        caption = visible_text(scope, skip)  # a <figure> with loose text is its caption
    else:
        caption = ""
    return merge_credit(caption, clean_credit(credit) if credit else "")


def _clean_alt(alt: str, caption: str, credit: str) -> str:
    """Alt text unless it repeats the caption/credit or says nothing."""
    alt = collapse(alt)
    if not alt or _JUNK_ALT.match(alt):
        return ""
    key = text_key(alt)
    if caption or credit:
        together = text_key(f"{caption} {credit}")
        if key in together or together in key:
            return ""
    return alt


def _dedupe_key(url: str) -> str:
    return _SIZE_SUFFIX.sub("", url)


def find_figures(tree: HtmlElement, base_url: str) -> list[FoundFigure]:
    """All content images of the page with caption and credit, in document order."""
    found: list[FoundFigure] = []
    seen_urls: set[str] = set()
    seen_scopes: set[HtmlElement] = set()
    body = tree.find("body")
    for img in (body if body is not None else tree).iter("img", "amp-img"):
        rendition: Rendition | None = choose_rendition(img, base_url)
        if rendition is None or is_decorative(img, rendition):
            continue
        if in_page_chrome(img) or _in_site_header(img):
            continue
        if in_teaser_box(img) or is_card(img, base_url, base_url):
            continue  # it advertises another page
        key = _dedupe_key(rendition.url)
        scope = _scope(img)
        in_noscript = any(a.tag == "noscript" for a in img.iterancestors())
        if key in seen_urls or (in_noscript and scope in seen_scopes):
            continue
        seen_urls.add(key)
        caption, credit = ("", "") if scope in seen_scopes else _caption_and_credit(scope, img)
        seen_scopes.add(scope)
        alt = _clean_alt(img.get("alt") or "", caption, credit)
        info = FigureInfo(
            src=rendition.url,
            caption=caption,
            credit=credit,
            alt=alt,
            width=rendition.width,
            height=rendition.height,
        )
        found.append(FoundFigure(info=info, element=scope))
    return found


__all__ = ["FoundFigure", "find_figures", "visible_text"]
