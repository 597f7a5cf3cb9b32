"""Pinpoint citations: text-fragment links a browser scrolls to, `clipper:` links, the
quote as made. The links are checked by a matcher written from the Text Fragments spec
(https://wicg.github.io/scroll-to-text-fragment/#finding-ranges-in-a-document) run on the
page's own block texts, as a browser sees them."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import unquote

import lxml.html
import pytest

from clipper.article import Block, TableCell
from clipper.export.pinpoint import (
    cells_apart,
    clipper_link,
    encode_term,
    fragment_link,
    parse_clipper_link,
    pinpoint,
    text_directive,
)
from clipper.library import Library
from tests.export.factories import detail, make_passage
from tests.helpers.network import hosts_file
from tests.helpers.pages import article_page
from tests.helpers.site import FixtureSite

BLOCK_TAGS = ("h1", "h2", "h3", "p", "li", "blockquote", "figcaption")


def parse_directive(link: str) -> tuple[str, str, str, str]:
    """(prefix, start, end, suffix) of a `#:~:text=` link, as the spec parses it."""
    directive = link.split("#:~:", 1)[1]
    assert directive.startswith("text=")
    raw = directive[len("text=") :]
    assert "&" not in raw and " " not in raw
    terms = raw.split(",")
    prefix = suffix = ""
    if terms[0].endswith("-"):
        prefix = terms.pop(0)[:-1]
    if terms[-1].startswith("-"):
        suffix = terms.pop()[1:]
    assert 1 <= len(terms) <= 2
    for term in (prefix, *terms, suffix):
        # Only the syntax marks are raw: terms carry "-" "," "&" percent-encoded.
        assert not re.search(r"[,&\-\s]", term), term
    start, end = terms[0], terms[1] if len(terms) > 1 else ""
    return unquote(prefix), unquote(start), unquote(end), unquote(suffix)


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _word_bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or after.isalnum())


def find_fragment(blocks: list[str], link: str) -> tuple[int, int, int, int] | None:
    """(first block, offset, last block, end offset) of the first match, else None.

    The spec's rules that matter here: every term is matched case-insensitively at word
    boundaries inside one block; the prefix and suffix touch the match (whitespace
    aside); textEnd is searched after textStart, possibly in a later block.
    """
    prefix, start, end, suffix = parse_directive(link)
    texts = [_fold(b) for b in blocks]
    for i, block in enumerate(texts):
        needle = _fold(start)
        for m in re.finditer(re.escape(needle), block):
            if not _word_bounded(block, m.start(), m.end()):
                continue
            if prefix and not _touches_before(block, m.start(), _fold(prefix)):
                continue
            if not end:
                if suffix and not _touches_after(block, m.end(), _fold(suffix)):
                    continue
                return i, m.start(), i, m.end()
            found = _find_end(texts, i, m.end(), _fold(end), _fold(suffix))
            if found:
                return (i, m.start(), *found)
    return None


def _touches_before(block: str, at: int, prefix: str) -> bool:
    head = block[:at].rstrip()
    return head.endswith(prefix) and _word_bounded(head, len(head) - len(prefix), len(head))


def _touches_after(block: str, at: int, suffix: str) -> bool:
    tail = block[at:].lstrip()
    return tail.startswith(suffix) and _word_bounded(tail, 0, len(suffix))


def _find_end(
    texts: list[str], first: int, offset: int, end: str, suffix: str
) -> tuple[int, int] | None:
    for j in range(first, len(texts)):
        block = texts[j]
        for m in re.finditer(re.escape(end), block[offset if j == first else 0 :]):
            s = m.start() + (offset if j == first else 0)
            e = s + len(end)
            if not _word_bounded(block, s, e):
                continue
            if suffix and not _touches_after(block, e, suffix):
                continue
            return j, e
    return None


def page_blocks(html: bytes) -> list[str]:
    """The text of each block element, as a browser lays it out."""
    tree = lxml.html.fromstring(html)
    return [el.text_content() for el in tree.iter(*BLOCK_TAGS)]


PARAGRAPHS = [
    "Officials said the reservoir, which serves 40,000 people, fell below 10 percent of its "
    "capacity – the lowest level since records began – on Tuesday.",
    "“We have never seen it this low,” said Carmen Ruiz, 67, a farmer in Peñafiel whose "
    "family has grown grapes here since 1890.",
    "The plan – agreed after a long-running dispute – will cost €12 million, "
    "said Jürgen Müller-Lüdenscheid, the engineer in charge.",
    "Rationing starts on Monday. Rationing starts on Monday for farms too, officials said.",
]


@pytest.mark.parametrize(
    "quote",
    [
        "fell below 10 percent of its capacity",  # plain words
        "serves 40,000 people, fell below",  # commas inside the quote
        "capacity – the lowest level since records began – on Tuesday",  # dashes
        "Carmen Ruiz, 67, a farmer in Peñafiel",  # comma + non-ASCII
        "Jürgen Müller-Lüdenscheid",  # hyphen + umlauts
        "€12 million",  # a symbol first
        "Rationing starts on Monday for farms",  # a repeat: the prefix tells them apart
        "since 1890.\n\nThe plan – agreed",  # across two paragraphs
        "The plan – agreed after a long-running dispute – will cost €12 million, said",  # long
    ],
)
def test_fragment_link_finds_the_passage_on_the_live_page(
    library: Library, site: FixtureSite, quote: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = article_page("Drought in the valley", PARAGRAPHS, canonical="https://news.test/d")
    site.pages["/d.html"] = page
    hosts_file(monkeypatch, "news.test")  # the page comes from its canonical's site
    clip_id = library.clips.clip_url(site.on("news.test", "/d.html")).result.clip_id
    clip = library.clips.get(clip_id)
    start = clip.text.index(quote)
    link = fragment_link(clip.canonical_url, clip.text, start, start + len(quote))
    assert link.startswith("https://news.test/d#:~:text=")
    blocks = page_blocks(page)
    found = find_fragment(blocks, link)
    assert found is not None, link
    first, offset, last, end = found
    matched = "\n\n".join(_fold(b) for b in blocks[first : last + 1])
    # What the browser highlights is the passage: it starts and ends where the quote does.
    head = _fold(quote.split("\n\n")[0])
    tail = _fold(quote.split("\n\n")[-1])
    assert _fold(blocks[first])[offset:].startswith(head)
    assert _fold(blocks[last])[:end].endswith(tail)
    assert matched
    # ... at the quote's own place (the first block that holds its first words).
    expected_block = next(i for i, b in enumerate(blocks) if head in _fold(b))
    assert first == expected_block


def test_a_repeated_phrase_links_to_the_chosen_occurrence(
    library: Library, site: FixtureSite
) -> None:
    page = article_page("Drought in the valley", PARAGRAPHS)
    site.pages["/d.html"] = page
    clip = library.clips.get(library.clips.clip_url(site.url("/d.html")).result.clip_id)
    phrase = "Rationing starts on Monday"
    second = clip.text.index(phrase, clip.text.index(phrase) + 1)
    link = fragment_link(clip.url, clip.text, second, second + len(phrase))
    blocks = page_blocks(page)
    found = find_fragment(blocks, link)
    assert found is not None
    first, offset, _, _ = found
    block = _fold(blocks[first])
    assert offset == block.index(_fold(phrase), block.index(_fold(phrase)) + 1)


def test_encoding_follows_the_spec() -> None:
    assert encode_term("a-b, c&d") == "a%2Db%2C%20c%26d"
    assert encode_term("Peñafiel") == "Pe%C3%B1afiel"
    assert encode_term("two\nlines") == "two%20lines"


def test_a_quote_cut_mid_word_is_widened_to_whole_words() -> None:
    text = "The reservoir fell below capacity on Tuesday."
    start = text.index("ervoir fell")
    directive = text_directive(text, start, start + len("ervoir fell"))
    assert directive == "text=The-,reservoir%20fell,-below%20capacity%20on"


def test_pinpoint_keeps_the_original_quote_and_says_what_changed() -> None:
    clip = detail()
    passage = make_passage(
        clip.text,
        "formalized ties in 2020",
        state="changed",
        exact="formalised ties in 2020",
        current_exact="formalized ties in 2020",
        quote_version_id=9,
    )
    passage = type(passage)(
        **{**passage.__dict__, "quote_fetched_at": datetime(2024, 5, 1, tzinfo=UTC)}
    )
    point = pinpoint(passage, clip, "López, M. (2022). Morocco. The Times of Israel.")
    text = point.as_text()
    assert text.splitlines()[0] == "“formalised ties in 2020”"
    assert "López, M. (2022)" in text
    assert "Stored version of 2024-05-01: clipper://clip/1?version=9#passage-5" in text
    assert "now reads: “formalized ties in 2020”" in text
    assert point.live_link.startswith(
        "https://www.timesofisrael.com/liveblog_entry/morocco/#:~:text="
    )
    markdown = point.as_markdown()
    assert markdown.startswith("> formalised ties in 2020\n>\n> — López")
    assert "[Passage on the page](https://www.timesofisrael.com/" in markdown


def test_clipper_links_round_trip() -> None:
    assert parse_clipper_link(clipper_link(12, 3, 5)) == (12, 3, 5)
    assert parse_clipper_link(clipper_link(12, 3)) == (12, 3, None)
    assert parse_clipper_link("clipper://clip/7") == (7, None, None)
    assert parse_clipper_link("https://clip/7") is None
    assert parse_clipper_link("clipper://clip/7?version=x") is None


def test_a_passage_across_table_cells_links_cell_by_cell() -> None:
    table = Block.table(
        (
            (TableCell("Gauge", True), TableCell("Opened", True)),
            (TableCell("Ferry slip", True), TableCell("1902")),
            (TableCell("Town quay", True), TableCell("1871")),
        ),
        "Gauges",
    )
    clip = detail(blocks=(Block("paragraph", "Before."), table, Block("paragraph", "After.")))
    assert cells_apart(clip).replace("\u2029", "#") == (
        "Before.\n\nGauges#Gauge###Opened#Ferry slip###1902#Town quay###1871\n\nAfter."
    )
    page = ["Before.", "Gauges", "Gauge", "Opened", "Ferry slip", "1902", "Town quay", "1871"]
    across = pinpoint(make_passage(clip.text, "Ferry slip | 1902"), clip, "ref").live_link
    assert parse_directive(across) == ("", "Ferry slip", "1902", "")
    assert find_fragment(page, across) == (4, 0, 5, 4)
    inside = pinpoint(make_passage(clip.text, "slip"), clip, "ref").live_link
    assert parse_directive(inside) == ("Ferry", "slip", "", "")
    assert find_fragment(page, inside) == (4, 6, 4, 10)
