"""Full-text search: the backend seam, the query language, snippets, the engines.

Public names are loaded on first use, so that importing `clipper.search.document`
(the `IndexDoc` value the library builds) or the query parser loads no engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clipper.search.backend import (
        IndexHit,
        IndexLockedError,
        IndexResults,
        SearchBackend,
        SearchIndexError,
    )
    from clipper.search.document import IndexDoc
    from clipper.search.query import ParsedQuery, parse_query
    from clipper.search.snippet import make_snippet
    from clipper.search.whoosh.index import IndexOptions, SearchIndex

_EXPORTS = {
    "IndexDoc": "clipper.search.document",
    "IndexHit": "clipper.search.backend",
    "IndexLockedError": "clipper.search.backend",
    "IndexResults": "clipper.search.backend",
    "SearchBackend": "clipper.search.backend",
    "SearchIndexError": "clipper.search.backend",
    "ParsedQuery": "clipper.search.query",
    "parse_query": "clipper.search.query",
    "make_snippet": "clipper.search.snippet",
    "IndexOptions": "clipper.search.whoosh.index",
    "SearchIndex": "clipper.search.whoosh.index",
}

__all__ = [
    "IndexDoc",
    "IndexHit",
    "IndexLockedError",
    "IndexOptions",
    "IndexResults",
    "ParsedQuery",
    "SearchBackend",
    "SearchIndex",
    "SearchIndexError",
    "make_snippet",
    "parse_query",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'clipper.search' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
