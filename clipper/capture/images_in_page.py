"""Which URL an `<img>` really shows, and whether it is decoration.

Pages rarely put the real image in `src`: lazy loaders keep it in `data-src` or
`data-srcset` and leave a grey placeholder in `src`; responsive images list several
renditions in `srcset` or `<picture><source>`; a link around the image often points to
the full-size file. We want the largest real rendition, as an absolute URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from clipper.capture.urls import absolute_url

_SRC_ATTRS = (
    "data-src",
    "data-lazy-src",
    "data-original",
    "data-lazy",
    "data-url",
    "data-hi-res-src",
    "data-full-src",
    "data-orig-file",
    "data-large-file",
    "data-medium-file",
    "src",
)
_SRCSET_ATTRS = ("srcset", "data-srcset", "data-lazy-srcset", "data-original-set")
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|tiff?|bmp|heic)(?:$|[?#])", re.IGNORECASE)
_PLACEHOLDER = re.compile(
    r"^data:|placeholder|blank\.(?:gif|png)|spacer|transparent|lazy[_-]?load|lazy_placeholder|"
    r"grey\.gif|gray\.gif|[/_.-]1x1\.(?:gif|png)|pixel\.(?:gif|png)|loading\.gif|/empty\.",
    re.IGNORECASE,
)
_DECORATIVE_SRC = re.compile(
    r"(?:^|[/_.-])(?:icons?|favicon|sprites?|emoji|emoticons?|smiley|smilies|logos?|avatars?|"
    r"gravatar|badges?|buttons?|arrows?|spinner|loader|tracking|tracker|beacon|pixel|"
    r"advert|banner-ad|adserver|adsystem|doubleclick|analytics|spacer)(?:$|[/_.-])|"
    r"gravatar\.com|/ads?/|doubleclick\.net|facebook\.com/tr|\.svg(?:$|\?)|/wp-includes/images/smilies/",
    re.IGNORECASE,
)
_DECORATIVE_MARK = re.compile(
    r"(?:^|[\s_-])(?:icon|logo|avatar|emoji|wp-smiley|sprite|badge|author|profile|gravatar|"
    r"sponsor|advert|ad|ads|tracking|pixel|social|share|button)(?:$|[\s_-])",
    re.IGNORECASE,
)
_DESCRIPTOR = re.compile(r"^(\d+(?:\.\d+)?)([wx])$", re.IGNORECASE)
_MIN_SIDE = 60
_MIN_AREA = 100 * 100


@dataclass(frozen=True)
class Rendition:
    """The chosen image URL and what we know of its size."""

    url: str
    width: int | None = None
    height: int | None = None


def _int_attr(element: HtmlElement, name: str) -> int | None:
    raw = (element.get(name) or "").strip().lower().removesuffix("px")
    try:
        value = int(float(raw))
    except ValueError:
        return None
    return value if value >= 0 else None


def parse_srcset(srcset: str) -> list[tuple[str, float, str]]:
    """(url, value, kind) per candidate; kind is "w" or "x" (no descriptor -> 1x)."""
    candidates: list[tuple[str, float, str]] = []
    # URLs may contain commas; candidates are separated by a comma *and* whitespace.
    for chunk in re.split(r",\s+(?=\S)", srcset.strip()):
        parts = chunk.strip().rstrip(",").split()
        if not parts:
            continue
        url, value, kind = parts[0], 1.0, "x"
        if len(parts) > 1:
            match = _DESCRIPTOR.match(parts[-1])
            if match:
                value, kind = float(match.group(1)), match.group(2).lower()
        candidates.append((url, value, kind))
    return candidates


def _best_from_srcsets(srcsets: list[str], base_width: int | None) -> tuple[str, int | None]:
    """The largest candidate: by width descriptor, else by pixel density."""
    best_url, best_score, best_width = "", -1.0, None
    width: int | None
    for srcset in srcsets:
        for url, value, kind in parse_srcset(srcset):
            if _PLACEHOLDER.search(url):
                continue
            if kind == "w":
                score, width = value, int(value)
            else:
                width = int(base_width * value) if base_width else None
                score = float(width) if width else value
            if score > best_score:
                best_url, best_score, best_width = url, score, width
    return best_url, best_width


def _full_size_link(img: HtmlElement) -> str:
    """The href of a link around the image when it points to an image file."""
    node = img.getparent()
    for _ in range(6):
        if node is None:
            return ""
        if node.tag == "a":
            href = (node.get("href") or "").strip()
            last_segment = href.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
            if ":" in last_segment:
                return ""  # a wiki's "File:Name.jpg" is a description page, not the file
            return href if _IMAGE_FILE.search(href) else ""
        if node.tag not in {"picture", "source", "span", "div", "noscript"}:
            return ""
        node = node.getparent()
    return ""


def _picture_of(img: HtmlElement) -> HtmlElement | None:
    """The `<picture>` around an image (libxml2 nests the `<img>` inside `<source>`)."""
    node = img.getparent()
    for _ in range(4):
        if node is None or node.tag not in {"picture", "source"}:
            return None
        if node.tag == "picture":
            return node
        node = node.getparent()
    return None


def choose_rendition(img: HtmlElement, base_url: str) -> Rendition | None:
    """The largest real rendition of an `<img>` (or None if it only has placeholders)."""
    width, height = _int_attr(img, "width"), _int_attr(img, "height")
    srcsets = [img.get(a) or "" for a in _SRCSET_ATTRS if img.get(a)]
    picture = _picture_of(img)
    if picture is not None:
        for source in picture.iter("source"):
            for attr in _SRCSET_ATTRS:
                if source.get(attr):
                    srcsets.append(source.get(attr) or "")
    src, src_width = _best_from_srcsets(srcsets, width)
    if not src:
        for attr in _SRC_ATTRS:
            value = (img.get(attr) or "").strip()
            if value and not _PLACEHOLDER.search(value):
                src, src_width = value, width
                break
    link = _full_size_link(img)
    if link and not _PLACEHOLDER.search(link):
        src, src_width = link, None
    url = absolute_url(src, base_url)
    if not url or url.startswith("data:"):
        return None
    if src_width and width and height and src_width != width:
        height = round(height * src_width / width)
    return Rendition(url, src_width or width, height)


def is_decorative(img: HtmlElement, rendition: Rendition) -> bool:
    """Tracking pixels, icons, logos, avatars, emoji, ads: not content images."""
    width, height = _int_attr(img, "width"), _int_attr(img, "height")
    if (width is not None and width < _MIN_SIDE) or (height is not None and height < _MIN_SIDE):
        return True
    if width is not None and height is not None and width * height < _MIN_AREA:
        return True
    if _DECORATIVE_SRC.search(rendition.url):
        return True
    marks = f"{img.get('class') or ''} {img.get('id') or ''}"
    parent = img.getparent()
    if parent is not None and parent.tag in {"a", "span", "picture"}:
        marks += f" {parent.get('class') or ''}"
    return bool(_DECORATIVE_MARK.search(marks))


__all__ = ["Rendition", "choose_rendition", "is_decorative", "parse_srcset"]
