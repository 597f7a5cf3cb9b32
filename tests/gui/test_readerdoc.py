"""The reader's document: built from blocks, positions map to plain-text offsets."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtGui import QColor, QImage, QPalette, QTextCursor, QTextDocument

from clipper.article import Block, block_spans, plain_text
from clipper.gui.highlight import term_spans
from clipper.gui.readerdoc import (
    OffsetMap,
    Segment,
    build_document,
    thumb_url,
)
from clipper.library.types import ClipDetail, StoredFigure

SHA = "ab" * 32


def figure(position: int, caption: str, credit: str, sha: str | None = SHA) -> StoredFigure:
    return StoredFigure(
        id=position + 1,
        position=position,
        caption=caption,
        credit=credit,
        alt="",
        src_url=f"https://img.example.test/{position}.jpg",
        blob_sha256=sha,
        media_type="image/jpeg",
        width=1200,
        height=800,
    )


BLOCKS = (
    Block("paragraph", "First paragraph, with an emoji 😀 inside and a tab\tthere."),
    Block("figure", figure=0),
    Block("heading", "A heading", level=2),
    Block("paragraph", ""),  # empty blocks are skipped in the plain text
    Block("list_item", "one"),
    Block("list_item", "two 𝔘nicode"),
    Block("quote", "A quoted\nline break."),
    Block("figure", figure=1),
    Block("code", "x = 1"),
    Block("figure", figure=2),
    Block("paragraph", "Last words about water."),
)
FIGURES = (
    figure(0, "A helicopter flies over the exercise.", "AP Photo/Someone"),
    figure(1, "Caption only, no credit.", "", sha=None),
    figure(2, "", "Credit only"),
)


def detail(blocks: tuple[Block, ...] = BLOCKS, figures: tuple = FIGURES) -> ClipDetail:
    return ClipDetail(
        id=1,
        url="https://news.example.test/story",
        canonical_url="",
        title="Morocco says it will boost ties",
        subtitle="A standfirst about water",
        authors=("AFP",),
        site_name="The Fixture Times",
        published_at=datetime(2022, 7, 26, 12, tzinfo=UTC),
        clipped_at=datetime(2024, 1, 1, tzinfo=UTC),
        language="en",
        tags=("defense",),
        version_id=1,
        version_count=1,
        blocks=blocks,
        figures=figures,
        text=plain_text(list(blocks), list(figures)),
    )


def doc_text(document: QTextDocument, start: int, end: int) -> str:
    cursor = QTextCursor(document)
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return cursor.selectedText().replace("\u2029", "\n")


@pytest.fixture
def built(qapp: object):  # type: ignore[no-untyped-def]
    image = QImage(600, 400, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    return detail(), build_document(detail(), {SHA: image}, QPalette())


def test_every_block_maps_to_its_plain_text(built) -> None:  # type: ignore[no-untyped-def]
    clip, page = built
    spans = block_spans(list(clip.blocks), list(clip.figures))
    for start, end in spans:
        if start == end:
            continue
        a, b = page.offsets.text_to_doc(start), page.offsets.text_to_doc(end)
        assert doc_text(page.document, a, b) == clip.text[start:end]


def test_every_character_round_trips(built) -> None:  # type: ignore[no-untyped-def]
    clip, page = built
    offsets = page.offsets
    for start, end in block_spans(list(clip.blocks), list(clip.figures)):
        for offset in range(start, end):
            pos = offsets.text_to_doc(offset)
            assert offsets.doc_to_text(pos) == offset
            assert (
                doc_text(page.document, pos, offsets.text_to_doc(offset + 1)) == clip.text[offset]
            )


def test_selection_across_blocks_becomes_a_text_range(built) -> None:  # type: ignore[no-untyped-def]
    clip, page = built
    start = clip.text.index("A heading")
    end = clip.text.index("two") + 3
    a, b = page.offsets.text_to_doc(start), page.offsets.text_to_doc(end)
    assert page.offsets.doc_range_to_text(a, b) == (start, end)
    # A selection starting in the headline (not in the plain text) snaps to the body.
    assert page.offsets.doc_to_text(0) == 0
    assert page.offsets.doc_range_to_text(0, page.offsets.text_to_doc(5)) == (0, 5)


def test_separators_and_images_snap_to_text(built) -> None:  # type: ignore[no-untyped-def]
    clip, page = built
    caption = clip.text.index("A helicopter")
    pos = page.offsets.text_to_doc(caption)
    # The image paragraph just before the caption is not text: it snaps forward/back.
    assert page.offsets.doc_to_text(pos - 1, forward=True) == caption
    assert page.offsets.doc_to_text(pos - 1, forward=False) == caption - 2


def test_header_figures_and_formats(built) -> None:  # type: ignore[no-untyped-def]
    clip, page = built
    raw = page.document.toPlainText()
    assert raw.startswith("Morocco says it will boost ties\nA standfirst about water\n")
    assert "By AFP" in raw and "26 July 2022" in raw and "Open original" in raw
    # The thumbnail is a document resource from the library, never a network URL.
    resource = page.document.resource(QTextDocument.ResourceType.ImageResource, thumb_url(SHA))
    assert isinstance(resource, QImage) and not resource.isNull()
    assert "(image not stored)" in raw
    # Caption and credit are separate paragraphs; the credit is smaller.
    cap = page.document.find("A helicopter flies")
    credit = page.document.find("AP Photo/Someone")
    assert cap.block().blockNumber() + 1 == credit.block().blockNumber()
    assert credit.charFormat().fontPointSize() < cap.charFormat().fontPointSize()
    assert credit.charFormat().foreground().color() != cap.charFormat().foreground().color()


def test_links_are_anchors_not_loaded(built) -> None:  # type: ignore[no-untyped-def]
    _clip, page = built
    link = page.document.find("Open original")
    assert link.charFormat().anchorHref() == "https://news.example.test/story"


def test_offset_map_on_astral_segment() -> None:
    offsets = OffsetMap([Segment(0, 10, 3, 3), Segment(3, 13, 1, 2), Segment(4, 15, 2, 2)], 6)
    assert [offsets.text_to_doc(i) for i in range(7)] == [10, 11, 12, 13, 15, 16, 17]
    assert offsets.doc_to_text(14, forward=True) == 4
    assert offsets.doc_to_text(14, forward=False) == 4


def test_term_spans_match_like_the_index() -> None:
    text = "Water, WATER! Co-operation and cooperation in Café water-borne watershed."
    # A compound is indexed as its parts too, so "water" marks "water-borne".
    found = [text[s:e] for s, e in term_spans(text, ["water"])]
    assert found == ["Water", "WATER", "water-borne"]
    spans = term_spans(text, ["cooperation"])
    assert [text[s:e] for s, e in spans] == ["Co-operation", "cooperation"]
    assert [text[s:e] for s, e in term_spans(text, ["cafe"])] == ["Café"]
    assert "watershed" in [text[s:e] for s, e in term_spans(text, ["waters*"])]
    assert [text[s:e] for s, e in term_spans(text, ["cooperation in"])] == ["cooperation in"]
    assert term_spans(text, []) == []


def test_a_dropped_image_says_why_in_the_reader(qapp: object) -> None:
    from dataclasses import replace

    figures = (FIGURES[0], replace(FIGURES[1], image_error="HTTP 404 NOT FOUND"), FIGURES[2])
    page = build_document(detail(figures=figures), {}, QPalette())
    raw = page.document.toPlainText()
    assert "(image not stored: HTTP 404 NOT FOUND)" in raw
    assert "Caption only, no credit." in raw
