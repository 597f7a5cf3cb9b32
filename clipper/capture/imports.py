"""What a file given to Clipper is, and the pages a bulk import holds.

`clipper clip FILE` takes saved HTML pages only: `sniff` tells a page from a Netscape
bookmark file (what Firefox and Chrome export), a list of URLs, or anything else, so
`check_page_file` can refuse the others with one clear line. `clipper import` reads
bookmark files (each folder becomes a tag), URL lists (one a line, `#` comments) and
folders of saved pages into `ImportItem`s; `clipper.library.importing` runs them.
Pure parsing: no network, no database.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal

from clipper.errors import ClipperError

Kind = Literal["page", "bookmarks", "urls", "other"]
SNIFF_BYTES = 64 * 1024
PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")

_BOOKMARKS = re.compile(rb"^\s*<!DOCTYPE\s+NETSCAPE-Bookmark-file-1\s*>", re.I)
_HTML_TAG = re.compile(
    rb"<\s*(!doctype\s+html|html|head|body|title|meta|article|main|p|div|h1|h2|section)[\s>/]",
    re.I,
)
_URL_LINE = re.compile(r"^https?://\S+$", re.I)
# Root folders of browser exports: containers, not topics (Firefox, Chrome).
_ROOT_FOLDER_ATTRS = ("personal_toolbar_folder", "unfiled_bookmarks_folder")
_ROOT_FOLDER_NAMES = frozenset(
    {"bookmarks menu", "bookmarks toolbar", "bookmarks bar", "other bookmarks",
     "mobile bookmarks", "favorites bar", "other favorites"}
)  # fmt: skip


@dataclass(frozen=True)
class ImportItem:
    """One page to clip: a URL or a saved file, with the tags it brings."""

    url: str | None = None
    path: Path | None = None
    tags: tuple[str, ...] = ()
    title: str = ""

    @property
    def label(self) -> str:
        return self.url or str(self.path)


@dataclass(frozen=True)
class ImportList:
    """The parsed source: pages in order, and lines or entries that are not pages."""

    items: tuple[ImportItem, ...]
    rejected: tuple[str, ...] = ()
    """One line each, e.g. "line 4: not an http(s) URL: ftp://...": reported, not clipped."""
    duplicates: int = 0
    """Entries dropped because the same page came earlier in the same source."""

    def key(self) -> str:
        """Names this import: the same list imported again resumes where it stopped."""
        digest = hashlib.sha256()
        for item in self.items:
            digest.update(f"{item.label}\t{','.join(item.tags)}\n".encode())
        return digest.hexdigest()[:24]


def sniff(data: bytes) -> Kind:
    """What the start of a file looks like (only its first 64 KB are read)."""
    head = data[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf")
    if _BOOKMARKS.match(head):
        return "bookmarks"
    if b"\x00" in head[:8192]:
        return "other"  # binary (or UTF-16, which no saved page we accept uses)
    if _looks_like_url_list(head.decode("utf-8", "replace")):
        return "urls"
    if _HTML_TAG.search(head):
        return "page"
    return "other"


def _looks_like_url_list(text: str) -> bool:
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    return bool(lines) and all(_URL_LINE.match(line) for line in lines[:1000])


def check_page_file(path: Path, data: bytes) -> None:
    """Refuse (ClipperError, one line) a file that is not a saved HTML page."""
    kind = sniff(data)
    if kind == "page":
        return
    if kind == "bookmarks":
        raise ClipperError(f"{path}: a bookmark file, not a page; use `clipper import {path}`")
    if kind == "urls":
        raise ClipperError(f"{path}: a list of URLs, not a page; use `clipper import {path}`")
    raise ClipperError(f"{path}: not an HTML page (only saved .html pages can be clipped)")


# --- reading sources --------------------------------------------------------------------


def read_source(source: str, stdin_text: str | None = None) -> ImportList:
    """A bookmark file, a URL list, a folder of saved pages, or "-" (URLs on stdin)."""
    if source == "-":
        return parse_url_list(stdin_text or "")
    path = Path(source).expanduser()
    if path.is_dir():
        return pages_in_folder(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ClipperError(f"{source}: cannot read ({exc.strerror or exc})") from exc
    kind = sniff(data)
    text = data.decode("utf-8", "replace")
    if kind == "bookmarks":
        return parse_bookmarks(text)
    if kind == "urls" or (kind == "other" and not text.strip()):
        return parse_url_list(text)
    if kind == "page":
        raise ClipperError(f"{source}: a single page; use `clipper clip {source}`")
    raise ClipperError(f"{source}: neither a bookmark file, a list of URLs nor a folder of pages")


def parse_url_list(text: str) -> ImportList:
    """One URL a line; blank lines and `# comments` are skipped, other lines rejected."""
    items: list[ImportItem] = []
    rejected: list[str] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if _URL_LINE.match(line):
            items.append(ImportItem(url=line))
        else:
            rejected.append(f"line {number}: not an http(s) URL: {line[:80]}")
    return _unique(items, rejected)


def pages_in_folder(folder: Path) -> ImportList:
    """Saved pages (`.html`, `.htm`...) in a folder and its subfolders, by name."""
    files = sorted(
        p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES
    )
    return ImportList(tuple(ImportItem(path=p, title=p.stem) for p in files))


def parse_bookmarks(text: str) -> ImportList:
    """A Netscape bookmark file: every http(s) link, its folders as tags."""
    parser = _BookmarkParser()
    parser.feed(text)
    parser.close()
    return _unique(parser.items, parser.rejected)


def _unique(items: Iterable[ImportItem], rejected: Sequence[str]) -> ImportList:
    """The first of each URL (the library's own dedup catches the same page under
    tracking parameters or another host spelling when the import runs)."""
    seen: set[str] = set()
    kept: list[ImportItem] = []
    items = list(items)
    for item in items:
        key = (item.url or "").split("#", 1)[0].rstrip("/") or str(item.path)
        if key in seen:
            continue
        seen.add(key)
        kept.append(item)
    return ImportList(tuple(kept), tuple(rejected), len(items) - len(kept))


class _BookmarkParser(HTMLParser):
    """`<DL><DT><H3>folder</H3><DL>...</DL><DT><A HREF=...>title</A>` (no closing tags)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[ImportItem] = []
        self.rejected: list[str] = []
        self._folders: list[str | None] = []  # None: a root container, not a tag
        self._pending: str | None = None  # the last <H3>'s name, until its <DL> opens
        self._in: str | None = None  # "h3" or "a" while reading its text
        self._text: list[str] = []
        self._attrs: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h3", "a"):
            self._in = tag
            self._text = []
            self._attrs = {k.lower(): v or "" for k, v in attrs}
        elif tag == "dl":
            self._folders.append(self._pending)
            self._pending = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "dl" and self._folders:
            self._folders.pop()
        elif tag == "h3" and self._in == "h3":
            name = " ".join("".join(self._text).split())
            root = any(a in self._attrs for a in _ROOT_FOLDER_ATTRS) or (
                not any(self._folders) and name.casefold() in _ROOT_FOLDER_NAMES
            )
            self._pending = None if root or not name else name
            self._in = None
        elif tag == "a" and self._in == "a":
            self._add_link(" ".join("".join(self._text).split()))
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            self._text.append(data)

    def _add_link(self, title: str) -> None:
        href = self._attrs.get("href", "").strip()
        if not _URL_LINE.match(href):
            if href and not href.startswith(("place:", "javascript:")):
                self.rejected.append(f"{title or href[:60]}: not an http(s) URL: {href[:80]}")
            return
        tags = [f for f in self._folders if f]
        tags += [t.strip() for t in self._attrs.get("tags", "").split(",") if t.strip()]
        self.items.append(ImportItem(url=href, tags=tuple(dict.fromkeys(tags)), title=title))
