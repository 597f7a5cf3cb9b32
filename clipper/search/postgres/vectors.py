"""An `IndexDoc` as the row of `search_docs`: tsvectors built from our own analyzer.

The lexemes and positions are exactly those of `clipper.search.analysis` (folding,
compounds that share a position with their first part), written as tsvector literals,
so PostgreSQL matches words, phrases and prefixes as the local engine does. The
content vector weights its parts: A title, B subtitle and body, C captions, D notes and
tag words; a query restricted to one weight tells where a hit matched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from clipper.search.analysis import index_terms
from clipper.search.document import IndexDoc
from clipper.search.fields import doc_parts

MAX_POSITION = 16383
"""PostgreSQL's largest tsvector position; later words share it (phrases there fail)."""
MAX_POSITIONS_PER_LEXEME = 256
"""PostgreSQL keeps at most this many positions of one lexeme."""
MAX_LEXEME_BYTES = 2000
"""PostgreSQL refuses longer lexemes (2 KB); such "words" are not searchable anyway."""


def quote_lexeme(term: str) -> str:
    """A lexeme as a tsvector/tsquery literal: quoted, quotes and backslashes doubled."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _vector(texts: Iterable[tuple[str, str]]) -> str:
    """tsvector literal of consecutive texts, each with its weight letter."""
    positions: dict[str, list[str]] = defaultdict(list)
    base = 0
    for text, weight in texts:
        last = -1
        for term, pos in index_terms(text):
            last = pos
            if len(term.encode("utf-8")) > MAX_LEXEME_BYTES:
                continue
            places = positions[term]
            if len(places) < MAX_POSITIONS_PER_LEXEME:
                places.append(f"{min(base + pos + 1, MAX_POSITION)}{weight}")
        base += last + 1
    return " ".join(f"{quote_lexeme(t)}:{','.join(p)}" for t, p in positions.items())


def doc_row(doc: IndexDoc) -> dict[str, Any]:
    """The values of one `search_docs` row (tsvectors as literals to CAST)."""
    parts = doc_parts(doc)
    title, subtitle, body, captions, notes, tag_words = parts.content
    return {
        "clip_id": doc.id,
        "revision": doc.revision,
        "content": _vector(
            [
                (title, "A"),
                (subtitle, "B"),
                (body, "B"),
                (captions, "C"),
                (notes, "D"),
                (tag_words, "D"),
            ]
        ),
        "note": _vector([(notes, "D")]),
        "tagtext": _vector([(tag_words, "D")]),
        "author": _vector([(parts.author, "D")]),
        "tags": list(parts.tags),
        "sites": list(parts.sites),
        "has_note": bool(parts.flags),
        "date": parts.date,
    }
