"""The local full-text engine: Whoosh's bookkeeping over our array segments.

Import `clipper.search.whoosh.index` for `SearchIndex`; this package itself imports
nothing, so that a build worker (`python -m clipper.search.whoosh.buildworker`) starts
without loading itself twice.
"""
