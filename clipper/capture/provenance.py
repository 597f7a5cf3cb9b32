"""Where each metadata field of a page came from, for citations a researcher can check.

`read_metadata` picks each field by a fixed precedence; this module names the source of
the value it picked by finding which candidate holds that value (`fallbacks` notes the
source of each field it fills itself). Kept apart so that the
precedence rules stay readable and the sources are one small, testable function.

Sources: "json-ld", "open-graph", "meta" (other `<meta>` tags), "headline" (the page's
visible `<h1>`), "title-tag", "standfirst" (the visible standfirst element), "link" (a
`<link rel=canonical>`), "url" (the address itself), and for guesses when the page says
nothing: "trafilatura", "htmldate", "byline" (the visible byline text), "time" (the
page's `<time>` element). A field the
researcher corrected is "user" (set by the library, never here).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from clipper.capture.dates import parse_date
from clipper.capture.people import clean_authors

if TYPE_CHECKING:
    from clipper.capture.jsonld import JsonLdMeta
    from clipper.capture.metadata import PageMeta

LABELS = {
    "json-ld": "JSON-LD",
    "open-graph": "Open Graph",
    "meta": "meta tag",
    "headline": "page headline",
    "title-tag": "<title>",
    "standfirst": "page standfirst",
    "link": "canonical link",
    "url": "URL",
    "trafilatura": "text heuristics",
    "htmldate": "date heuristics",
    "byline": "byline text",
    "time": "page time stamp",
    "user": "edited by you",
}
FIELDS = ("title", "subtitle", "authors", "published", "site_name", "canonical_url")


def label(source: str) -> str:
    """A source as people read it ("Open Graph"); unknown names are shown as they are."""
    return LABELS.get(source, source or "unknown")


def first_source(value: Any, candidates: Iterable[tuple[str, Any]]) -> str:
    """The name of the first candidate equal to `value` ("" when none is)."""
    if not value:
        return ""
    for name, candidate in candidates:
        if candidate and candidate == value:
            return name
    return ""


def page_sources(
    page: PageMeta,
    meta: dict[str, list[str]],
    jsonld: JsonLdMeta,
    h1_text: str,
    html_title: str,
    canonical_link: str,
) -> dict[str, str]:
    """field -> source for what `read_metadata` chose (fields left empty are absent)."""

    def first(*keys: str) -> str:
        return next((v for k in keys for v in meta.get(k, ()) if v), "")

    def title_in(candidate: str) -> bool:
        return bool(candidate) and page.title in candidate

    sources: dict[str, str] = {}
    if page.title:
        sources["title"] = next(
            (
                name
                for name, candidate in (
                    ("headline", h1_text),
                    ("json-ld", jsonld.headline),
                    ("open-graph", first("og:title")),
                    ("meta", first("twitter:title", "dc.title", "citation_title", "title")),
                    ("title-tag", html_title),
                )
                if title_in(candidate)
            ),
            "meta",
        )
    if page.subtitle:
        sources["subtitle"] = (
            "standfirst"
            if page.subtitle_is_visible
            else first_source(
                page.subtitle,
                [
                    ("json-ld", jsonld.alternative_headline),
                    ("open-graph", first("og:description")),
                    ("meta", first("description", "twitter:description")),
                    ("json-ld", jsonld.description),
                ],
            )
            or "meta"
        )
    if page.authors:
        from_jsonld = {a.casefold() for a in clean_authors(jsonld.authors)}
        in_jsonld = any(a.casefold() in from_jsonld for a in page.authors)
        sources["authors"] = "json-ld" if in_jsonld else "meta"
    if page.published is not None:
        sources["published"] = (
            first_source(
                page.published,
                [
                    ("json-ld", parse_date(jsonld.published)),
                    (
                        "open-graph",
                        parse_date(first("article:published_time", "og:published_time")),
                    ),
                ],
            )
            or "meta"
        )
    if page.site_name:
        sources["site_name"] = (
            first_source(
                page.site_name,
                [("open-graph", first("og:site_name")), ("json-ld", jsonld.site_name)],
            )
            or "meta"
        )
    if page.canonical_url:
        sources["canonical_url"] = (
            first_source(
                page.canonical_url,
                [
                    ("link", canonical_link),
                    ("open-graph", first("og:url")),
                    ("json-ld", jsonld.url),
                ],
            )
            or "url"
        )
    return sources


__all__ = ["FIELDS", "LABELS", "first_source", "label", "page_sources"]
