"""Citation keys: `lopez2022morocco`, generated once per clip and unique in its library.

A key is stored with the clip when it is first clipped (`Clip.citation_key`), so that a
paper citing `\\cite{lopez2022morocco}` keeps working whatever else is exported later and
whatever the metadata becomes. Two clips that would share a key get `a`, `b`, ... after
the second one, in the order they were clipped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Container, Sequence

STOPWORDS = {
    "a", "an", "and", "at", "by", "de", "der", "die", "for", "from", "how", "in", "is",
    "its", "la", "le", "of", "on", "or", "the", "to", "what", "when", "why", "with",
}  # fmt: skip
MAX_KEY = 100


def ascii_word(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    return re.sub(
        r"[^a-z0-9]", "", "".join(c for c in plain if not unicodedata.combining(c)).lower()
    )


def first_significant(text: str) -> str:
    """The first word of `text` that is not a stop word or a number, folded to ASCII."""
    for candidate in re.findall(r"\w+", text):
        folded = ascii_word(candidate)
        if folded and not folded.isdigit() and folded not in STOPWORDS:
            return folded
    return ""


def base_key(
    clip_id: int, title: str, authors: Sequence[str], site_name: str, year: int | None
) -> str:
    """First author's family name (an organisation's first word), year, first title word.

    Without an author the site name stands in; without a date, "nd".
    """
    from clipper.export.names import split_name

    who = ""
    if authors and authors[0].strip():
        parts = split_name(authors[0])
        who = (
            first_significant(parts["literal"])
            if "literal" in parts
            else ascii_word(parts["family"])
        )
    if not who:
        who = first_significant(site_name)
    word = first_significant(title)
    if not (who or word):
        return f"clip{clip_id}"
    return f"{who or 'anon'}{year if year else 'nd'}{word}"[:MAX_KEY]


def letters(n: int) -> str:
    """a, b, ..., z, aa, ab, ...: suffixes for colliding keys (n = 0 is "a")."""
    out = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def unique_key(base: str, used: Container[str] | Callable[[str], bool]) -> str:
    """`base`, else `base` + a, b, ...: the first not in `used` (a set or a predicate)."""
    taken = used if callable(used) else used.__contains__
    key = base
    n = 0
    while taken(key):
        key = base + letters(n)
        n += 1
    return key


__all__ = ["ascii_word", "base_key", "first_significant", "letters", "unique_key"]
