"""Clipping as one operation of the facade: fetch, extract, store, index.

Every door calls it: `clipper clip`, imports (CLI and window), the browser endpoint
(`clipper serve` and the app) and the window's clip queue. It has two halves because
the window runs them on two threads: `ClipJob.capture` does all the fallible work
(network, extraction, images) without the database, many at once on the fetch pool;
`ClipJob.store` is the one write (the writer thread, an operation whose `Changes` the
views hear). `Library.clip` runs both in turn. Progress is one line at a time;
cancelling is checked at every progress step and before the write, so a cancelled
clip stores nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from clipper.errors import ClipperError, describe_error
from clipper.library.types import Changes, ClipResult

if TYPE_CHECKING:  # extraction (trafilatura, lxml, Pillow, httpx) loads on the first clip
    from clipper.capture.fetch import Fetcher
    from clipper.capture.pipeline import Capture, CaptureOptions
    from clipper.endpoint.payload import BrowserPage, Selection
    from clipper.library.facade import Library

Progress = Callable[[str], None]
Cancel = Callable[[], bool]
"""Asked at each step: True stops the clip (`Cancelled`) with nothing stored."""


class Cancelled(ClipperError):
    """The clip was cancelled before it was stored: nothing was written."""


@dataclass(frozen=True)
class ClipRequest:
    """One thing to clip: a URL, a saved page (with the address it came from), or a
    page the browser extension sent (its rendered HTML, images and selection)."""

    url: str = ""
    path: Path | None = None
    base_url: str | None = None
    page: BrowserPage | None = None
    tags: tuple[str, ...] = ()

    @classmethod
    def for_page(cls, page: BrowserPage) -> ClipRequest:
        return cls(url=page.url, page=page, tags=tuple(page.tags))

    @property
    def label(self) -> str:
        return self.url or str(self.path or "")


def capture(
    request: ClipRequest,
    fetcher: Fetcher | None,
    options: CaptureOptions | None = None,
    progress: Progress | None = None,
) -> Capture:
    """What a clip of `request` would contain, stored nowhere (`clipper extract` too).
    A URL needs a fetcher; a saved or sent page fetches only its remote images."""
    from clipper.capture.pipeline import capture_file, capture_html, capture_url

    page = request.page
    if page is not None and page.html is not None:
        return capture_html(page.html, page.url, fetcher, options, progress, page.images)
    if request.path is not None and page is None:
        return capture_file(request.path, fetcher, request.base_url, options, progress)
    if fetcher is None:
        raise ClipperError(f"{request.url}: a link needs the network to be clipped")
    return capture_url(request.url, fetcher, options, progress)


class ClipJob:
    """One clip on its way in: `Library.clip` runs it; the window runs `capture` on its
    fetch pool and `store` as an operation on its writer thread."""

    def __init__(
        self,
        library: Library,
        request: ClipRequest,
        *,
        options: CaptureOptions | None = None,
        fetcher: Fetcher | None = None,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
    ) -> None:
        self.library = library
        self.request = request
        self.options = options
        self.fetcher = fetcher
        self._progress = progress
        self.cancelled = cancel
        """Asked at each step; True stops the clip before anything is stored."""

    def check(self) -> None:
        """Raise `Cancelled` if the clip was cancelled meanwhile."""
        if self.cancelled is not None and self.cancelled():
            raise Cancelled(f"{self.request.label}: cancelled")

    def _say(self, message: str) -> None:
        self.check()
        if self._progress is not None:
            self._progress(message)

    def capture(self) -> Capture:
        """Network, extraction, images: no database (any thread, many at once)."""
        self.check()
        request = self.request
        own = None
        online = request.path is None and (request.page is None or request.page.html is None)
        if self.fetcher is None and online:
            from clipper.capture.fetch import Fetcher

            own = Fetcher()
        try:
            return capture(request, self.fetcher or own, self.options, self._say)
        finally:
            if own is not None:
                own.close()

    def store(self, captured: Capture) -> Changes[ClipResult]:
        """The write: the clip, its tags, and a sent page's selection as a passage."""
        self.check()
        stored = self.library.clips.store(captured, self.request.tags)
        page = self.request.page
        if page is None or page.selection is None:
            return stored
        result = stored.result
        try:
            highlight = add_highlight(self.library, result.clip_id, page.selection)
        except ClipperError as exc:  # the clip is kept; the result says why
            return stored.with_result(replace(result, passage_problem=describe_error(exc)))
        return stored.merged(highlight).with_result(replace(result, passage_id=highlight.result))

    def run(self) -> Changes[ClipResult]:
        return self.store(self.capture())


def add_highlight(library: Library, clip_id: int, selection: Selection) -> Changes[int]:
    """The selection as a passage, once: clipping the same selection again adds none.
    The result is the passage's id."""
    for known in library.passages.find(clip_id):
        if known.exact == selection.exact:
            return Changes(result=known.id)
    try:
        added = library.passages.add_quote(
            clip_id, selection.exact, prefix=selection.prefix, suffix=selection.suffix
        )
    except ClipperError:  # the page's context can differ from the clip's text
        added = library.passages.add_quote(clip_id, selection.exact)
    return added.with_result(added.result.id)
