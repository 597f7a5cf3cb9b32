"""Pinpoint citations of one passage: the quote, the clip's reference, and two links.

* A text-fragment link to the live passage (`URL#:~:text=prefix-,start,end,-suffix`,
  https://wicg.github.io/scroll-to-text-fragment/): browsers scroll to and highlight it.
  Terms are whole words (a fragment only matches at word boundaries), each term lies
  inside one block of text (a fragment term never spans two paragraphs or two table
  cells: `cells_apart`), and `-`, `,`
  and `&` are percent-encoded with everything that is not an unreserved character.
* A `clipper://` link to the stored version the quote was made on.

The quote is always the researcher's original (`PassageInfo.exact`); when the page
has changed the wording since, the citation says so and gives the new wording too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import quote

from clipper.article import block_spans, table_cell_starts

if TYPE_CHECKING:
    from clipper.library.types import ClipDetail, PassageInfo

CONTEXT_WORDS = 3
"""Words of prefix and suffix: enough to tell repeats apart, short enough to survive edits."""
EDGE_WORDS = 4
"""A long passage is linked by its first and last words (textStart, textEnd)."""
LONG_PASSAGE_WORDS = 10
_WORD = re.compile(r"\w", re.UNICODE)
_BLOCK_BREAK = re.compile(r"\n\s*\n|\u2029+")
_CELL_GAP = "\u2029"
"""Stands for the text between two table cells (" | ", a row's end): on the page every
cell is its own text, so a fragment term never spans two cells."""


def encode_term(term: str) -> str:
    """Percent-encode a text-directive term: UTF-8, and `-`, `,`, `&` always."""
    return quote(" ".join(term.split()), safe="").replace("-", "%2D")


def _word_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole words (a text fragment only matches whole words)."""
    while start > 0 and _WORD.match(text[start - 1]) and _WORD.match(text[start]):
        start -= 1
    while end < len(text) and _WORD.match(text[end]) and _WORD.match(text[end - 1]):
        end += 1
    return start, end


def _block_of(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the text block(s) around [start, end): context never crosses them."""
    before = [m.end() for m in _BLOCK_BREAK.finditer(text, 0, start)]
    block_start = before[-1] if before else 0
    after = _BLOCK_BREAK.search(text, end)
    return block_start, after.start() if after else len(text)


def _last_words(text: str, count: int) -> str:
    words = text.split()
    return " ".join(words[-count:]) if words else ""


def _first_words(text: str, count: int) -> str:
    return " ".join(text.split()[:count])


def text_directive(text: str, start: int, end: int) -> str:
    """The `text=` directive for `text[start:end]` (a plain text with blank-line blocks)."""
    start, end = _word_span(text, start, end)
    passage = text[start:end]
    blocks = [b for b in _BLOCK_BREAK.split(passage) if b.strip()]
    words = passage.split()
    if len(blocks) > 1:
        first = _first_words(blocks[0], EDGE_WORDS)
        last = _last_words(blocks[-1], EDGE_WORDS)
        terms = [encode_term(first), encode_term(last)]
    elif len(words) > LONG_PASSAGE_WORDS:
        terms = [
            encode_term(" ".join(words[:EDGE_WORDS])),
            encode_term(" ".join(words[-EDGE_WORDS:])),
        ]
    else:
        terms = [encode_term(passage)]
    block_start, block_end = _block_of(text, start, end)
    prefix = _last_words(text[block_start:start], CONTEXT_WORDS)
    suffix = _first_words(text[end:block_end], CONTEXT_WORDS)
    if _WORD.search(prefix):  # punctuation alone tells nothing apart
        terms.insert(0, encode_term(prefix) + "-")
    if _WORD.search(suffix):
        terms.append("-" + encode_term(suffix))
    return "text=" + ",".join(terms)


def fragment_link(url: str, text: str, start: int, end: int) -> str:
    """`url` with a text fragment for `text[start:end]` (any old fragment replaced)."""
    base = url.split("#", 1)[0]
    return f"{base}#:~:{text_directive(text, start, end)}"


_CLIPPER_LINK = re.compile(
    r"clipper://clip/(\d{1,18})(?:\?version=(\d{1,18}))?(?:#passage-(\d{1,18}))?"
)


def parse_clipper_link(link: str) -> tuple[int, int | None, int | None] | None:
    """(clip id, version id, passage id) of a `clipper://` link; None when it is not one."""
    match = _CLIPPER_LINK.fullmatch(link.strip())
    if match is None:
        return None
    clip, version, passage = (int(g) if g else None for g in match.groups())
    assert clip is not None
    return clip, version, passage


def clipper_link(clip_id: int, version_id: int | None, passage_id: int | None = None) -> str:
    """`clipper://clip/12?version=3#passage-5`: the stored version, offline."""
    link = f"clipper://clip/{clip_id}"
    if version_id:
        link += f"?version={version_id}"
    if passage_id:
        link += f"#passage-{passage_id}"
    return link


@dataclass(frozen=True)
class Pinpoint:
    quote: str
    """The original quote, as the researcher made it."""
    reference: str
    """The clip's reference (APA unless asked otherwise)."""
    live_link: str
    stored_link: str
    version_date: datetime | None
    changed_to: str = ""
    """The page's current wording when it differs from the quote."""
    note: str = ""

    def as_text(self) -> str:
        lines = [f"“{_one_line(self.quote)}”", self.reference]
        lines.append(f"Passage: {self.live_link}")
        lines.append(f"Stored version{self.version_label()}: {self.stored_link}")
        if self.changed_to:
            lines.append(f"Text changed since; the page now reads: “{_one_line(self.changed_to)}”")
        return "\n".join(lines)

    def as_markdown(self) -> str:
        lines = [f"> {_one_line(self.quote)}", ">", f"> — {self.reference}"]
        links = f"[Passage on the page]({markdown_url(self.live_link)})"
        links += f" · [Stored version{self.version_label()}]({markdown_url(self.stored_link)})"
        lines.append(f"> {links}")
        if self.changed_to:
            lines.append(
                f"> *Text changed since; the page now reads:* “{_one_line(self.changed_to)}”"
            )
        return "\n".join(lines)

    def version_label(self) -> str:
        """ " of 2024-05-06" (the stored version's fetch date), or nothing."""
        return f" of {self.version_date:%Y-%m-%d}" if self.version_date else ""


def cells_apart(clip: ClipDetail) -> str:
    """The clip's plain text with what lies between table cells (" | " and the row
    breaks) turned into paragraph separators: the same length, so offsets still hold."""
    chars: list[str] | None = None
    spans = block_spans(list(clip.blocks), list(clip.figures))
    for block, (start, end) in zip(clip.blocks, spans, strict=True):
        if block.kind != "table" or start == end:
            continue
        chars = chars if chars is not None else list(clip.text)
        covered = [False] * (end - start)
        covered[: len(block.caption)] = [True] * len(block.caption)
        cell_starts = table_cell_starts(block.rows, block.caption)
        for row, starts in zip(block.rows, cell_starts, strict=True):
            for cell, at in zip(row, starts, strict=True):
                if at is not None:
                    covered[at : at + len(cell.text)] = [True] * len(cell.text)
        for offset, inside in enumerate(covered):
            if not inside:
                chars[start + offset] = _CELL_GAP
    return "".join(chars) if chars is not None else clip.text


def pinpoint(passage: PassageInfo, clip: ClipDetail, reference: str) -> Pinpoint:
    """The pinpoint citation of `passage` in `clip` (its current version's detail)."""
    url = clip.canonical_url or clip.url
    if passage.start is not None and passage.end is not None and passage.end <= len(clip.text):
        live = fragment_link(url, cells_apart(clip), passage.start, passage.end)
    else:  # orphaned: the words as quoted, with their original context
        context = f"{passage.prefix}{passage.exact}{passage.suffix}"
        at = len(passage.prefix)
        live = fragment_link(url, context, at, at + len(passage.exact))
    return Pinpoint(
        quote=passage.exact,
        reference=reference,
        live_link=live,
        stored_link=clipper_link(
            clip.id, passage.quote_version_id or passage.version_id, passage.id
        ),
        version_date=passage.quote_fetched_at,
        changed_to=passage.current_exact if passage.state == "changed" else "",
        note=passage.note,
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def markdown_url(url: str) -> str:
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")


__all__ = [
    "Pinpoint",
    "cells_apart",
    "clipper_link",
    "encode_term",
    "fragment_link",
    "markdown_url",
    "parse_clipper_link",
    "pinpoint",
    "text_directive",
]
