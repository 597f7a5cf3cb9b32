"""The reader's colours, fonts and paragraph formats, derived from the palette."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette, QTextBlockFormat, QTextCharFormat

SERIF = ["Source Serif 4", "Charter", "Georgia", "Noto Serif", "DejaVu Serif", "serif"]
MONO = ["DejaVu Sans Mono", "Noto Sans Mono", "Liberation Mono", "monospace"]


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """`amount` of b over a: muted text that works on light and dark palettes."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * amount),
        round(a.green() + (b.green() - a.green()) * amount),
        round(a.blue() + (b.blue() - a.blue()) * amount),
    )


@dataclass(frozen=True)
class Style:
    """Colours and sizes derived from the palette and the base font."""

    text: QColor
    muted: QColor
    faint: QColor
    link: QColor
    code_bg: QColor
    rule: QColor
    base_pt: float

    @classmethod
    def from_palette(cls, palette: QPalette, base_pt: float) -> Style:
        text = palette.color(QPalette.ColorRole.Text)
        base = palette.color(QPalette.ColorRole.Base)
        return cls(
            text=text,
            muted=mix(text, base, 0.35),
            faint=mix(text, base, 0.5),
            link=palette.color(QPalette.ColorRole.Link),
            code_bg=mix(base, text, 0.06),
            rule=mix(base, text, 0.2),
            base_pt=base_pt,
        )


def char_format(
    style: Style,
    scale: float = 1.0,
    *,
    serif: bool = True,
    bold: bool = False,
    italic: bool = False,
    color: QColor | None = None,
    mono: bool = False,
) -> QTextCharFormat:
    fmt = QTextCharFormat()
    if mono:
        fmt.setFontFamilies(MONO)
    elif serif:
        fmt.setFontFamilies(SERIF)
    # else: the UI font (the document's default)
    fmt.setFontPointSize(style.base_pt * scale)
    fmt.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
    fmt.setFontItalic(italic)
    fmt.setForeground(color or style.text)
    return fmt


def block_format(
    top: float = 0,
    bottom: float = 10,
    line_height: int = 150,
    align: Qt.AlignmentFlag | None = None,
) -> QTextBlockFormat:
    fmt = QTextBlockFormat()
    fmt.setTopMargin(top)
    fmt.setBottomMargin(bottom)
    fmt.setLineHeight(line_height, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    if align is not None:
        fmt.setAlignment(align)
    return fmt


__all__ = ["MONO", "SERIF", "Style", "block_format", "char_format", "mix"]
