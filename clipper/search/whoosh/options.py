"""The local index's tunables, each measured in `benchmarks/search.py`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clipper.search.whoosh.engine import Weighting
from clipper.search.whoosh.schema import SCHEMA_VERSION


@dataclass(frozen=True)
class IndexOptions:
    """Choices measured in benchmarks/search.py; the defaults are the measured winners."""

    weighting: Weighting = "tfidf"
    rebuild_words: int = 8_000_000
    """Words (of the catch-all field) per segment in `rebuild`: bounds its memory."""
    rebuild_procs: int = 2
    """Worker processes building a rebuild's segments (the machines we run on have 2
    cores; one means in this process)."""
    result_cache: int = 32
    """Result lists kept per view: paging and re-typing reuse them."""
    lock_timeout: float = 5.0
    """Seconds to wait for another process (the CLI, the app) to finish writing."""
    merge_factor: int = 8
    """Segments of one size tier (powers of ten of clips) that trigger a merge."""
    merge_max_docs: int = 10_000
    """A background merge writes at most this many clips (a rebuild's big segments are
    never merged behind the user's back: that is `optimize`)."""
    mapped_budget_mb: int = 32
    """Index pages a process keeps resident before handing them back to the page cache
    (checked after each search, a read of /proc/self/statm): the app's memory stays
    flat however much is read."""
    background_merge: bool = True
    """Merge in a thread (the app, the CLI); False merges inside the commit (tests)."""
    rebuild_compact: bool = True
    """After a rebuild, compact its segments into one (`compact.py`): every query pays
    per segment, and a 100k rebuild leaves ten."""

    def fingerprint(self) -> dict[str, Any]:
        """What must match for an existing index to be reused."""
        return {"schema": SCHEMA_VERSION, "format": "arrays"}
