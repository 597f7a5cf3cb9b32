"""Writing segments: documents analysed into arrays, postings laid out by sorting.

The analysis is the one of `clipper.search.analysis` (`index_terms`), done without a
Python step per token: one regular expression pass per text, raw words mapped to term
ids through a dictionary (`map` in C), compounds ("co-operation") expanded from a cache.
Postings are then built for the whole segment at once: one stable sort by term, run
boundaries for documents and frequencies, positions shifted by each document's base.
Merging segments does not come back here: segments are laid end to end (`compact.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from clipper.rules import fold
from clipper.search.analysis import JOINERS, WORD_RE, index_terms, split_compound
from clipper.search.common import COMMON_WORDS, pair_term
from clipper.search.document import IndexDoc
from clipper.search.fields import doc_parts
from clipper.search.whoosh.arrays import exclusive_cumsum
from clipper.search.whoosh.segment import I8, NO_DATE, U4, U8, Array

POSITIONAL = ("author", "caption", "content", "note", "tagtext", "title")
"""Fields with positions (phrases); the others are keyword sets."""
KEYWORD = ("flags", "pairs", "site", "tag")
MAX_POSITION = 2**32 - 2
"""Global positions are uint32: a segment holds at most this many words per field."""

Ints = npt.NDArray[Any]
"""Entry arrays are int32 (half the memory of a rebuild); sums and packing use int64."""
_EMPTY: Ints = np.zeros(0, dtype=np.int32)
_JOIN = frozenset(JOINERS)


class _FieldAcc:
    """Entries of one field for the documents added so far."""

    def __init__(self) -> None:
        self.tids: list[Ints] = []
        self.rels: list[Ints] = []
        self.counts: list[int] = []
        self.lens: list[int] = []
        self.words = 0

    def add(self, tids: Ints, rels: Ints | None, span: int) -> None:
        self.tids.append(tids)
        if rels is not None:
            self.rels.append(rels)
        self.counts.append(len(tids))
        self.lens.append(span)
        self.words += span + 1


class Analyzer:
    """Text -> (term ids, positions, span) with a vocabulary kept per segment."""

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self.terms: list[str] = []
        self.common: list[int] = []
        """Term ids of `COMMON_WORDS` (for the pairs field)."""
        self._raw: dict[str, int] = {}
        """Raw word -> term id, or -(index + 1) of a compound's entry."""
        self._compounds: list[tuple[Ints, Ints, int]] = []

    def tid(self, term: str) -> int:
        found = self.vocab.get(term)
        if found is None:
            found = self.vocab[term] = len(self.terms)
            self.terms.append(term)
            if term in COMMON_WORDS:
                self.common.append(found)
        return found

    def _learn(self, raw: str) -> int:
        if _JOIN.isdisjoint(raw):
            value = self.tid(fold(raw))
        else:
            entries = list(index_terms(raw))
            tids = np.array([self.tid(t) for t, _ in entries], dtype=np.int32)
            rels = np.array([p for _, p in entries], dtype=np.int32)
            self._compounds.append((tids, rels, len(split_compound(raw))))
            value = -len(self._compounds)
        self._raw[raw] = value
        return value

    def analyze(self, text: str) -> tuple[Ints, Ints, int]:
        """Term ids and positions as `index_terms(text)` gives them, and the span."""
        words = WORD_RE.findall(text) if text else []
        n = len(words)
        if not n:
            return _EMPTY, _EMPTY, 0
        try:
            vals: list[int] = list(map(self._raw.__getitem__, words))
        except KeyError:
            for word in set(words).difference(self._raw):
                self._learn(word)
            vals = list(map(self._raw.__getitem__, words))
        arr = np.array(vals, dtype=np.int32)
        if arr.min() >= 0:
            return arr, np.arange(n, dtype=np.int32), n
        return self._expand(arr)

    def _expand(self, arr: Ints) -> tuple[Ints, Ints, int]:
        neg = arr < 0
        spans = np.ones(len(arr), dtype=np.int32)
        where = np.flatnonzero(neg)
        comps = [self._compounds[-int(arr[i]) - 1] for i in where]
        spans[where] = [c[2] for c in comps]
        starts = np.cumsum(spans) - spans
        simple = ~neg
        tids = [arr[simple]]
        pos = [starts[simple]]
        sub = [np.zeros(int(simple.sum()), dtype=np.int32)]
        for i, (ctids, crels, _span) in zip(where, comps, strict=True):
            tids.append(ctids)
            pos.append(crels + starts[i])
            sub.append(np.arange(len(ctids), dtype=np.int32))
        t, p, s = np.concatenate(tids), np.concatenate(pos), np.concatenate(sub)
        order = np.lexsort((s, p))
        return t[order], p[order], int(spans.sum())


class SegmentBuilder:
    """Accumulates documents; `arrays()` gives what `write_arrays` stores."""

    def __init__(self) -> None:
        self.an = Analyzer()
        self.fields = {name: _FieldAcc() for name in (*POSITIONAL, "flags", "site", "tag")}
        self.ids: list[int] = []
        self.revs: list[int] = []
        self.dates: list[int] = []

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def words(self) -> int:
        return self.fields["content"].words

    def add(self, doc: IndexDoc) -> None:
        parts = doc_parts(doc)
        an = self.an
        streams = [an.analyze(text) for text in parts.content]
        tids = [s[0] for s in streams]
        rels = []
        offset = 0
        for s in streams:
            rels.append(s[1] + offset)
            offset += s[2]
        f = self.fields
        f["content"].add(np.concatenate(tids), np.concatenate(rels), offset)
        title, _sub, _body, captions, notes, tagtext = streams
        f["title"].add(*title)
        f["caption"].add(*captions)
        f["note"].add(*notes)
        f["tagtext"].add(*tagtext)
        f["author"].add(*an.analyze(parts.author))
        for name, values in (("tag", parts.tags), ("site", parts.sites), ("flags", parts.flags)):
            f[name].add(np.array([an.tid(v) for v in values], dtype=np.int32), None, 0)
        self.ids.append(doc.id)
        self.revs.append(doc.revision)
        self.dates.append(NO_DATE if parts.date is None else parts.date)

    def arrays(self) -> dict[str, Array]:
        n = len(self.ids)
        out: dict[str, Array] = {
            "col.id": np.array(self.ids, dtype=U8),
            "col.rev": np.array(self.revs, dtype=U8),
            "col.date": np.array(self.dates, dtype=I8),
        }
        terms = self.an.terms
        content: tuple[Ints, Ints, Ints] | None = None
        for name, acc in self.fields.items():
            tids = _cat(acc.tids)
            if not len(tids) and name != "content":
                continue  # a field no clip has is left out (readers take it as empty)
            docs = np.repeat(np.arange(n, dtype=np.int32), acc.counts)
            if name in POSITIONAL:
                rels = _cat(acc.rels)
                lens = np.array(acc.lens, dtype=np.int64)
                out.update(layout_field(name, terms, tids, docs, rels, lens))
                if name == "content":
                    content = (tids, docs, rels)
            else:
                out.update(layout_field(name, terms, tids, docs, None, None))
        assert content is not None
        ptids, pdocs = self._pairs(*content)
        if len(ptids):
            out.update(layout_field("pairs", self.an.terms, ptids, pdocs, None, None))
        return out

    def _pairs(self, tids: Ints, docs: Ints, rels: Ints) -> tuple[Ints, Ints]:
        """Adjacent common words of `content` (see `clipper.search.common`)."""
        if not len(tids):
            return _EMPTY, _EMPTY
        an = self.an
        common = np.zeros(len(an.terms), dtype=bool)
        common[an.common] = True
        key = docs.astype(np.int64) * (MAX_POSITION + 2) + rels
        last = np.ones(len(key), dtype=bool)
        last[:-1] = key[1:] != key[:-1]  # a compound's part follows its joined form
        t, k, d = tids[last], key[last], docs[last]
        adj = (k[1:] == k[:-1] + 1) & (d[1:] == d[:-1]) & common[t[:-1]] & common[t[1:]]
        if not adj.any():
            return _EMPTY, _EMPTY
        a, b, pd = t[:-1][adj].astype(np.int64), t[1:][adj].astype(np.int64), d[1:][adj]
        codes = (a << 32) | b
        uniq, inverse = np.unique(codes, return_inverse=True)
        terms = an.terms
        new = np.array(
            [an.tid(pair_term(terms[c >> 32], terms[c & 0xFFFFFFFF])) for c in uniq.tolist()],
            dtype=np.int32,
        )
        return new[inverse.reshape(-1)], pd


def _cat(parts: Sequence[Ints]) -> Ints:
    return np.concatenate(parts) if parts else _EMPTY


def _stable_order(key: Ints) -> Ints:
    """`argsort(key, kind="stable")`, faster: (key, index) packed in one int64 and
    sorted in place (unique values, so any sort is stable)."""
    n = len(key)
    if n >= 2**32 or (n and int(key.max()) >= 2**31):
        return np.argsort(key, kind="stable")
    packed = (key.astype(np.int64) << 32) | np.arange(n, dtype=np.int64)
    packed.sort()
    packed &= 0xFFFFFFFF
    return packed


def layout_field(
    name: str,
    terms: Sequence[str],
    tids: Ints,
    docs: Ints,
    rels: Ints | None,
    lens: Ints | None,
) -> dict[str, Array]:
    """A field's arrays from its entries (one per occurrence, ordered by document and
    position within each term id). `rels`/`lens` only for positional fields."""
    used = np.flatnonzero(np.bincount(tids, minlength=len(terms)))
    keys = [terms[t] for t in used.tolist()]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    rank = np.zeros(len(terms), dtype=np.int32)
    rank[used[order]] = np.arange(len(used), dtype=np.int32)
    key = rank[tids]
    o = _stable_order(key)
    key_s = key[o]
    docs_s = docs[o]
    nterms = len(used)
    out: dict[str, Array] = {}
    if rels is not None and lens is not None:
        base = np.zeros(len(lens) + 1, dtype=np.int64)
        np.cumsum(lens + 1, out=base[1:])
        if base[-1] > MAX_POSITION:
            raise ValueError(f"field {name}: too many words for one segment")
        out[f"{name}.base"] = base.astype(U4)
        out[f"{name}.pos"] = (base[docs_s] + rels[o]).astype(U4)
    new = np.ones(len(key_s), dtype=bool)
    if len(key_s) > 1:
        new[1:] = (key_s[1:] != key_s[:-1]) | (docs_s[1:] != docs_s[:-1])
    starts = np.flatnonzero(new)
    freqs = np.diff(np.append(starts, len(key_s)))
    p_key = key_s[starts]
    df = np.bincount(p_key, minlength=nterms)
    pstart = exclusive_cumsum(df)
    encoded = [keys[i].encode("utf-8") for i in order]
    toff = np.zeros(nterms + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=toff[1:])
    out.update(
        {
            f"{name}.terms": np.frombuffer(b"".join(encoded), dtype=np.uint8),
            f"{name}.toff": toff.astype(U4),
            f"{name}.df": df.astype(U4),
            f"{name}.pstart": pstart.astype(U8),
            f"{name}.xstart": np.searchsorted(key_s, np.arange(nterms)).astype(U8),
            f"{name}.docs": docs_s[starts].astype(U4),
            f"{name}.freqs": freqs.astype(U4),
        }
    )
    return out
