"""Plain-text snippets: a window around the first match, matches marked "[[...]]".

Words are split and folded exactly as the index does (`clipper.search.analysis`), so
"cafe" marks "Café", "cooperation" marks "co-operation", "milit*" marks "military" and a
phrase marks only its words in sequence. Only the text up to the first match and the
window around it are scanned: long articles cost little.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from clipper.search.analysis import iter_words, split_compound

OPEN = "[["
CLOSE = "]]"
ELLIPSIS = "…"
_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class _Matcher:
    words: frozenset[str]
    prefixes: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]

    @classmethod
    def from_terms(cls, terms: Sequence[str]) -> _Matcher:
        words: set[str] = set()
        prefixes: list[str] = []
        phrases: list[tuple[str, ...]] = []
        for term in terms:
            prefix = term.endswith("*")
            parts = [p for raw, _s, _e in iter_words(term) for p in split_compound(raw)]
            if not parts:
                continue
            if len(parts) > 1 and " " in term.strip():
                phrases.append(tuple(parts))
            elif prefix:
                prefixes.append("".join(parts))
            else:
                words.add("".join(parts))
        return cls(frozenset(words), tuple(prefixes), tuple(phrases))

    def word_matches(self, parts: list[str]) -> bool:
        joined = "".join(parts)
        for candidate in (joined, *parts) if len(parts) > 1 else (joined,):
            if candidate in self.words or candidate.startswith(self.prefixes):
                return True
        return False


def _spans(
    text: str, matcher: _Matcher, start: int = 0, stop: int | None = None, first: bool = False
) -> list[tuple[int, int]]:
    """Match spans in text[start:stop] (whole words; a phrase as one span).

    With `first`, stop at the first match: words are found lazily, so a match early in
    a long article costs only the words before it.
    """
    spans: list[tuple[int, int]] = []
    longest = max((len(p) for p in matcher.phrases), default=0)
    recent: list[tuple[str, int, int]] = []  # last parts with their word's span
    for raw, ws, we in iter_words(text[start:stop]):
        ws, we = ws + start, we + start
        parts = split_compound(raw)
        if not parts:
            continue
        if matcher.word_matches(parts):
            spans.append((ws, we))
        if longest:
            recent.extend((p, ws, we) for p in parts)
            del recent[: max(0, len(recent) - longest)]
            for phrase in matcher.phrases:
                n = len(phrase)
                if len(recent) >= n and tuple(p for p, _s, _e in recent[-n:]) == phrase:
                    spans.append((recent[-n][1], we))
        if first and spans:
            return [min(spans)]
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans.sort()
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def make_snippet(text: str, terms: Sequence[str], width: int = 240) -> str:
    """A window of about `width` characters around the first match, matches marked.

    `terms` are the `IndexResults.terms`: folded words, "word*" prefixes and "two words"
    phrases. Without a match the window is the start of the text.
    """
    if not text:
        return ""
    width = max(width, 20)
    matcher = _Matcher.from_terms(terms)
    found = _spans(text, matcher, first=True) if terms else []
    first = found[0][0] if found else None
    if first is None:
        start = 0
    else:
        start = max(0, first - width // 4)
        if start > 0:
            space = text.find(" ", start, first)
            start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start + width // 2, end)
        end = space if space > start else end
    spans = _spans(text, matcher, start, end) if first is not None else []
    pieces: list[str] = []
    cursor = start
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        pieces.append(text[cursor:s])
        pieces.append(OPEN + text[s:e] + CLOSE)
        cursor = e
    pieces.append(text[cursor:end])
    body = _SPACE_RE.sub(" ", "".join(pieces)).strip()
    if start > 0:
        body = ELLIPSIS + body
    if end < len(text):
        body += ELLIPSIS
    return body
