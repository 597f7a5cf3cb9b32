"""A browser page into the library: the same steps as a saved page, plus its highlight.

Split in two like every clip: `capture_page` does the fallible work (extraction, images)
without the database, `store_page` writes through the `Library` facade, so the app runs
them on its fetch pool and its writer thread, and `clipper serve` one after the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from clipper.endpoint.payload import BrowserPage, Selection
from clipper.errors import ClipperError, describe_error
from clipper.library.types import Changes, ClipResult

if TYPE_CHECKING:
    from clipper.capture.fetch import Fetcher
    from clipper.capture.pipeline import Capture, CaptureOptions, Progress
    from clipper.library import Library


@dataclass(frozen=True)
class PageClipped:
    """What the extension is told: the clip, and what became of the selection."""

    result: ClipResult
    highlight_id: int | None = None
    highlight_problem: str = ""

    def as_json(self) -> dict[str, Any]:
        warnings = list(self.result.warnings)
        if self.highlight_problem:
            warnings.insert(0, f"highlight not added: {self.highlight_problem}")
        return {
            "ok": True,
            "status": self.result.status,
            "clip_id": self.result.clip_id,
            "title": self.result.title,
            "url": self.result.url,
            "highlight_id": self.highlight_id,
            "warnings": warnings,
        }


def capture_page(
    page: BrowserPage,
    fetcher: Fetcher | None,
    options: CaptureOptions | None = None,
    progress: Progress | None = None,
) -> Capture:
    """The rendered page with its URL as the base; a link (no HTML) is fetched."""
    from clipper.capture.pipeline import capture_html, capture_url

    if page.html is None:
        if fetcher is None:
            raise ClipperError(f"{page.url}: a link needs the network to be clipped")
        return capture_url(page.url, fetcher, options, progress)
    return capture_html(page.html, page.url, fetcher, options, progress, page.images)


def store_page(library: Library, page: BrowserPage, capture: Capture) -> Changes[PageClipped]:
    stored = library.store(capture, page.tags)
    result = stored.result
    if page.selection is None:
        return stored.with_result(PageClipped(result))
    try:
        highlight = add_highlight(library, result.clip_id, page.selection)
    except ClipperError as exc:  # the clip is kept; the extension says why
        return stored.with_result(PageClipped(result, highlight_problem=describe_error(exc)))
    return stored.merged(highlight).with_result(PageClipped(result, highlight_id=highlight.result))


def add_highlight(library: Library, clip_id: int, selection: Selection) -> Changes[int]:
    """The selection as a passage, once: clipping the same selection again adds none.
    The result is the passage's id."""
    for known in library.annotations(clip_id):
        if known.exact == selection.exact:
            return Changes(result=known.id)
    try:
        added = library.annotate_quote(
            clip_id, selection.exact, prefix=selection.prefix, suffix=selection.suffix
        )
    except ClipperError:  # the page's context can differ from the clip's text
        added = library.annotate_quote(clip_id, selection.exact)
    return added.with_result(added.result.id)


def clip_page(
    library: Library,
    page: BrowserPage,
    fetcher: Fetcher | None,
    options: CaptureOptions | None = None,
) -> PageClipped:
    return store_page(library, page, capture_page(page, fetcher, options)).result
