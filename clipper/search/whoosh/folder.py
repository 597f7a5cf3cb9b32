"""The index folder: Whoosh's table of contents and storage, our format marker.

The index is a cache of the database: a folder of another format (an older Clipper,
no marker) or one that cannot be read is recreated empty, and the library refills it.
"""

from __future__ import annotations

import gc
import json
import logging
import pickle
import shutil
import struct
import warnings
import zlib
from collections.abc import Callable
from pathlib import Path

from whoosh import index as windex
from whoosh.index import FileIndex

from clipper.search.backend import SearchIndexError
from clipper.search.whoosh.codec import ArraySegment
from clipper.search.whoosh.options import IndexOptions
from clipper.search.whoosh.schema import build_schema
from clipper.search.whoosh.segment import SegmentCorrupt, SegmentData

log = logging.getLogger(__name__)

INDEX_NAME = "clipper"
MARKER = "clipper-index.json"
_CORRUPT = (
    OSError,
    EOFError,
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    ImportError,
    struct.error,
    zlib.error,
    pickle.UnpicklingError,
    windex.IndexError,
    SegmentCorrupt,
)
"""What reading a damaged index folder has been seen to raise (a cache: recreate it)."""


class IndexUnreadable(Exception):
    """The folder holds an index of our format that cannot be read."""


def _fingerprint_ok(folder: Path, options: IndexOptions) -> bool:
    try:
        meta = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(meta == options.fingerprint())


def open_folder(
    folder: Path, options: IndexOptions, load: Callable[[ArraySegment], SegmentData]
) -> FileIndex | None:
    """The index in `folder`, every segment mapped through `load`; None when there is
    no index of this format (`IndexUnreadable` when there is one, damaged)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SearchIndexError(f"Cannot create the search index folder: {exc}") from exc
    if not _fingerprint_ok(folder, options):
        log.info("no search index of this format in %s: creating one", folder)
        return None
    with warnings.catch_warnings():
        # Whoosh leaves the table of contents open when it fails to read it; it is
        # closed by the collection below, quietly, not at a random later time.
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            ix = windex.open_dir(str(folder), indexname=INDEX_NAME)
            for seg in ix._read_toc().segments:
                load(seg)
            return ix
        except _CORRUPT as exc:
            reason = f"{type(exc).__name__}: {exc}"  # not `exc`: logs keep their args
            log.warning("search index in %s unreadable (%s): recreating", folder, reason)
        gc.collect()
    raise IndexUnreadable(str(folder))


def create_folder(folder: Path, options: IndexOptions) -> FileIndex:
    """A new empty index in `folder` (files of an older one removed)."""
    for path in folder.iterdir():
        name = path.name
        if name == MARKER or name.startswith((INDEX_NAME, "_" + INDEX_NAME)):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
    try:
        ix = windex.create_in(str(folder), build_schema(), indexname=INDEX_NAME)
        (folder / MARKER).write_text(json.dumps(options.fingerprint()), encoding="utf-8")
    except OSError as exc:
        raise SearchIndexError(f"Cannot create the search index: {exc}") from exc
    return ix
