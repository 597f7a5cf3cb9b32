"""What the page's own metadata left empty: the page's layout, URL and trafilatura's guesses.

Order (measured on the `aeb-dev` metadata benchmark, see docs/benchmarks.md):

* site name: the `<title>`'s site suffix ("Headline - Sputnik International"), then
  trafilatura's guess, then the host.
* authors: the site is never an author ("Sky" on Sky News); a visible byline (rel/itemprop
  author, a "By ..." line under the headline, a byline class) fills an empty list.
  trafilatura's author guess is not used: on the benchmark it only added comment
  authors and account names.
* date: the page's own `<time>` element under the headline, then a date in the URL, then
  htmldate. Any date more than two days from a date written in the URL loses to the URL
  (a photo caption's or a template's date is not the story's).
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from clipper.capture.dates import parse_date
from clipper.capture.metadata import (
    PageMeta,
    class_id,
    in_page_chrome,
    split_title,
    text_of,
)
from clipper.capture.people import clean_authors, without_site
from clipper.rules import collapse

_BYLINE_CLASS = re.compile(r"byline|author|writer|\bcontributor", re.IGNORECASE)
_COMMENTS = re.compile(
    r"comment(?!ary)|(?<![a-z])(?:repl(?:y|ies)|responses?)(?![a-z])", re.IGNORECASE
)
_BY_LINE = re.compile(r"^(?:by|von|por|par|door|av|przez|от)\s+\S", re.IGNORECASE)
_URL_DATE = re.compile(
    r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>[01]?\d)[/-](?P<d>[0-3]?\d)(?:/|[-_]|$)"
    r"|[/_-](?P<y2>(?:19|20)\d{2})(?P<m2>[01]\d)(?P<d2>[0-3]\d)(?=[/_.-]|$)"
)
_AFTER_HEADLINE = 40
_MAX_BYLINE = 160
_URL_SLACK_DAYS = 2
_FALLBACK_ERRORS = (ValueError, TypeError, AttributeError, IndexError, KeyError, RecursionError)


def _in_comments(element: HtmlElement) -> bool:
    return any(_COMMENTS.search(class_id(a)) for a in element.iterancestors())


def _after_headline(headline: HtmlElement | None) -> list[HtmlElement]:
    """The first elements that follow the headline in document order."""
    if headline is None:
        return []
    found: list[HtmlElement] = headline.xpath(f"following::*[position() <= {_AFTER_HEADLINE}]")
    return found


def visible_byline(tree: HtmlElement, headline: HtmlElement | None) -> list[str]:
    """Author names as printed: rel/itemprop=author, a "By ..." line under the headline,
    then byline classes (never inside comments, navigation or footers)."""
    found: list[str] = []
    for element in tree.xpath('//*[@rel="author" or @itemprop="author"]')[:6]:
        if _in_comments(element):
            continue
        name_el = element.find('.//*[@itemprop="name"]')
        found.append(text_of(name_el if name_el is not None else element))
    if found:
        return found
    for element in _after_headline(headline):
        text = text_of(element)
        if len(text) <= _MAX_BYLINE and _BY_LINE.match(text) and element.tag != "a":
            return [text]
    for element in tree.iter("span", "div", "p", "a", "address", "h6", "h5", "h4"):
        if (
            _BYLINE_CLASS.search(class_id(element))
            and not in_page_chrome(element)
            and not _in_comments(element)
        ):
            text = text_of(element)
            if 2 < len(text) <= 120:
                found.append(text)
            if len(found) >= 3:
                break
    return found


def time_element_date(tree: HtmlElement, headline: HtmlElement | None) -> datetime | None:
    """The date of the page's own `<time datetime>` (or `itemprop=datePublished`) element:
    the first one under the headline, else the first outside comments and chrome."""
    candidates = [
        e for e in _after_headline(headline) if e.tag == "time" or e.get("itemprop")
    ] + list(tree.xpath('//time[@datetime] | //*[@itemprop="datePublished"]')[:20])
    for element in candidates:
        if element.tag != "time" and (element.get("itemprop") or "") != "datePublished":
            continue
        if in_page_chrome(element) or _in_comments(element):
            continue
        raw = element.get("datetime") or element.get("content") or ""
        found = parse_date(raw)
        if found is not None:
            return found
    return None


def url_date(url: str) -> datetime | None:
    """A publication date written into the URL path (/2019/11/19/, -20191115/)."""
    path = urlsplit(url).path if url else ""
    match = _URL_DATE.search(path)
    if not match:
        return None
    year = match["y"] or match["y2"]
    month = match["m"] or match["m2"]
    day = match["d"] or match["d2"]
    try:
        return datetime(int(year), int(month), int(day))
    except ValueError:
        return None


def _same_day_roughly(a: datetime, b: datetime) -> bool:
    return abs((a.date() - b.date()).days) <= _URL_SLACK_DAYS


def title_site(html_title: str, title: str) -> str:
    """The site named in the `<title>` beside the headline ("Headline - Site" -> "Site")."""
    parts = split_title(html_title)
    if len(parts) < 2 or not title:
        return ""
    key = collapse(title).casefold()
    if parts[0].casefold() == key or key.startswith(parts[0].casefold()):
        site = parts[-1]
    elif parts[-1].casefold() == key:
        site = parts[0]
    else:
        return ""
    if _BY_LINE.match(site) or site.casefold() == key:
        return ""  # "Headline - by Jane Doe" names the author, not the site
    return site if 0 < len(site.split()) <= 5 else ""


def host_name(url: str) -> str:
    host = (urlsplit(url).hostname or "") if url else ""
    return host[4:] if host.startswith("www.") else host


def fill_from_fallbacks(page: PageMeta, tree: HtmlElement, url: str) -> None:
    """Fill what the page's own metadata left empty (see the module docstring), and
    record in `page.sources` where each filled field came from.

    Only the missing fields are asked for: htmldate's date search scans the whole tree,
    so it costs a few milliseconds.
    """
    from trafilatura.metadata import extract_sitename, extract_title

    html_title = page.html_title
    sources = page.sources
    try:
        if not page.title:
            page.title = collapse(extract_title(tree) or "")
            _note(sources, "title", page.title, "trafilatura")
        if not page.site_name:
            page.site_name = title_site(html_title, page.title)
            _note(sources, "site_name", page.site_name, "title-tag")
        if not page.site_name:
            page.site_name = collapse(extract_sitename(tree) or "")
            _note(sources, "site_name", page.site_name, "trafilatura")
        sites = [page.site_name, title_site(html_title, page.title)]
        page.authors = without_site(page.authors, sites)
        if not page.authors:
            sources.pop("authors", None)
            page.authors = without_site(clean_authors(visible_byline(tree, page.headline)), sites)
            _note(sources, "authors", page.authors, "byline")
        if page.published is None:
            page.published, source = _fallback_date(tree, page, url)
            _note(sources, "published", page.published, source)
        else:
            in_url = url_date(url)
            if in_url is not None and not _same_day_roughly(page.published, in_url):
                page.published = in_url  # a template or modified date; the URL is the story's
                sources["published"] = "url"
    except _FALLBACK_ERRORS:
        pass  # these are guesses; a failure leaves the field empty
    if not page.site_name:
        page.site_name = host_name(url)
        _note(sources, "site_name", page.site_name, "url")
    if page.site_name.lower().startswith("www."):
        page.site_name = page.site_name[4:]


def _note(sources: dict[str, str], field: str, value: object, source: str) -> None:
    if value:
        sources[field] = source


def _fallback_date(tree: HtmlElement, page: PageMeta, url: str) -> tuple[datetime | None, str]:
    """The page's time element, else the URL's date, else htmldate's guess (and which)."""
    from htmldate import find_date

    in_url = url_date(url)
    own = time_element_date(tree, page.headline)
    if own is not None and (in_url is None or _same_day_roughly(own, in_url)):
        return own, "time"
    if in_url is not None:
        return in_url, "url"
    found = parse_date(find_date(tree, url=url or None, extensive_search=False, original_date=True))
    if found is None:
        # The extensive search reads dates out of the text ("publiziert am 25. September
        # 2018"); a bare year comes back as January 1st, which is a guess, not a date.
        found = parse_date(
            find_date(tree, url=url or None, extensive_search=True, original_date=True)
        )
        if found is not None and (found.month, found.day) == (1, 1):
            found = None
    return found, "htmldate"


__all__ = [
    "fill_from_fallbacks",
    "host_name",
    "time_element_date",
    "title_site",
    "url_date",
    "visible_byline",
]
