"""Where the search terms are in a text: the reader's highlights.

This belongs in the core (`clipper.search`, next to `make_snippet`, whose matcher is
private); until it moves there it is built on the public `clipper.search.analysis`
functions only, so it splits and folds words exactly as the index does.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QColor, QTextFormat

from clipper.search.analysis import iter_words, split_compound

ANNOTATION_PROPERTY = QTextFormat.Property.UserProperty + 1
"""Set on the extra selections that draw passages (holds the annotation id)."""
COLORS: dict[str, tuple[int, int, int]] = {
    "yellow": (255, 214, 0),
    "green": (80, 200, 90),
    "blue": (70, 150, 255),
    "pink": (255, 105, 180),
    "purple": (160, 100, 230),
}
"""The passage colours the core accepts, as RGB."""


def highlight_color(name: str, alpha: int = 110) -> QColor:
    """A passage's translucent background (readable on light and dark pages)."""
    red, green, blue = COLORS.get(name, COLORS["yellow"])
    return QColor(red, green, blue, alpha)


def term_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """(start, end) of each match of the search terms in `text`, merged and sorted.

    `terms` are `SearchHit.terms`: folded words, "word*" prefixes, "two words" phrases.
    Words are split and folded with the index's own functions, so the reader marks
    what the search matched (accents, case, hyphenated compounds, prefixes, phrases).
    """
    if not terms or not text:
        return []
    words: set[str] = set()
    prefixes: list[str] = []
    phrases: list[tuple[str, ...]] = []
    for term in terms:
        parts = [p for raw, _s, _e in iter_words(term) for p in split_compound(raw)]
        if not parts:
            continue
        if len(parts) > 1 and " " in term.strip():
            phrases.append(tuple(parts))
        elif term.endswith("*"):
            prefixes.append("".join(parts))
        else:
            words.add("".join(parts))
    prefix_tuple = tuple(prefixes)
    longest = max((len(p) for p in phrases), default=0)
    spans: list[tuple[int, int]] = []
    recent: list[tuple[str, int, int]] = []
    for raw, start, end in iter_words(text):
        parts = split_compound(raw)
        if not parts:
            continue
        joined = "".join(parts)
        candidates = (joined, *parts) if len(parts) > 1 else (joined,)
        if any(c in words or (prefix_tuple and c.startswith(prefix_tuple)) for c in candidates):
            spans.append((start, end))
        if longest:
            recent.extend((p, start, end) for p in parts)
            del recent[: max(0, len(recent) - longest)]
            for phrase in phrases:
                n = len(phrase)
                if len(recent) >= n and tuple(p for p, _s, _e in recent[-n:]) == phrase:
                    spans.append((recent[-n][1], end))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s_, e_ in spans:
        if merged and s_ <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e_))
        else:
            merged.append((s_, e_))
    return merged
