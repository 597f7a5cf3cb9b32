"""The search box: debounced search-as-you-type in the core's query language.

Typing only restarts a timer; the window runs the search in the background when the
user pauses, so a slow query never delays the next key press. Escape clears.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

DEBOUNCE_MS = 200

QUERY_HELP = """<b>Search your clips</b><br>
Words must all appear: <code>drone factory</code><br>
<code>"exact phrase"</code> &nbsp; <code>drone OR missile</code> &nbsp;
<code>-exclude</code><br>
<code>tag:research</code> &nbsp; <code>site:"The Times"</code> &nbsp;
<code>author:smith</code><br>
<code>after:2023</code> &nbsp; <code>before:2024-06-30</code> (published, else clipped)<br>
<code>has:note</code> &nbsp; <code>note:word</code> (in your passages' notes)<br>
The last word also matches longer words as you type (<code>milit</code> finds
<i>military</i>).<br>
<b>Ctrl+F</b> or <b>Ctrl+K</b> to search, <b>Escape</b> to clear."""


class SearchBar(QLineEdit):
    """Emits `search_requested(text)` after a pause in typing; `cleared` on Escape."""

    search_requested = Signal(str)
    cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("Search clips   (Ctrl+K)")
        self.setClearButtonEnabled(True)
        self.setToolTip(QUERY_HELP)
        self.setMinimumWidth(240)
        self.setMaximumWidth(440)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._fire)
        self.textEdited.connect(self._on_edited)
        self.textChanged.connect(self._on_changed)

    def _on_edited(self, _text: str) -> None:
        self._timer.start()

    def _on_changed(self, text: str) -> None:
        if not text.strip():
            # The clear button or a programmatic clear: back to the list at once.
            self._timer.stop()
            self.cleared.emit()
        elif not self._timer.isActive():
            self._timer.start()

    def _fire(self) -> None:
        text = self.text().strip()
        if text:
            self.search_requested.emit(text)

    def flush(self) -> None:
        """Search now (Return pressed, or a test that does not want to wait)."""
        self._timer.stop()
        self._fire()

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def event(self, event: QEvent) -> bool:
        # Escape must reach keyPressEvent even if a window action claims it.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            if self.text():
                self.clear()
            else:
                self.clearFocus()
                self.cleared.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.flush()
            return
        super().keyPressEvent(event)
