"""A browser page into the library, and what the extension is told about it.

The page goes through the facade's one clipping operation (`Library.clip` with
`ClipRequest.for_page`, see `library/clipping.py`): the saved-page path with its URL as
the base, the images the browser sent used before any fetch, its selection made a
passage. The app runs the two halves on its fetch pool and writer thread (the clip
queue); `clipper serve` one after the other (`clip_page`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from clipper.library.clipping import ClipRequest
from clipper.library.types import ClipResult

if TYPE_CHECKING:
    from clipper.capture.fetch import Fetcher
    from clipper.capture.pipeline import CaptureOptions
    from clipper.endpoint.payload import BrowserPage
    from clipper.library import Library


@dataclass(frozen=True)
class PageClipped:
    """What the extension is told: the clip, and what became of the selection."""

    result: ClipResult

    def as_json(self) -> dict[str, Any]:
        warnings = list(self.result.warnings)
        if self.result.passage_problem:
            warnings.insert(0, f"highlight not added: {self.result.passage_problem}")
        return {
            "ok": True,
            "status": self.result.status,
            "clip_id": self.result.clip_id,
            "title": self.result.title,
            "url": self.result.url,
            "highlight_id": self.result.passage_id,
            "warnings": warnings,
        }


def clip_page(
    library: Library,
    page: BrowserPage,
    fetcher: Fetcher | None,
    options: CaptureOptions | None = None,
) -> PageClipped:
    """Clip a page the extension sent (a link without HTML is fetched)."""
    changes = library.clips.clip(ClipRequest.for_page(page), options=options, fetcher=fetcher)
    return PageClipped(changes.result)
