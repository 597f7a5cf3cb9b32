"""The text-fragment links of pinpoint citations, opened in a real Chromium (headless,
over the DevTools protocol): the browser scrolls to the quoted paragraph, for quotes with
commas, dashes, non-ASCII letters, across paragraphs, and to the chosen one of two
repeats. A link to words the page lacks does not scroll (the check can fail)."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape

import pytest

from clipper.export.pinpoint import fragment_link, pinpoint
from clipper.library import Library
from tests.helpers.chromium import Chromium, find_chromium
from tests.helpers.site import FixtureSite

FILLER = [f"Filler paragraph {i} talks about nothing in particular at all." for i in range(60)]
PASSAGES = [
    "Officials said the reservoir, which serves 40,000 people, fell below 10 percent of its "
    "capacity – the lowest level since records began – on Tuesday.",
    "“We have never seen it this low,” said Carmen Ruiz, 67, a farmer in Peñafiel whose "
    "family has grown grapes here since 1890.",
    "The plan – agreed after a long-running dispute – will cost €12 million, said Jürgen "
    "Müller-Lüdenscheid, the engineer in charge.",
    "Rationing starts on Monday for the households of the valley, officials said.",
]
REPEAT = "Rationing starts on Monday for the farms of the plain, the union said."


def page() -> bytes:
    """Filler, the passages in the middle, more filler, then a paragraph repeating words
    of the last passage: a browser must scroll, and pick the right repeat."""
    paragraphs = [*FILLER, *PASSAGES, *FILLER, REPEAT, *FILLER[:10]]
    body = "".join(f'<p id="p{i}">{escape(p)}</p>' for i, p in enumerate(paragraphs))
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Drought</title>'
        '<meta property="og:title" content="Drought"></head><body><article><h1>Drought</h1>'
        f"{body}</article></body></html>"
    ).encode()


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    binary = find_chromium()
    if binary is None:
        pytest.skip("no Chromium (scripts/setup.sh --test installs chromium-headless-shell)")
    browser = Chromium(binary, tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield browser
    finally:
        browser.close()


def in_view(browser: Chromium, session: str, element_id: str) -> bool:
    top = browser.evaluate(
        session, f"document.getElementById('{element_id}').getBoundingClientRect().top"
    )
    height = browser.evaluate(session, "innerHeight")
    return top is not None and 0 <= top < height


def paragraph_in_view(browser: Chromium, session: str, index: int) -> bool:
    return in_view(browser, session, f"p{index}")


@pytest.mark.parametrize(
    ("quote", "paragraph"),
    [
        ("fell below 10 percent of its capacity", 0),
        ("serves 40,000 people, fell below", 0),
        ("capacity – the lowest level since records began – on Tuesday", 0),
        ("Carmen Ruiz, 67, a farmer in Peñafiel", 1),
        ("Jürgen Müller-Lüdenscheid", 2),
        ("€12 million", 2),
        ("since 1890.\n\nThe plan – agreed", 1),
        ("The plan – agreed after a long-running dispute – will cost €12 million, said", 2),
        ("Rationing starts on Monday for the", 3),
    ],
)
def test_chromium_scrolls_to_the_passage(
    chromium: Chromium, library: Library, site: FixtureSite, quote: str, paragraph: int
) -> None:
    site.pages["/d.html"] = page()
    clip = library.clips.get(library.clips.clip_url(site.url("/d.html")).result.clip_id)
    start = clip.text.index(quote)
    link = fragment_link(site.url("/d.html"), clip.text, start, start + len(quote))
    session = chromium.open(link)
    chromium.settle(session)
    assert chromium.evaluate(session, "scrollY") > 0, link
    target = len(FILLER) + paragraph
    assert paragraph_in_view(chromium, session, target), link
    if paragraph == 3:  # the repeat further down stays out of view
        assert not paragraph_in_view(chromium, session, 2 * len(FILLER) + len(PASSAGES)), link


def test_words_not_on_the_page_do_not_scroll(chromium: Chromium, site: FixtureSite) -> None:
    site.pages["/d.html"] = page()
    text = "Nothing here matches these invented words at all."
    session = chromium.open(fragment_link(site.url("/d.html"), text, 0, len(text)))
    chromium.settle(session)
    assert chromium.evaluate(session, "scrollY") == 0


def table_page() -> bytes:
    """Filler, a data table, more filler: the quoted row must scroll into view."""
    rows = "".join(
        f'<tr id="r{i}"><th>{name}</th><td>{year}</td><td>{tide}</td></tr>'
        for i, (name, year, tide) in enumerate(
            [
                ("Town quay", 1871, "6.42"),
                ("Ferry slip", 1902, "6.10"),
                ("Pilot steps", 1925, "5.90"),
            ]
        )
    )
    filler = "".join(f"<p>{escape(p)}</p>" for p in FILLER)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Gauges</title>'
        '<meta property="og:title" content="Gauges"></head><body><article><h1>Gauges</h1>'
        f"{filler}<table><caption>Gauges on the estuary</caption>"
        f"<tr><th>Gauge</th><th>Opened</th><th>Highest tide</th></tr>{rows}</table>"
        f"{filler}</article></body></html>"
    ).encode()


@pytest.mark.parametrize(
    ("quote", "row"), [("Ferry slip | 1902 | 6.10", 1), ("1925", 2), ("Pilot steps", 2)]
)
def test_chromium_scrolls_to_a_passage_in_a_table(
    chromium: Chromium, library: Library, site: FixtureSite, quote: str, row: int
) -> None:
    site.pages["/t.html"] = table_page()
    clip_id = library.clips.clip_url(site.url("/t.html")).result.clip_id
    clip = library.clips.get(clip_id)
    assert [b.kind for b in clip.blocks].count("table") == 1
    passage = library.passages.add_quote(clip_id, quote).result
    link = pinpoint(passage, clip, "ref").live_link
    session = chromium.open(link)
    chromium.settle(session)
    assert chromium.evaluate(session, "scrollY") > 0, link
    assert in_view(chromium, session, f"r{row}"), link
