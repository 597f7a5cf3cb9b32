"""The two W3C Web Annotation selectors Clipper stores, and how a new one is made."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DEFAULT_CONTEXT = 32
"""Characters of prefix and suffix kept with a quote (as Hypothesis does)."""


@dataclass(frozen=True)
class TextQuoteSelector:
    """The passage itself, with the text just before and after it to tell repeats apart."""

    exact: str
    prefix: str = ""
    suffix: str = ""

    def to_json(self) -> dict[str, Any]:
        """W3C form; empty prefix and suffix are left out (both are optional there)."""
        data: dict[str, Any] = {"type": "TextQuoteSelector", "exact": self.exact}
        if self.prefix:
            data["prefix"] = self.prefix
        if self.suffix:
            data["suffix"] = self.suffix
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TextQuoteSelector:
        _check_type(data, "TextQuoteSelector")
        return cls(
            exact=str(data.get("exact", "")),
            prefix=str(data.get("prefix", "")),
            suffix=str(data.get("suffix", "")),
        )


@dataclass(frozen=True)
class TextPositionSelector:
    """Offsets in the plain text: `text[start:end]` is the passage."""

    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {"type": "TextPositionSelector", "start": self.start, "end": self.end}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TextPositionSelector:
        _check_type(data, "TextPositionSelector")
        return cls(start=int(data["start"]), end=int(data["end"]))


def _check_type(data: dict[str, Any], expected: str) -> None:
    kind = data.get("type", expected)
    if kind != expected:
        raise ValueError(f"expected a {expected}, got {kind!r}")


def describe(
    text: str, start: int, end: int, context: int = DEFAULT_CONTEXT
) -> tuple[TextQuoteSelector, TextPositionSelector]:
    """Both selectors for `text[start:end]`, as stored with a new passage."""
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"invalid range {start}:{end} for a text of {len(text)} characters")
    quote = TextQuoteSelector(
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
    )
    return quote, TextPositionSelector(start, end)
