"""From a parsed query to what Whoosh runs: a scored text query plus cached filter sets.

Filters (tag, site, author, dates, has:note) are not scored: each value maps to a set of
document numbers that the index caches per searcher, so a repeated `tag:x` costs a set
intersection. Words become queries on the catch-all `content` field; the last word as
typed becomes one edge-gram term lookup (3-5 letters) or a narrow `Prefix` (6+ letters).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

from whoosh import query as wq
from whoosh.matching import AndNotMatcher, Matcher
from whoosh.searching import Searcher

from clipper.search.analysis import GRAM_MAX, GRAM_MIN
from clipper.search.query import Atom, DateRange, FieldTerm, ParsedQuery, Words
from clipper.search.schema import to_timestamp

FilterKey = tuple[str, ...]
"""A hashable filter: ("tag", key), ("site", key), ("has", "note"), ("author", *terms),
("date", start, end) with epoch seconds or "" for an open end."""

ProbeKind = Literal["word", "prefix", "phrase", "note"]


@dataclass(frozen=True)
class Probe:
    """One positive word, prefix or phrase, to tell which parts of a hit it matched."""

    kind: ProbeKind
    terms: tuple[str, ...]
    query: wq.Query
    """The query on `content`/`grams` (or `note`) that counts occurrences."""
    required: bool = False
    """Every hit matches it (it is not one of several OR alternatives)."""


@dataclass
class Plan:
    text: wq.Query | None = None
    """Scored part: AND of positive word clauses (None when there are none)."""
    negated_text: list[wq.Query] = field(default_factory=list)
    required: list[list[FilterKey]] = field(default_factory=list)
    """Positive filter clauses: a document must be in the union of each clause's sets."""
    excluded: list[FilterKey] = field(default_factory=list)
    probes: list[Probe] = field(default_factory=list)
    filter_parts: frozenset[str] = frozenset()
    """Parts matched by field operators themselves (`tag:` -> "tag")."""

    @property
    def empty(self) -> bool:
        return (
            self.text is None and not self.negated_text and not self.required and not self.excluded
        )


class _AndNotMatcher(AndNotMatcher):
    """Whoosh 2.7.4's AndNotMatcher checks its first document against the excluded
    matcher only when both happen to start on the same document: "fimo -filler"
    returned a clip containing "filler". This one always checks."""

    def _find_first(self) -> None:
        if self.a.is_active() and self.b.is_active():
            self._find_next()


class AndNot(wq.AndNot):
    """`a` without the documents of `b`, with the fixed matcher."""

    def matcher(self, searcher: Searcher, context: Any = None) -> Matcher:
        positive = self.a.matcher(searcher, context)
        negative = self.b.matcher(searcher, searcher.boolean_context())
        return _AndNotMatcher(positive, negative)


def and_not(q: wq.Query, excluded: list[wq.Query]) -> wq.Query:
    return AndNot(q, excluded[0] if len(excluded) == 1 else wq.Or(excluded))


def _date_key(atom: DateRange) -> FilterKey:
    start = str(to_timestamp(atom.start)) if atom.start else ""
    end = str(to_timestamp(atom.end)) if atom.end else ""
    return ("date", start, end)


def _filter_key(atom: FieldTerm | DateRange) -> FilterKey:
    if isinstance(atom, DateRange):
        return _date_key(atom)
    if atom.name == "author":
        return ("author", *atom.terms)
    return (atom.name, atom.value)


def filter_query(key: FilterKey) -> wq.Query:
    """The Whoosh query whose documents form the filter set for `key`."""
    kind = key[0]
    if kind == "date":
        start = int(key[1]) if key[1] else None
        end = int(key[2]) - 1 if key[2] else None
        return wq.NumericRange("date", start, end)
    if kind == "author":
        terms = list(key[1:])
        return wq.Term("author", terms[0]) if len(terms) == 1 else wq.Phrase("author", terms)
    if kind == "has":
        return wq.Term("flags", key[1])
    return wq.Term(kind, key[1])


def _words_query(atom: Words) -> tuple[wq.Query, Probe]:
    terms = atom.terms
    if atom.prefix:
        word = terms[0]
        if len(word) < GRAM_MIN:
            q: wq.Query = wq.Term("content", word)
            return q, Probe("word", terms, q)
        if len(word) <= GRAM_MAX:
            q = wq.Or([wq.Term("content", word), wq.Term("grams", word)])
            return q, Probe("prefix", terms, q)
        q = wq.Prefix("content", word)
        return q, Probe("prefix", terms, q)
    if len(terms) == 1:
        q = wq.Term("content", terms[0])
        return q, Probe("word", terms, q)
    # Resolved to an exact document set by `clipper.search.phrase` at search time.
    q = wq.Phrase("content", list(terms))
    return q, Probe("phrase", terms, q)


def _note_query(atom: FieldTerm) -> tuple[wq.Query, Probe]:
    terms = atom.terms
    q = wq.Term("note", terms[0]) if len(terms) == 1 else wq.Phrase("note", list(terms))
    return q, Probe("note", terms, q)


def _atom_query(atom: Atom, probes: list[Probe]) -> wq.Query:
    if isinstance(atom, Words):
        q, probe = _words_query(atom)
        probes.append(probe)
        return q
    if isinstance(atom, FieldTerm) and atom.name == "note":
        q, probe = _note_query(atom)
        probes.append(probe)
        return q
    return wq.ConstantScoreQuery(filter_query(_filter_key(atom)))


def _is_filter(atom: Atom) -> bool:
    return isinstance(atom, DateRange) or (isinstance(atom, FieldTerm) and atom.name != "note")


def build_plan(parsed: ParsedQuery) -> Plan:
    """Split a parsed query into scored text, filter sets, exclusions and probes."""
    plan = Plan()
    text: list[wq.Query] = []
    parts: set[str] = set()
    for clause in parsed.clauses:
        atoms = clause.alternatives
        if not atoms:
            continue
        if all(_is_filter(a) for a in atoms):
            keys = [_filter_key(a) for a in atoms]  # type: ignore[arg-type]
            if clause.negated:
                plan.excluded.extend(keys)
            else:
                plan.required.append(keys)
                if any(k[0] == "tag" for k in keys):
                    parts.add("tag")
            continue
        if clause.negated:
            plan.negated_text.extend(_atom_query(a, []) for a in atoms)
            continue
        probes: list[Probe] = []
        queries = [_atom_query(a, probes) for a in atoms]
        required = len(atoms) == 1
        plan.probes.extend(replace(p, required=required) for p in probes)
        text.append(queries[0] if len(queries) == 1 else wq.Or(queries))
    if text:
        plan.text = text[0] if len(text) == 1 else wq.And(text)
    plan.filter_parts = frozenset(parts)
    return plan
