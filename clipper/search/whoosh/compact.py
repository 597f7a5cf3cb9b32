"""Laying segments end to end in one: compaction after a rebuild, and background merges.

Segments laid end to end need no re-sorting to become one: the merged dictionary is the
union of theirs (one `np.unique` over byte strings, `vocab.py`), a term's postings are
its postings in each segment in turn (documents shifted by the clips before that
segment) and so are its positions (shifted by the words before it). Each source is
scattered into the new file in one vectorized pass per array, through a writable map,
so memory stays at one source segment's size, not the index's, and the interpreter's
lock is free most of the time (a background merge must not slow the writes).

A compaction copies every document (deleted ones are marked again by the caller); a
merge drops the deleted ones: their postings and positions are left out, the
documents after them renumbered and their positions shifted down by the words dropped,
so that every document's length stays `base[d + 1] - base[d] - 1`. Terms left without
postings leave the dictionary.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from clipper.search.whoosh import vocab
from clipper.search.whoosh.arrays import exclusive_cumsum, expand_ranges
from clipper.search.whoosh.builder import KEYWORD, MAX_POSITION, POSITIONAL
from clipper.search.whoosh.segment import (
    I8,
    U4,
    U8,
    Array,
    FieldData,
    NewSegmentFile,
    SegmentData,
)

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


def _ranges_sum(values: Ints | Bools, starts: Ints, counts: Ints) -> Ints:
    """The sum of `values[s:s + c]`, for each (s, c)."""
    cum = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(values, out=cum[1:])
    out: Ints = cum[starts + counts] - cum[starts]
    return out


class _Source:
    """One source's share of one field, with its deleted documents left out."""

    def __init__(self, fd: FieldData, keep: Bools | None) -> None:
        self.fd = fd
        self.df = fd.df.astype(np.int64)
        self.pstart = fd.pstart.astype(np.int64)
        freqs = fd.freqs.astype(np.int64)
        total_occ = int(freqs.sum())
        self.xstart = fd.xstart.astype(np.int64)
        self.occ = np.diff(np.append(self.xstart, total_occ))
        self.post_keep: Bools | None = None
        self.occ_keep: Bools | None = None
        if keep is not None and not keep.all():
            self.post_keep = keep[fd.docs]
            self.occ = _ranges_sum(np.where(self.post_keep, freqs, 0), self.pstart, self.df)
            self.df = _ranges_sum(self.post_keep, self.pstart, self.df)
            if fd.pos is not None:
                self.occ_keep = np.repeat(self.post_keep, freqs)


class _FieldPlan:
    """Where each source's part of one field goes in the new segment."""

    def __init__(
        self,
        name: str,
        fds: Sequence[FieldData | None],
        keeps: Sequence[Bools | None],
        kept: Sequence[int],
    ) -> None:
        self.name = name
        self.positional = name in POSITIONAL
        self.sources = [
            None if fd is None else _Source(fd, keep) for fd, keep in zip(fds, keeps, strict=True)
        ]
        present = [s for s in self.sources if s is not None]
        union = vocab.Union([(p.fd.blob, p.fd.toff) for p in present])
        mids = union.mids
        df = np.zeros(len(union), dtype=np.int64)
        occ = np.zeros(len(union), dtype=np.int64)
        for part, m in zip(present, mids, strict=True):
            df[m] += part.df  # a source's terms are distinct
            occ[m] += part.occ
        alive = df > 0
        renumber = np.cumsum(alive) - 1
        self.mids: list[Ints | None] = []
        it = iter(mids)
        for src in self.sources:
            self.mids.append(None if src is None else renumber[next(it)])
        self.df = df[alive]
        self.occ = occ[alive]
        self.pstart = exclusive_cumsum(self.df)
        self.xstart = exclusive_cumsum(self.occ)
        self.blob, self.toff = union.encode(np.flatnonzero(alive))
        self.spans: list[int] = []  # words (with gaps) each source takes, for positions
        self.shifts: list[Ints | None] = []  # per document: words dropped before it
        for src, keep, kept_docs in zip(self.sources, keeps, kept, strict=True):
            if src is None or src.fd.base is None:
                self.spans.append(kept_docs)  # empty documents: a gap of one each
                self.shifts.append(None)
                continue
            base = src.fd.base.astype(np.int64)
            if keep is None or keep.all():
                self.spans.append(int(base[-1]))
                self.shifts.append(None)
                continue
            dropped = np.where(keep, 0, np.diff(base))
            shift = exclusive_cumsum(dropped)
            self.spans.append(int(base[-1]) - int(dropped.sum()))
            self.shifts.append(shift)
        if self.positional and sum(self.spans) > MAX_POSITION:
            raise ValueError(f"field {name}: too many words for one segment")

    def specs(self, docs: int) -> dict[str, tuple[np.dtype[np.generic], int]]:
        n = len(self.df)
        out: dict[str, tuple[np.dtype[np.generic], int]] = {
            "terms": (np.dtype(np.uint8), len(self.blob)),
            "toff": (U4, n + 1),
            "df": (U4, n),
            "pstart": (U8, n),
            "xstart": (U8, n),
            "docs": (U4, int(self.df.sum())),
            "freqs": (U4, int(self.df.sum())),
        }
        if self.positional:
            out["pos"] = (U4, int(self.occ.sum()))
            out["base"] = (U4, docs + 1)
        return {f"{self.name}.{k}": v for k, v in out.items()}

    def fill(
        self,
        arrays: dict[str, Array],
        keeps: Sequence[Bools | None],
        kept: Sequence[int],
        done: Callable[[int], None],
    ) -> None:
        """Scatter each source into place; `done(i)` after source i (to hand pages back
        and to let a foreground write run)."""
        name = self.name
        arrays[f"{name}.terms"][:] = self.blob
        arrays[f"{name}.toff"][:] = self.toff
        arrays[f"{name}.df"][:] = self.df
        arrays[f"{name}.pstart"][:] = self.pstart
        arrays[f"{name}.xstart"][:] = self.xstart
        out_docs, out_freqs = arrays[f"{name}.docs"], arrays[f"{name}.freqs"]
        pcursor = self.pstart.copy()
        xcursor = self.xstart.copy()
        doc_offset = word_offset = 0
        bases: list[Ints] = []
        for i, (src, mids, keep, kept_docs, span, shift) in enumerate(
            zip(self.sources, self.mids, keeps, kept, self.spans, self.shifts, strict=True)
        ):
            if src is None or mids is None:
                bases.append(np.arange(kept_docs, dtype=np.int64) + word_offset)
            else:
                fd = src.fd
                renumber = None if keep is None else np.cumsum(keep) - 1
                docs_in = fd.docs.astype(np.int64)
                freqs_in = fd.freqs
                if src.post_keep is not None:
                    docs_in, freqs_in = docs_in[src.post_keep], freqs_in[src.post_keep]
                held = src.df > 0  # terms left without postings have no place (-1)
                tmids, tdf, tocc = mids[held], src.df[held], src.occ[held]
                where = expand_ranges(pcursor[tmids], tdf)
                out_docs[where] = (docs_in if renumber is None else renumber[docs_in]) + doc_offset
                out_freqs[where] = freqs_in
                pcursor[tmids] += tdf
                if self.positional and fd.pos is not None and fd.base is not None:
                    pos = fd.pos.astype(np.int64)
                    if shift is not None:
                        owner = np.repeat(fd.docs.astype(np.int64), fd.freqs.astype(np.int64))
                        pos -= shift[owner]
                    if src.occ_keep is not None:
                        pos = pos[src.occ_keep]
                    where = expand_ranges(xcursor[tmids], tocc)
                    arrays[f"{name}.pos"][where] = pos + word_offset
                    xcursor[tmids] += tocc
                    base = fd.base[:-1].astype(np.int64)
                    if shift is not None and keep is not None:
                        base = (base - shift)[keep]
                    bases.append(base + word_offset)
            doc_offset += kept_docs
            word_offset += span
            done(i)
        if self.positional:
            out_base = arrays[f"{name}.base"]
            out_base[:-1] = np.concatenate(bases) if bases else np.zeros(0, dtype=np.int64)
            out_base[-1] = word_offset


def compact_segments(
    sources: Sequence[SegmentData],
    path: Path,
    keeps: Sequence[Bools | None] | None = None,
    pause: Callable[[], None] | None = None,
    release: bool = True,
) -> Path:
    """One segment holding the documents of `sources` in their order (those `keeps`
    marks, or all); written under a temporary name, returned, for the caller to publish
    under the lock. `pause()` runs between steps (see `SearchIndex._yield_to_writers`).
    `release` hands pages back after each source (a rebuild's compaction: bounded
    memory); a merge of small segments skips it (each release is a write-back)."""
    keeps = list(keeps) if keeps is not None else [None] * len(sources)
    kept = [s.doc_count if k is None else int(k.sum()) for s, k in zip(sources, keeps, strict=True)]
    total = sum(kept)
    names = [n for n in (*POSITIONAL, *KEYWORD) if any(s.field(n) for s in sources)]
    plans = []
    for n in names:
        if pause is not None:
            pause()
        plans.append(_FieldPlan(n, [s.field(n) for s in sources], keeps, kept))
    specs: dict[str, tuple[np.dtype[np.generic], int]] = {
        "col.id": (U8, total),
        "col.rev": (U8, total),
        "col.date": (I8, total),
    }
    for plan in plans:
        specs.update(plan.specs(total))
    out = NewSegmentFile(path, specs, {"docs": total})
    try:
        arrays = out.arrays
        for col, attr in (("col.id", "ids"), ("col.rev", "revs"), ("col.date", "dates")):
            parts = [
                getattr(s, attr) if k is None else getattr(s, attr)[k]
                for s, k in zip(sources, keeps, strict=True)
            ]
            arrays[col][:] = np.concatenate(parts) if parts else []

        def done(i: int) -> None:
            if release:
                out.release_pages()
                sources[i].release_pages()
            if pause is not None:
                pause()

        for plan in plans:
            plan.fill(arrays, keeps, kept, done)
    except BaseException:
        out.close(flush=False).unlink(missing_ok=True)
        raise
    return out.close(flush=release)
