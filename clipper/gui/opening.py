"""The main window's link to its library and settings: open, attach, index, close, prefs.

A mixin of `MainWindow` (kept apart to keep modules short). The window shows before
its library is open: `open_library` opens it on the writer thread (SQLAlchemy, the
index and the schema check load there, not on the GUI thread) and `attach` starts the
work; `library` is usable from then on. Closing empties the trash on the writer thread
too (`finish_writes`). Preferences apply here: theme and reader size at once, fetch
limits and the image policy for the next clips.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from clipper.errors import LibraryError
from clipper.gui.preferences import Preferences, apply_theme

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QStatusBar

    from clipper.gui.cliplist import ClipListModel
    from clipper.gui.clipping import ClipQueue
    from clipper.gui.live import LiveUpdates
    from clipper.gui.mime import ClipSource
    from clipper.gui.reader import ReaderView
    from clipper.gui.settings import WindowState
    from clipper.gui.workers import GuiGarbageCollector, Progress, TaskManager
    from clipper.library import Library
    from clipper.paths import LibraryLocation


log = logging.getLogger(__name__)
CLOSE_TIMEOUT_MS = 30_000
"""How long closing waits for the writes still queued (then it leaves them)."""


class LibraryDoor:
    """Methods of `MainWindow` (which has every attribute used here)."""

    # What the window provides (declared here so that this mixin type-checks).
    _library: Library | None
    location: LibraryLocation | None
    prefs: Preferences
    state: WindowState
    tasks: TaskManager
    queue: ClipQueue
    model: ClipListModel
    reader: ReaderView
    collector: GuiGarbageCollector
    live: LiveUpdates
    library_opened: SignalInstance
    _pending_sources: list[tuple[Sequence[ClipSource], Sequence[str]]]
    _search_text: str
    close_timeout_ms: int

    if TYPE_CHECKING:

        def statusBar(self) -> QStatusBar: ...
        def reload_all(self) -> None: ...
        def run_search(self, text: str) -> None: ...
        def report_error(self, error: BaseException) -> None: ...
        def clip_sources(self, sources: Sequence[ClipSource], tags: Sequence[str] = ()) -> int: ...

    @property
    def library(self) -> Library:
        """The open library. Its users run once it is (after `library_opened`); before,
        this is a one-line LibraryError, never a None that fails further on."""
        if self._library is None:
            raise LibraryError("the library is still opening")
        return self._library

    @property
    def has_library(self) -> bool:
        """The library is open (`attach` ran)."""
        return self._library is not None

    def open_library(
        self,
        value: str | None,
        on_done: Callable[[Library], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """Open the library on the writer thread (it loads SQLAlchemy and the index)."""

        def open_it(_progress: object) -> Library:
            from clipper.library import Library

            return Library.open(value, exclusive=True, reconcile=False)

        self.tasks.run_write(open_it, on_done=on_done, on_error=on_error)

    def attach(self, library: Library) -> None:
        """Start working on an open library: read the list, run queued clips."""
        self._library = library
        self.location = library.location
        self.queue.attach(library)
        self.model.attach(library)
        self.statusBar().clearMessage()
        self.reload_all()
        self.collector.start()  # after the heavy imports: they are frozen, never rescanned
        self.live.start(library)  # other clients' changes, as they commit
        pending, self._pending_sources = self._pending_sources, []
        for sources, tags in pending:
            self.clip_sources(sources, tags)
        self.library_opened.emit()

    def finish_writes(self) -> None:
        """On close: empty the trash (undo lasts for the session) on the writer thread,
        after every earlier write, and wait for them all at most `close_timeout_ms`. A
        locked or hung database leaves the clips in the trash, never the app open."""
        if self._library is not None and not self.tasks.closed:
            self.tasks.run_write(_trash_emptier(self._library))
        if not self.tasks.shutdown(self.close_timeout_ms):
            log.warning("closing with a write still running (the database did not answer)")

    def reconcile_index(self) -> None:
        """Bring the search index up to date with the database, in the background."""
        library = self.library
        bar = self.statusBar()

        def progress(value: object) -> None:
            match value:  # (done, total), as the task below reports it
                case (int(done), int(total)) if total:
                    bar.showMessage(f"Updating the search index: {done:,} of {total:,} clips…")

        def finished(result: tuple[int, int]) -> None:
            indexed, removed = result
            if indexed or removed:
                bar.showMessage(f"Search index updated ({indexed:,} clips).", 4000)
                if self.model.search is not None and self._search_text:
                    self.run_search(self._search_text)

        self.tasks.run_write(
            lambda report: (
                library.maintenance.reconcile(lambda done, total: report((done, total))).result
            ),
            on_done=finished,
            on_progress=progress,
            on_error=self.report_error,
        )

    def set_preferences(self, prefs: Preferences) -> None:
        """New settings from the dialog: keep them and apply what applies now."""
        self.prefs = prefs
        prefs.save(self.state.settings)
        self.apply_preferences()
        self.statusBar().showMessage("Settings saved.", 4000)

    def apply_preferences(self) -> None:
        prefs = self.prefs
        apply_theme(prefs.theme)
        if prefs.reader_pt != self.reader.text_pt:
            self.reader.set_text_pt(prefs.reader_pt)
        self.queue.configure(prefs)


def _trash_emptier(library: Library) -> Callable[[Progress], None]:
    """The close's last write. It logs its own failure: once the window has closed, no
    callback is delivered on the GUI thread."""

    def empty(_progress: Progress) -> None:
        try:
            library.clips.empty_trash()
        except Exception as exc:  # noqa: BLE001 - closing must not fail on cleanup
            log.warning("could not empty the trash: %s", exc)

    return empty
