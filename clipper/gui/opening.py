"""The main window's link to its library and settings: open, attach, index, prefs.

A mixin of `MainWindow` (kept apart to keep modules short). The window shows before
its library is open: `open_library` opens it on the writer thread (SQLAlchemy, the
index and the schema check load there, not on the GUI thread) and `attach` starts the
work. Preferences apply here too: theme and reader size at once, fetch limits and the
image policy for the next clips.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from clipper.gui.preferences import Preferences, apply_theme

if TYPE_CHECKING:
    from clipper.library import Library


class LibraryDoor:
    """Methods of `MainWindow` (which has every attribute used here)."""

    library: Library
    prefs: Preferences
    settings_dialog: Any
    help_dialog: Any

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
        self.library = library
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

    def reconcile_index(self) -> None:
        """Bring the search index up to date with the database, in the background."""
        library = self.library
        bar = self.statusBar()

        def progress(value: object) -> None:
            done, total = value  # type: ignore[misc]
            if total:
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
        w: Any = self
        self.prefs = prefs
        prefs.save(w.state.settings)
        self.apply_preferences()
        w.statusBar().showMessage("Settings saved.", 4000)

    def apply_preferences(self) -> None:
        w: Any = self
        prefs = self.prefs
        apply_theme(prefs.theme)
        if prefs.reader_pt != w.reader.text_pt:
            w.reader.set_text_pt(prefs.reader_pt)
        w.queue.configure(prefs)
