"""The extension's JSON, checked and bounded before anything else looks at it.

The browser is trusted to say what it shows, not the page inside it: the HTML, the
selection and the images are the page's and get the same limits as a fetched page.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from clipper.capture.images import MAX_IMAGE_BYTES
from clipper.capture.pipeline import MAX_FILE_BYTES

MAX_REQUEST_BYTES = 64 * 1024 * 1024
"""A whole request: the page, its images (base64) and the rest."""
MAX_IMAGES = 200
MAX_URLS_PER_IMAGE = 16
MAX_URL_CHARS = 8192
MAX_SELECTION_CHARS = 20_000
MAX_TAGS = 50


class PayloadError(ValueError):
    """The request is not a clip the endpoint accepts (the message says why)."""


@dataclass(frozen=True)
class Selection:
    """The selected text as a W3C TextQuoteSelector: it becomes the clip's first passage."""

    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class BrowserPage:
    url: str
    title: str = ""
    html: bytes | None = None
    """The rendered document; None for a link (Clipper fetches the page itself)."""
    selection: Selection | None = None
    images: dict[str, bytes] = field(default_factory=dict)
    """Image bytes the browser had, by every absolute URL it knows them by."""
    tags: tuple[str, ...] = ()


def _http_url(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_URL_CHARS:
        raise PayloadError(f"{what} must be an http(s) URL")
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        raise PayloadError(f"{what} is not a valid URL") from exc
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise PayloadError(f"{what} must be an http(s) URL, not {value[:80]!r}")
    return value


def _text(data: dict[str, Any], key: str, limit: int) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise PayloadError(f"{key} must be a string")
    if len(value) > limit:
        raise PayloadError(f"{key} is longer than {limit} characters")
    return value


def _selection(value: Any) -> Selection | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise PayloadError("selection must be a TextQuoteSelector object")
    exact = _text(value, "exact", MAX_SELECTION_CHARS).strip()
    if not exact:
        return None
    return Selection(
        exact=exact,
        prefix=_text(value, "prefix", 1000),
        suffix=_text(value, "suffix", 1000),
    )


def _images(value: Any) -> dict[str, bytes]:
    if value is None:
        return {}
    if not isinstance(value, list):
        raise PayloadError("images must be a list")
    if len(value) > MAX_IMAGES:
        raise PayloadError(f"more than {MAX_IMAGES} images")
    found: dict[str, bytes] = {}
    for entry in value:
        if not isinstance(entry, dict):
            raise PayloadError("each image must be an object")
        urls = entry.get("urls")
        if not isinstance(urls, list) or not urls or len(urls) > MAX_URLS_PER_IMAGE:
            raise PayloadError(f"each image needs 1 to {MAX_URLS_PER_IMAGE} urls")
        checked = [_http_url(url, "an image URL") for url in urls]
        data = entry.get("data")
        if data is None:
            continue  # the browser could not read it: fetched like a saved page's image
        if not isinstance(data, str) or len(data) > MAX_IMAGE_BYTES * 4 // 3 + 4:
            raise PayloadError(f"image {checked[0][:80]} is too large")
        try:
            raw = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise PayloadError(f"image {checked[0][:80]}: data is not base64") from exc
        for url in checked:
            found[url] = raw
    return found


def parse_payload(data: Any) -> BrowserPage:
    """A `BrowserPage` from the decoded JSON, or `PayloadError` saying what is wrong."""
    if not isinstance(data, dict):
        raise PayloadError("the request must be a JSON object")
    url = _http_url(data.get("url"), "url")
    html_text = data.get("html")
    html: bytes | None = None
    if html_text is not None:
        if not isinstance(html_text, str):
            raise PayloadError("html must be a string")
        html = html_text.encode("utf-8", errors="replace")
        if len(html) > MAX_FILE_BYTES:
            raise PayloadError(f"the page is larger than {MAX_FILE_BYTES // 1048576} MB")
        if not html.strip():
            raise PayloadError("html is empty")
    tags = data.get("tags") or []
    if (
        not isinstance(tags, list)
        or len(tags) > MAX_TAGS
        or not all(isinstance(tag, str) and 0 < len(tag) <= 200 for tag in tags)
    ):
        raise PayloadError("tags must be a list of short strings")
    return BrowserPage(
        url=url,
        title=_text(data, "title", 2000),
        html=html,
        selection=_selection(data.get("selection")),
        images=_images(data.get("images")),
        tags=tuple(tags),
    )
