"""What a drop or a paste asks to clip: MIME data in, a list of URLs and files out.

Browsers describe one drag in several formats at once (see STACK-NOTES.md): Firefox
offers `text/x-moz-url` (UTF-16 "url\\ntitle" pairs), `text/uri-list`, `text/html` and
`_NETSCAPE_URL`; Chromium `text/uri-list`, `text/html` and `_NETSCAPE_URL`; a file
manager `text/uri-list` of `file://` URLs. We read the richest format present and
ignore the others, so a link is never clipped twice. `sources_from_formats` is a pure
function over bytes so that each browser's shape is unit-tested without a drag.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from PySide6.QtCore import QMimeData

from clipper.rules import normalize_url

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_URL_IN_TEXT = re.compile(r"""(?i)\b(?:https?://|www\.)[^\s<>"'`]+""")
_HREF = re.compile(r"""(?is)<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_TRAILING = ".,;:!?)]}>\u00bb\u201d'\""

# Most specific first: the first format present that yields anything wins.
FORMAT_ORDER = (
    "text/x-moz-url",
    "text/uri-list",
    "text/x-moz-url-data",
    "_NETSCAPE_URL",
    "text/html",
    "text/plain",
)


@dataclass(frozen=True)
class ClipSource:
    """One thing to clip: a web URL, or a local page file."""

    url: str = ""
    path: Path | None = None
    title: str = ""

    @property
    def label(self) -> str:
        """How the queue panel names it before the page's own title is known."""
        if self.path is not None:
            return self.path.name
        return self.url

    @property
    def is_html_file(self) -> bool:
        return self.path is not None and self.path.suffix.lower() in HTML_SUFFIXES


def sources_from_mime(mime: QMimeData) -> list[ClipSource]:
    """The clip sources in a drop or the clipboard (empty when nothing usable)."""
    formats: dict[str, bytes] = {}
    for name in mime.formats():
        formats[name] = bytes(mime.data(name).data())
    if "text/plain" not in formats and mime.hasText():
        formats["text/plain"] = mime.text().encode("utf-8")
    return sources_from_formats(formats)


def sources_from_formats(formats: Mapping[str, bytes]) -> list[ClipSource]:
    """Pure core of `sources_from_mime`: format name -> raw bytes."""
    readers = {
        "text/x-moz-url": _moz_url,
        "text/uri-list": _uri_list,
        "text/x-moz-url-data": _moz_url,
        "_NETSCAPE_URL": _netscape_url,
        "text/html": _html_links,
        "text/plain": _plain_text,
    }
    for name in FORMAT_ORDER:
        data = _lookup(formats, name)
        if data is None:
            continue
        found = _dedupe(readers[name](data))
        if found:
            return found
    return []


def _lookup(formats: Mapping[str, bytes], name: str) -> bytes | None:
    if name in formats:
        return formats[name]
    for key, value in formats.items():  # e.g. 'text/plain;charset=utf-8'
        if key.split(";", 1)[0].strip().lower() == name.lower():
            return value
    return None


def decode_text(data: bytes) -> str:
    """Browsers send UTF-16 for Mozilla formats, UTF-8 elsewhere; tell them apart."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    elif len(data) >= 2 and len(data) % 2 == 0 and data[1:2] == b"\x00":
        text = data.decode("utf-16-le", errors="replace")
    else:
        text = data.decode("utf-8", errors="replace")
    return text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")


def _moz_url(data: bytes) -> list[ClipSource]:
    """'url\\ntitle' pairs (several links dragged at once give several pairs)."""
    lines = [line.strip() for line in decode_text(data).split("\n")]
    sources: list[ClipSource] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        source = _source_for(line)
        if source is None:
            index += 1
            continue
        title = ""
        if index + 1 < len(lines) and _source_for(lines[index + 1]) is None:
            title = lines[index + 1]
            index += 1
        sources.append(ClipSource(source.url, source.path, title))
        index += 1
    return sources


def _uri_list(data: bytes) -> list[ClipSource]:
    """RFC 2483: one URI per line, '#' comment lines."""
    sources = []
    for line in decode_text(data).split("\n"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        source = _source_for(line)
        if source is not None:
            sources.append(source)
    return sources


def _netscape_url(data: bytes) -> list[ClipSource]:
    lines = decode_text(data).split("\n")
    source = _source_for(lines[0].strip()) if lines else None
    if source is None:
        return []
    title = lines[1].strip() if len(lines) > 1 else ""
    return [ClipSource(source.url, source.path, title)]


def _html_links(data: bytes) -> list[ClipSource]:
    """Chromium's `text/html` of a dragged link: the anchors' targets."""
    import html

    sources = []
    for match in _HREF.finditer(decode_text(data)):
        href = html.unescape(next(g for g in match.groups() if g is not None)).strip()
        source = _source_for(href)
        if source is not None and source.path is None:
            sources.append(source)
    return sources


def _plain_text(data: bytes) -> list[ClipSource]:
    """URLs written in text (one, or several separated by spaces or lines)."""
    text = decode_text(data).strip()
    single = _source_for(text) if "\n" not in text and " " not in text else None
    if single is not None:
        return [single]
    sources = []
    for match in _URL_IN_TEXT.finditer(text):
        candidate = match.group(0).rstrip(_TRAILING)
        if candidate.lower().startswith("www."):
            candidate = "https://" + candidate
        source = _source_for(candidate)
        if source is not None and source.path is None:
            sources.append(source)
    return sources


def _source_for(value: str) -> ClipSource | None:
    """An http(s) URL or a local file; anything else (javascript:, data:, ...) is None."""
    value = value.strip()
    if not value:
        return None
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https") and parts.netloc:
        return ClipSource(url=value)
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            return None
        return ClipSource(path=Path(unquote(parts.path)))
    return None


def _dedupe(sources: list[ClipSource]) -> list[ClipSource]:
    """Each file and each article once: URLs compare by the deduplication rule
    (`rules.normalize_url`: tracking parameters, `www.`, fragment... do not count)."""
    seen: set[str] = set()
    unique = []
    for source in sources:
        key = str(source.path) if source.path is not None else normalize_url(source.url)
        if key in seen:
            continue
        seen.add(key)
        unique.append(source)
    return unique
