"""The query language, parsed into plain values (no Whoosh here, so tests call it alone).

What users know from web search: words are ANDed, "exact phrases", `OR` between terms,
`-word` / `-"phrase"` / `-tag:x` exclusion, `tag:`, `site:`, `author:`, `note:`,
`has:note`, `before:` / `after:` dates. Bad syntax never raises: whatever cannot be read
as an operator is searched as plain words, and a warning says so.

Dates are half-open like Gmail's: `after:2023` means on or after 2023-01-01,
`before:2024-01-31` means before 2024-01-31, so `after:2023 before:2024` is the year 2023.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from clipper.rules import site_key, tag_key
from clipper.search.analysis import query_terms

FieldName = Literal["tag", "site", "author", "note", "has"]
_FIELDS: frozenset[str] = frozenset({"tag", "site", "author", "note", "has"})
_DATE_FIELDS: frozenset[str] = frozenset({"before", "after"})
_QUOTES = '"\u201c\u201d\u201e\u00ab\u00bb'
_HAS_VALUES = {"note": "note", "notes": "note"}
_DATE_RE = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$")
_FIELD_RE = re.compile(r"^([A-Za-z]+):(.*)$", re.DOTALL)
MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 32
"""Terms ANDed together; more make search cost explode and add nothing a person types."""
MAX_ALTERNATIVES = 16
"""Terms in one OR group, and words in one phrase."""


@dataclass(frozen=True)
class Words:
    """A typed word (or a phrase when `phrase`): its folded terms, in order."""

    terms: tuple[str, ...]
    phrase: bool = False
    prefix: bool = False
    """The last word as the user types it: also matches words starting with it."""


@dataclass(frozen=True)
class FieldTerm:
    """`tag:x`, `site:x`, `author:x`, `note:x`, `has:note`, value normalized."""

    name: FieldName
    value: str
    terms: tuple[str, ...] = ()
    """Folded words of the value, for `author:` and `note:` (word fields)."""


@dataclass(frozen=True)
class DateRange:
    """Half-open [start, end) on the published date (else the clipped date)."""

    start: date | None
    end: date | None


Atom = Words | FieldTerm | DateRange


@dataclass(frozen=True)
class Clause:
    """Alternatives joined by OR; `negated` excludes documents matching any of them."""

    alternatives: tuple[Atom, ...]
    negated: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    clauses: tuple[Clause, ...]
    warnings: tuple[str, ...] = ()

    @property
    def highlight_terms(self) -> tuple[str, ...]:
        """What a snippet should mark: folded words, "word*" prefixes, "two words" phrases."""
        out: list[str] = []
        for clause in self.clauses:
            if clause.negated:
                continue
            for atom in clause.alternatives:
                if isinstance(atom, Words):
                    out.append(" ".join(atom.terms) + ("*" if atom.prefix else ""))
                elif isinstance(atom, FieldTerm) and atom.name == "note":
                    out.append(" ".join(atom.terms))
        return tuple(dict.fromkeys(out))


@dataclass
class _Item:
    atom: Atom | None  # None: the OR operator
    negated: bool = False
    raw: str = ""
    bare_word: bool = False  # unquoted, no operator: may become the prefix word


@dataclass
class _Lexer:
    text: str
    pos: int = 0
    items: list[_Item] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def run(self) -> None:
        text = self.text
        while self.pos < len(text):
            ch = text[self.pos]
            if ch.isspace():
                self.pos += 1
                continue
            negated = False
            if ch == "-":
                nxt = text[self.pos + 1] if self.pos + 1 < len(text) else ""
                if not nxt or nxt.isspace():
                    self.pos += 1  # a lone "-": nothing to exclude
                    continue
                negated = True
                self.pos += 1
                ch = nxt
            if ch in _QUOTES:
                self._phrase(negated)
            else:
                self._token(negated)

    def _read_quoted(self) -> str | None:
        """Text up to the closing quote (the cursor is on the opening one)."""
        start = self.pos + 1
        for i in range(start, len(self.text)):
            if self.text[i] in _QUOTES:
                self.pos = i + 1
                return self.text[start:i]
        return None

    def _phrase(self, negated: bool) -> None:
        inner = self._read_quoted()
        if inner is None:
            self.warnings.append("Unbalanced quote: searched for the words instead.")
            self.pos += 1  # skip the stray quote; the rest is read as words
            return
        terms = tuple(query_terms(inner))
        if terms:
            self.items.append(_Item(Words(terms, phrase=len(terms) > 1), negated, inner))

    def _token(self, negated: bool) -> None:
        end = self.pos
        while end < len(self.text) and not self.text[end].isspace():
            end += 1
        raw = self.text[self.pos : end]
        match = _FIELD_RE.match(raw)
        if match and match.group(1).lower() in _FIELDS | _DATE_FIELDS:
            name = match.group(1).lower()
            value = match.group(2)
            if value and value[0] in _QUOTES:
                self.pos += len(match.group(1)) + 1
                quoted = self._read_quoted()
                if quoted is not None:
                    self._field(name, quoted, negated, raw)
                    return
                self.pos = end
                self.warnings.append("Unbalanced quote: searched for the words instead.")
                self._words(raw, negated)
                return
            self.pos = end
            self._field(name, value, negated, raw)
            return
        self.pos = end
        if raw == "OR" and not negated:
            self.items.append(_Item(None, raw=raw))
            return
        self._words(raw, negated, bare=True)

    def _words(self, raw: str, negated: bool, bare: bool = False) -> None:
        terms = tuple(query_terms(raw))
        if terms:
            atom = Words(terms, phrase=len(terms) > 1)
            self.items.append(_Item(atom, negated, raw, bare_word=bare))

    def _field(self, name: str, value: str, negated: bool, raw: str) -> None:
        atom = _field_atom(name, value)
        if atom is None:
            self.warnings.append(f"Could not read {raw!r}: searched for the words instead.")
            self._words(raw, negated)
            return
        self.items.append(_Item(atom, negated, raw))


def _field_atom(name: str, value: str) -> Atom | None:
    value = value.strip()
    if not value:
        return None
    if name in _DATE_FIELDS:
        period = parse_period(value)
        if period is None:
            return None
        start, _end = period
        return DateRange(start=start, end=None) if name == "after" else DateRange(None, start)
    if name == "has":
        has = _HAS_VALUES.get(value.lower())
        return FieldTerm("has", has) if has else None
    if name == "tag":
        key = tag_key(value)
        return FieldTerm("tag", key) if key else None
    if name == "site":
        key = site_key(value)
        return FieldTerm("site", key) if key else None
    terms = tuple(query_terms(value))
    if not terms:
        return None
    if name == "author":
        return FieldTerm("author", " ".join(terms), terms)
    return FieldTerm("note", " ".join(terms), terms)


def parse_period(value: str) -> tuple[date, date] | None:
    """`2024`, `2024-03` or `2024-03-31` as the half-open period [start, end)."""
    match = _DATE_RE.match(value.strip())
    if not match:
        return None
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    try:
        if month is None:
            return date(year, 1, 1), date(year + 1, 1, 1)
        if day is None:
            start = date(year, month, 1)
            return start, (start + timedelta(days=32)).replace(day=1)
        start = date(year, month, day)
        return start, start + timedelta(days=1)
    except (ValueError, OverflowError):
        return None


def parse_query(text: str, *, prefix_last: bool = True) -> ParsedQuery:
    """Parse user text. Never raises; unreadable operators become plain words.

    With `prefix_last`, the last bare word also matches words starting with it (search
    as you type) unless the text ends with whitespace (the word is finished).
    """
    warnings: list[str] = []
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        warnings.append(f"The query is long: only its first {MAX_QUERY_CHARS} characters are used.")
    lexer = _Lexer(text)
    lexer.run()
    items = lexer.items
    warnings.extend(lexer.warnings)
    clauses: list[list[_Item]] = []
    i = 0
    while i < len(items):
        item = items[i]
        if item.atom is None:  # OR
            prev_ok = bool(clauses) and not clauses[-1][-1].negated
            nxt = items[i + 1] if i + 1 < len(items) else None
            if prev_ok and nxt is not None and nxt.atom is not None and not nxt.negated:
                clauses[-1].append(nxt)
                i += 2
                continue
            warnings.append("OR needs a term on each side: searched for the word.")
            clauses.append([_Item(Words(("or",)), raw="OR", bare_word=True)])
            i += 1
            continue
        clauses.append([item])
        i += 1
    if prefix_last and clauses and text and not text[-1].isspace():
        last = clauses[-1][-1]
        if (
            last.bare_word
            and not last.negated
            and isinstance(last.atom, Words)
            and len(last.atom.terms) == 1
        ):
            clauses[-1][-1] = _Item(Words(last.atom.terms, prefix=True), raw=last.raw)
    parsed = tuple(
        Clause(
            tuple(_capped(it.atom) for it in group if it.atom is not None)[:MAX_ALTERNATIVES],
            negated=group[0].negated,
        )
        for group in clauses
    )
    if len(parsed) > MAX_CLAUSES or any(
        len(group) > MAX_ALTERNATIVES or _too_long(it.atom) for group in clauses for it in group
    ):
        parsed = parsed[:MAX_CLAUSES]
        warnings.append(
            f"The query is long: only its first {MAX_CLAUSES} terms are searched "
            f"(and {MAX_ALTERNATIVES} words per phrase or OR group)."
        )
    return ParsedQuery(parsed, tuple(dict.fromkeys(warnings)))


def _too_long(atom: Atom | None) -> bool:
    return isinstance(atom, Words) and len(atom.terms) > MAX_ALTERNATIVES


def _capped(atom: Atom) -> Atom:
    """A phrase of at most MAX_ALTERNATIVES words (longer ones cost without helping)."""
    if isinstance(atom, Words) and len(atom.terms) > MAX_ALTERNATIVES:
        return Words(atom.terms[:MAX_ALTERNATIVES], atom.phrase, atom.prefix)
    return atom
