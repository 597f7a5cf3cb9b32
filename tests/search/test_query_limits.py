"""Query length and nesting are capped with a warning, so search cost stays bounded
(a 1,000-word query was a RecursionError; 500 words took 125 s)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from clipper.search.query import (
    MAX_ALTERNATIVES,
    MAX_CLAUSES,
    MAX_QUERY_CHARS,
    Words,
    parse_query,
)

WORD = st.text(alphabet="abcdefghij", min_size=1, max_size=8)
TERM = st.one_of(
    WORD,
    WORD.map(lambda w: f"-{w}"),
    st.lists(WORD, min_size=2, max_size=30).map(lambda ws: '"' + " ".join(ws) + '"'),
    st.lists(WORD, min_size=2, max_size=30).map(" OR ".join),
    WORD.map(lambda w: f"tag:{w}"),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(TERM, max_size=120))
def test_every_query_is_within_the_caps(terms: list[str]) -> None:
    text = " ".join(terms)
    parsed = parse_query(text)
    assert len(parsed.clauses) <= MAX_CLAUSES
    for clause in parsed.clauses:
        assert len(clause.alternatives) <= MAX_ALTERNATIVES
        for atom in clause.alternatives:
            if isinstance(atom, Words):
                assert len(atom.terms) <= MAX_ALTERNATIVES
    # The text beyond the character cap is ignored, and said to be.
    assert parse_query(text[:MAX_QUERY_CHARS]).clauses == parsed.clauses
    if len(text) > MAX_QUERY_CHARS:
        assert any("only its first" in w for w in parsed.warnings)


def test_a_thousand_words_parse_to_the_first_terms_with_a_warning() -> None:
    words = [f"w{i}" for i in range(1000)]
    parsed = parse_query(" ".join(words))
    assert len(parsed.clauses) == MAX_CLAUSES
    assert any("only its first" in w for w in parsed.warnings)
    first = parsed.clauses[0].alternatives[0]
    assert isinstance(first, Words) and first.terms == ("w0",)
