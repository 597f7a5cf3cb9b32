"""Words as the index sees them: one tokenizer for indexing, queries and snippets.

The same function splits and folds text everywhere, so that a word found by a query is
the word the snippet highlights. Folding is the rule book's (`clipper.rules.fold`: case
folding plus accent stripping, é -> e, ß -> ss); there is no stemming (see
docs/benchmarks.md: Porter merges "news" with "new" and mangles non-English clips, and
the prefix match on the last typed word already covers most plurals).

Hyphenated and apostrophe compounds ("co-operation", "O'Brien") are indexed as their
parts and as the joined word, so "cooperation" finds "co-operation" and "co operation"
as a phrase does too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from clipper.rules import fold

PREFIX_MIN = 3
"""Shortest word being typed that also matches as a prefix (shorter ones match exactly)."""

# A word: letters/digits (plus combining marks, so decomposed accents stay inside the
# word), optionally joined by hyphens or apostrophes.
_W = r"[\w\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
JOINERS = "-'\u2019\u2010\u2011"
WORD_RE = re.compile(rf"{_W}(?:[{JOINERS}]{_W})*")
_SPLIT_RE = re.compile(rf"[{JOINERS}]")


def split_compound(word: str) -> list[str]:
    """Parts of a hyphen/apostrophe compound, folded; one item for a plain word."""
    return [p for p in (fold(part) for part in _SPLIT_RE.split(word)) if p]


def iter_words(text: str) -> Iterator[tuple[str, int, int]]:
    """(raw word, start, end) for every word in `text`, compounds kept whole."""
    for m in WORD_RE.finditer(text):
        yield m.group(), m.start(), m.end()


def index_terms(text: str) -> Iterator[tuple[str, int]]:
    """(folded term, position) as indexed: compounds give parts and the joined word.

    The joined word shares the position of the first part, so a phrase over the parts
    still matches at consecutive positions.
    """
    pos = 0
    for m in WORD_RE.finditer(text):
        raw = m.group()
        if _SPLIT_RE.search(raw) is None:
            yield fold(raw), pos
            pos += 1
            continue
        parts = split_compound(raw)
        if not parts:
            continue
        if len(parts) > 1:
            yield "".join(parts), pos
        for part in parts:
            yield part, pos
            pos += 1


def query_terms(text: str) -> list[str]:
    """Terms for typed text: one word is looked up as one term (a compound joined),
    several words as the phrase of their parts, as they were indexed."""
    words = [split_compound(raw) for raw, _start, _end in iter_words(text)]
    words = [w for w in words if w]
    if len(words) == 1:
        return ["".join(words[0])]
    return [part for parts in words for part in parts]
