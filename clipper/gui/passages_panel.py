"""The current clip's passages (a dock beside the reader) and the dialog to edit one.

Both only show and collect values; `passage_actions.PassageActions` reads and writes the library.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal, SignalInstance
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clipper.gui.highlight import COLORS, highlight_color
from clipper.gui.readerdoc import format_date
from clipper.gui.tagging import TagCompleter, split_tags
from clipper.library.types import PassageInfo

PassageRole = Qt.ItemDataRole.UserRole + 1
QUOTE_CHARS = 220


def swatch(color: str, size: int = 12) -> QIcon:
    """A small square of a passage colour (opaque, so it reads in a list)."""
    pixmap = QPixmap(size, size)
    solid = highlight_color(color, 255)
    pixmap.fill(QColor(solid))
    return QIcon(pixmap)


def short_quote(text: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class PassageDialog(QDialog):
    """Note, tags (completed from the library's) and colour of a passage."""

    def __init__(
        self,
        quote: str,
        all_tags: Sequence[str],
        parent: QWidget | None = None,
        *,
        note: str = "",
        tags: Sequence[str] = (),
        color: str = "yellow",
        title: str = "Annotate passage",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        quote_label = QLabel(f"“{short_quote(quote, 300)}”", self)
        quote_label.setWordWrap(True)
        font = quote_label.font()
        font.setItalic(True)
        quote_label.setFont(font)
        layout.addWidget(quote_label)
        form = QFormLayout()
        self.note_edit = QPlainTextEdit(note, self)
        self.note_edit.setPlaceholderText("Your note (optional)")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMinimumHeight(90)
        form.addRow("Note:", self.note_edit)
        self.tags_edit = QLineEdit(", ".join(tags), self)
        self.tags_edit.setPlaceholderText("e.g. evidence, follow up")
        self.tags_edit.setCompleter(TagCompleter(all_tags, self.tags_edit))
        form.addRow("Tags:", self.tags_edit)
        self.color_box = QComboBox(self)
        for name in COLORS:
            self.color_box.addItem(swatch(name), name.capitalize(), name)
        self.color_box.setCurrentIndex(max(0, self.color_box.findData(color)))
        form.addRow("Colour:", self.color_box)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.note_edit.setFocus()

    def note(self) -> str:
        return self.note_edit.toPlainText().strip()

    def tags(self) -> list[str]:
        return split_tags(self.tags_edit.text())

    def color(self) -> str:
        return str(self.color_box.currentData())


class PassagesPanel(QWidget):
    """The passages of the clip in the reader: quote, note, tags, colour, date, state."""

    activated = Signal(object)
    """A `PassageInfo` the user clicked: show it in the reader."""
    edit_requested = Signal(object)
    delete_requested = Signal(object)
    cite_requested = Signal(object)
    """Copy a pinpoint citation of this `PassageInfo`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        self.title = QLabel("<b>Passages</b>", self)
        layout.addWidget(self.title)
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.list.setIconSize(QSize(12, 12))
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(2)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.list.itemClicked.connect(self._on_clicked)
        self.list.itemActivated.connect(self._on_clicked)
        self.list.itemDoubleClicked.connect(lambda item: self.edit_requested.emit(self.info(item)))
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.empty = QLabel("Select text in the reader and press Ctrl+H to highlight it.", self)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setEnabled(False)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty, 1)
        self.list.setMinimumHeight(2 * self.item_height())
        row = QHBoxLayout()
        self.edit_button = QPushButton("Edit…", self)
        self.delete_button = QPushButton("Delete", self)
        self.cite_button = QPushButton("Copy Citation", self)
        self.cite_button.setToolTip(
            "The quote, the clip's reference, a link to the passage on the page "
            "and to the stored version"
        )
        self.edit_button.clicked.connect(lambda: self._emit_current(self.edit_requested))
        self.delete_button.clicked.connect(lambda: self._emit_current(self.delete_requested))
        self.cite_button.clicked.connect(lambda: self._emit_current(self.cite_requested))
        row.addWidget(self.edit_button)
        row.addWidget(self.delete_button)
        row.addWidget(self.cite_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.passages: list[PassageInfo] = []
        self.set_passages([])

    ROWS_SHOWN = 3
    """Passages the panel shows without scrolling, at its first-run height."""

    def item_height(self) -> int:
        """One passage: quote, note and date lines, plus the list's spacing."""
        return 3 * self.list.fontMetrics().lineSpacing() + 2 * self.list.spacing() + 6

    def preferred_height(self) -> int:
        chrome = self.title.sizeHint().height() + self.edit_button.sizeHint().height() + 24
        return chrome + self.ROWS_SHOWN * self.item_height() + 2 * self.list.frameWidth()

    def set_passages(self, passages: Sequence[PassageInfo]) -> None:
        current = self.current()
        self.passages = sorted(
            passages, key=lambda a: (a.start is None, a.start or 0, a.created_at)
        )
        self.list.clear()
        for info in self.passages:
            item = QListWidgetItem(swatch(info.color), self._label(info))
            item.setData(PassageRole, info)
            item.setToolTip(self._tooltip(info))
            if info.state == "orphaned":
                item.setForeground(self.palette().placeholderText())
            self.list.addItem(item)
            if current is not None and current.id == info.id:
                self.list.setCurrentItem(item)
        has_any = bool(self.passages)
        count = len(self.passages)
        self.title.setText(f"<b>Passages</b> ({count})" if count else "<b>Passages</b>")
        self.list.setVisible(has_any)
        self.empty.setVisible(not has_any)
        self._update_buttons()

    @staticmethod
    def _tooltip(info: PassageInfo) -> str:
        if info.state == "changed":
            from clipper import textdiff

            ops = textdiff.word_diff(info.exact, info.current_exact)
            return "<p>Text changed:</p><p>" + textdiff.render_html(ops) + "</p>"
        return info.note or info.exact[:400]

    @staticmethod
    def _label(info: PassageInfo) -> str:
        lines = [f"“{short_quote(info.exact)}”"]
        if info.state == "changed":
            lines.append(f"Text changed — now: “{short_quote(info.current_exact)}”")
        if info.note:
            lines.append(short_quote(info.note, 300))
        meta = [format_date(info.created_at)]
        if info.tags:
            meta.append("Tags: " + ", ".join(info.tags))
        if info.state == "orphaned":
            meta.append("orphaned: not in this version")
        elif info.state == "moved":
            meta.append("moved")
        elif info.state == "changed":
            meta.append("text changed since it was quoted")
        lines.append("  ·  ".join(meta))
        return "\n".join(lines)

    @staticmethod
    def info(item: QListWidgetItem | None) -> PassageInfo | None:
        return None if item is None else item.data(PassageRole)

    def current(self) -> PassageInfo | None:
        return self.info(self.list.currentItem())

    def row_of(self, passage_id: int) -> int | None:
        for row, info in enumerate(self.passages):
            if info.id == passage_id:
                return row
        return None

    def select(self, passage_id: int) -> bool:
        row = self.row_of(passage_id)
        if row is None:
            return False
        self.list.setCurrentRow(row)
        return True

    def _on_clicked(self, item: QListWidgetItem) -> None:
        info = self.info(item)
        if info is not None:
            self.activated.emit(info)

    def _emit_current(self, signal: SignalInstance) -> None:
        info = self.current()
        if info is not None:
            signal.emit(info)

    def _update_buttons(self) -> None:
        selected = self.current() is not None
        self.edit_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)
        self.cite_button.setEnabled(selected)
