"""End matter: lines about the article's making rather than its story.

Mostly after the last paragraph: "Associated Press writers ... contributed to this
report", "(Reporting by X; editing by Y)", "Write to Jane Doe at jane@example.com",
"SOURCE: Al Jazeera News", "Get the print edition ... Click here". They sit in the
article's own container, so the DOM passes keep them; they are told apart by their
wording and by where they are (the last few blocks), never by site. A block is dropped
only when its whole text is such a line. The byline repeated as a block at the top or
bottom ("5:45 AM PST 11/19/2019 by Jane Doe") goes too.
"""

from __future__ import annotations

import re

from clipper.article import Block
from clipper.capture.textutil import word_set
from clipper.rules import text_key

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
    r"|^(?:click|tap) here\b|\b(?:click|tap) here (?:for|to)\b"
    r"|^(?:©|\(c\)\s|copyright\b).{0,100}$",
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


_BYLINE_FILLER = word_set(
    "by posted published updated on at and am pm et est edt pst pdt cst cdt mst mdt gmt utc "
    "bst cet cest ist jst hkt aest de von par por door written words story text reporting "
    "jan january feb february mar march apr april may jun june jul july aug august sep sept "
    "september oct october nov november dec december mon monday tue tues tuesday wed "
    "wednesday thu thur thurs thursday fri friday sat saturday sun sunday ago hours hour "
    "minutes minute min mins today yesterday"
)
_BYLINE_WORDS = 20
_EDGE_BLOCKS = 3


def is_byline_block(text: str, authors: list[str]) -> bool:
    """Whether a block only repeats the byline: the authors, dates, times and "by"."""
    words = text_key(text).split()
    if not words or len(words) > _BYLINE_WORDS or not authors:
        return False
    names = {w for a in authors for w in text_key(a).split()}
    rest = [w for w in words if w not in _BYLINE_FILLER and not w.isdigit()]
    return bool(rest) and all(w in names for w in rest)


def drop_byline_blocks(blocks: list[Block], authors: list[str]) -> list[Block]:
    """Drop byline repeats among the first and last few text blocks."""
    if not authors:
        return blocks
    text_positions = [i for i, b in enumerate(blocks) if b.kind != "figure"]
    edges = set(text_positions[:_EDGE_BLOCKS] + text_positions[-_EDGE_BLOCKS:])
    return [
        b
        for i, b in enumerate(blocks)
        if i not in edges or b.kind == "code" or not is_byline_block(b.text, authors)
    ]


__all__ = ["drop_byline_blocks", "drop_end_matter", "is_byline_block", "is_end_matter"]
