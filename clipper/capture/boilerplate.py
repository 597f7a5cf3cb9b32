"""Boilerplate: the page furniture a careless clipper keeps.

Two passes, both general rules (no per-site lists):

* `clean_tree` removes whole elements from the DOM *before* trafilatura sees it: hidden
  elements, dialogs, containers whose class/id/role says what they are (newsletter,
  share bar, related stories, ads, cookie banners, paywall prompts), and short elements
  whose whole text is a prompt ("Register for free", "Read more: ..."). Removing them
  from the DOM is more precise than filtering text afterwards, because the element
  boundaries tell where the prompt ends.
* `is_boilerplate_text` is the conservative post-filter for one extracted block: a
  block is dropped only when its *whole* text is a prompt, never because a long
  sentence merely mentions "newsletter".

A container is never removed when it holds real prose (two or more long paragraphs),
so a stray class name such as `article-body promo-enabled` cannot take the article.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml.html import HtmlElement

from clipper.capture.prompts import is_prompt
from clipper.capture.textutil import word_set
from clipper.rules import collapse

# Class/id tokens that name boilerplate containers, matched as whole tokens.
_TOKENS = word_set(
    "ad ads adv advert adverts advertisement advertising adslot adunit dfp gpt sponsor "
    "sponsored sponsors promo promos promotion newsletter newsletters subscribe "
    "subscription signup paywall regwall registration login signin cookie cookies consent "
    "gdpr share shares sharing sharebar social socials related recommended "
    "recommendations recirc recirculation outbrain taboola popup modal overlay scrim "
    "lightbox toast breadcrumb breadcrumbs trending mostread most-read popular tags "
    "tagcloud topics pagination pager skip skiplink print-header comments comment-form "
    "disqus byline dateline toolbar readmore read-more more-stories latest sidebar ticker "
    "prompt notification author-bio bio nav navbar navigation menu submenu dropdown "
    "masthead site-header site-footer footer colophon noprint no-print hidden-print "
    "d-print-none reflist references refbegin navbox catlinks editsection mw-editsection "
    "printfooter mw-jump-link credit credits photo-credit image-credit infobox info-box "
    "factbox fact-box"
)
# Substrings distinctive enough to match inside a longer token ("NewsletterSignup").
_SUBSTRINGS = tuple(
    word_set(
        "caption newsletter advert outbrain taboola paywall regwall gdpr cookiebanner "
        "cookie-banner cookieconsent sharebar share-bar social-share socialshare related- "
        "-related subscribe"
    )
)
_HIDDEN_TOKENS = word_set(
    "hidden hide d-none sr-only screen-reader-text visually-hidden visuallyhidden "
    "screenreader offscreen is-hidden u-hidden"
)
_ROLES = word_set(
    "navigation banner contentinfo complementary search dialog alertdialog menu menubar "
    "toolbar tablist alert"
)
_CHROME_TAGS = frozenset({"nav", "aside", "footer", "figcaption"})
_REMOVE_TAGS = ("dialog", "template", "button", "select", "textarea", "input", "label")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_PARTS = re.compile(r"[-_:]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_PROMPT_TAGS = tuple(
    word_set(
        "p h1 h2 h3 h4 h5 h6 li div span a strong em b dt dd section aside header small figcaption"
    )
)
_INLINE = frozenset(
    [
        "a",
        "span",
        "strong",
        "em",
        "b",
        "i",
        "u",
        "small",
        "br",
        "img",
        "svg",
        "time",
        "abbr",
        "sup",
        "sub",
        "mark",
        "label",
        "button",
        "font",
    ]
)
_NEVER_REMOVE = frozenset({"body", "html", "main"})
_BLOCKS = frozenset({"p", "div", "li", "ul", "ol", "table", "section", "article"})
_LONG_PARAGRAPH = 150
_MAX_SHARE = 0.3
_MAX_PROMPT = 300
_CF_ATTR = "data-cfemail"
_TRAILING_TEXT = 40
_LABEL_WORDS = 8


@lru_cache(maxsize=4096)
def _names_furniture(marks: str) -> bool:
    """Whether a class/id string names page furniture (cached: pages repeat them a lot)."""
    spaced = _CAMEL.sub(" ", marks).lower()
    for word in spaced.split():
        if word in _TOKENS or any(part in _TOKENS for part in _PARTS.split(word) if part):
            return True
    lowered = marks.lower()
    return any(sub in lowered for sub in _SUBSTRINGS)


@lru_cache(maxsize=4096)
def _names_hidden(classes: str) -> bool:
    return bool(_HIDDEN_TOKENS.intersection(classes.lower().split()))


def _marks_boilerplate(element: HtmlElement) -> bool:
    """Whether class/id/role/aria name this element as page furniture."""
    if element.tag in _CHROME_TAGS:
        return True
    attrib = element.attrib
    role = attrib.get("role")
    if role and role.lower() in _ROLES:
        return True
    if (attrib.get("aria-modal") or "").lower() == "true":
        return True
    classes, ident = attrib.get("class"), attrib.get("id")
    if not classes and not ident:
        return False
    return _names_furniture(f"{classes or ''} {ident or ''}")


def _is_hidden(element: HtmlElement) -> bool:
    attrib = element.attrib
    if "hidden" in attrib:
        return True
    style = attrib.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    classes = attrib.get("class")
    return bool(classes) and _names_hidden(classes)


def holds_prose(element: HtmlElement, minimum: int = 2) -> bool:
    """Two (or `minimum`) long paragraphs inside: this is content, whatever its class says."""
    count = 0
    for p in element.iter("p"):
        if len(collapse(p.text_content())) >= _LONG_PARAGRAPH:
            count += 1
            if count >= minimum:
                return True
    return False


def _holds_article(element: HtmlElement, page_chars: int) -> bool:
    """Too much of the page to be furniture: real prose, or a large share of the text."""
    if holds_prose(element):
        return True
    chars = len(collapse(element.text_content()))
    if chars <= _MAX_SHARE * page_chars:
        return False
    linked = sum(len(collapse(a.text_content())) for a in element.iter("a"))
    return linked < 0.5 * chars  # a large block of links is a menu, not the article


def remove_keeping_tail(element: HtmlElement) -> None:
    """Drop an element but keep its tail text in the document."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail and tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def decode_cf_email(encoded: str) -> str:
    """Cloudflare's e-mail obfuscation: hex bytes XOR-ed with the first byte."""
    try:
        data = bytes.fromhex(encoded)
    except ValueError:
        return ""
    if len(data) < 2:
        return ""
    key = data[0]
    try:
        return bytes(b ^ key for b in data[1:]).decode("utf-8")
    except UnicodeDecodeError:
        return ""


def _fix_cf_emails(tree: HtmlElement) -> None:
    """Put back addresses that Cloudflare replaced with "[email protected]"."""
    for element in tree.xpath(f"//*[@{_CF_ATTR}]"):
        address = decode_cf_email(element.get(_CF_ATTR) or "")
        if "@" in address:
            for child in list(element):
                element.remove(child)
            element.text = address
            element.attrib.pop(_CF_ATTR, None)
        else:
            remove_keeping_tail(element)


def _short_text(element: HtmlElement) -> str | None:
    """The element's text when it is short and the element holds no blocks, else None."""
    for child in element:
        if isinstance(child.tag, str) and child.tag in _BLOCKS:
            return None
    text = collapse(element.text_content())
    return text if 0 < len(text) <= _MAX_PROMPT else None


def _link_only_paragraph(element: HtmlElement) -> bool:
    """A paragraph that is nothing but a link: an inline "related story" teaser."""
    text = collapse(element.text_content())
    if not text or len(text.split()) > 25:
        return False
    linked = sum(len(collapse(a.text_content())) for a in element.iter("a"))
    return linked >= 0.9 * len(text)


def clean_tree(tree: HtmlElement) -> int:
    """Remove boilerplate elements in place; return how many were removed.

    The headline and standfirst stay: trafilatura uses the headline to locate the
    article, so they are filtered out of the extracted blocks by text instead.
    """
    removed = 0
    _fix_cf_emails(tree)
    body = tree.find("body")
    root = body if body is not None else tree
    page_chars = len(collapse(root.text_content()))
    doomed: list[HtmlElement] = []
    for element in root.iter("*"):
        if not isinstance(element.tag, str):
            continue
        if element.tag in _REMOVE_TAGS:
            doomed.append(element)
        elif element.tag in _NEVER_REMOVE:
            continue
        elif (_is_hidden(element) or _marks_boilerplate(element)) and not _holds_article(
            element, page_chars
        ):
            doomed.append(element)
    for element in doomed:
        if element.getparent() is not None:
            remove_keeping_tail(element)
            removed += 1
    doomed = []
    for element in root.iter(*_PROMPT_TAGS):
        text = _short_text(element)
        if text is None:
            continue
        if is_prompt(text) or (element.tag == "p" and _link_only_paragraph(element)):
            doomed.append(element)
    for element in root.iter("ul", "ol"):
        if _trailing_link_list(element):
            doomed.append(element)
            label = element.getprevious()
            if label is not None and _list_label(label):
                doomed.append(label)
    for element in doomed:
        if element.getparent() is not None:
            remove_keeping_tail(element)
            removed += 1
    return removed


def _trailing_link_list(element: HtmlElement) -> bool:
    """A list of links that ends its container: "More great stories", "Related:".

    Every item is a link (a headline), and nothing with text follows the list; a list
    with prose in its items, or followed by more of the article, is content.
    """
    items = [li for li in element if isinstance(li.tag, str) and li.tag == "li"]
    if len(items) < 2 or not all(_link_only_paragraph(li) for li in items):
        return False
    node: HtmlElement | None = element
    for _level in range(2):  # the list, then its wrapper, must end their containers
        if node is None:
            return False
        for sibling in node.itersiblings():
            if len(collapse(sibling.text_content())) > _TRAILING_TEXT:
                return False
        node = node.getparent()
        if node is None or node.tag in _NEVER_REMOVE or node.tag == "article":
            break
    return True


def _list_label(element: HtmlElement) -> bool:
    """A short heading or line introducing a list ("More Great WIRED Stories")."""
    if not isinstance(element.tag, str) or element.tag not in {"h2", "h3", "h4", "h5", "p"}:
        return False
    words = len(collapse(element.text_content()).split())
    return 0 < words <= _LABEL_WORDS


def is_boilerplate_text(text: str) -> bool:
    """Whether one extracted block is, as a whole, a prompt or page furniture."""
    text = collapse(text)
    if not text:
        return True
    return len(text) <= _MAX_PROMPT and is_prompt(text)


__all__ = [
    "clean_tree",
    "decode_cf_email",
    "holds_prose",
    "is_boilerplate_text",
    "remove_keeping_tail",
]
