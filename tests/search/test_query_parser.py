"""The parser alone (no index), including random text: it never raises."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clipper.search.query import (
    Clause,
    DateRange,
    FieldTerm,
    Words,
    parse_period,
    parse_query,
)
from clipper.search.whoosh.index import SearchIndex
from tests.search.conftest import DOCS


def test_structure() -> None:
    parsed = parse_query('war "cold peace" -spy tag:"Two Words" OR site:www.Example.com milit')
    assert parsed.clauses == (
        Clause((Words(("war",)),)),
        Clause((Words(("cold", "peace"), phrase=True),)),
        Clause((Words(("spy",)),), negated=True),
        Clause((FieldTerm("tag", "two words"), FieldTerm("site", "example.com"))),
        Clause((Words(("milit",), prefix=True),)),
    )
    assert parsed.warnings == ()


def test_dates() -> None:
    assert parse_period("2024") == (date(2024, 1, 1), date(2025, 1, 1))
    assert parse_period("2024-02") == (date(2024, 2, 1), date(2024, 3, 1))
    assert parse_period("2024/12/31") == (date(2024, 12, 31), date(2025, 1, 1))
    assert parse_period("2024-02-30") is None
    assert parse_period("24") is None
    assert parse_query("after:2023").clauses == (Clause((DateRange(date(2023, 1, 1), None),)),)
    assert parse_query("before:2023-05").clauses == (Clause((DateRange(None, date(2023, 5, 1)),)),)


def test_fallbacks_warn() -> None:
    for text in ('"open', "tag:", "OR war", "war OR", "before:soon", "has:cats", "a OR -b"):
        parsed = parse_query(text)
        assert parsed.warnings, text
    assert parse_query("- war").clauses == (Clause((Words(("war",), prefix=True),)),)
    assert parse_query("war ").clauses == (Clause((Words(("war",)),)),)
    assert parse_query("war", prefix_last=False).clauses == (Clause((Words(("war",)),)),)


OPERATOR_BITS = st.sampled_from(
    [
        '"',
        "“",
        "”",
        "-",
        "--",
        "OR",
        "or",
        "tag:",
        "site:",
        "author:",
        "note:",
        "has:note",
        "has:",
        "before:",
        "after:2023",
        "before:2024-13-01",
        "(",
        ")",
        ":",
        "*",
        " ",
        "  ",
        "\t",
        "\n",
        "é",
        "e\u0301",
        "ß",
        "中文",
        "🙂",
        "\x00",
        "co-op",
        "'",
        "’",
        "milit",
    ]
)
QUERY_TEXT = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(OPERATOR_BITS, st.text(max_size=6)), max_size=12).map("".join),
)


@given(QUERY_TEXT)
@settings(max_examples=400)
def test_parser_never_raises(text: str) -> None:
    parsed = parse_query(text)
    for clause in parsed.clauses:
        assert clause.alternatives
    assert isinstance(parsed.highlight_terms, tuple)


@given(text=QUERY_TEXT)
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_search_never_raises(tmp_path: Path, text: str) -> None:
    index = _shared_index(tmp_path)
    result = index.search(text, limit=5)
    assert len(result.hits) <= 5
    assert result.total >= len(result.hits)


_INDEXES: dict[Path, SearchIndex] = {}


def _shared_index(tmp_path: Path) -> SearchIndex:
    """One index for all examples of the test (tmp_path is per test, not per example)."""
    if tmp_path not in _INDEXES:
        index = SearchIndex(tmp_path / "index")
        index.upsert(DOCS)
        _INDEXES[tmp_path] = index
    return _INDEXES[tmp_path]
