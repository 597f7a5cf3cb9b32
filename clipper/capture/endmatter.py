"""End matter: the lines after an article's last paragraph that are about its making.

"Associated Press writers ... contributed to this report", "(Reporting by X; editing by
Y)", "Write to Jane Doe at jane@example.com", "SOURCE: Al Jazeera News", "Get the print
edition ... Click here". They sit in the article's own container, so the DOM passes keep
them; they are told apart by their wording and by where they are (the last few blocks),
never by site. A block is dropped only when its whole text is such a line.
"""

from __future__ import annotations

import re

from clipper.article import Block

_FLAGS = re.IGNORECASE | re.UNICODE
_CREDIT_LINE = re.compile(
    r"^\(?(?:(?:additional|further|contributing) )?(?:reporting|writing|editing|research|"
    r"compiled|compilation|produced|graphics|translation|translated|fact-checking)"
    r"(?: (?:and|&) (?:reporting|writing|editing|research))? by\b"
    r"|\bcontributed (?:reporting )?to this (?:report|story|article)\b"
    r"|^\(?this (?:story|article|report) (?:was|has been) (?:updated|corrected|produced|"
    r"written|reported|compiled)\b.{0,80}\)?$"
    r"|^write to [^.]{2,80}\bat\s+\S+@\S+"
    r"|^(?:source|sources|quelle|fuente|fonte|źródło)\s*:\s*\S.{0,60}$"
    r"|^(?:click|tap) here\b|\b(?:click|tap) here (?:for|to)\b",
    _FLAGS,
)
_SEPARATOR = re.compile(r"^[\s_*\-–—=~·•.]+$")
_TAIL_BLOCKS = 3
_MAX_WORDS = 60


def is_end_matter(text: str) -> bool:
    """Whether one block is, as a whole, a credit, contact, source or promo line."""
    text = " ".join(text.split())
    if not text:
        return False
    if _SEPARATOR.match(text):
        return True
    return len(text.split()) <= _MAX_WORDS and bool(_CREDIT_LINE.search(text))


def drop_end_matter(blocks: list[Block]) -> list[Block]:
    """Drop end-matter lines among the last text blocks (figures are left in place)."""
    kept = list(blocks)
    seen = 0
    index = len(kept) - 1
    while index >= 0 and seen < _TAIL_BLOCKS:
        block = kept[index]
        if block.kind != "figure":
            seen += 1
            if block.kind in {"paragraph", "quote"} and is_end_matter(block.text):
                del kept[index]
                seen -= 1  # look one block further up: credits come in pairs
        index -= 1
    return kept


__all__ = ["drop_end_matter", "is_end_matter"]
