"""JSON-LD (schema.org) metadata: the most deliberate metadata a page carries.

Publishers write it for search engines, so it is usually the cleanest source of the
headline, authors and dates. It is also often slightly broken (control characters in
strings, trailing commas, several blocks, `@graph` with `@id` references), so reading
it is lenient and never raises.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "blogposting",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "askpublicnewsarticle",
        "scholarlyarticle",
        "techarticle",
        "socialmediaposting",
        "liveblogposting",
        "report",
        "satiricalarticle",
        "advertisercontentarticle",
        "posting",
    }
)
PAGE_TYPES = frozenset({"webpage", "itempage", "collectionpage", "aboutpage", "profilepage"})
ORG_TYPES = frozenset({"organization", "newsmediaorganization", "corporation", "website"})

_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")


@dataclass
class JsonLdMeta:
    """The article facts found in JSON-LD (empty strings when absent)."""

    headline: str = ""
    description: str = ""
    alternative_headline: str = ""
    authors: list[str] = field(default_factory=list)
    organization_authors: list[str] = field(default_factory=list)
    """The authors typed as an organisation (often the site itself: "Sky" on Sky News)."""
    published: str = ""
    site_name: str = ""
    url: str = ""
    language: str = ""


def _loads(text: str) -> Any:
    text = _CDATA.sub("", text).strip()
    if not text:
        return None
    try:
        return json.loads(text, strict=False)
    except ValueError:
        pass
    try:
        return json.loads(_TRAILING_COMMA.sub(r"\1", text), strict=False)
    except ValueError:
        return None


def _walk(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every JSON object that has an @type, through lists and @graph."""
    if depth > 8:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk(item, depth + 1)
    elif isinstance(data, dict):
        if "@type" in data:
            yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _walk(graph, depth + 1)
        main = data.get("mainEntity")
        if isinstance(main, dict | list):
            yield from _walk(main, depth + 1)


def _types(node: dict[str, Any]) -> set[str]:
    raw = node.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {str(v).rsplit("/", 1)[-1].lower() for v in values if v}


def _text(value: Any) -> str:
    """A plain string from a JSON-LD value (string, list of strings, {"@value": ...})."""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list):
        for item in value:
            text = _text(item)
            if text:
                return text
        return ""
    if isinstance(value, dict):
        return _text(value.get("@value") or value.get("name") or "")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _names(value: Any, by_id: dict[str, dict[str, Any]]) -> list[str]:
    """Author names from a string, an object, an @id reference or a list of those."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        names: list[str] = []
        for item in value:
            names.extend(_names(item, by_id))
        return names
    if isinstance(value, dict):
        if "name" not in value and isinstance(value.get("@id"), str):
            value = by_id.get(value["@id"], value)
        name = _text(value.get("name"))
        if not name:
            given, family = _text(value.get("givenName")), _text(value.get("familyName"))
            name = f"{given} {family}".strip()
        return [name] if name else []
    return []


def _organization_names(value: Any, by_id: dict[str, dict[str, Any]]) -> list[str]:
    """Names of the organisation-typed nodes among an author value."""
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        if "name" not in item and isinstance(item.get("@id"), str):
            item = by_id.get(item["@id"], item)
        if _types(item) & ORG_TYPES:
            names.extend(_names(item, by_id))
    return names


def _url(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _url(value.get("@id") or value.get("url") or "")
    if isinstance(value, list) and value:
        return _url(value[0])
    return ""


def read_nodes(tree: HtmlElement) -> list[dict[str, Any]]:
    """All typed JSON-LD objects in the page, in document order."""
    nodes: list[dict[str, Any]] = []
    for script in tree.iterfind(".//script[@type]"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        data = _loads(script.text or "")
        if data is not None:
            nodes.extend(_walk(data))
    return nodes


def _best_article(nodes: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The article node: an article type with a headline, the longest body if several."""
    articles = [n for n in nodes if _types(n) & ARTICLE_TYPES]
    if not articles:
        return None
    with_headline = [n for n in articles if _text(n.get("headline") or n.get("name"))] or articles
    return max(with_headline, key=lambda n: len(_text(n.get("articleBody"))) + 1)


def extract_jsonld(tree: HtmlElement) -> JsonLdMeta:
    """Read the article facts from the page's JSON-LD (empty when there is none)."""
    meta = JsonLdMeta()
    nodes = read_nodes(tree)
    if not nodes:
        return meta
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    article = _best_article(nodes)
    page = next((n for n in nodes if _types(n) & PAGE_TYPES), None)
    source = article or page
    if source is not None:
        meta.headline = _text(source.get("headline")) or (
            _text(source.get("name")) if article else ""
        )
        meta.alternative_headline = _text(source.get("alternativeHeadline"))
        meta.description = _text(source.get("description"))
        meta.authors = [n for n in _names(source.get("author"), by_id) if n]
        meta.organization_authors = _organization_names(source.get("author"), by_id)
        if not meta.authors and article is not None:
            meta.authors = [n for n in _names(source.get("creator"), by_id) if n]
        meta.published = _text(source.get("datePublished")) or _text(source.get("dateCreated"))
        meta.url = _url(source.get("mainEntityOfPage")) or _url(source.get("url"))
        meta.language = _text(source.get("inLanguage"))
        publisher = source.get("publisher")
        if isinstance(publisher, dict) and "name" not in publisher:
            publisher = by_id.get(str(publisher.get("@id")), publisher)
        meta.site_name = _names(publisher, by_id)[0] if _names(publisher, by_id) else ""
    if page is not None and source is not page:
        meta.published = meta.published or _text(page.get("datePublished"))
        meta.language = meta.language or _text(page.get("inLanguage"))
    if not meta.site_name:
        site = next((n for n in nodes if "website" in _types(n)), None)
        if site is not None:
            meta.site_name = _text(site.get("name"))
    return meta


__all__ = ["ARTICLE_TYPES", "JsonLdMeta", "extract_jsonld", "read_nodes"]
