"""Running a bulk import: resumable, duplicates skipped, failures collected.

An import is a list of pages (`capture.imports.ImportList`) clipped one after the other.
After each page a small state file in the library folder (`imports/<key>.json`) records
how far it got and what failed, written atomically; the same list imported again
(same key) continues after the last finished page, so an interrupted import of 2,000
bookmarks does not start over. A page whose URL is already in the library is skipped
without touching the network. One page failing never stops the others; the summary
lists every failure at the end. The state file goes once the import is complete.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from clipper.capture.imports import ImportItem, ImportList
from clipper.errors import describe_error
from clipper.library.clipping import ClipRequest

if TYPE_CHECKING:
    from clipper.capture.fetch import Fetcher
    from clipper.capture.pipeline import CaptureOptions
    from clipper.library.facade import Library

STATE_DIRNAME = "imports"


@dataclass
class ImportSummary:
    """Counts so far; `failures` are "page: reason" lines."""

    total: int = 0
    done: int = 0
    """Pages handled (stored, skipped or failed): the next page to do is `items[done]`."""
    new: int = 0
    updated: int = 0
    skipped: int = 0
    """Already in the library (by URL before fetching, or the same text after)."""
    failures: list[str] = field(default_factory=list)
    resumed_from: int = 0
    """Pages a previous, interrupted run of the same import had done."""
    clip_ids: list[int] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.done >= self.total

    def describe(self) -> str:
        parts = [f"{self.new} clipped"]
        if self.updated:
            parts.append(f"{self.updated} updated")
        parts.append(f"{self.skipped} already in the library")
        parts.append(f"{len(self.failures)} failed")
        text = f"Imported {self.done} of {self.total}: " + ", ".join(parts)
        if self.resumed_from:
            text += f" (resumed after {self.resumed_from})"
        return text


Progress = Callable[[ImportSummary, ImportItem], None]
"""Called after each page; raising (KeyboardInterrupt) stops the import, state kept."""


def state_path(library: Library, source: ImportList) -> Path:
    return library.location.folder / STATE_DIRNAME / f"{source.key()}.json"


def run_import(
    library: Library,
    source: ImportList,
    tags: Sequence[str] = (),
    *,
    fetcher: Fetcher | None = None,
    options: CaptureOptions | None = None,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> ImportSummary:
    """Clip every page of `source` not done by an earlier run; see the module doc."""
    from clipper.capture.fetch import Fetcher

    path = state_path(library, source)
    summary = _load(path, len(source.items))
    summary.failures = list(source.rejected) + [
        f for f in summary.failures if f not in source.rejected
    ]
    summary.resumed_from = summary.done
    own = fetcher is None
    fetcher = fetcher or Fetcher()
    try:
        for item in source.items[summary.done :]:
            if should_stop is not None and should_stop():
                break
            _one(library, item, tags, fetcher, options, summary)
            summary.done += 1
            _save(path, summary)
            if progress is not None:
                progress(summary, item)
    finally:
        if own:
            fetcher.close()
    if summary.complete:
        path.unlink(missing_ok=True)
    return summary


def _one(
    library: Library,
    item: ImportItem,
    tags: Sequence[str],
    fetcher: Fetcher,
    options: CaptureOptions | None,
    summary: ImportSummary,
) -> None:
    all_tags = list(dict.fromkeys([*tags, *item.tags]))
    try:
        if item.url is not None:
            existing = library.clips.find_url(item.url)
            if existing is not None:
                summary.skipped += 1
                summary.clip_ids.append(existing)
                return
            request = ClipRequest(url=item.url, tags=tuple(all_tags))
        else:
            request = ClipRequest(path=item.path, tags=tuple(all_tags))
        result = library.clips.clip(request, options=options, fetcher=fetcher).result
    except Exception as exc:  # noqa: BLE001 - one line per page, the import goes on
        summary.failures.append(f"{item.label}: {_reason(exc, item)}")
        return
    summary.clip_ids.append(result.clip_id)
    if result.status == "new":
        summary.new += 1
    elif result.status == "updated":
        summary.updated += 1
    else:
        summary.skipped += 1


def _reason(error: BaseException, item: ImportItem) -> str:
    text = describe_error(error)
    label = item.label
    return text[len(label) :].lstrip(" :") if text.startswith(label) else text


def _load(path: Path, total: int) -> ImportSummary:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        summary = ImportSummary(**data)
    except (OSError, ValueError, TypeError):
        return ImportSummary(total=total)
    if summary.total != total or not 0 <= summary.done <= total:
        return ImportSummary(total=total)
    return summary


def _save(path: Path, summary: ImportSummary) -> None:
    """Write-then-rename: a crash mid-write leaves the previous state, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(summary)), encoding="utf-8")
    os.replace(tmp, path)
