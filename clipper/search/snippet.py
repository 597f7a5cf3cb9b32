"""Plain-text snippets: a window around the first match, matches marked "[[...]]".

Words are split and folded exactly as the index does (`clipper.search.analysis`), so
"cafe" marks "Café", "cooperation" marks "co-operation", "milit*" marks "military" and a
phrase marks only its words in sequence.

Speed: a word-by-word scan costs ~0.5 ms per 700-word article in Python. Instead
regular expressions find candidate positions in C, and the exact word-level check runs
only around each candidate and on the shown window. Most texts are scanned folded to one
byte per character (`_folded_bytes`), where a term's letters are literals: a regex of
letter classes ("[cC][aAàá...]") scans ~6 ns a character, a literal ~0.5.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from clipper.rules import fold
from clipper.search.analysis import JOINERS, WORD_RE, iter_words, split_compound

OPEN = "[["
CLOSE = "]]"
ELLIPSIS = "…"
_SPACE_RE = re.compile(r"\s+")
_FOLD_RANGES = ((0x41, 0x5B), (0xA0, 0x250), (0x370, 0x530), (0x1E00, 0x1F00))
"""Upper-case ASCII, Latin-1 (with ª ² ³ µ ¹ º, which fold too) and Latin Extended, Greek,
Cyrillic, Latin Additional."""


_WIDE_HIGH_BYTES = bytes(1 if b in (0x01, 0x02, 0x03, 0x04, 0x05, 0x1E) else 0 for b in range(256))


def _has_wide_letters(text: str) -> bool:
    """Whether `text` may hold letters past Latin-1 that fold (Latin Extended, Greek,
    Cyrillic, Latin Additional): any character in U+0100-U+05FF or U+1E00-U+1EFF, seen
    in the high bytes of its UTF-16 (a few microseconds; a regex class scan costs 10x)."""
    if text.isascii():
        return False
    return 1 in text.encode("utf-16-le")[1::2].translate(_WIDE_HIGH_BYTES)


@functools.cache
def _letter_classes(wide: bool) -> dict[str, str]:
    """For each folded letter, a regex class of the characters that fold to it.

    Built once from the Latin, Greek and Cyrillic ranges (length-keeping folds only;
    see `_irregular` for the rest). Without `wide`, only Latin-1 variants: a class with
    characters past U+00FF costs Python's regex compiler ~0.1 ms (a 64K bitmap), which
    made compiling a query's pattern cost more than its 20 snippets.
    """
    variants: dict[str, set[str]] = {}
    for lo, hi in _FOLD_RANGES:
        for cp in range(lo, hi):
            ch = chr(cp)
            folded = fold(ch)
            if len(folded) == 1 and folded != ch and (wide or cp < 0x100):
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


_JOINER_CLASSES = tuple(
    "[" + "".join(re.escape(c) for c in JOINERS if (ord(c) < 0x100) == latin1) + "]"
    for latin1 in (True, False)
)
"""The joiners as two regex classes, the Latin-1 ones and the others: a class with
characters past U+00FF in several runs costs the compiler a 64K bitmap, two classes
of at most two runs each do not."""


def _joiner() -> str:
    """An optional joiner between two letters (letting one of each class through is
    still a superset)."""
    return "".join(f"{c}?" for c in _JOINER_CLASSES)


def _loose(term: str, wide: bool) -> str:
    """Regex for a folded term in raw text: any case or accent, and hyphenated
    ("co-operation" for "cooperation")."""
    classes = _letter_classes(wide)
    return _joiner().join(classes.get(c) or _cased(c) for c in term)


def _cased(c: str) -> str:
    """A letter outside the folding table, either case (the pattern is case-sensitive:
    IGNORECASE makes Python's regex engine 2x slower on these classes)."""
    upper = c.upper()
    if len(upper) == 1 and upper != c:
        return "[" + re.escape(c) + re.escape(upper) + "]"
    return re.escape(c)


def _wide_regex(words: Sequence[str], phrases: Sequence[tuple[str, ...]]) -> re.Pattern[str] | None:
    """One candidate regex for every term, any text (costly to compile: ~5 ms)."""
    alternatives = [_loose(w, True) for w in sorted(words, key=len, reverse=True)]
    alternatives += [r"\W+".join(_loose(w, True) for w in phrase) for phrase in phrases]
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + ")")


_AT_WORD_START = r"(?<!\w(?s:.))"
"""After a first letter: that letter starts a word. Put after it, not before, so that
Python's regex engine skips to the letter in C instead of trying a lookbehind at every
position (3x slower)."""
SHORT = 4
"""Letters of a word that its candidate regex spells out; the exact check does the rest."""


@functools.lru_cache(maxsize=4096)
def _narrow_word_regex(start: str) -> re.Pattern[str]:
    """Candidates of a word or prefix beginning with `start` (its first `SHORT` letters:
    words share these, and the cache with them) in a text without wide letters: those
    letters in a row, or a word starting with its first letter and holding a joiner ("co-op"
    for "coop": rare in a text, and sorted out by the exact check). A short pattern:
    Python compiles a regex slowly (~0.2 ms per letter with joiners between letters)."""
    classes = _letter_classes(False)
    letters = [classes.get(c) or _cased(c) for c in start]
    compound = "|".join(rf"\w*{c}" for c in _JOINER_CLASSES)
    return re.compile(letters[0] + _AT_WORD_START + f"(?:{''.join(letters[1:])}|{compound})")


@functools.lru_cache(maxsize=256)
def _narrow_phrase_regex(words: tuple[str, ...]) -> re.Pattern[str]:
    """Candidates of a phrase in a text without wide letters: every word spelled out
    (the candidate must span the phrase for the exact check to see it whole)."""
    pattern = r"\W+".join(_loose(w, False) for w in words)
    first = re.match(r"\[[^\]]*\]|\\.|.", pattern, re.DOTALL)
    assert first is not None
    head = first.group()
    return re.compile(head + _AT_WORD_START + pattern[len(head) :])


@functools.cache
def _latin1_fold() -> bytes:
    """A `bytes.translate` table: each Latin-1 character to its fold when that is one
    Latin-1 character ("É" -> "e"), else itself (the irregular ones are `_irregular`'s)."""
    out = bytearray(range(256))
    for b in range(256):
        folded = fold(chr(b))
        if len(folded) == 1 and ord(folded) < 0x100:
            out[b] = ord(folded)
    return bytes(out)


def _folded_bytes(text: str) -> bytes:
    """`text` folded one character to one byte (characters past Latin-1 become "?"), so
    a match's offsets in it are offsets in `text`: literal byte patterns then find
    candidates several times faster than letter classes in `text`."""
    return text.encode("latin-1", "replace").translate(_latin1_fold())


_LATIN1_WORD = b"".join(re.escape(bytes([b])) for b in range(256) if re.match(r"\w", chr(b)))
_WORD_BYTE = b"[" + _LATIN1_WORD + b"]"
"""A byte that is a word character of the text (Latin-1 ones are themselves)."""
_WORD_BYTES = b"[" + _LATIN1_WORD + b"?]"
"""A byte that may stand for one ("?" may be any character past Latin-1)."""
_JOINER_BYTES = rb"[\-'?]"
"""A byte that may stand for a joiner (the ones past Latin-1 became "?")."""


@functools.lru_cache(maxsize=4096)
def _byte_word_regex(start: bytes) -> re.Pattern[bytes]:
    """`_narrow_word_regex` over `_folded_bytes`: the letters are literals (found in C
    like a substring), a compound is the first letter starting a word with a joiner."""
    first, rest = re.escape(start[:1]), re.escape(start[1:])
    return re.compile(
        first
        + rb"(?<!"
        + _WORD_BYTE
        + rb".)(?:"
        + rest
        + rb"|"
        + _WORD_BYTES
        + rb"*"
        + _JOINER_BYTES
        + rb")"
    )


@functools.lru_cache(maxsize=256)
def _byte_phrase_regex(words: tuple[bytes, ...]) -> re.Pattern[bytes]:
    """`_narrow_phrase_regex` over `_folded_bytes`: between the words, a run of bytes
    that are not Latin-1 word characters ("?" included, which may be a letter past
    Latin-1: a superset)."""
    head = re.escape(words[0][:1])
    body = (rb"[^" + _LATIN1_WORD + rb"]+").join(re.escape(w) for w in words)
    return re.compile(head + rb"(?<!" + _WORD_BYTE + rb".)" + body[len(head) :])


Candidates = tuple[str | bytes, tuple[tuple[re.Pattern[Any], bool], ...]]
"""Where to look (the text, or its `_folded_bytes`) and the regexes that together see
every possible match, each with whether its matches stay in one chunk."""


@dataclass(frozen=True)
class _Matcher:
    words: frozenset[str]
    prefixes: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]
    narrow: tuple[tuple[re.Pattern[str], bool], ...]
    """One regex per term, finding every place a match of it may start (a superset) in
    a text without wide letters (`_has_wide_letters`)."""
    byte_level: tuple[tuple[re.Pattern[bytes], bool], ...] | None
    """The same over `_folded_bytes` (most texts), when every term is Latin-1."""

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
        singles = sorted({*words, *prefixes})
        narrow = tuple((_narrow_word_regex(w[:SHORT]), True) for w in singles)
        narrow += tuple((_narrow_phrase_regex(phrase), False) for phrase in phrases)
        byte_level: tuple[tuple[re.Pattern[bytes], bool], ...] | None = None
        try:
            byte_level = tuple(
                (_byte_word_regex(w[:SHORT].encode("latin-1")), True) for w in singles
            ) + tuple(
                (_byte_phrase_regex(tuple(w.encode("latin-1") for w in phrase)), False)
                for phrase in phrases
            )
        except UnicodeEncodeError:  # a term past Latin-1: the text's own regexes
            byte_level = None
        return cls(frozenset(words), tuple(prefixes), tuple(phrases), narrow, byte_level)

    @functools.cached_property
    def wide(self) -> re.Pattern[str] | None:
        """All terms for any text; compiled only when a text needs it."""
        return _wide_regex([*self.words, *self.prefixes], self.phrases)

    def candidates(self, text: str) -> Candidates:
        """Where and with which regexes to look for every possible match in `text`."""
        if _has_wide_letters(text):
            return text, (() if self.wide is None else ((self.wide, False),))
        if self.byte_level is not None:
            return _folded_bytes(text), self.byte_level
        return text, self.narrow

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


def _candidate_spans(
    text: str, matcher: _Matcher, start: int, stop: int, candidates: Candidates | None = None
) -> list[tuple[int, int]]:
    """`_spans(text, matcher, start, stop)`, checking only the chunks where the candidate
    regexes (in C) see a possible match; a text they cannot see through is scanned whole."""
    haystack, patterns = matcher.candidates(text) if candidates is None else candidates
    if not patterns:
        return []
    if _irregular().search(text, start, stop):
        return _spans(text, matcher, start, stop)
    found = [m.span() for p, _ in patterns for m in p.finditer(haystack, start, stop)]
    if len(patterns) > 1:
        found.sort()
    spans: list[tuple[int, int]] = []
    checked = start
    for cand_start, cand_end in found:
        # From the word's start even where an earlier chunk was checked: a phrase may
        # begin inside a compound that was ("é-Climate change"); spans are merged.
        lo = max(start, _word_start(text, cand_start))
        hi = min(stop, _chunk_end(text, cand_end))
        if hi > checked:
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


def _first_match(text: str, matcher: _Matcher, candidates: Candidates | None = None) -> int | None:
    haystack, patterns = matcher.candidates(text) if candidates is None else candidates
    if not patterns:
        return None
    best: int | None = None
    for pattern, in_chunk in patterns:  # each term's first match; stop at the best so far
        # A term absent from the text is scanned only up to the best match's chunk.
        stop = len(text) if best is None or not in_chunk else _chunk_end(text, best)
        for cand in pattern.finditer(haystack, 0, stop):
            if best is not None and cand.start() >= best:
                break
            lo = _word_start(text, cand.start())
            hi = _chunk_end(text, cand.end())
            found = _spans(text, matcher, lo, hi, first=True)
            if found:
                best = found[0][0] if best is None else min(best, found[0][0])
                break
    if best is None and _irregular().search(text):  # rare: check every word
        found = _spans(text, matcher, 0, len(text), first=True)
        return found[0][0] if found else None
    return best


def make_snippet(text: str, terms: Sequence[str], width: int = 240) -> str:
    """A window of about `width` characters around the first match, matches marked.

    `terms` are the `IndexResults.terms`: folded words, "word*" prefixes and "two words"
    phrases. Without a match the window is the start of the text.
    """
    if not text:
        return ""
    width = max(width, 20)
    matcher = _matcher(tuple(terms))
    candidates = matcher.candidates(text)
    first = _first_match(text, matcher, candidates)
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
    spans = _candidate_spans(text, matcher, start, end, candidates) if first is not None else []
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
