"""The union of segments' term dictionaries, without a Python step per term.

A segment stores its sorted terms as one utf-8 blob plus offsets. Laying segments end
to end (`compact.py`) needs the union of their dictionaries and each source term's
place in it. With the terms as fixed-width `S` arrays that is one `np.unique` in C
(bytes order, and utf-8 byte order is code point order, the dictionary's order), not a
dict lookup per term per segment; the interpreter's lock stays free for the writes a
background merge must not slow down. `S` arrays cannot hold a term ending in a NUL
byte (a tag could): such dictionaries take the Python path.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
Bytes = npt.NDArray[np.uint8]
Dictionary = tuple[Bytes, npt.NDArray[Any]]
"""A stored dictionary: the utf-8 blob and the (n + 1) offsets of its terms."""


def _table(blob: Bytes, toff: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """A dictionary as a 1-d `S<width>` array, in its own order."""
    offsets = toff.astype(np.int64)
    lens = np.diff(offsets)
    n = len(lens)
    width = max(int(lens.max()) if n else 0, 1)
    grid = np.zeros((n, width), dtype=np.uint8)
    total = int(offsets[-1] - offsets[0]) if n else 0
    if total:
        rows = np.repeat(np.arange(n, dtype=np.int64), lens)
        cols = np.arange(total, dtype=np.int64) - np.repeat(offsets[:-1] - offsets[0], lens)
        grid[rows, cols] = blob[int(offsets[0]) : int(offsets[-1])]
    return grid.view(f"S{width}").reshape(n)


def _decode(blob: Bytes, toff: npt.NDArray[Any]) -> list[bytes]:
    raw = bytes(blob)
    offsets = toff.tolist()
    return [raw[offsets[i] : offsets[i + 1]] for i in range(len(offsets) - 1)]


class Union:
    """The sorted union of some dictionaries; `mids[i]` maps dictionary i's terms
    (in their order) to their index in the union."""

    def __init__(self, dictionaries: Sequence[Dictionary]) -> None:
        self._terms: npt.NDArray[Any] | list[bytes]
        self.mids: list[Ints]
        if any(len(blob) and (blob == 0).any() for blob, _ in dictionaries):
            listed = [_decode(blob, toff) for blob, toff in dictionaries]
            self._terms = sorted(set().union(*listed))
            index = {t: i for i, t in enumerate(self._terms)}
            self.mids = [np.array([index[t] for t in ts], dtype=np.int64) for ts in listed]
            return
        tables = [_table(blob, toff) for blob, toff in dictionaries]
        if not tables:
            self._terms, self.mids = np.zeros(0, dtype="S1"), []
            return
        self._terms, inverse = np.unique(np.concatenate(tables), return_inverse=True)
        inverse = inverse.reshape(-1).astype(np.int64, copy=False)
        bounds = np.cumsum([0, *(len(t) for t in tables)]).tolist()
        self.mids = [inverse[a:b] for a, b in itertools.pairwise(bounds)]

    def __len__(self) -> int:
        return len(self._terms)

    def encode(self, which: Ints) -> tuple[Bytes, Ints]:
        """The stored form (blob, offsets) of the union's terms `which` (ascending)."""
        n = len(which)
        toff = np.zeros(n + 1, dtype=np.int64)
        if isinstance(self._terms, list):
            chosen = [self._terms[i] for i in which.tolist()]
            np.cumsum([len(t) for t in chosen], out=toff[1:])
            return np.frombuffer(b"".join(chosen), dtype=np.uint8), toff
        if not n:
            return np.zeros(0, dtype=np.uint8), toff
        terms = self._terms[which]
        lens = np.strings.str_len(terms).astype(np.int64)
        np.cumsum(lens, out=toff[1:])
        width = terms.dtype.itemsize
        grid = np.ascontiguousarray(terms).view(np.uint8).reshape(n, width)
        return grid[np.arange(width) < lens[:, None]], toff
