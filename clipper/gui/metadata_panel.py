"""The editable metadata panel: each field of the clip in the reader, where it came from,
and Save/Revert. `MetadataEditor` wires it to the library (writes on the writer thread,
undo through the window's Undo), the panel only shows and collects values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clipper.capture.provenance import label
from clipper.errors import ClipperError
from clipper.library.types import ClipDetail

if TYPE_CHECKING:
    from clipper.gui.mainwindow import MainWindow
    from clipper.library.editing import MetadataValue

FIELDS = (
    ("title", "Title"),
    ("subtitle", "Standfirst"),
    ("authors", "Authors"),
    ("published", "Published"),
    ("site_name", "Site"),
    ("canonical_url", "URL"),
)
AUTHOR_SEPARATOR = "; "


def field_text(detail: ClipDetail, name: str) -> str:
    """A field as the panel shows it (authors joined by "; ", dates in ISO form)."""
    if name == "authors":
        return AUTHOR_SEPARATOR.join(detail.authors)
    if name == "published":
        value = detail.published_at
        if value is None:
            return ""
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return value.date().isoformat()
        return value.isoformat(timespec="minutes")
    if name == "canonical_url":
        return detail.canonical_url or detail.url
    return str(getattr(detail, name))


class MetadataPanel(QWidget):
    """Title, standfirst, authors, date, site and URL, each with its source."""

    save_requested = Signal(int, object)
    """(clip id, {field: text}) of the fields the user changed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: ClipDetail | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(QLabel("<b>Metadata</b> — corrections are kept when re-clipping", self))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.edits: dict[str, QLineEdit] = {}
        self.sources: dict[str, QLabel] = {}
        for name, title in FIELDS:
            edit = QLineEdit(self)
            edit.setObjectName(f"meta-{name}")
            edit.textEdited.connect(lambda _t: self._update_buttons())
            edit.returnPressed.connect(self.save)
            source = QLabel(self)
            source.setObjectName(f"source-{name}")
            source.setMinimumWidth(96)
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            row.addWidget(source)
            form.addRow(f"{title}:", row)
            self.edits[name] = edit
            self.sources[name] = source
        self.edits["authors"].setPlaceholderText("Name; Name")
        self.edits["published"].setPlaceholderText("YYYY-MM-DD or 2022-07-26T01:30+03:00")
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.save_button = QPushButton("Save", self)
        self.revert_button = QPushButton("Revert", self)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        self._update_buttons()

    def set_clip(self, detail: ClipDetail | None) -> None:
        self.detail = detail
        self.revert()

    def revert(self) -> None:
        detail = self.detail
        for name, edit in self.edits.items():
            edit.setText(field_text(detail, name) if detail else "")
            edit.setEnabled(detail is not None)
            edit.setCursorPosition(0)
            source = detail.sources.get(name, "") if detail else ""
            text = label(source) if source else ""
            self.sources[name].setText(f"<b>{text}</b>" if source == "user" else text)
            self.sources[name].setToolTip(f"Where this came from: {text}" if text else "")
        self._update_buttons()

    def changed(self) -> dict[str, str]:
        """The fields whose text differs from the clip's."""
        if self.detail is None:
            return {}
        detail = self.detail
        return {
            name: edit.text()
            for name, edit in self.edits.items()
            if edit.text().strip() != field_text(detail, name).strip()
        }

    def save(self) -> None:
        changed = self.changed()
        if self.detail is not None and changed:
            self.save_requested.emit(self.detail.id, changed)

    def _update_buttons(self) -> None:
        dirty = bool(self.changed())
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)


def parse_fields(texts: dict[str, str]) -> dict[str, MetadataValue]:
    """The panel's texts as `library.clips.edit_metadata` values; ClipperError when bad."""
    from clipper.library.editing import parse_date_input

    values: dict[str, MetadataValue] = {}
    for name, text in texts.items():
        if name == "authors":
            values[name] = [a.strip() for a in text.replace(";", "\n").splitlines() if a.strip()]
        elif name == "published":
            values[name] = parse_date_input(text)
        else:
            values[name] = text
    return values


def metadata_of(detail: ClipDetail) -> dict[str, MetadataValue]:
    from clipper.library.editing import metadata_of as values_of

    return values_of(detail)


class MetadataEditor(QObject):
    """Owns the panel in the reader column and the Edit Metadata action."""

    saved = Signal(object)
    """The clip id, after a metadata write went round the views (tests wait for it)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.panel = MetadataPanel(window)
        self.panel.setVisible(False)
        window.reader_column.insertWidget(1, self.panel)
        self.panel.save_requested.connect(self.save)
        window.reader_loaded.connect(lambda _id: self._follow_reader())
        self.action = QAction("Edit &Metadata", window)
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence("Ctrl+E"))
        self.action.setStatusTip("Correct the title, authors, date, site or URL")
        self.action.toggled.connect(self._toggle)
        window.addAction(self.action)

    def install(self, clip_menu: QMenu | None) -> None:
        if clip_menu is not None:
            clip_menu.addAction(self.action)

    def _toggle(self, on: bool) -> None:
        self.panel.setVisible(on)
        if on:
            self._follow_reader()
            self.panel.edits["title"].setFocus()

    def _follow_reader(self) -> None:
        detail = self.window.reader.detail
        if self.panel.detail is not detail:
            self.panel.set_clip(detail)

    def save(self, clip_id: int, texts: dict[str, str]) -> None:
        window = self.window
        try:
            values = parse_fields(texts)
        except ClipperError as exc:
            window.statusBar().showMessage(str(exc), 8000)
            return
        before = self.panel.detail
        library = window.library

        def done(_: None) -> None:
            self.saved.emit(clip_id)
            if before is not None and before.id == clip_id:
                previous, sources = metadata_of(before), dict(before.sources)
                window.commands.offer_undo(
                    "Metadata saved.", lambda: self.restore(clip_id, previous, sources)
                )

        window.ops.run_op(lambda: library.clips.edit_metadata(clip_id, values), self, on_done=done)

    def restore(
        self, clip_id: int, values: dict[str, MetadataValue], sources: dict[str, str]
    ) -> None:
        """Undo: the values and their sources as they were before the edit."""
        window = self.window
        library = window.library

        def done(_: None) -> None:
            window.statusBar().showMessage("Metadata restored.", 4000)
            self.saved.emit(clip_id)

        window.ops.run_op(
            lambda: library.clips.edit_metadata(clip_id, values, sources=sources),
            self,
            on_done=done,
        )
