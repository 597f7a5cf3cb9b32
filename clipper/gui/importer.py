"""File > Import: a bookmark file, a list of URLs or a folder of saved pages.

The core parses the source (`capture.imports.read_source`) and the library says which
pages it already holds (`Library.find_url`), both on the read pool; the rest go through
the clip queue like dropped links, so the queue panel shows each page's progress and
failure. When the last page of the import is done the status bar sums it up and a
non-blocking box lists the failures. Importing the same file again skips every page
already stored without fetching it: an import cut short (the app closed) continues
where it stopped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from clipper.gui.mime import ClipSource

if TYPE_CHECKING:
    from clipper.capture.imports import ImportList
    from clipper.gui.clipping import QueueItem
    from clipper.gui.mainwindow import MainWindow

FILE_FILTER = "Bookmarks or URL lists (*.html *.htm *.txt *.url *.list);;All files (*)"


@dataclass
class ImportBatch:
    """One import in the queue: which queue items are its own, and how they ended."""

    name: str
    total: int
    skipped: int
    failures: list[str] = field(default_factory=list)
    pending: set[int] = field(default_factory=set)
    clipped: int = 0

    def describe(self) -> str:
        return (
            f"Imported {self.name}: {self.clipped} clipped, {self.skipped} already in the "
            f"library, {len(self.failures)} failed (of {self.total})."
        )


class Importer(QObject):
    """Runs imports for one window (several may run at once)."""

    finished = Signal(object)
    """An `ImportBatch`, when its last page is done."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.batches: list[ImportBatch] = []
        self.summary_box: QMessageBox | None = None
        window.queue.item_changed.connect(self._on_item)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Import bookmarks or a list of URLs", str(Path.home()), FILE_FILTER
        )
        if path:
            self.import_source(path)

    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(
            self.window, "Import a folder of saved pages", str(Path.home())
        )
        if path:
            self.import_source(path)

    def import_source(self, source: str) -> None:
        """Read the source and drop the pages the library has, off the GUI thread."""
        window = self.window
        name = Path(source).name or source
        window.statusBar().showMessage(f"Reading {name}…")
        library = window.library

        def read(_progress: object) -> tuple[ImportList, list[bool]]:
            from clipper.capture.imports import read_source

            parsed = read_source(source)
            have = [bool(i.url and library.clips.find_url(i.url) is not None) for i in parsed.items]
            return parsed, have

        window.tasks.run_read(
            read,
            on_done=lambda result: self._start(name, *result),
            on_error=window.report_error,
        )

    def _start(self, name: str, parsed: ImportList, have: list[bool]) -> None:
        todo = [item for item, held in zip(parsed.items, have, strict=True) if not held]
        batch = ImportBatch(
            name, len(parsed.items), len(parsed.items) - len(todo), list(parsed.rejected)
        )
        self.batches.append(batch)
        for item in todo:
            source = ClipSource(url=item.url or "", path=item.path, title=item.title)
            queued = self.window.queue.add(source, item.tags)
            if queued is not None:
                batch.pending.add(queued.id)
                if not queued.active:  # refused at once (e.g. not a page file)
                    self._on_item(queued)
        if not batch.pending:
            self._finish(batch)
        else:
            self.window.statusBar().showMessage(
                f"Importing {len(batch.pending)} pages from {name}…", 8000
            )

    def _on_item(self, item: QueueItem) -> None:
        if item.active:
            return
        for batch in self.batches:
            if item.id in batch.pending:
                batch.pending.discard(item.id)
                if item.state == "failed":
                    batch.failures.append(f"{item.source.label}: {item.message}")
                elif item.result is not None and item.result.status == "unchanged":
                    batch.skipped += 1
                else:
                    batch.clipped += 1
                if not batch.pending:
                    self._finish(batch)
                return

    def _finish(self, batch: ImportBatch) -> None:
        self.batches.remove(batch)
        self.window.statusBar().showMessage(batch.describe(), 15_000)
        if batch.failures:
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                "Import finished",
                batch.describe(),
                QMessageBox.StandardButton.Close,
                self.window,
            )
            box.setInformativeText(f"{len(batch.failures)} pages could not be clipped.")
            box.setDetailedText("\n".join(batch.failures))
            box.setModal(False)
            box.show()
            self.summary_box = box
        self.finished.emit(batch)
