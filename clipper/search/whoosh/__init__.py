"""The local full-text engine: Whoosh's bookkeeping over our array segments."""

from clipper.search.whoosh.index import MARKER, IndexOptions, SearchIndex

__all__ = ["MARKER", "IndexOptions", "SearchIndex"]
