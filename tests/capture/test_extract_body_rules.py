"""Body rules from real pages (issue 15): end matter, byline repeats, prompts, teaser
cards, footnote markers. The fixture pages show the rules on whole pages; these pin the
edges of each rule (what must stay as well as what must go)."""

from __future__ import annotations

import lxml.html
import pytest

from clipper.article import Block
from clipper.capture.endmatter import drop_byline_blocks, drop_end_matter, is_end_matter
from clipper.capture.extract import extract_article
from clipper.capture.prompts import is_prompt
from clipper.capture.teasers import is_card

LONG = (
    "The council voted on Tuesday to keep the harbour ferry running through the winter, "
    "after a campaign by islanders who said the service was their only way to the mainland."
)


@pytest.mark.parametrize(
    "text",
    [
        "Associated Press writers Alan Fram and Zeke Miller contributed to this report.",
        "(Reporting by Greg Holm, Koh Gui Qing; editing by Martin Howell.)",
        "Additional reporting by Joseph Hudak",
        "Write to Al Root at allen.root@example.test",
        "SOURCE: Al Jazeera News",
        "Get the magazine delivered every month. Click here for more information.",
        "___",
    ],
)
def test_end_matter(text: str) -> None:
    assert is_end_matter(text)


@pytest.mark.parametrize(
    "text",
    [
        LONG,
        "Source: the islanders themselves, who counted every crossing for a year and found "
        "that the boat had been late on more than half of the winter days, which the operator "
        "disputes and which the council now wants an independent auditor to check again.",
        "The reporting by local papers was thorough.",
    ],
)
def test_not_end_matter(text: str) -> None:
    assert not is_end_matter(text)


def test_end_matter_only_at_the_end() -> None:
    credit = "Jane Roe contributed to this report."
    blocks = [Block(kind="paragraph", text=t) for t in (credit, LONG, LONG, LONG, LONG, credit)]
    kept = drop_end_matter(blocks)
    assert [b.text for b in kept] == [credit, LONG, LONG, LONG, LONG]


def test_byline_repeated_as_a_block() -> None:
    blocks = [
        Block(kind="paragraph", text="5:45 AM PST 11/19/2019 by Patrick Shanley"),
        Block(kind="paragraph", text=LONG),
        Block(kind="paragraph", text="Patrick Shanley"),
    ]
    kept = drop_byline_blocks(blocks, ["Patrick Shanley"])
    assert [b.text for b in kept] == [LONG]
    # A sentence that names the author is prose, not a byline.
    prose = Block(kind="paragraph", text="Patrick Shanley said the ferry was late again.")
    assert drop_byline_blocks([prose], ["Patrick Shanley"]) == [prose]


@pytest.mark.parametrize(
    ("text", "prompt"),
    [
        ("Tempo de leitura: 2 minutos", True),
        ("4 min read", True),
        ("Reading time: 6 minutes", True),
        ("Filed under Khawarij", True),
        ("Tags: ferry, harbour", True),
        ("Reading time is the best time of the day, she said.", False),
    ],
)
def test_reading_time_and_tag_lines(text: str, prompt: bool) -> None:
    assert is_prompt(text) is prompt


def _img(html: str) -> lxml.html.HtmlElement:
    tree = lxml.html.document_fromstring(f"<html><body>{html}</body></html>")
    return next(tree.iter("img"))


def test_a_card_links_image_and_headline_to_the_same_page() -> None:
    card = (
        "<div class='tile'><a href='/2024/other-story?ref=rail'><img src='/t.jpg'></a>"
        "<h3><a href='/2024/other-story'>The other story everybody reads</a></h3></div>"
    )
    assert is_card(_img(card), "https://x.test/2024/this-story", "https://x.test/2024/this-story")


@pytest.mark.parametrize(
    "html",
    [
        # The image links to its own full-size file.
        "<figure><a href='/big/photo.jpg'><img src='/photo.jpg'></a>"
        "<figcaption>The ferry at dawn, seen from the quay</figcaption></figure>",
        # A gallery slide with a caption but no link to another page.
        "<div class='gallery__slide'><img src='/a.jpg'><h3>Islanders wait for the boat</h3></div>",
        # The image links to another page, but nothing beside it is a headline.
        "<p><a href='/map'><img src='/map.png'></a> The route on a map.</p>",
    ],
)
def test_not_a_card(html: str) -> None:
    assert not is_card(_img(html), "https://x.test/story", "https://x.test/story")


def test_superscripts_that_are_not_note_markers_stay() -> None:
    html = (
        f"<html><body><article><h1>Ferry</h1><p>{LONG} The area is 12 km<sup>2</sup> and the "
        f"boat was built in 1993.<sup><a href='#note-1'>1</a></sup></p><p>{LONG}</p>"
        f"<p>{LONG}</p></article></body></html>"
    )
    text = extract_article(html, "https://x.test/ferry").text
    assert "12 km2 and" in text
    assert "1993.1" not in text and "built in 1993." in text


def test_a_caption_that_repeats_the_first_paragraph_keeps_the_paragraph() -> None:
    first = "The band will reunite with their former singer for a tour next year, the band said."
    html = (
        "<html><body><article><h1>Band reunites</h1><figure><img src='/band.jpg' width='900' "
        f"height='600'><div class='c-picture__caption'><p class='c-picture__title'>{first}</p>"
        "<p class='c-picture__source'>Photo by Jason Kemp/Getty Images</p></div></figure>"
        f"<p>{first}</p><p>{LONG}</p><p>{LONG}</p></article></body></html>"
    )
    article = extract_article(html, "https://x.test/band")
    assert article.text.startswith(first)
    assert article.figures[0].caption == first
    assert article.figures[0].credit == "Jason Kemp/Getty Images"


def test_a_caption_alone_stays_out_of_the_body() -> None:
    caption = "The band on stage in Nashville on Monday night, seen from the balcony."
    html = (
        "<html><body><article><h1>Band reunites</h1><figure><img src='/band.jpg' width='900' "
        f"height='600'><figcaption>{caption}</figcaption></figure><p>{LONG}</p><p>{LONG}</p>"
        "</article></body></html>"
    )
    assert caption not in extract_article(html, "https://x.test/band").text
