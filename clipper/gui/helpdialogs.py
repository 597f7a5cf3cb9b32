"""Help > Search Syntax and Help > Keyboard Shortcuts: non-modal, always true.

The shortcut list is built from the window's own actions, so it cannot drift from what
the keys do; the search syntax is the table the README gives.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

SEARCH_SYNTAX: tuple[tuple[str, str], ...] = (
    ("military ties", "clips with both words (title, standfirst, text, captions, credits, "
     "notes, tags)"),
    ('"air defense"', "the exact phrase"),
    ("drone OR missile", "either word"),
    ("-opinion", "leaves out clips with the word"),
    ("tag:defense", "clips with the tag"),
    ("site:timesofisrael", "clips from the site"),
    ("author:gantz", "clips by the author"),
    ("after:2024-01 before:2024-06-30", "published (else clipped) in the date range"),
    ("has:note", "clips with notes on their passages"),
    ("note:word", "clips whose passage notes hold the word"),
    ("milit", "the last word also matches longer words as you type (military)"),
)  # fmt: skip
OTHER_KEYS: tuple[tuple[str, str], ...] = (
    ("Escape", "Clear the search (again: back to the list)"),
    ("Return", "Search now"),
    ("Drag and drop", "Clip links, tabs or saved .html pages"),
)


def search_syntax_html() -> str:
    rows = "".join(
        f"<tr><td><code>{escape(query)}</code></td><td>{escape(meaning)}</td></tr>"
        for query, meaning in SEARCH_SYNTAX
    )
    return (
        "<h3>Searching your clips</h3>"
        "<p>Type in the search box (Ctrl+F or Ctrl+K); the list follows as you type.</p>"
        f"<table cellspacing='0' cellpadding='4'>{rows}</table>"
        '<p>Combine them: <code>quay "sea wall" -bridge tag:harbour after:2024-01</code>. '
        "A query Clipper cannot read never fails: it searches its words instead.</p>"
    )


def shortcuts_html(actions: Iterable[QAction]) -> str:
    rows = []
    for action in sorted(actions, key=lambda a: a.text().replace("&", "").casefold()):
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        if keys:
            name = action.text().replace("&", "").rstrip("…")
            rows.append(
                f"<tr><td><b>{escape(', '.join(keys))}</b></td><td>{escape(name)}</td></tr>"
            )
    rows += [f"<tr><td><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in OTHER_KEYS]
    return f"<h3>Keyboard shortcuts</h3><table cellpadding='3'>{''.join(rows)}</table>"


class HelpDialog(QDialog):
    """A page of help beside the window (non-modal: try what it says while reading)."""

    def __init__(self, title: str, html: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setModal(False)
        layout = QVBoxLayout(self)
        self.text = QTextBrowser(self)
        self.text.setOpenLinks(False)
        self.text.setHtml(html)
        layout.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.resize(620, 520)
