"""Citing and exporting from the window: Copy as Citation (APA, Chicago, BibTeX,
Markdown link) for the selected clips, Copy Citation of one passage (a pinpoint
citation), and File > Export… (the CLI's formats) for the selection, a tag or the
library, with progress. Everything is read and formatted on the read pool.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from clipper.export.styles import CITE_STYLES, STYLE_LABELS
from clipper.gui.metadata_panel import MetadataEditor
from clipper.library.types import PassageInfo

if TYPE_CHECKING:
    from clipper.export.registry import Exporter
    from clipper.gui.mainwindow import MainWindow
    from clipper.library import Library

Scope = (
    tuple[Literal["selection"], list[int]]
    | tuple[Literal["tag"], str]
    | tuple[Literal["library"], None]
)
"""Which clips to export: the selected ids, those with a tag, or every clip."""


class ExportDialog(QDialog):
    """Which format, which clips (selection, a tag, the library) and where to."""

    def __init__(
        self,
        formats: Sequence[Exporter],
        tags: Sequence[str],
        selected: Sequence[int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.formats = {e.name: e for e in formats}
        self.setMinimumWidth(460)
        self.selected = list(selected)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.format_box = QComboBox(self)
        for exporter in formats:
            self.format_box.addItem(exporter.label, exporter.name)
        self.format_box.setCurrentIndex(self.format_box.findData("bibtex"))
        self.format_box.currentIndexChanged.connect(lambda _i: self._suggest_path())
        form.addRow("Format:", self.format_box)
        self.scope_selection = QRadioButton(f"Selected clips ({len(self.selected)})", self)
        self.scope_tag = QRadioButton("Clips tagged", self)
        self.scope_library = QRadioButton("The whole library", self)
        self.group = QButtonGroup(self)
        for button in (self.scope_selection, self.scope_tag, self.scope_library):
            self.group.addButton(button)
        self.tag_box = QComboBox(self)
        self.tag_box.addItems(list(tags))
        self.tag_box.setEnabled(bool(tags))
        self.scope_tag.setEnabled(bool(tags))
        self.scope_selection.setEnabled(bool(self.selected))
        (self.scope_selection if self.selected else self.scope_library).setChecked(True)
        scope = QVBoxLayout()
        scope.addWidget(self.scope_selection)
        tag_row = QHBoxLayout()
        tag_row.addWidget(self.scope_tag)
        tag_row.addWidget(self.tag_box, 1)
        scope.addLayout(tag_row)
        scope.addWidget(self.scope_library)
        form.addRow("Clips:", scope)
        self.path_edit = QLineEdit(self)
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        form.addRow("Save to:", path_row)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.path_edit.textChanged.connect(lambda _t: self._update_ok())
        layout.addWidget(self.buttons)
        self._suggest_path()

    def fmt(self) -> str:
        return str(self.format_box.currentData())

    def scope(self) -> Scope:
        if self.scope_selection.isChecked():
            return ("selection", list(self.selected))
        if self.scope_tag.isChecked():
            return ("tag", self.tag_box.currentText())
        return ("library", None)

    def path(self) -> Path:
        return Path(self.path_edit.text().strip()).expanduser()

    def _suggest_path(self) -> None:
        current = self.path_edit.text().strip()
        base = Path(current).with_suffix("") if current else Path.home() / "clipper-export"
        suffix = self.formats[self.fmt()].suffix
        self.path_edit.setText(str(base.with_suffix(suffix) if suffix else base))

    def _browse(self) -> None:
        exporter = self.formats[self.fmt()]
        if exporter.folder:
            chosen = QFileDialog.getExistingDirectory(self, "Export to folder")
        else:
            chosen, _filter = QFileDialog.getSaveFileName(
                self, "Export to", self.path_edit.text(), f"{exporter.label} (*{exporter.suffix})"
            )
        if chosen:
            self.path_edit.setText(chosen)

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.path_edit.text().strip()))


def _export_job(
    library: Library, fmt: str, scope: Scope, target: Path, report: Callable[[object], None]
) -> list[Path]:
    match scope:
        case ("selection", list(chosen)):
            ids = list(chosen)
        case ("tag", str(tag)):
            ids = library.export.clip_ids(tag)
        case _:
            ids = library.export.clip_ids(None)
    report((0, len(ids)))
    return library.export.write(
        fmt, ids, target, progress=lambda done, total: report((done, total))
    )


class Citing(QObject):
    """Owns the citation and export actions of one window."""

    copied = Signal(str)
    """The text put on the clipboard (tests wait for it)."""
    exported = Signal(object)
    """The list of files an export wrote."""
    link_opened = Signal(int)
    """A clip id, once a `clipper://` link has been followed."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.actions: dict[str, QAction] = {}
        self.export_dialog: ExportDialog | None = None
        self.metadata = MetadataEditor(window)
        self.progress = QProgressBar(window.statusBar())
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.progress.hide()
        window.statusBar().addPermanentWidget(self.progress)
        window.passage_actions.panel.cite_requested.connect(self.copy_passage_citation)

    def install(self) -> None:
        window = self.window
        for style in CITE_STYLES:
            action = QAction(f"Copy as {STYLE_LABELS[style]}", window)
            action.triggered.connect(lambda _c=False, s=style: self.copy_citation(s))
            window.addAction(action)
            self.actions[f"cite_{style}"] = action
        self.actions["cite_apa"].setShortcut(QKeySequence("Ctrl+Alt+C"))
        export = QAction("&Export…", window)
        export.setShortcut(QKeySequence("Ctrl+Shift+E"))
        export.setStatusTip("Export the selection, a tag or the library (Markdown, BibTeX, …)")
        export.triggered.connect(lambda _c=False: self.show_export_dialog())
        window.addAction(export)
        self.actions["export"] = export
        cite_menu = QMenu("Copy as &Citation", window)
        for style in CITE_STYLES:
            cite_menu.addAction(self.actions[f"cite_{style}"])
        self.cite_menu = cite_menu
        clip_menu = window.menus["clip"]
        if len(clip_menu.actions()) > 2:
            clip_menu.insertMenu(clip_menu.actions()[2], cite_menu)
        else:
            clip_menu.addMenu(cite_menu)
        clip_menu.addSeparator()
        self.metadata.install(clip_menu)
        file_menu = window.menus["file"]
        quit_action = window.commands.actions["quit"]
        file_menu.insertAction(quit_action, export)
        file_menu.insertSeparator(quit_action)
        window.list.addAction(self.actions["cite_apa"])

    # --- copy as citation ---------------------------------------------------------------

    def copy_citation(self, style: str) -> None:
        ids = self.window.selected_ids()
        if not ids:
            self.window.statusBar().showMessage("Select the clips to cite first.", 4000)
            return
        library = self.window.library

        def read(_p: object) -> list[str]:
            from clipper.export.styles import format_references

            return format_references([library.clips.get(i) for i in ids], style)

        def done(references: list[str]) -> None:
            text = "\n\n".join(references)
            QGuiApplication.clipboard().setText(text)
            count = len(references)
            self.window.statusBar().showMessage(
                f"Copied {count} citation{'s' if count > 1 else ''} ({STYLE_LABELS[style]}).", 4000
            )
            self.copied.emit(text)

        self.window.tasks.run_read(read, on_done=done, on_error=self.window.report_error)

    def copy_passage_citation(self, info: PassageInfo) -> None:
        """A pinpoint citation: the quote, the clip's reference (APA), both links."""
        library = self.window.library

        def read(_p: object) -> str:
            from clipper.export.pinpoint import pinpoint
            from clipper.export.styles import render

            detail = library.clips.get(info.clip_id)
            return pinpoint(info, detail, render([detail], "apa")[0]).as_text()

        def done(text: str) -> None:
            QGuiApplication.clipboard().setText(text)
            self.window.statusBar().showMessage("Passage citation copied.", 4000)
            self.copied.emit(text)

        self.window.tasks.run_read(read, on_done=done, on_error=self.window.report_error)

    # --- clipper:// links --------------------------------------------------------------

    def open_link(self, link: str) -> bool:
        """Follow a pinpoint citation's `clipper://clip/ID?version=V#passage-A` link:
        the clip in the reader, at the passage; False when it is not such a link."""
        from clipper.export.pinpoint import parse_clipper_link

        parsed = parse_clipper_link(link)
        if parsed is None:
            return False
        clip_id, version_id, passage_id = parsed
        window = self.window
        library = window.library

        def read(_p: object) -> tuple[int, PassageInfo | None]:
            current = library.clips.get(clip_id).version_id
            passages = library.passages.find(clip_id) if passage_id else []
            return current, next((a for a in passages if a.id == passage_id), None)

        def done(result: tuple[int, PassageInfo | None]) -> None:
            current, info = result
            if info is not None:
                window.passage_actions._go_to_after_load = info.id
            if window.model.row_of(clip_id) is None and window.model.filter is None:
                window.list.after_reset = ("select", clip_id)  # the list is still loading
            elif info is not None:
                window.passage_actions.open_passage(info)
            else:
                window.select_clip(clip_id)
            if version_id and version_id != current:
                window.statusBar().showMessage(
                    "The link is to an earlier version of this clip: Clip > Versions "
                    "shows it beside the current one.",
                    10_000,
                )
            self.link_opened.emit(clip_id)

        window.tasks.run_read(read, on_done=done, on_error=window.report_error)
        return True

    # --- export -------------------------------------------------------------------------

    def show_export_dialog(self) -> ExportDialog:
        dialog = ExportDialog(
            self.window.library.export.formats(),
            self.window.sidebar.tag_names(),
            self.window.selected_ids(),
            self.window,
        )
        dialog.accepted.connect(lambda: self.export(dialog.fmt(), dialog.scope(), dialog.path()))
        dialog.open()
        self.export_dialog = dialog
        return dialog

    def export(self, fmt: str, scope: Scope, target: Path) -> None:
        library = self.window.library
        bar = self.window.statusBar()
        self.progress.setRange(0, 0)
        self.progress.show()

        def progress(value: object) -> None:
            match value:  # (done, total), as the export reports it
                case (int(done), int(total)):
                    self.progress.setRange(0, max(1, total))
                    self.progress.setValue(done)
                    bar.showMessage(f"Exporting: {done:,} of {total:,} clips…")

        def finished(written: list[Path]) -> None:
            self.progress.hide()
            bar.showMessage(f"Exported to {target}.", 8000)
            self.exported.emit(written)

        def failed(error: BaseException) -> None:
            self.progress.hide()
            self.window.report_error(error)

        self.window.tasks.run_read(
            lambda report: _export_job(library, fmt, scope, target, report),
            on_done=finished,
            on_error=failed,
            on_progress=progress,
        )
