"""One segment's arrays on disk: the format our Whoosh codec reads and writes.

A segment is one file, `<segment id>.arr`: a small JSON header naming every array
(dtype, offset, length), then the arrays themselves, little-endian and 8-byte aligned,
so that a reader maps the file and views each array with `numpy.frombuffer` without
copying or unpickling anything. Per indexed field:

- `terms` (utf-8 bytes, sorted) and `toff` (offsets): the term dictionary, searched by
  bisection; sorted order also gives prefix ranges.
- `df`, `pstart`, `xstart` per term: document frequency, first posting, first position.
- `docs`, `freqs` per posting: segment-local document numbers (ascending within a term)
  and how often the term occurs there.
- `pos` per occurrence (positional fields only): a *global* position, the document's
  `base` plus the word's position in it. Documents are laid end to end with a gap of
  one, so positions of a term are ascending across its whole postings list and a phrase
  check is one `searchsorted` per candidate position instead of a walk per document.
- `base` per document (ndocs + 1): where each document starts; a document's length in
  words is `base[d + 1] - base[d] - 1`.

Columns: `col.id`, `col.rev` (uint64) and `col.date` (int64, `NO_DATE` when missing).
The header also records the file size: a truncated file is refused on open.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import mmap
import os
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

MAGIC = b"CLPSEG01"
NO_DATE = np.iinfo(np.int64).min
"""`col.date` of a clip with neither a published nor a clipped date."""

U4 = np.dtype("<u4")
U8 = np.dtype("<u8")
I8 = np.dtype("<i8")
F8 = np.dtype("<f8")
EMPTY_U4: npt.NDArray[np.uint32] = np.zeros(0, dtype=U4)

Array = npt.NDArray[Any]
SAMPLE = 64
"""Every 64th term of a dictionary is kept in memory to narrow a lookup."""
FIND_CACHE = 20_000
"""Term lookups remembered per field and segment."""


class SegmentCorrupt(Exception):
    """A segment file is missing, truncated or not ours."""


def _align(n: int) -> int:
    return (n + 7) & ~7


def _layout(
    specs: Mapping[str, tuple[np.dtype[Any], int]], meta: Mapping[str, Any]
) -> tuple[bytes, int, int, dict[str, list[Any]]]:
    """The header (raw JSON), where the data starts, the file size, each array's entry."""
    entries: dict[str, list[Any]] = {}
    offset = 0
    for name, (dtype, count) in specs.items():
        entries[name] = [dtype.str, offset, int(count)]
        offset = _align(offset + dtype.itemsize * int(count))
    header: dict[str, Any] = {"arrays": entries, "meta": dict(meta), "data": offset, "size": 0}
    while True:  # the size's own digits can move the data start: repeat until stable
        raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
        start = _align(len(MAGIC) + 8 + len(raw))
        if header["size"] == start + offset:
            return raw, start, start + offset, entries
        header["size"] = start + offset


def _temp_name(path: Path) -> Path:
    # A dot name: Whoosh's clean-up of old files skips it while another commit runs.
    return path.with_name("." + path.name + ".tmp")


def write_arrays(
    path: Path, arrays: Mapping[str, Array], meta: Mapping[str, Any], publish: bool = True
) -> Path:
    """Write `arrays` (name -> 1-d array) to `path` atomically (temp file + rename).

    With `publish=False` the file stays under its temporary name, returned, for the
    caller to rename when it holds the write lock."""
    ordered: dict[str, Array] = {}
    for name, arr in arrays.items():
        arr = np.ascontiguousarray(arr)
        if arr.dtype.byteorder == ">" or (arr.dtype.byteorder == "=" and not _little()):
            arr = arr.astype(arr.dtype.newbyteorder("<"))
        ordered[name] = arr
    raw, start, size, entries = _layout({n: (a.dtype, a.size) for n, a in ordered.items()}, meta)
    tmp = _temp_name(path)
    with open(tmp, "wb") as f:
        f.write(MAGIC)
        f.write(len(raw).to_bytes(8, "little"))
        f.write(raw)
        f.write(b"\0" * (start - f.tell()))
        for name, arr in ordered.items():
            f.write(b"\0" * (start + entries[name][1] - f.tell()))
            f.write(arr.view(np.uint8).data if arr.size else b"")
        f.write(b"\0" * (size - f.tell()))
    if not publish:
        return tmp
    os.replace(tmp, path)
    return path


class NewSegmentFile:
    """A segment file laid out in advance and filled in place through writable maps,
    for segments too big to assemble in memory (see `compact`). Stays under its
    temporary name (`path`) until the caller renames it."""

    def __init__(
        self, path: Path, specs: Mapping[str, tuple[np.dtype[Any], int]], meta: Mapping[str, Any]
    ) -> None:
        raw, start, size, entries = _layout(
            {n: (np.dtype(d).newbyteorder("<"), c) for n, (d, c) in specs.items()}, meta
        )
        self.path = _temp_name(path)
        with open(self.path, "wb") as f:
            f.write(MAGIC)
            f.write(len(raw).to_bytes(8, "little"))
            f.write(raw)
            f.truncate(size)
        self._file = open(self.path, "r+b")  # noqa: SIM115 - closed in close()
        self._mm: mmap.mmap | None = mmap.mmap(self._file.fileno(), size) if size else None
        self.arrays: dict[str, Array] = {}
        for name, (dtype, offset, count) in entries.items():
            self.arrays[name] = np.frombuffer(
                self._mm if self._mm is not None else b"",
                dtype=np.dtype(dtype),
                count=count,
                offset=start + offset,
            )

    def release_pages(self) -> None:
        """Write what is filled so far and drop it from our resident set: a 100k
        compaction would otherwise hold the whole new file resident."""
        advise = getattr(mmap, "MADV_DONTNEED", None)
        if self._mm is not None and advise is not None:
            self._mm.flush()
            with contextlib.suppress(OSError, ValueError):
                self._mm.madvise(advise)

    def close(self, flush: bool = True) -> Path:
        """Flush (unless not `flush`: the kernel writes the pages back in its own time, as
        after a `write`; `msync` holds the interpreter's lock) and unmap; the arrays must
        not be used after this."""
        self.arrays.clear()
        if self._mm is not None:
            if flush:
                self._mm.flush()
            with contextlib.suppress(BufferError):
                self._mm.close()
            self._mm = None
        self._file.close()
        return self.path


def _little() -> bool:
    return bool(np.little_endian)


class _Terms(Sequence[bytes]):
    """The sorted term dictionary of one field, as a sequence for `bisect`."""

    def __init__(self, blob: memoryview, toff: memoryview) -> None:
        self._blob = blob
        self._toff = toff

    def __len__(self) -> int:
        return len(self._toff) - 1

    def __getitem__(self, i: int) -> bytes:  # type: ignore[override]
        toff = self._toff
        return bytes(self._blob[toff[i] : toff[i + 1]])


@dataclass(frozen=True)
class Postings:
    """One term's postings in one segment (views into the mapped file)."""

    docs: npt.NDArray[np.uint32]
    freqs: npt.NDArray[np.uint32]
    first_pos: int
    """Index in the field's `pos` array of this term's first occurrence."""


class FieldData:
    """One field of a mapped segment."""

    def __init__(self, name: str, arrays: Mapping[str, Array]) -> None:
        self.name = name
        self.blob: Array = arrays["terms"]
        self.toff: Array = arrays["toff"]
        self.df: Array = arrays["df"]
        self.pstart: Array = arrays["pstart"]
        self.xstart: Array = arrays["xstart"]
        self.docs: Array = arrays["docs"]
        self.freqs: Array = arrays["freqs"]
        self.pos: Array | None = arrays.get("pos")
        self.base: Array | None = arrays.get("base")
        self._found: dict[str, int] = {}
        self._ranges: dict[str, tuple[int, int]] = {}
        self._sample: list[bytes] | None = None
        self._terms = _Terms(self.blob.data, self.toff.data.cast("B").cast("I"))

    @property
    def term_count(self) -> int:
        return len(self._terms)

    def find(self, term: str) -> int:
        """Index of `term` in the dictionary, or -1 (cached: typing and `where` ask
        for the same few terms again and again)."""
        found = self._found.get(term)
        if found is None:
            key = term.encode("utf-8")
            terms = self._terms
            i = self._bisect(key)
            found = i if i < len(terms) and terms[i] == key else -1
            if len(self._found) >= FIND_CACHE:
                self._found.clear()
            self._found[term] = found
        return found

    def prefix_range(self, prefix: str) -> tuple[int, int]:
        """[lo, hi) of the terms starting with `prefix` (utf-8 never holds 0xff)."""
        found = self._ranges.get(prefix)
        if found is None:
            key = prefix.encode("utf-8")
            found = (self._bisect(key), self._bisect(key + b"\xff"))
            if len(self._ranges) >= FIND_CACHE:
                self._ranges.clear()
            self._ranges[prefix] = found
        return found

    def _bisect(self, key: bytes) -> int:
        """`bisect_left` over the dictionary: first among every 64th term (a list of
        bytes, compared in C), then within that block of the mapped file."""
        terms = self._terms
        if self._sample is None:
            self._sample = [terms[i] for i in range(0, len(terms), SAMPLE)]
        block = bisect_left(self._sample, key)
        if block == 0:
            return 0
        lo = (block - 1) * SAMPLE
        return bisect_left(terms, key, lo, min(lo + SAMPLE, len(terms)))

    def term(self, i: int) -> str:
        return self._terms[i].decode("utf-8")

    def term_range(self, lo: int, hi: int) -> list[str]:
        """Terms lo..hi-1, decoded."""
        toff = self.toff[lo : hi + 1].tolist()
        raw = bytes(self.blob[toff[0] : toff[-1]])
        first = toff[0]
        return [raw[a - first : b - first].decode("utf-8") for a, b in itertools.pairwise(toff)]

    def terms(self) -> list[str]:
        """Every term, decoded (for merges and Whoosh's term iteration)."""
        raw = bytes(self.blob)
        toff = self.toff.tolist()
        return [raw[toff[i] : toff[i + 1]].decode("utf-8") for i in range(len(toff) - 1)]

    def postings(self, i: int) -> Postings:
        start = int(self.pstart[i])
        end = start + int(self.df[i])
        return Postings(self.docs[start:end], self.freqs[start:end], int(self.xstart[i]))

    def lengths(self) -> npt.NDArray[np.int64]:
        """Words per document (positional fields)."""
        if self.base is None:
            return np.zeros(0, dtype=np.int64)
        return np.asarray(np.diff(self.base.astype(np.int64)) - 1, dtype=np.int64)


class SegmentData:
    """A mapped segment file: fields, columns and the document count."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            with open(path, "rb") as f:
                size = os.fstat(f.fileno()).st_size
                self._mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if size else None
        except (OSError, ValueError) as exc:
            raise SegmentCorrupt(f"{path.name}: {exc}") from exc
        if self._mm is None:
            raise SegmentCorrupt(f"{path.name}: empty file")
        try:
            self._parse(size)
        except SegmentCorrupt:
            self.close()
            raise
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            self.close()
            raise SegmentCorrupt(f"{path.name}: {exc}") from exc

    def _parse(self, size: int) -> None:
        mm = self._mm
        assert mm is not None
        if mm[: len(MAGIC)] != MAGIC:
            raise SegmentCorrupt(f"{self.path.name}: not a Clipper segment")
        hlen = int.from_bytes(mm[len(MAGIC) : len(MAGIC) + 8], "little")
        header = json.loads(mm[len(MAGIC) + 8 : len(MAGIC) + 8 + hlen])
        if header.get("size") != size:
            raise SegmentCorrupt(
                f"{self.path.name}: {size} bytes where {header.get('size')} were written"
            )
        start = _align(len(MAGIC) + 8 + hlen)
        arrays: dict[str, Array] = {}
        for name, (dtype, offset, count) in header["arrays"].items():
            arrays[name] = np.frombuffer(
                mm, dtype=np.dtype(dtype), count=count, offset=start + offset
            )
        self.meta: dict[str, Any] = header["meta"]
        self.doc_count: int = int(self.meta["docs"])
        self.fields: dict[str, FieldData] = {}
        names = {n.split(".", 1)[0] for n in arrays if not n.startswith("col.")}
        for fname in names:
            prefix = fname + "."
            sub = {n[len(prefix) :]: a for n, a in arrays.items() if n.startswith(prefix)}
            self.fields[fname] = FieldData(fname, sub)
        self.ids: npt.NDArray[np.uint64] = arrays["col.id"]
        self.revs: npt.NDArray[np.uint64] = arrays["col.rev"]
        self.dates: npt.NDArray[np.int64] = arrays["col.date"]
        if not (len(self.ids) == len(self.revs) == len(self.dates) == self.doc_count):
            raise SegmentCorrupt(f"{self.path.name}: column lengths differ")

    def release_pages(self) -> None:
        """Let the kernel drop this file's pages from our resident set (they stay in
        the page cache: the next read is a minor fault, not disk)."""
        mm = self._mm
        advise = getattr(mmap, "MADV_DONTNEED", None)
        if mm is not None and advise is not None:
            with contextlib.suppress(OSError, ValueError):
                mm.madvise(advise)

    def release(self, arr: Array) -> None:
        """Hand back the pages under `arr` (a view into this file) after a long read of
        it: a broad prefix reads millions of postings, which would otherwise stay
        resident until the end of the search."""
        mm = self._mm
        advise = getattr(mmap, "MADV_DONTNEED", None)
        if mm is None or advise is None or not arr.nbytes:
            return
        with contextlib.suppress(OSError, ValueError, BufferError):
            base = np.frombuffer(mm, dtype=np.uint8, count=1).__array_interface__["data"][0]
            start = arr.__array_interface__["data"][0] - base
            page = mmap.PAGESIZE
            lo = start - start % page
            hi = min(len(mm), start + arr.nbytes)
            if 0 <= lo < hi:
                mm.madvise(advise, lo, hi - lo)

    def field(self, name: str) -> FieldData | None:
        return self.fields.get(name)

    def close(self) -> None:
        """Unmap, unless arrays still view the mapping (a search of an older view may
        be running): then it goes when they do. Fields stay usable either way."""
        mm, self._mm = self._mm, None
        if mm is not None:
            with contextlib.suppress(BufferError):  # arrays still view it: it goes with them
                mm.close()
