"""Colours of passages and search hits, and where the search terms are in a text.

The matching itself is the core's: `clipper.search.snippet.match_spans`, the rule the
snippets use (words split and folded as the index does). That module is engine-neutral:
it loads neither Whoosh nor the database layer (`tests/gui/test_startup.py` checks).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QColor, QTextCharFormat, QTextFormat

PASSAGE_PROPERTY = QTextFormat.Property.UserProperty + 1
"""Set on the extra selections that draw passages (holds the passage id)."""
COLORS: dict[str, tuple[int, int, int]] = {
    "yellow": (255, 214, 0),
    "green": (80, 200, 90),
    "blue": (70, 150, 255),
    "pink": (255, 105, 180),
    "purple": (160, 100, 230),
}
"""The passage colours the core accepts, as RGB."""


SEARCH_HIT_RGB = (255, 128, 64)
"""Search hits: orange with an underline, never one of the passage colours."""


def search_hit_format() -> QTextCharFormat:
    """How the reader marks the words a search found (apart from yellow passages)."""
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(*SEARCH_HIT_RGB, 80))
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
    fmt.setUnderlineColor(QColor(230, 90, 20))
    return fmt


def highlight_color(name: str, alpha: int = 110) -> QColor:
    """A passage's translucent background (readable on light and dark pages)."""
    red, green, blue = COLORS.get(name, COLORS["yellow"])
    return QColor(red, green, blue, alpha)


def term_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """(start, end) of each match of the search terms in `text`, merged and sorted.

    The core's snippet rule (`clipper.search.snippet.match_spans`), so the reader marks
    exactly what the snippet and the search matched.
    """
    if not terms:
        return []
    from clipper.search.snippet import match_spans  # engine-neutral; not needed at start-up

    return match_spans(text, terms)
