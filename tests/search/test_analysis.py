"""Folding and tokenizing: the single definition of a word used everywhere."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from clipper.search.analysis import index_terms, query_terms
from clipper.search.whoosh.builder import Analyzer


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


_TEXT = st.text(alphabet=st.sampled_from(list("ab cé-'’\u2010\u0301ß¼Σ.\n9_")), max_size=60)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=4))
def test_segment_analysis_equals_index_terms(texts: list[str]) -> None:
    """The vectorized analysis of the segment builder (one regex pass, cached raw
    words, compounds expanded from a cache) gives exactly `index_terms`, also when
    words repeat across texts and the caches are warm."""
    analyzer = Analyzer()
    for text in texts + texts:
        tids, positions, span = analyzer.analyze(text)
        expected = list(index_terms(text))
        assert [
            (analyzer.terms[t], int(p)) for t, p in zip(tids, positions, strict=True)
        ] == expected
        assert span == (max((p for _, p in expected), default=-1) + 1 if expected else span)


def test_package_exports_load_lazily() -> None:
    import clipper.search as search
    from clipper.search.whoosh.index import SearchIndex

    assert search.SearchIndex is SearchIndex
    assert callable(search.make_snippet)
