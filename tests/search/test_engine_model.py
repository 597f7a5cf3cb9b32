"""The engine against a model: every query's documents computed the slow, obvious way
from the clips' text (`index_terms`), over indexes of several segments with deletions,
replacements and merges. Any difference is an engine bug."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clipper.rules import tag_key
from clipper.search.analysis import index_terms
from clipper.search.document import IndexDoc
from clipper.search.whoosh.index import IndexOptions, SearchIndex

WORDS = ["the", "of", "red", "reds", "redo", "blue", "co-op", "coop", "café", "cafe", "sea", "wall"]
TAGS = ["Alpha", "beta", "Café Tag"]


def _positions(doc: IndexDoc) -> list[set[str]]:
    """The catch-all text's terms by position: a compound's joined form shares its first
    part's position, so a phrase may use either."""
    seq: list[set[str]] = []
    tags = "\n".join(tag_key(t) for t in doc.tags)
    for text in (doc.title, doc.subtitle, doc.body, doc.captions, doc.notes, tags):
        by_pos: dict[int, set[str]] = {}
        for term, pos in index_terms(text):
            by_pos.setdefault(pos, set()).add(term)
        seq += [by_pos[p] for p in sorted(by_pos)]
    return seq


def _all_terms(doc: IndexDoc) -> set[str]:
    return set().union(*_positions(doc))


def _has_phrase(doc: IndexDoc, phrase: list[str]) -> bool:
    seq = _positions(doc)
    n = len(phrase)
    return any(all(phrase[j] in seq[i + j] for j in range(n)) for i in range(len(seq) - n + 1))


def expected(docs: dict[int, IndexDoc], query: tuple[str, ...]) -> set[int]:
    kind = query[0]
    out = set()
    for doc_id, doc in docs.items():
        terms = _all_terms(doc)
        if kind == "and":
            ok = all(w in terms for w in query[1:])
        elif kind == "or":
            ok = any(w in terms for w in query[1:])
        elif kind == "not":
            ok = query[1] in terms and query[2] not in terms
        elif kind == "prefix":
            ok = any(t.startswith(query[1]) for t in terms)
        elif kind == "phrase":
            ok = _has_phrase(doc, list(query[1:]))
        else:  # tag
            ok = tag_key(query[1]) in {tag_key(t) for t in doc.tags}
        if ok:
            out.add(doc_id)
    return out


def as_text(query: tuple[str, ...]) -> str:
    kind = query[0]
    if kind == "and":
        return " ".join(query[1:])
    if kind == "or":
        return " OR ".join(query[1:])
    if kind == "not":
        return f"{query[1]} -{query[2]}"
    if kind == "prefix":
        return query[1]
    if kind == "phrase":
        return '"' + " ".join(query[1:]) + '"'
    return f'tag:"{query[1]}"'


_word = st.sampled_from([w for w in WORDS if "-" not in w and w != "café"])
_text = st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join)
_doc = st.builds(
    lambda i, title, body, cap, tags: IndexDoc(
        id=i, revision=1, title=title, body=body, captions=cap, tags=tuple(tags)
    ),
    st.integers(1, 40),
    _text,
    _text,
    _text,
    st.lists(st.sampled_from(TAGS), max_size=2, unique=True),
)
_query = st.one_of(
    st.tuples(st.just("and"), _word, _word),
    st.tuples(st.just("or"), _word, _word),
    st.tuples(st.just("not"), _word, _word),
    st.tuples(st.just("prefix"), st.sampled_from(["red", "blu", "coo", "caf", "wal"])),
    st.tuples(st.just("phrase"), _word, _word),
    st.tuples(st.just("phrase"), _word, _word, _word),
    st.tuples(st.just("tag"), st.sampled_from(TAGS)),
)
_batches = st.lists(st.lists(_doc, min_size=1, max_size=8), min_size=1, max_size=5)


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    batches=_batches,
    deletes=st.lists(st.integers(1, 40), max_size=6),
    merge=st.sampled_from(["no", "merge", "compact"]),
    queries=st.lists(_query, min_size=1, max_size=8),
)
def test_engine_matches_the_model(
    tmp_path_factory: object,
    batches: list[list[IndexDoc]],
    deletes: list[int],
    merge: str,
    queries: list[tuple[str, ...]],
) -> None:
    folder = tmp_path_factory.mktemp("ix")  # type: ignore[attr-defined]
    model: dict[int, IndexDoc] = {}
    with SearchIndex(Path(folder), IndexOptions(background_merge=False, merge_factor=3)) as ix:
        for batch in batches:  # one segment each; later copies replace earlier ones
            ix.upsert(batch)
            for doc in batch:
                model[doc.id] = doc
        ix.delete(deletes)
        for doc_id in deletes:
            model.pop(doc_id, None)
        if merge == "merge":
            ix.optimize()
        elif merge == "compact":
            ix.compact()
            assert ix.segment_count() == 1
        assert ix.revisions() == {i: 1 for i in model}
        for query in queries:
            result = ix.search(as_text(query), limit=100, prefix_last=query[0] == "prefix")
            want = expected(model, query)
            assert result.total == len(want), (query, sorted(want))
            assert {h.id for h in result.hits} == want, query
