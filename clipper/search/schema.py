"""The Whoosh schema and how an `IndexDoc` becomes index fields.

Only the id and the revision are kept per document (as columns); text is indexed, never
stored: the database holds it and snippets are built from there. One catch-all `content`
field takes every searchable part (title, subtitle, body, captions and credits, notes and
highlighted passages, tag words); small per-part fields exist only so that a hit can say
where it matched (`where`) and for `note:`.
"""

from __future__ import annotations

import sys
from array import array
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from whoosh import columns, fields, formats
from whoosh.reading import IndexReader

from clipper.search.analysis import EdgeGramTokenizer, WordTokenizer
from clipper.search.common import PairTokenizer
from clipper.search.document import IndexDoc
from clipper.search.query import site_key, tag_key

SCHEMA_VERSION = 1
"""Bump on any change to fields or analysis: an older index is then recreated empty."""

PART_FIELDS: dict[str, str] = {
    "title": "title",
    "caption": "caption",
    "note": "note",
    "tag": "tagtext",
}
"""`where` name -> the small field that records which words a part holds."""

Weighting = Literal["tfidf", "bm25f"]


@dataclass(frozen=True)
class IndexOptions:
    """Choices measured in benchmarks/search.py; the defaults are the measured winners."""

    weighting: Weighting = "tfidf"
    rebuild_procs: int = 1
    """Processes for `rebuild` (Whoosh MpWriter forks: >1 only where fork is safe)."""
    rebuild_chunk: int = 10_000
    """Clips per commit in `rebuild` (bounds temporary disk use, see there)."""
    limitmb: int = 256
    """Whoosh writer pool memory per process before spilling runs to disk."""
    result_cache: int = 32
    """Result lists kept per searcher generation: paging and re-typing reuse them."""
    lock_timeout: float = 5.0
    """Seconds to wait for another process (the CLI, the GUI) to finish writing."""

    def fingerprint(self) -> dict[str, Any]:
        """What must match for an existing index to be reused."""
        return {"schema": SCHEMA_VERSION}


def build_schema(options: IndexOptions) -> fields.Schema:
    words = WordTokenizer()
    part_vector = formats.Frequency()
    return fields.Schema(
        id=fields.NUMERIC(int, bits=64, signed=False, unique=True, sortable=True, shift_step=0),
        rev=fields.COLUMN(columns.NumericColumn("Q", default=0)),
        content=fields.TEXT(analyzer=words, phrase=True),
        grams=fields.TEXT(analyzer=EdgeGramTokenizer(), phrase=False),
        pairs=fields.KEYWORD(analyzer=PairTokenizer()),
        title=fields.TEXT(analyzer=words, phrase=True, vector=part_vector),
        caption=fields.TEXT(analyzer=words, phrase=True, vector=part_vector),
        note=fields.TEXT(analyzer=words, phrase=True, vector=part_vector),
        tagtext=fields.TEXT(analyzer=words, phrase=True, vector=part_vector),
        author=fields.TEXT(analyzer=words, phrase=True),
        tag=fields.KEYWORD(),
        site=fields.KEYWORD(),
        flags=fields.KEYWORD(),
        date=fields.NUMERIC(int, bits=64, signed=True, sortable=True, shift_step=8),
    )


def schema_signature(schema: fields.Schema) -> list[tuple[str, ...]]:
    """A comparable description of a schema (Whoosh's own `==` compares objects by
    identity in places, so it never holds across processes)."""

    def name(obj: object) -> str:
        return type(obj).__name__ if obj is not None else "-"

    out: list[tuple[str, ...]] = []
    for fieldname, field in schema.items():
        out.append(
            (
                fieldname,
                name(field),
                name(getattr(field, "format", None)),
                name(getattr(field, "vector", None)),
                name(getattr(field, "analyzer", None)),
                name(getattr(field, "column_type", None)),
            )
        )
    return out


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


def doc_fields(doc: IndexDoc) -> dict[str, Any]:
    """The Whoosh document for one clip."""
    tags = [t for t in dict.fromkeys(tag_key(t) for t in doc.tags) if t]
    tag_words = "\n".join(tags)
    content = "\n\n".join(
        p for p in (doc.title, doc.subtitle, doc.body, doc.captions, doc.notes, tag_words) if p
    )
    when = doc.published or doc.clipped
    out: dict[str, Any] = {
        "id": doc.id,
        "rev": doc.revision,
        "content": content,
        "grams": content,
        "pairs": content,
        "title": doc.title,
        "caption": doc.captions,
        "note": doc.notes,
        "tagtext": tag_words,
        "author": "\n".join(doc.authors),
        "tag": tags,
        "site": site_keys(doc.site, doc.url),
        "flags": ["note"] if doc.has_note else [],
    }
    if when is not None:
        out["date"] = to_timestamp(when)
    # Whoosh cannot index an empty list or string in some fields: drop them.
    return {k: v for k, v in out.items() if v not in ("", [])}


def load_column(leaf: IndexReader, fieldname: str, typecode: str, default: int) -> array[int]:
    """One segment's numeric column as an array, read in one go.

    Whoosh's column reader unpacks value by value in Python (~0.3 s at 100k docs);
    reading the fixed-width bytes directly takes milliseconds. Falls back to the slow
    path if Whoosh's internals differ.
    """
    count_all = leaf.doc_count_all()
    out = array(typecode)
    if not leaf.has_column(fieldname):
        out.extend([default] * count_all)
        return out
    creader = leaf.column_reader(fieldname, translate=False)
    try:
        raw = creader._dbfile.get(creader._basepos, creader._count * creader._fixedlen)
        out.frombytes(bytes(raw))
        if sys.byteorder == "little":
            out.byteswap()
    except AttributeError:
        out = array(typecode, (int(v) for v in creader))
    if len(out) < count_all:
        out.extend([default] * (count_all - len(out)))
    return out
