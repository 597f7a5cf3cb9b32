"""A clip's stored versions and the word-level difference between two of them.

The texts come from the library (read pool) and the diff from `clipper.textdiff`; the
browser shows only that HTML: it opens no link and loads nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from clipper import textdiff
from clipper.gui.readerdoc import format_date
from clipper.gui.workers import TaskManager
from clipper.library.types import VersionInfo

if TYPE_CHECKING:
    from clipper.library import Library

DEL_STYLE = "background-color:rgba(230,60,60,70); text-decoration:line-through"
INS_STYLE = "background-color:rgba(60,180,80,80)"


def diff_html(old: str, new: str) -> tuple[str, str]:
    """(HTML for the browser, one-line summary) of the word diff from old to new."""
    ops = textdiff.word_diff(old, new)
    body = (
        textdiff.render_html(ops)
        .replace("<del>", f'<span style="{DEL_STYLE}">')
        .replace("</del>", "</span>")
        .replace("<ins>", f'<span style="{INS_STYLE}">')
        .replace("</ins>", "</span>")
    )
    return f'<div style="white-space:pre-wrap">{body}</div>', textdiff.summary(ops)


def version_label(info: VersionInfo, number: int) -> str:
    local = info.fetched_at.astimezone()
    label = f"Version {number}  ·  {format_date(info.fetched_at)} {local:%H:%M}"
    return label + ("  (current)" if info.is_current else "")


class VersionsDialog(QDialog):
    """Pick an older and a newer version; see what changed, word by word."""

    diff_shown = Signal(str)
    """The summary, once a diff is displayed (tests wait for it)."""

    def __init__(
        self, library: Library, tasks: TaskManager, clip_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.tasks = tasks
        self.clip_id = clip_id
        self.versions: list[VersionInfo] = []
        self._seq = 0
        self.setWindowTitle("Versions")
        self.resize(760, 560)
        layout = QVBoxLayout(self)
        self.heading = QLabel("Reading the versions…", self)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        form = QFormLayout()
        self.old_box = QComboBox(self)
        self.new_box = QComboBox(self)
        form.addRow("Compare:", self.old_box)
        form.addRow("with:", self.new_box)
        layout.addLayout(form)
        self.summary_label = QLabel(self)
        layout.addWidget(self.summary_label)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.old_box.currentIndexChanged.connect(lambda _i: self.compare())
        self.new_box.currentIndexChanged.connect(lambda _i: self.compare())
        self._load_versions()

    def _load_versions(self) -> None:
        library, clip_id = self.library, self.clip_id

        def read(_p: object) -> tuple[str, list[VersionInfo]]:
            return library.clips.get(clip_id).title, library.clips.versions(clip_id)

        self.tasks.run_read(read, on_done=self._show_versions, on_error=self._failed)

    def _show_versions(self, result: tuple[str, list[VersionInfo]]) -> None:
        title, versions = result
        self.versions = sorted(versions, key=lambda v: (v.fetched_at, v.id))
        count = len(self.versions)
        self.heading.setText(
            f"<b>{title or 'Untitled'}</b>: {count} stored version{'s' if count != 1 else ''}"
        )
        for box in (self.old_box, self.new_box):
            box.blockSignals(True)
            box.clear()
            for number, info in enumerate(self.versions, 1):
                box.addItem(version_label(info, number), info.id)
            box.blockSignals(False)
        if count < 2:
            self.summary_label.setText("Only one version: re-clip the page to get another.")
            self.old_box.setEnabled(False)
            self.new_box.setEnabled(False)
            return
        self.old_box.setCurrentIndex(count - 2)
        self.new_box.setCurrentIndex(count - 1)
        self.compare()

    def compare(self) -> None:
        old_id, new_id = self.old_box.currentData(), self.new_box.currentData()
        if old_id is None or new_id is None:
            return
        self._seq += 1
        seq = self._seq
        library, clip_id = self.library, self.clip_id

        def read(_p: object) -> tuple[str, str]:
            old = library.clips.get(clip_id, int(old_id)).text
            new = library.clips.get(clip_id, int(new_id)).text
            return diff_html(old, new)

        def done(result: tuple[str, str]) -> None:
            if seq != self._seq:
                return
            html, summary = result
            self.summary_label.setText(summary if old_id != new_id else "The same version.")
            self.browser.setHtml(html)
            self.diff_shown.emit(summary)

        self.tasks.run_read(read, on_done=done, on_error=self._failed)

    def _failed(self, error: BaseException) -> None:
        self.summary_label.setText(f"Could not read the versions: {error}")
