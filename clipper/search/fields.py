"""What a clip contributes to a search index, engine-neutral.

Every backend indexes the same parts the same way: one catch-all text (title,
subtitle, body, captions and credits, notes and highlighted passages, tag words), the
small parts that say where a hit matched, author words, and the filter keys (tags,
sites, flags, a date). Keys are folded here, once, as the query parser folds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from clipper.rules import site_key, tag_key
from clipper.search.document import IndexDoc


@dataclass(frozen=True)
class DocParts:
    content: tuple[str, str, str, str, str, str]
    """title, subtitle, body, captions, notes, tag words: the catch-all text, in order."""
    author: str
    tags: tuple[str, ...]
    sites: tuple[str, ...]
    flags: tuple[str, ...]
    date: int | None
    """Published (else clipped) date, seconds since the epoch."""

    @property
    def title(self) -> str:
        return self.content[0]

    @property
    def captions(self) -> str:
        return self.content[3]

    @property
    def notes(self) -> str:
        return self.content[4]

    @property
    def tag_words(self) -> str:
        return self.content[5]


def to_timestamp(value: datetime | date) -> int:
    """Seconds since the epoch; naive datetimes and dates are taken as UTC."""
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp())


def site_keys(site: str, url: str) -> list[str]:
    """Everything `site:` may name: the site name, the url host and its parent domains."""
    keys: list[str] = []
    if site.strip():
        keys.append(site_key(site))
    try:
        host = (urlsplit(url.strip()).hostname or "") if url else ""
    except ValueError:
        host = ""
    host = site_key(host) if host else ""
    labels = [label for label in host.split(".") if label]
    for i in range(max(len(labels) - 1, 1)):
        keys.append(".".join(labels[i:]))
    return [k for k in dict.fromkeys(keys) if k]


def doc_parts(doc: IndexDoc) -> DocParts:
    tags = tuple(t for t in dict.fromkeys(tag_key(t) for t in doc.tags) if t)
    when = doc.published or doc.clipped
    return DocParts(
        content=(doc.title, doc.subtitle, doc.body, doc.captions, doc.notes, "\n".join(tags)),
        author="\n".join(doc.authors),
        tags=tags,
        sites=tuple(site_keys(doc.site, doc.url)),
        flags=("note",) if doc.has_note else (),
        date=None if when is None else to_timestamp(when),
    )
