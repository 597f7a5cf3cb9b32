"""The running app's capture endpoint: clips from the browser extension join the queue.

The endpoint answers on its own threads; each request is handed to the GUI thread by a
signal, queued like a dropped link (the queue panel shows it, extraction on the fetch
pool, the write on the writer thread), and the request waits for the outcome so the
extension can say "clipped", "updated" or why it failed. Clip > Pair Browser Extension
shows the pairing code.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from clipper.errors import ClipperError

if TYPE_CHECKING:
    from clipper.endpoint.clipping import PageClipped
    from clipper.endpoint.payload import BrowserPage
    from clipper.endpoint.server import CaptureEndpoint
    from clipper.gui.mainwindow import MainWindow
    from clipper.library import Library

log = logging.getLogger(__name__)
ANSWER_WITHIN = 300.0
"""Seconds a request waits for its clip (a big page with many images on a slow link)."""


class BrowserClips(QObject):
    """Owns the endpoint for the window's library; `start()` once the library is open."""

    _requested = Signal(object)
    """(page, future), emitted on an endpoint thread, handled on the GUI thread."""

    def __init__(self, window: MainWindow, port: int | None = None) -> None:
        super().__init__(window)
        self.window = window
        self._port = port
        self.endpoint: CaptureEndpoint | None = None
        self.code = ""
        self.problem = ""
        self._requested.connect(self._enqueue)
        self.action = QAction("Pair &Browser Extension…", window)
        self.action.setStatusTip("The pairing code for the Clipper browser extension")
        self.action.triggered.connect(lambda _c=False: self.show_pairing())
        window.addAction(self.action)
        window.menus["clip"].addSeparator()
        window.menus["clip"].addAction(self.action)

    def start(self, library: Library) -> None:
        """Read the pairing code and listen, off the GUI thread (a file and a socket)."""

        def listen(_progress: object) -> CaptureEndpoint:
            from clipper.endpoint.pairing import pairing_code
            from clipper.endpoint.server import CaptureEndpoint

            code = pairing_code(library.location.folder)
            endpoint = CaptureEndpoint(code, self._handle, self._port, library.location.describe())
            endpoint.start()
            return endpoint

        self.window.tasks.run_read(listen, on_done=self._listening, on_error=self._failed)

    def _listening(self, endpoint: CaptureEndpoint) -> None:
        self.endpoint = endpoint
        self.code = endpoint.code
        log.info("browser extension endpoint on %s", endpoint.address)

    def _failed(self, error: BaseException) -> None:
        from clipper.errors import describe_error

        self.problem = describe_error(error)
        self.window.statusBar().showMessage(f"Browser extension: {self.problem}", 10_000)

    def stop(self) -> None:
        endpoint, self.endpoint = self.endpoint, None
        if endpoint is not None:
            endpoint.stop()

    # --- requests -----------------------------------------------------------------------

    def _handle(self, page: BrowserPage) -> PageClipped:
        """On an endpoint thread: queue the page on the GUI thread and wait for its clip."""
        reply: Future[PageClipped] = Future()
        self._requested.emit((page, reply))
        try:
            return reply.result(timeout=ANSWER_WITHIN)
        except FutureTimeout as exc:
            raise ClipperError(f"{page.url}: not clipped within {ANSWER_WITHIN:g} s") from exc

    def _enqueue(self, request: tuple[BrowserPage, Future[PageClipped]]) -> None:
        page, reply = request
        if not self.window.has_library or self.window.tasks.closed:
            reply.set_exception(ClipperError("the library is not open"))
            return
        self.window.queue.add_page(page, reply)

    # --- pairing ------------------------------------------------------------------------

    def show_pairing(self) -> QMessageBox:
        if self.endpoint is not None:
            text = (
                f"Pairing code: <b>{self.code}</b><br><br>Enter it in the Clipper extension's "
                f"popup (port {self.endpoint.port}). The browser sends its copy of the page "
                "here, so pages behind a login or built by scripts clip as you see them."
            )
        else:
            text = f"The browser extension cannot reach Clipper: {self.problem or 'starting…'}"
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "Pair Browser Extension",
            text,
            QMessageBox.StandardButton.Ok,
            self.window,
        )
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setModal(False)
        box.show()
        self.pairing_box = box
        return box
