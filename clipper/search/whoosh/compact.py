"""Compacting a rebuild's segments into one, streamed through a writable map.

A rebuild writes segments of ~8 million words (that bounds a build worker's memory),
so 100,000 clips leave ten, and every query pays per segment: term lookups, `where`,
phrase checks. Segments laid end to end need no re-sorting to become one: the merged
dictionary is the union of theirs, a term's postings are its postings in each segment
in turn (documents shifted by the clips before that segment) and so are its positions
(shifted by the words before it). Each source segment is scattered into the new file
in one vectorized pass per array, so memory stays at one source segment's size, not
the index's. Documents deleted in the sources are copied too; the caller marks them
deleted again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

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


def _exclusive_cumsum(counts: Ints) -> Ints:
    out = np.zeros(len(counts), dtype=np.int64)
    if len(counts) > 1:
        np.cumsum(counts[:-1], out=out[1:])
    return out


class _FieldPlan:
    """Where each source's part of one field goes in the compacted segment."""

    def __init__(self, name: str, fds: Sequence[FieldData | None], counts: Sequence[int]):
        self.name = name
        self.fds = fds
        self.positional = name in POSITIONAL
        listed = [fd.terms() if fd is not None else [] for fd in fds]
        self.terms = sorted(set().union(*listed))  # code point order = utf-8 byte order
        index = {t: i for i, t in enumerate(self.terms)}
        self.mids = [np.array([index[t] for t in ts], dtype=np.int64) for ts in listed]
        n = len(self.terms)
        self.df = np.zeros(n, dtype=np.int64)
        self.occ = np.zeros(n, dtype=np.int64)
        self.spans: list[int] = []  # words (with gaps) of each source, for positions
        for fd, mids, docs in zip(fds, self.mids, counts, strict=True):
            if fd is None:
                self.spans.append(docs)  # empty documents: a gap of one each
                continue
            self.df[mids] += fd.df.astype(np.int64)
            self.occ[mids] += _occurrences(fd)
            self.spans.append(int(fd.base[-1]) if fd.base is not None else docs)
        self.pstart = _exclusive_cumsum(self.df)
        self.xstart = _exclusive_cumsum(self.occ)
        if self.positional and sum(self.spans) > MAX_POSITION:
            raise ValueError(f"field {name}: too many words for one segment")

    def specs(self, docs: int) -> dict[str, tuple[np.dtype[np.generic], int]]:
        blob = sum(len(t.encode("utf-8")) for t in self.terms)
        n = len(self.terms)
        out: dict[str, tuple[np.dtype[np.generic], int]] = {
            "terms": (np.dtype(np.uint8), blob),
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
        self, arrays: dict[str, Array], counts: Sequence[int], done: Callable[[int], None]
    ) -> None:
        """Scatter each source into place; `done(i)` after source i (to hand pages back)."""
        name = self.name
        encoded = [t.encode("utf-8") for t in self.terms]
        arrays[f"{name}.terms"][:] = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        toff = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=toff[1:])
        arrays[f"{name}.toff"][:] = toff
        arrays[f"{name}.df"][:] = self.df
        arrays[f"{name}.pstart"][:] = self.pstart
        arrays[f"{name}.xstart"][:] = self.xstart
        out_docs, out_freqs = arrays[f"{name}.docs"], arrays[f"{name}.freqs"]
        pcursor = self.pstart.copy()
        xcursor = self.xstart.copy()
        doc_offset = word_offset = 0
        bases: list[Ints] = []
        for i, (fd, mids, docs, span) in enumerate(
            zip(self.fds, self.mids, counts, self.spans, strict=True)
        ):
            if fd is None:
                bases.append(np.arange(docs, dtype=np.int64) + word_offset)
            else:
                df = fd.df.astype(np.int64)
                shift = np.repeat(pcursor[mids] - fd.pstart.astype(np.int64), df)
                where = np.arange(len(shift), dtype=np.int64) + shift
                out_docs[where] = fd.docs.astype(np.int64) + doc_offset
                out_freqs[where] = fd.freqs
                pcursor[mids] += df
                if self.positional and fd.pos is not None and fd.base is not None:
                    occ = _occurrences(fd)
                    shift = np.repeat(xcursor[mids] - fd.xstart.astype(np.int64), occ)
                    where = np.arange(len(shift), dtype=np.int64) + shift
                    arrays[f"{name}.pos"][where] = fd.pos.astype(np.int64) + word_offset
                    xcursor[mids] += occ
                    bases.append(fd.base[:-1].astype(np.int64) + word_offset)
            doc_offset += docs
            word_offset += span
            done(i)
        if self.positional:
            out_base = arrays[f"{name}.base"]
            out_base[:-1] = np.concatenate(bases) if bases else np.zeros(0, dtype=np.int64)
            out_base[-1] = word_offset


def _occurrences(fd: FieldData) -> Ints:
    """Occurrences of each term in a segment's field (the sum of its frequencies)."""
    total = int(fd.freqs.sum(dtype=np.int64))
    return np.diff(np.append(fd.xstart.astype(np.int64), total))


def compact_segments(sources: Sequence[SegmentData], path: Path) -> Path:
    """One segment holding every document of `sources`, in their order; written under
    a temporary name, returned, for the caller to publish under the lock."""
    counts = [s.doc_count for s in sources]
    total = sum(counts)
    names = [n for n in (*POSITIONAL, *KEYWORD) if any(s.field(n) for s in sources)]
    plans = [_FieldPlan(n, [s.field(n) for s in sources], counts) for n in names]
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
        arrays["col.id"][:] = np.concatenate([s.ids for s in sources])
        arrays["col.rev"][:] = np.concatenate([s.revs for s in sources])
        arrays["col.date"][:] = np.concatenate([s.dates for s in sources])

        def done(i: int) -> None:
            out.release_pages()
            sources[i].release_pages()

        for plan in plans:
            plan.fill(arrays, counts, done)
    except BaseException:
        out.close().unlink(missing_ok=True)
        raise
    return out.close()
