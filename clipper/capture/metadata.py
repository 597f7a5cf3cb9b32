"""Page metadata with a fixed precedence, and the headline and standfirst elements.

Precedence: JSON-LD > Open Graph / `article:` > plain `<meta>`; what they leave empty is
filled by `fallbacks` (the page's time element, URL, `<title>` and visible byline). The
visible headline (`<h1>`) and standfirst elements are found here too, because the body
pass must leave them out of the article text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from difflib import SequenceMatcher

from lxml.html import HtmlElement

from clipper.capture.dates import parse_date
from clipper.capture.jsonld import JsonLdMeta, extract_jsonld
from clipper.capture.people import clean_authors, without_site
from clipper.capture.provenance import page_sources
from clipper.capture.urls import absolute_http_url
from clipper.rules import same_text, text_key

_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|•|»|/)\s+")


def _token_regex(*words: str) -> re.Pattern[str]:
    """Match any of `words` as a whole class/id token ("story__dek", "sub-head")."""
    return re.compile(rf"(?<![a-z0-9])(?:{'|'.join(words)})(?![a-z0-9])", re.IGNORECASE)


_STANDFIRST_STRONG = _token_regex(
    "standfirst",
    "dek",
    "deck",
    "sub-?head(?:ing|line)?",
    "sub-?title",
    "sub-?line",
    "strapline",
    "summ?ary",
    "article-?summary",
    "lede",
    "teaser",
    "kicker-?text",
)
_STANDFIRST_WEAK = _token_regex("lead", "intro", "excerpt", "description", "sub", "abstract")
_OUTSIDE_CONTENT = {"nav", "footer", "aside", "form"}
_OUTSIDE_ROLES = {"navigation", "contentinfo", "complementary", "banner", "dialog"}
_SUBTITLE_TRUNCATED = ("...", "…", "[…]", "[...]")
_LONG_PARAGRAPH = 150
_SENTENCE_WORDS = 10


@dataclass
class PageMeta:
    """What the extractor knows about a page apart from its body."""

    title: str = ""
    subtitle: str = ""
    description: str = ""
    """The meta description, kept for the standfirst fallback and body filtering."""
    subtitle_is_visible: bool = False
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    site_name: str = ""
    canonical_url: str = ""
    language: str = ""
    title_variants: list[str] = field(default_factory=list)
    """Every title the page states (metadata and `<h1>`), to keep them out of the body."""
    headline: HtmlElement | None = None
    standfirst: HtmlElement | None = None
    html_title: str = ""
    """The `<title>` as written, site suffix included."""
    sources: dict[str, str] = field(default_factory=dict)
    """Where each field came from (`clipper.capture.provenance`)."""


def text_of(element: HtmlElement) -> str:
    """Visible text of an element, whitespace collapsed."""
    return " ".join(" ".join(element.itertext()).split())


def class_id(element: HtmlElement) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def _meta_map(tree: HtmlElement) -> dict[str, list[str]]:
    """`<meta>` contents keyed by lower-cased property/name/itemprop/http-equiv."""
    found: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content")
        if not content or not content.strip():
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attr)
            if key:
                found.setdefault(key.strip().lower(), []).append(" ".join(content.split()))
    return found


def _first(meta: dict[str, list[str]], *keys: str) -> str:
    for key in keys:
        for value in meta.get(key, ()):
            if value:
                return value
    return ""


def in_page_chrome(element: HtmlElement) -> bool:
    """True when the element sits in navigation, a footer, a sidebar or a dialog."""
    node: HtmlElement | None = element
    while node is not None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _OUTSIDE_CONTENT or (node.get("role") or "").lower() in _OUTSIDE_ROLES:
            return True
        node = node.getparent()
    return False


def split_title(title: str) -> list[str]:
    """A `<title>` split at its separators ("Headline | Site" -> ["Headline", "Site"])."""
    return [part.strip() for part in _TITLE_SEPARATORS.split(title) if part.strip()]


def _strip_site(title: str, site_names: list[str]) -> str:
    """ "Headline | Site" -> "Headline" (also "Site - Headline")."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    names = [n.casefold() for n in site_names if n]
    for index in (-1, 0):
        part = parts[index].strip().casefold()
        if any(part == n or part in n or n in part for n in names) or (
            index == -1 and len(part.split()) <= 3 and len(parts[0].split()) >= 4
        ):
            rest = parts[:-1] if index == -1 else parts[1:]
            return " - ".join(p.strip() for p in rest) if len(rest) > 1 else rest[0].strip()
    return title


def _similar(a: str, b: str) -> bool:
    a, b = a.casefold(), b.casefold()
    if not a or not b:
        return False
    if a == b or a.startswith(b) or b.startswith(a) or a.rstrip(".…") in b:
        return True
    return SequenceMatcher(None, a, b).ratio() > 0.85


def _headings(tree: HtmlElement, tag: str) -> Iterator[HtmlElement]:
    for count, heading in enumerate(tree.iter(tag)):
        if count >= 20:
            return
        yield heading


def _find_headline(tree: HtmlElement, candidates: list[str]) -> HtmlElement | None:
    """The heading that states the article's title: an `<h1>`, else an `<h2>`/`<h3>`.

    Sites whose `<h1>` is the logo put the headline in an `<h2>`; a lower heading counts
    only when it matches the metadata title.
    """
    fallback = None
    for tag in ("h1", "h2", "h3"):
        for heading in _headings(tree, tag):
            text = text_of(heading)
            if not text or len(text) > 400:
                continue
            if any(_similar(text, c) for c in candidates if c):
                return heading
            if tag == "h1" and fallback is None and not in_page_chrome(heading):
                fallback = heading
    return fallback if not candidates else None


def _heading_before_text(tree: HtmlElement, site_names: list[str]) -> HtmlElement | None:
    """The first content `<h1>` of three words or more that has at least two thirds of the
    page's long paragraphs after it (a teaser `<h1>` below the article has none) and is
    not the site's logo."""
    order = [(e, len(text_of(e)) if e.tag == "p" else 0) for e in tree.iter("h1", "p")]
    total = sum(size for _e, size in order if size >= _LONG_PARAGRAPH)
    before = 0
    for element, size in order:
        if element.tag == "p":
            before += size if size >= _LONG_PARAGRAPH else 0
            continue
        after = total - before
        if (
            after > 0
            and after >= 2 * before
            and len(text_of(element).split()) >= 3
            and not in_page_chrome(element)
            and not _is_logo(element, site_names)
        ):
            return element
    return None


def _is_logo(heading: HtmlElement, site_names: list[str]) -> bool:
    """An `<h1>` that names the site: its words are the site's, it links to the home
    page, or it sits in the page's banner (a `<header>` outside the article)."""
    words = set(text_key(text_of(heading)).split())
    site_words = {w for name in site_names for w in text_key(name).split()}
    if words and words <= site_words | {"the"}:
        return True
    if any((a.get("href") or "").strip() in {"/", "./", "index.html"} for a in heading.iter("a")):
        return True
    ancestors = list(heading.iterancestors())
    if any(a.tag in {"article", "main"} for a in ancestors):
        return False  # the article's own header
    return any(a.tag == "header" or (a.get("role") or "") == "banner" for a in ancestors)


def _standfirst_like(element: HtmlElement, strong_only: bool) -> str:
    """The element's text when it looks like a standfirst, else ""."""
    if not isinstance(element.tag, str) or element.tag not in {"h2", "h3", "p", "div", "span"}:
        return ""
    if element.find(".//img") is not None or len(element.findall(".//p")) > 1:
        return ""
    text = text_of(element)
    if not 20 <= len(text) <= 600:
        return ""
    marks = class_id(element) + " " + (element.get("itemprop") or "")
    if _STANDFIRST_STRONG.search(marks):
        return text
    if not strong_only and (element.tag == "h2" or _STANDFIRST_WEAK.search(marks)):
        return text
    if not strong_only and element.tag == "h3" and len(text.split()) >= _SENTENCE_WORDS:
        return text  # a sentence-long <h3> under the headline, not a subhead
    return ""


def _find_standfirst(tree: HtmlElement, headline: HtmlElement | None) -> HtmlElement | None:
    """A visible standfirst: just after the headline, or marked as one in the article."""
    if headline is not None:
        node: HtmlElement | None = headline
        for _level in range(3):
            if node is None:
                break
            sibling = node.getnext()
            for _step in range(4):
                if sibling is None:
                    break
                if _standfirst_like(sibling, strong_only=False) and not _class_repeats(
                    tree, sibling
                ):
                    return sibling
                if sibling.tag == "p" and len(text_of(sibling)) > 200:
                    return None  # the body has started
                sibling = sibling.getnext()
            node = node.getparent()
            if node is None or node.tag in {"body", "article", "main"}:
                break
    after_headline = headline is None
    for element in tree.iter("h1", "p", "div", "h2", "span"):
        if element is headline:
            after_headline = True
        if (
            after_headline
            and _STANDFIRST_STRONG.search(class_id(element))
            and not in_page_chrome(element)
            and _standfirst_like(element, strong_only=True)
            and not _class_repeats(tree, element)
            and not _mostly_link(element)
        ):
            return element
    return None


def _mostly_link(element: HtmlElement) -> bool:
    """A promo strap ("A Combination of Soul ..." linking to another story), not a dek."""
    text = len(text_of(element))
    linked = sum(len(text_of(a)) for a in element.iter("a"))
    return text > 0 and linked >= 0.9 * text


def _class_repeats(tree: HtmlElement, element: HtmlElement) -> bool:
    """Another element carries the same class: a run of subheads, not the one standfirst."""
    classes = element.get("class")
    if not classes:
        return False
    same = tree.xpath("//*[@class=$c]", c=classes)
    return len(same) > 1


def _site_name(open_graph: str, publisher: str, other: str) -> str:
    """`og:site_name`, unless it is a host or handle ("livescience.com", "usatoday") and
    the JSON-LD publisher gives the name the site uses for itself."""
    name = open_graph or publisher or other
    handle = " " not in open_graph and ("." in open_graph or open_graph.islower())
    if open_graph and publisher and handle:
        name = publisher
    return name[4:] if name.lower().startswith("www.") else name


def _language(tree: HtmlElement, meta: dict[str, list[str]], jsonld: JsonLdMeta) -> str:
    raw = (
        tree.get("lang")
        or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
        or _first(meta, "content-language", "og:locale", "language", "dc.language")
        or jsonld.language
    )
    raw = raw.strip().replace("_", "-").split(",")[0].strip()
    if not re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", raw):
        return ""
    head, _, rest = raw.partition("-")
    return head.lower() + (f"-{rest.upper() if len(rest) == 2 else rest}" if rest else "")


def read_metadata(tree: HtmlElement, url: str, base_url: str) -> PageMeta:
    """Everything but the body, by the precedence in the module docstring."""
    meta = _meta_map(tree)
    jsonld = extract_jsonld(tree)
    page = PageMeta()

    page.site_name = _site_name(
        _first(meta, "og:site_name"),
        jsonld.site_name,
        _first(meta, "application-name", "apple-mobile-web-app-title", "publisher"),
    )
    site_names = [page.site_name, _first(meta, "twitter:site").lstrip("@")]
    html_title = text_of(tree.find(".//title")) if tree.find(".//title") is not None else ""
    page.html_title = html_title
    candidates = [
        jsonld.headline,
        _first(meta, "og:title"),
        _first(meta, "twitter:title"),
        _first(meta, "dc.title", "citation_title", "parsely-title", "sailthru.title", "title"),
    ]
    candidates = [c for c in candidates if c]
    # Without metadata titles, the first content <h1> is the headline (the <title> often
    # differs: a shorter or suffixed form).
    page.headline = _find_headline(tree, candidates)
    if page.headline is None and candidates and html_title:
        # Without its " | Site" part: the <title> must not match a logo <h1>.
        page.headline = _find_headline(tree, [_strip_site(html_title, site_names)])
    if page.headline is None and candidates:
        # No heading states the metadata title (it was rewritten for sharing): the
        # first `<h1>` that the article's text follows is the visible headline.
        page.headline = _heading_before_text(tree, site_names)
    h1_text = text_of(page.headline) if page.headline is not None else ""
    chosen = candidates[0] if candidates else ""
    if h1_text and (
        not chosen
        or (page.headline is not None and page.headline.tag == "h1")
        or any(_similar(c, h1_text) for c in candidates)
    ):
        # The visible headline (an <h1>, or a lower heading the metadata agrees with) is
        # what the reader sees, and carries no " | Site" suffix or truncation.
        chosen = h1_text
    if not chosen and html_title:
        chosen = html_title
    page.title = _strip_site(chosen, site_names) if chosen != h1_text else chosen
    page.title_variants = [v for v in {*candidates, h1_text, html_title, page.title} if v]

    page.standfirst = _find_standfirst(tree, page.headline)
    if page.standfirst is not None:
        page.subtitle = text_of(page.standfirst)
        page.subtitle_is_visible = True
    page.description = (
        _first(meta, "og:description", "description", "twitter:description") or jsonld.description
    )
    if not page.subtitle and jsonld.alternative_headline:
        page.subtitle = jsonld.alternative_headline
    if not page.subtitle and plausible_standfirst(page.description, page.title):
        page.subtitle = page.description

    sites = [page.site_name, jsonld.site_name]
    organizations = {n.casefold() for n in jsonld.organization_authors}
    page.authors = clean_authors(
        [n for n in jsonld.authors if n.casefold() not in organizations]
        + without_site(jsonld.organization_authors, sites, strict=True)
    )
    if not page.authors:
        page.authors = clean_authors(
            meta.get("article:author", [])
            + meta.get("author", [])
            + meta.get("dc.creator", [])
            + meta.get("citation_author", [])
            + meta.get("parsely-author", [])
            + meta.get("sailthru.author", [])
            + meta.get("byl", [])
        )

    for raw in (
        jsonld.published,
        _first(meta, "article:published_time", "og:published_time", "published_time"),
        _first(
            meta,
            "datepublished",
            "date",
            "pubdate",
            "publishdate",
            "publish-date",
            "dc.date",
            "dc.date.issued",
            "citation_publication_date",
            "parsely-pub-date",
            "sailthru.date",
        ),
    ):
        page.published = parse_date(raw)
        if page.published is not None:
            break

    canonical = tree.find('.//link[@rel="canonical"]')
    page.canonical_url = (
        absolute_http_url(canonical.get("href", ""), base_url) if canonical is not None else ""
    )
    page.canonical_url = (
        page.canonical_url
        or absolute_http_url(_first(meta, "og:url"), base_url)
        or absolute_http_url(jsonld.url, base_url)
        or url
    )
    page.language = _language(tree, meta, jsonld)
    link = page.canonical_url if canonical is not None else ""
    page.sources = page_sources(page, meta, jsonld, h1_text, html_title, link)
    return page


def plausible_standfirst(description: str, title: str) -> bool:
    """Whether a meta description reads as a standfirst, not a teaser cut from the body."""
    text = description.strip()
    if not text or len(text.split()) < 4 or len(text) > 400:
        return False
    return not (text.endswith(_SUBTITLE_TRUNCATED) or same_text(text, title))


__all__ = [
    "PageMeta",
    "class_id",
    "in_page_chrome",
    "plausible_standfirst",
    "read_metadata",
    "split_title",
    "text_of",
]
