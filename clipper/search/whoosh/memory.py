"""Keeping a searching process small: mapped index pages and freed heap handed back."""

from __future__ import annotations

import ctypes
import functools
import os
from collections.abc import Callable, Iterable

from clipper.search.whoosh.segment import SegmentData


def resident_shared_mb() -> float:
    """Resident file-backed (shared) memory of this process, in MB; 0 where unknown."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            shared = int(statm.read().split()[2])
    except (OSError, ValueError, IndexError):
        return 0.0
    return shared * (os.sysconf("SC_PAGE_SIZE") / 1e6)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        trim: Callable[[int], int] = ctypes.CDLL("libc.so.6").malloc_trim
        return trim
    except (OSError, AttributeError):
        return None


def release_heap() -> None:
    """Give freed heap memory back to the system (glibc keeps big freed blocks of
    numpy's temporaries otherwise); nothing elsewhere."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


class PageBudget:
    """Hands mapped index pages back once resident file-backed memory has grown by
    `budget_mb` since the last time (libraries loaded meanwhile only make that come
    sooner). Checked after each search: a read of /proc/self/statm."""

    def __init__(self, budget_mb: int) -> None:
        self.budget_mb = budget_mb
        self._base = resident_shared_mb()

    def check(self, segments: Iterable[SegmentData]) -> None:
        if resident_shared_mb() - self._base > self.budget_mb:
            for data in segments:
                data.release_pages()
            release_heap()
            self._base = resident_shared_mb()
