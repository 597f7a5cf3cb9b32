"""Which parts of a hit matched (title, text, caption, note, tag), for the top hits only.

`content` holds every part, and each small part field is analyzed the same way, so a
word (or phrase, or prefix) is in the body or subtitle ("text") exactly when it occurs
in `content` more often than in the part fields together. Counting costs a few posting
lookups per probe over the shown hits, never a pass over all matches.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from whoosh import query as wq
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher

from clipper.search.phrase import advance, phrase_counts
from clipper.search.plan import Probe
from clipper.search.schema import PART_FIELDS

ORDER = ("title", "text", "caption", "note", "tag")


def _occurrences(searcher: Searcher, q: wq.Query, ascending: Sequence[int]) -> dict[int, int]:
    """How often `q` occurs in each of the documents (ascending docnums)."""
    reader = searcher.reader()
    if isinstance(q, wq.Phrase):
        return phrase_counts(reader, q.fieldname, q.words, ascending)
    out: dict[int, int] = {}
    # Not Query.existing_terms: in Whoosh 2.7.4 it skips every field after the first.
    terms = {t for leaf in q.leaves() for t in leaf.expanded_terms(reader)}
    for fieldname, text in terms:
        try:
            matcher = reader.postings(fieldname, text)
        except TermNotFound:
            continue
        for docnum in ascending:
            if advance(matcher, docnum):
                out[docnum] = out.get(docnum, 0) + int(matcher.weight())
    return out


def _part_query(probe: Probe, fieldname: str) -> wq.Query | None:
    """The probe on a part field (None for prefixes: those are read from vectors)."""
    if probe.kind == "prefix":
        return None
    if len(probe.terms) == 1:
        return wq.Term(fieldname, probe.terms[0])
    return wq.Phrase(fieldname, list(probe.terms))


def _prefix_counts(
    searcher: Searcher, fieldname: str, stem: str, ascending: Sequence[int]
) -> dict[int, int]:
    """Words starting with `stem` in a part field, per document, from term vectors."""
    reader = searcher.reader()
    out: dict[int, int] = {}
    for docnum in ascending:
        if reader.has_vector(docnum, fieldname):
            words: Mapping[str, int] = dict(reader.vector_as("frequency", docnum, fieldname))
            n = sum(c for w, c in words.items() if w.startswith(stem))
            if n:
                out[docnum] = n
    return out


def where_matched(
    searcher: Searcher, probes: Sequence[Probe], docnums: Sequence[int], extra: frozenset[str]
) -> dict[int, tuple[str, ...]]:
    """Parts matched per document, in ORDER; `extra` is added to all (e.g. "tag")."""
    found: dict[int, set[str]] = {d: set(extra) for d in docnums}
    ascending = sorted(docnums)
    for probe in probes:
        if probe.kind == "note":
            for docnum in _occurrences(searcher, probe.query, ascending):
                found[docnum].add("note")
            continue
        in_parts: dict[int, int] = {}
        for part, fieldname in PART_FIELDS.items():
            pq = _part_query(probe, fieldname)
            if pq is None:
                counts = _prefix_counts(searcher, fieldname, probe.terms[0], ascending)
            else:
                counts = _occurrences(searcher, pq, ascending)
            for docnum, n in counts.items():
                found[docnum].add(part)
                in_parts[docnum] = in_parts.get(docnum, 0) + n
        if probe.required:
            # Every hit holds it in `content`: count there only where a part has it too
            # (skipping through a common word's postings is the expensive step).
            content = _occurrences(searcher, probe.query, sorted(in_parts)) if in_parts else {}
            for docnum in ascending:
                if content.get(docnum, 0) > in_parts.get(docnum, 0) or docnum not in in_parts:
                    found[docnum].add("text")
        else:
            content = _occurrences(searcher, probe.query, ascending)
            for docnum, n in content.items():
                if n > in_parts.get(docnum, 0):
                    found[docnum].add("text")
    return {d: tuple(p for p in ORDER if p in found[d]) for d in docnums}
