"""The clip queue: dropped, pasted and typed links become clips in the background.

Each item is the facade's clip operation (`library.clipping.ClipJob`, the CLI's too,
imports' and the browser endpoint's) in its two halves: waiting -> fetching
(`ClipJob.capture`: network, extraction, images on the fetch pool) -> storing
(`ClipJob.store`, an operation on the single writer thread whose `Changes` are
broadcast to the views) -> done or failed. Cancel stops an item before its write.
Failures stay on their item as a one-line message (no dialog per failure). A bad image
never loses the clip (the capture default): its caption stays, the figure records why
the image is missing, and the item carries a warning.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QObject, Signal

from clipper.errors import ClipperError, LibraryError, describe_error
from clipper.gui.mime import ClipSource
from clipper.gui.workers import Progress, TaskManager
from clipper.library.types import ClipResult

if TYPE_CHECKING:  # extraction loads when the first clip is made, not at start-up
    from clipper.capture.fetch import Fetcher
    from clipper.capture.pipeline import Capture, CaptureOptions
    from clipper.endpoint.clipping import PageClipped
    from clipper.endpoint.payload import BrowserPage
    from clipper.gui.operations import Operations
    from clipper.gui.preferences import Preferences
    from clipper.library import Library
    from clipper.library.clipping import ClipJob

State = Literal["waiting", "fetching", "storing", "done", "failed"]
ACTIVE: tuple[State, ...] = ("waiting", "fetching", "storing")


@dataclass
class QueueItem:
    """One pending or finished clip, as the queue panel shows it."""

    id: int
    source: ClipSource
    tags: tuple[str, ...] = ()
    state: State = "waiting"
    message: str = "Waiting"
    result: ClipResult | None = None
    warnings: list[str] = field(default_factory=list)
    page: BrowserPage | None = None
    """The browser extension's copy of the page (clipped instead of fetching the URL)."""
    reply: Future[PageClipped] | None = None
    """Where the extension's request waits for the outcome."""
    cancelled: threading.Event = field(default_factory=threading.Event)
    job: ClipJob | None = None
    """The facade's clip operation, once the fetch pool started it."""

    @property
    def active(self) -> bool:
        return self.state in ACTIVE

    @property
    def label(self) -> str:
        if self.result is not None and self.result.title:
            return self.result.title
        return self.source.title or self.source.label


def error_message(error: BaseException) -> str:
    """The one line a user sees for a failed clip (full disk, read-only library, damaged
    database in words; anything else by its class and first line)."""
    return describe_error(error)


class ClipQueue(QObject):
    """Runs clips through the pools and reports each step by signal."""

    item_changed = Signal(object)
    """A `QueueItem` was added or changed state or message."""
    clip_stored = Signal(object)
    """A `ClipResult`, after its `Changes` went round the views (the window selects it)."""
    idle = Signal()
    """No item is active any more."""

    def __init__(
        self,
        library: Library | None,
        tasks: TaskManager,
        ops: Operations,
        parent: QObject | None = None,
        options: CaptureOptions | None = None,
    ) -> None:
        super().__init__(parent)
        self._library = library  # None until attach()
        self._tasks = tasks
        self._ops = ops
        self._options = options
        self._prefs: Preferences | None = None
        self._retired: list[Fetcher] = []
        self._fetcher: Fetcher | None = None
        self._fetcher_lock = threading.Lock()
        self._ids = itertools.count(1)
        self.items: dict[int, QueueItem] = {}

    def fetcher(self) -> Fetcher:
        """One HTTP client for the session (httpx pools connections, thread-safe).

        Made on first use by a fetch task, not on the GUI thread: creating it loads the
        TLS certificates, ~50 ms the window would feel.
        """
        with self._fetcher_lock:
            if self._fetcher is None:
                from clipper.capture.fetch import Fetcher

                limits = self._prefs.fetch_limits() if self._prefs else None
                self._fetcher = Fetcher(limits)
            return self._fetcher

    def configure(self, prefs: Preferences) -> None:
        """Fetch limits and image policy for the clips queued from now on."""
        self._prefs = prefs
        self._options = None
        with self._fetcher_lock:
            if self._fetcher is not None:  # a fetch may be using it: closed with the queue
                self._retired.append(self._fetcher)
            self._fetcher = None

    def attach(self, library: Library) -> None:
        """Where clips are stored (the window opens the library after showing itself)."""
        self._library = library

    def close(self) -> None:
        with self._fetcher_lock:
            for fetcher in [*self._retired, self._fetcher]:
                if fetcher is not None:
                    fetcher.close()
            self._fetcher = None
            self._retired = []

    # --- adding -------------------------------------------------------------------------

    def add(
        self,
        source: ClipSource,
        tags: Sequence[str] = (),
        page: BrowserPage | None = None,
        reply: Future[PageClipped] | None = None,
    ) -> QueueItem | None:
        """Queue one source; None when the same source is already on its way."""
        for item in self.items.values():
            if item.active and item.source.url == source.url and item.source.path == source.path:
                if reply is not None:
                    reply.set_exception(ClipperError(f"{source.url}: already being clipped"))
                return None
        item = QueueItem(next(self._ids), source, tuple(tags), page=page, reply=reply)
        self.items[item.id] = item
        self.item_changed.emit(item)
        if source.path is not None and not source.is_html_file:
            self._fail(
                item, ClipperError(f"{source.label}: only .html and .htm pages can be clipped")
            )
            return item
        self._set(item, "fetching", "Fetching…" if source.url else "Reading…")
        self._tasks.run_fetch(
            lambda progress: self._capture(item, progress),
            on_done=lambda capture: self._store(item, capture),
            on_error=lambda error: self._fail(item, error),
            on_progress=lambda message: self._set(item, item.state, str(message)),
        )
        return item

    def cancel(self, item_id: int) -> bool:
        """Stop an item on its way in: nothing of it is stored. False when it is done."""
        item = self.items.get(item_id)
        if item is None or not item.active:
            return False
        item.cancelled.set()
        self._set(item, item.state, "Cancelling…")
        return True

    def add_page(self, page: BrowserPage, reply: Future[PageClipped]) -> QueueItem | None:
        """A page the browser extension sent; `reply` gets the outcome for the extension."""
        return self.add(ClipSource(url=page.url, title=page.title), page.tags, page, reply)

    def add_many(self, sources: Sequence[ClipSource], tags: Sequence[str] = ()) -> int:
        return sum(1 for source in sources if self.add(source, tags) is not None)

    # --- the steps ----------------------------------------------------------------------

    def _capture(self, item: QueueItem, progress: Progress) -> Capture:
        """On the fetch pool: the first half of the facade's clip, no database."""
        from clipper.capture.pipeline import CaptureOptions
        from clipper.library.clipping import ClipJob, ClipRequest

        if self._options is None:
            options = self._prefs.capture_options() if self._prefs else None
            self._options = options or CaptureOptions()
        source = item.source
        if item.page is not None:
            request = ClipRequest.for_page(item.page)
        else:
            request = ClipRequest(url=source.url, path=source.path, tags=item.tags)
        if self._library is None:  # items start once the window attached the library
            raise LibraryError("the library is not open")
        item.job = ClipJob(
            self._library,
            request,
            options=self._options,
            fetcher=self.fetcher(),
            progress=progress,
            cancel=item.cancelled.is_set,
        )
        return item.job.capture()

    def _store(self, item: QueueItem, capture: Capture) -> None:
        """On the writer thread: the second half, an operation the views hear of."""
        item.warnings = list(capture.warnings)
        self._set(item, "storing", "Saving…")
        job = item.job
        if self._tasks.closed or job is None:
            return
        self._ops.run_op(
            lambda: job.store(capture),
            self,
            on_done=lambda result: self._done(item, result),
            on_error=lambda error: self._fail(item, error),
        )

    def _done(self, item: QueueItem, result: ClipResult) -> None:
        item.result = result
        if result.passage_problem:
            item.warnings.insert(0, f"highlight not added: {result.passage_problem}")
        if item.reply is not None:
            from clipper.endpoint.clipping import PageClipped

            item.reply.set_result(PageClipped(result))
        message = {
            "new": "Clipped",
            "updated": "Clipped a new version",
            "unchanged": "Already in the library (unchanged)",
        }.get(result.status, "Clipped")
        if item.warnings:
            count = len(item.warnings)
            message += f" ({count} warning{'s' if count > 1 else ''}: {item.warnings[0]})"
        self._set(item, "done", message)
        self.clip_stored.emit(result)
        self._check_idle()

    def _fail(self, item: QueueItem, error: BaseException) -> None:
        if item.reply is not None and not item.reply.done():
            item.reply.set_exception(error)
        message = error_message(error)
        # The panel names the item already: "https://x/y: HTTP 404" -> "HTTP 404".
        source = item.source
        for name in (source.url, str(source.path or ""), source.label):
            if name and message.startswith(name + ": "):
                message = message[len(name) + 2 :]
                break
        self._set(item, "failed", message[:1].upper() + message[1:])
        self._check_idle()

    def _set(self, item: QueueItem, state: State, message: str) -> None:
        item.state = state
        item.message = message
        self.item_changed.emit(item)

    def _check_idle(self) -> None:
        if not any(item.active for item in self.items.values()):
            self.idle.emit()

    # --- for the panel ------------------------------------------------------------------

    def active_count(self) -> int:
        return sum(1 for item in self.items.values() if item.active)

    def forget(self, item_id: int) -> None:
        item = self.items.get(item_id)
        if item is not None and not item.active:
            del self.items[item_id]

    def forget_finished(self) -> list[int]:
        gone = [i for i, item in self.items.items() if not item.active]
        for item_id in gone:
            del self.items[item_id]
        return gone
