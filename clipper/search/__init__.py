"""Full-text search: the Whoosh index (a derived cache), the query language, snippets.

Public names are loaded on first use, so that importing `clipper.search.document`
(the `IndexDoc` value the library builds) does not import Whoosh.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clipper.search.document import IndexDoc
    from clipper.search.index import (
        IndexHit,
        IndexLockedError,
        IndexResults,
        SearchIndex,
        SearchIndexError,
    )
    from clipper.search.query import ParsedQuery, parse_query
    from clipper.search.schema import IndexOptions
    from clipper.search.snippet import make_snippet

_EXPORTS = {
    "IndexDoc": "clipper.search.document",
    "IndexHit": "clipper.search.index",
    "IndexLockedError": "clipper.search.index",
    "IndexResults": "clipper.search.index",
    "SearchIndex": "clipper.search.index",
    "SearchIndexError": "clipper.search.index",
    "ParsedQuery": "clipper.search.query",
    "parse_query": "clipper.search.query",
    "IndexOptions": "clipper.search.schema",
    "make_snippet": "clipper.search.snippet",
}

__all__ = [
    "IndexDoc",
    "IndexHit",
    "IndexLockedError",
    "IndexOptions",
    "IndexResults",
    "ParsedQuery",
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
