"""The "Clip URL..." dialog (Ctrl+L): one or more links, optional tags."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from clipper.gui.mime import ClipSource, sources_from_formats
from clipper.gui.tagging import TagCompleter, split_tags


class ClipUrlDialog(QDialog):
    """Links one per line (or separated by spaces); tags for all of them."""

    def __init__(
        self, all_tags: Sequence[str], initial: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Clip URL")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(QLabel("Web address (several: one per line, Shift+Enter):"))
        self.urls = QPlainTextEdit(self)
        self.urls.setPlaceholderText("https://…")
        self.urls.setTabChangesFocus(True)
        self.urls.setPlainText(initial)
        self.urls.selectAll()
        line = self.urls.fontMetrics().lineSpacing()
        self.urls.setFixedHeight(line * 4 + 16)
        layout.addWidget(self.urls)
        layout.addWidget(QLabel("Tags (optional, separate with commas):"))
        self.tags = QLineEdit(self)
        self.tags.setCompleter(TagCompleter(all_tags, self.tags))
        layout.addWidget(self.tags)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #d33c3c")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Clip")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.urls.installEventFilter(self)
        self.urls.setFocus()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """Enter clips (as in any dialog); Shift+Enter starts another line."""
        if (
            obj is self.urls
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self._accept()
            return True
        return super().eventFilter(obj, event)

    def sources(self) -> list[ClipSource]:
        text = self.urls.toPlainText()
        return [
            s for s in sources_from_formats({"text/plain": text.encode("utf-8")}) if s.path is None
        ]

    def tag_names(self) -> list[str]:
        return split_tags(self.tags.text())

    def _accept(self) -> None:
        if not self.sources():
            self.error.setText("Enter a web address starting with http:// or https://")
            self.error.show()
            return
        self.accept()
