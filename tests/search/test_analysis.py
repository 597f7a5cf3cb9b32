"""Folding and tokenizing: the single definition of a word used everywhere."""

from __future__ import annotations

from clipper.search.analysis import edge_grams, fold, index_terms, query_terms


def test_fold() -> None:
    assert fold("Café") == "cafe"
    assert fold("NAÏVE") == "naive"
    assert fold("Straße") == "strasse"
    assert fold("ΣΊΣΥΦΟΣ") == fold("σίσυφος") == "σισυφοσ"
    assert fold("e\u0301te\u0301") == "ete"


def test_index_terms_of_compounds() -> None:
    assert list(index_terms("co-operation now")) == [
        ("cooperation", 0),
        ("co", 0),
        ("operation", 1),
        ("now", 2),
    ]
    assert [t for t, _ in index_terms("O’Brien's")] == ["obriens", "o", "brien", "s"]
    assert [t for t, _ in index_terms("U.S. (2024)")] == ["u", "s", "2024"]


def test_query_terms() -> None:
    assert query_terms("Co-Operation") == ["cooperation"]
    assert query_terms("climate change") == ["climate", "change"]
    assert query_terms("co-operation works") == ["co", "operation", "works"]
    assert query_terms("((!))") == []


def test_edge_grams_are_proper_prefixes() -> None:
    assert list(edge_grams("military")) == ["mil", "mili", "milit"]
    assert list(edge_grams("mile")) == ["mil"]
    assert list(edge_grams("war")) == []


def test_package_exports_load_lazily() -> None:
    import clipper.search as search
    from clipper.search.index import SearchIndex

    assert search.SearchIndex is SearchIndex
    assert callable(search.make_snippet)
