"""Plain-text snippets: a window around the first match, matches marked "[[...]]".

Words are split and folded exactly as the index does (`clipper.search.analysis`), so
"cafe" marks "Café", "cooperation" marks "co-operation", "milit*" marks "military" and a
phrase marks only its words in sequence.

Speed: a word-by-word scan costs ~0.5 ms per 700-word article in Python. Instead one
case- and accent-insensitive regular expression finds candidate positions in C, and the
exact word-level check runs only around each candidate and on the shown window.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from clipper.search.analysis import JOINERS, WORD_RE, fold, iter_words, split_compound

OPEN = "[["
CLOSE = "]]"
ELLIPSIS = "…"
_SPACE_RE = re.compile(r"\s+")
_FOLD_RANGES = ((0x41, 0x5B), (0xC0, 0x250), (0x370, 0x530), (0x1E00, 0x1F00))
"""Upper-case ASCII, Latin-1 and Latin Extended, Greek, Cyrillic, Latin Additional."""


@functools.cache
def _letter_classes() -> dict[str, str]:
    """For each folded letter, a regex class of the characters that fold to it.

    Built once from the Latin, Greek and Cyrillic ranges (length-keeping folds only;
    see `_irregular` for the rest).
    """
    variants: dict[str, set[str]] = {}
    for lo, hi in _FOLD_RANGES:
        for cp in range(lo, hi):
            ch = chr(cp)
            folded = fold(ch)
            if len(folded) == 1 and folded != ch:
                variants.setdefault(folded, set()).add(ch)
    return {
        letter: "[" + re.escape(letter) + "".join(re.escape(c) for c in sorted(chars)) + "]"
        for letter, chars in variants.items()
    }


@functools.cache
def _irregular() -> re.Pattern[str]:
    """Characters the candidate regex cannot see through: folds longer than one
    character (ß -> ss, ligatures) and combining marks (decomposed accents)."""
    chars = [
        chr(cp)
        for lo, hi in (*_FOLD_RANGES, (0xFB00, 0xFB50))
        for cp in range(lo, hi)
        if len(fold(chr(cp))) != 1
    ]
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "\u0300-\u036f]")


def _loose(term: str) -> str:
    """Regex for a folded term in raw text: any case or accent, and hyphenated
    ("co-operation" for "cooperation")."""
    classes = _letter_classes()
    joiner = f"[{re.escape(JOINERS)}]?"
    return joiner.join(classes.get(c) or _cased(c) for c in term)


def _cased(c: str) -> str:
    """A letter outside the folding table, either case (the pattern is case-sensitive:
    IGNORECASE makes Python's regex engine 2x slower on these classes)."""
    upper = c.upper()
    if len(upper) == 1 and upper != c:
        return "[" + re.escape(c) + re.escape(upper) + "]"
    return re.escape(c)


@dataclass(frozen=True)
class _Matcher:
    words: frozenset[str]
    prefixes: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]
    candidates: re.Pattern[str] | None
    """Finds every place a match may start (a superset) in the raw text."""

    @classmethod
    def from_terms(cls, terms: Sequence[str]) -> _Matcher:
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
        alternatives = [_loose(w) for w in sorted({*words, *prefixes}, key=len, reverse=True)]
        alternatives += [r"\W+".join(_loose(w) for w in phrase) for phrase in phrases]
        pattern = None
        if alternatives:
            pattern = re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + ")")
        return cls(frozenset(words), tuple(prefixes), tuple(phrases), pattern)

    def word_matches(self, parts: list[str]) -> bool:
        joined = "".join(parts)
        for candidate in (joined, *parts) if len(parts) > 1 else (joined,):
            if candidate in self.words or candidate.startswith(self.prefixes):
                return True
        return False


def _spans(
    text: str, matcher: _Matcher, start: int, stop: int, first: bool = False
) -> list[tuple[int, int]]:
    """Exact match spans in text[start:stop]: whole words, a phrase as one span."""
    spans: list[tuple[int, int]] = []
    longest = max((len(p) for p in matcher.phrases), default=0)
    recent: list[tuple[str, int, int]] = []  # last parts with their word's span
    words, prefixes = matcher.words, matcher.prefixes
    for m in WORD_RE.finditer(text, start, stop):
        word = fold(m.group())
        parts = [word] if word.isalnum() else split_compound(word)
        if len(parts) == 1:
            hit = word in words or (bool(prefixes) and word.startswith(prefixes))
        else:
            hit = matcher.word_matches(parts)
        if hit:
            spans.append(m.span())
        if longest:
            ws, we = m.span()
            recent.extend((p, ws, we) for p in parts)
            del recent[: max(0, len(recent) - longest)]
            for phrase in matcher.phrases:
                n = len(phrase)
                if len(recent) >= n and tuple(p for p, _s, _e in recent[-n:]) == phrase:
                    spans.append((recent[-n][1], we))
        if first and spans:
            return [min(spans)]
    return _merge(spans)


def match_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """(start, end) of every match of `terms` (`SearchHit.terms`) in `text`, merged and
    sorted: what a view highlights, by the same rule as the snippet's marks."""
    if not terms or not text:
        return []
    return _candidate_spans(text, _matcher(tuple(terms)), 0, len(text))


@functools.lru_cache(maxsize=64)
def _matcher(terms: tuple[str, ...]) -> _Matcher:
    """Built once per query: a page of results shares it."""
    return _Matcher.from_terms(terms)


def _chunk_end(text: str, pos: int) -> int:
    """End of the whitespace-delimited chunk holding `pos - 1`."""
    end = len(text)
    while pos < end and not text[pos].isspace():
        pos += 1
    return pos


def _candidate_spans(text: str, matcher: _Matcher, start: int, stop: int) -> list[tuple[int, int]]:
    """`_spans(text, matcher, start, stop)`, checking only the chunks where the candidate
    regex (in C) sees a possible match; a text it cannot see through is scanned whole."""
    if matcher.candidates is None:
        return []
    if _irregular().search(text, start, stop):
        return _spans(text, matcher, start, stop)
    spans: list[tuple[int, int]] = []
    checked = start
    for cand in matcher.candidates.finditer(text, start, stop):
        lo = max(checked, _word_start(text, cand.start()))
        hi = min(stop, _chunk_end(text, cand.end()))
        if hi > lo:
            spans += _spans(text, matcher, lo, hi)
            checked = hi
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


def _word_start(text: str, pos: int) -> int:
    """Start of the whitespace-delimited chunk holding `pos`."""
    while pos > 0 and not text[pos - 1].isspace():
        pos -= 1
    return pos


def _first_match(text: str, matcher: _Matcher) -> int | None:
    if matcher.candidates is None:
        return None
    for cand in matcher.candidates.finditer(text):
        lo = _word_start(text, cand.start())
        hi = _chunk_end(text, cand.end())
        found = _spans(text, matcher, lo, hi, first=True)
        if found:
            return found[0][0]
    if _irregular().search(text):  # rare: check every word
        found = _spans(text, matcher, 0, len(text), first=True)
        return found[0][0] if found else None
    return None


def make_snippet(text: str, terms: Sequence[str], width: int = 240) -> str:
    """A window of about `width` characters around the first match, matches marked.

    `terms` are the `IndexResults.terms`: folded words, "word*" prefixes and "two words"
    phrases. Without a match the window is the start of the text.
    """
    if not text:
        return ""
    width = max(width, 20)
    matcher = _matcher(tuple(terms))
    first = _first_match(text, matcher)
    start = 0
    if first is not None:
        start = max(0, first - width // 4)
        if start > 0:
            space = text.find(" ", start, first)
            start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start + width // 2, end)
        end = space if space > start else end
    spans = _candidate_spans(text, matcher, start, end) if first is not None else []
    pieces: list[str] = []
    cursor = start
    for s, e in spans:
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
