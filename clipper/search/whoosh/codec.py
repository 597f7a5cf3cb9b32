"""Our Whoosh codec: segments of arrays (see `segment.py`) behind Whoosh's codec API.

Whoosh keeps doing what it is good at: the schema, the table of contents with its
generations, the segment list and each segment's deletions, the write lock, the storage
folder and cleaning up old files. Segments are written by `builder.py` in one go, never
posting by posting, so the codec's writer half refuses Whoosh's own writer. The reader
half serves Whoosh's `IndexReader` API (terms, postings matchers, columns), so a plain
`whoosh.index.open_dir(...).searcher()` can still read a Clipper index (tests use it).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from whoosh.codec import base
from whoosh.matching import ListMatcher
from whoosh.reading import TermInfo, TermNotFound

from clipper.search.whoosh.segment import SegmentData

EXT = ".arr"
COLUMNS = {"id": "ids", "rev": "revs", "date": "dates"}


class ArraySegment(base.Segment):
    """A segment in the table of contents: id, document count, deleted docnums."""

    def __init__(self, indexname: str, doccount: int = 0, segid: str | None = None) -> None:
        super().__init__(indexname)
        if segid is not None:
            self.segid = segid
        self._doccount = doccount
        self._deleted: set[int] | None = None

    def codec(self, **kwargs: Any) -> ArrayCodec:
        return ArrayCodec()

    def filename(self) -> str:
        return str(self.make_filename(EXT))

    def set_doc_count(self, doccount: int) -> None:
        self._doccount = doccount

    def doc_count_all(self) -> int:
        return self._doccount

    def deleted_count(self) -> int:
        return len(self._deleted) if self._deleted else 0

    def deleted_docs(self) -> Iterator[int]:
        return iter(self._deleted or ())

    def deleted_set(self) -> frozenset[int]:
        return frozenset(self._deleted or ())

    def delete_document(self, docnum: int, delete: bool = True) -> None:
        if delete:
            if self._deleted is None:
                self._deleted = set()
            self._deleted.add(docnum)
        elif self._deleted:
            self._deleted.discard(docnum)

    def is_deleted(self, docnum: int) -> bool:
        return bool(self._deleted) and docnum in self._deleted  # type: ignore[operator]

    def should_assemble(self) -> bool:
        return False


def _data(storage: Any, segment: ArraySegment) -> SegmentData:
    return SegmentData(Path(storage.folder) / segment.filename())


class ArrayCodec(base.Codec):
    length_stats = False

    def per_document_writer(self, storage: Any, segment: Any) -> Any:
        raise NotImplementedError("Clipper segments are written by clipper.search.whoosh.builder")

    def field_writer(self, storage: Any, segment: Any) -> Any:
        raise NotImplementedError("Clipper segments are written by clipper.search.whoosh.builder")

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        raise NotImplementedError

    def postings_reader(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    def terms_reader(self, storage: Any, segment: ArraySegment) -> ArrayTermsReader:
        return ArrayTermsReader(_data(storage, segment))

    def per_document_reader(self, storage: Any, segment: ArraySegment) -> ArrayPerDocReader:
        return ArrayPerDocReader(_data(storage, segment), segment)

    def new_segment(self, storage: Any, indexname: str) -> ArraySegment:
        return ArraySegment(indexname)


class ArrayTermsReader(base.TermsReader):
    def __init__(self, data: SegmentData) -> None:
        self._data = data

    def _find(self, fieldname: str, text: Any) -> tuple[Any, int]:
        fd = self._data.field(fieldname)
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        i = fd.find(text) if fd is not None else -1
        if fd is None or i < 0:
            raise TermNotFound(f"{fieldname}:{text!r}")
        return fd, i

    def __contains__(self, term: Any) -> bool:
        try:
            self._find(*term)
        except TermNotFound:
            return False
        return True

    def terms(self) -> Iterator[tuple[str, bytes]]:
        for name in sorted(self._data.fields):
            for t in self._data.fields[name].terms():
                yield name, t.encode("utf-8")

    def terms_from(self, fieldname: str, prefix: Any) -> Iterator[tuple[str, bytes]]:
        if isinstance(prefix, bytes):
            prefix = prefix.decode("utf-8")
        for name, t in self.terms():
            if (name, t) >= (fieldname, prefix.encode("utf-8")):
                yield name, t

    def items(self) -> Iterator[tuple[tuple[str, bytes], TermInfo]]:
        for name, t in self.terms():
            yield (name, t), self.term_info(name, t)

    def items_from(
        self, fieldname: str, prefix: Any
    ) -> Iterator[tuple[tuple[str, bytes], TermInfo]]:
        for name, t in self.terms_from(fieldname, prefix):
            yield (name, t), self.term_info(name, t)

    def term_info(self, fieldname: str, text: Any) -> TermInfo:
        fd, i = self._find(fieldname, text)
        p = fd.postings(i)
        if not len(p.docs):
            return TermInfo()
        lengths = fd.lengths()[p.docs] if fd.base is not None else p.freqs
        return TermInfo(
            weight=float(p.freqs.sum()),
            df=len(p.docs),
            minlength=int(lengths.min()),
            maxlength=int(lengths.max()),
            maxweight=float(p.freqs.max()),
            minid=int(p.docs[0]),
            maxid=int(p.docs[-1]),
        )

    def frequency(self, fieldname: str, text: Any) -> float:
        """0 for a term this segment lacks, as Whoosh's own codec (a multi-segment
        search sums over every segment)."""
        if (fieldname, text) not in self:
            return 0.0
        fd, i = self._find(fieldname, text)
        return float(fd.postings(i).freqs.sum())

    def doc_frequency(self, fieldname: str, text: Any) -> int:
        if (fieldname, text) not in self:
            return 0
        fd, i = self._find(fieldname, text)
        return int(fd.df[i])

    def matcher(self, fieldname: str, text: Any, format_: Any, scorer: Any = None) -> ListMatcher:
        fd, i = self._find(fieldname, text)
        p = fd.postings(i)
        return ListMatcher(
            p.docs.tolist(),
            [float(f) for f in p.freqs.tolist()],
            scorer=scorer,
            term=(fieldname, text),
            terminfo=self.term_info(fieldname, text),
        )

    def indexed_field_names(self) -> list[str]:
        return sorted(self._data.fields)

    def close(self) -> None:
        self._data.close()


class _Column(list[Any]):
    """A column as Whoosh's column readers present it (indexable, iterable, loadable)."""

    def sort_key(self, docnum: int) -> Any:
        return self[docnum]

    def load(self) -> list[Any]:
        return list(self)


class ArrayPerDocReader(base.PerDocumentReader):
    def __init__(self, data: SegmentData, segment: ArraySegment) -> None:
        self._data = data
        self._segment = segment

    def doc_count(self) -> int:
        return int(self._segment.doc_count())

    def doc_count_all(self) -> int:
        return self._data.doc_count

    def has_deletions(self) -> bool:
        return bool(self._segment.has_deletions())

    def is_deleted(self, docnum: int) -> bool:
        return self._segment.is_deleted(docnum)

    def deleted_docs(self) -> Iterator[int]:
        return self._segment.deleted_docs()

    def supports_columns(self) -> bool:
        return True

    def has_column(self, fieldname: str) -> bool:
        return fieldname in COLUMNS

    def column_reader(self, fieldname: str, column: Any) -> _Column:
        return _Column(getattr(self._data, COLUMNS[fieldname]).tolist())

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        fd = self._data.field(fieldname)
        if fd is None or fd.base is None:
            return default
        return int(fd.base[docnum + 1]) - int(fd.base[docnum]) - 1

    def field_length(self, fieldname: str) -> int:
        fd = self._data.field(fieldname)
        return int(fd.lengths().sum()) if fd is not None else 0

    def min_field_length(self, fieldname: str) -> int:
        fd = self._data.field(fieldname)
        return int(fd.lengths().min()) if fd is not None and self._data.doc_count else 0

    def max_field_length(self, fieldname: str) -> int:
        fd = self._data.field(fieldname)
        return int(fd.lengths().max()) if fd is not None and self._data.doc_count else 0

    def has_vector(self, docnum: int, fieldname: str) -> bool:
        return False

    def stored_fields(self, docnum: int) -> dict[str, Any]:
        return {}

    def close(self) -> None:
        self._data.close()
