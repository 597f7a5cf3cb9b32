"""URLs in a page are relative to its `<base href>`, which is relative to the page URL."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement


def base_url_of(tree: HtmlElement, url: str) -> str:
    """The URL relative links resolve against: `<base href>` (itself resolved) or the page."""
    base = tree.find(".//base[@href]")
    if base is not None:
        href = (base.get("href") or "").strip()
        if href:
            try:
                return str(urljoin(url, href))
            except ValueError:
                return url
    return url


def absolute_url(href: str, base: str) -> str:
    """`href` resolved against `base`; "" for empty, script and malformed references."""
    href = (href or "").strip()
    if not href or href.lower().startswith(("javascript:", "about:", "#", "mailto:")):
        return ""
    try:
        return urljoin(base, href) if base else href
    except ValueError:
        return ""


def site_of(url: str) -> str:
    """The registrable domain of a URL (`news.bbc.co.uk` -> `bbc.co.uk`, by the Public
    Suffix List); for IP addresses, `localhost` and unknown suffixes, the host itself
    (or its last two labels)."""
    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""
    if not host:
        return ""
    if host.replace(".", "").isdigit() or ":" in host:
        return host
    from tld import get_fld

    found = get_fld(host, fix_protocol=True, fail_silently=True)
    if isinstance(found, str) and found:
        return found.lower()
    return ".".join(host.split(".")[-2:])


def absolute_http_url(href: str, base: str) -> str:
    """Like `absolute_url`, but only http(s) URLs (canonical links, full-size images)."""
    resolved = absolute_url(href, base)
    try:
        scheme = urlsplit(resolved).scheme.lower()
    except ValueError:
        return ""
    return resolved if scheme in {"http", "https"} else ""


__all__ = ["absolute_http_url", "absolute_url", "base_url_of", "site_of"]
