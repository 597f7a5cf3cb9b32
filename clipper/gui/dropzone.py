"""The empty state and the drop target look.

A first run shows what to do instead of a blank table; the same panel says "No clips
match" for an empty filter or search. `DropFilter`, installed on the window, takes
every drag over it (the list, the reader, the empty state alike) and hands the clip
sources of a drop to the window.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt, Signal
from PySide6.QtGui import QDropEvent, QFont, QIcon, QPalette
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from clipper.gui.mime import ClipSource, sources_from_mime


def acceptable(mime: QMimeData | None) -> list[ClipSource]:
    """The sources a drag carries; empty means the drop is refused."""
    if mime is None:
        return []
    return sources_from_mime(mime)


class DropFilter(QObject):
    """Accepts drags that carry something to clip; emits the sources when dropped."""

    hovering = Signal(int)
    """How many pages a drag over the window would clip (0 when it leaves)."""
    dropped = Signal(list)
    """The `ClipSource`s of a drop."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            assert isinstance(event, QDropEvent)  # QDragEnterEvent/QDragMoveEvent too
            sources = acceptable(event.mimeData())
            if not sources:
                event.ignore()
                return True
            event.acceptProposedAction()
            if kind == QEvent.Type.DragEnter:
                self.hovering.emit(len(sources))
            elif kind == QEvent.Type.Drop:
                self.hovering.emit(0)
                self.dropped.emit(sources)
            return True
        if kind == QEvent.Type.DragLeave:
            self.hovering.emit(0)
            return True
        return super().eventFilter(watched, event)


class EmptyState(QWidget):
    """A centred icon, a headline and a hint; one button to clip a URL."""

    clip_url_requested = Signal()

    def __init__(self, icon: QIcon, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        layout = QVBoxLayout(self)
        layout.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.setSpacing(10)

        self.icon_label = QLabel(self)
        self.icon_label.setPixmap(icon.pixmap(72, 72))
        self.icon_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.icon_label)

        self.headline = QLabel(self)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.headline.setFont(font)
        self.headline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.headline)

        self.hint = QLabel(self)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout.addWidget(self.hint)

        self.button = QPushButton("Clip URL…", self)
        self.button.clicked.connect(self.clip_url_requested)
        layout.addSpacing(6)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignCenter)
        self.show_first_run()

    def show_first_run(self) -> None:
        self.headline.setText("Your library is empty")
        self.hint.setText(
            "Drop a link here, or press Ctrl+L.\n"
            "Links and tabs from your browser, and saved .html pages, all work."
        )
        self.icon_label.setVisible(True)
        self.button.setVisible(True)

    def show_no_match(self, what: str) -> None:
        self.headline.setText("No clips match")
        self.hint.setText(what)
        self.icon_label.setVisible(False)
        self.button.setVisible(False)

    @property
    def text(self) -> str:
        return f"{self.headline.text()}\n{self.hint.text()}"
