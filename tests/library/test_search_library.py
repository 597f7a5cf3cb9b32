"""Search through the library on real clips: captions, credits and tags are found,
boilerplate never is; filters; snippets; malformed queries never raise."""

from __future__ import annotations

import pytest

from clipper.library import Library
from tests.helpers.pages import LOREM, article_page
from tests.helpers.site import FixtureSite


@pytest.fixture
def clips(library: Library, site: FixtureSite) -> dict[str, int]:
    with site.publisher_fetcher() as fetcher:
        seed = library.clips.clip_url(
            site.publisher_url("/seed-news.html"), tags=["Defense"], fetcher=fetcher
        ).result.clip_id
    site.pages["/h.html"] = article_page(
        "Harbour plan vote",
        LOREM,
        figures=[("/img/quay-1200x800.jpg", "The old quay at dawn.", "Photo: Ann Lee")],
    )
    harbour = library.clips.clip_url(site.url("/h.html")).result.clip_id
    return {"seed": seed, "harbour": harbour}


def ids(library: Library, query: str) -> list[int]:
    return sorted(h.clip.id for h in library.search(query).hits)


def test_captions_and_credits_are_searchable(library: Library, clips: dict[str, int]) -> None:
    hit = library.search("helicopter Tantan").hits[0]
    assert hit.clip.id == clips["seed"] and "caption" in hit.where
    assert ids(library, "Elshamy") == [clips["seed"]]
    assert ids(library, "quay dawn") == [clips["harbour"]]
    assert ids(library, '"Ann Lee"') == [clips["harbour"]]


@pytest.mark.parametrize(
    "junk",
    ["Register", "subscribed", "notifications", "continue reading", "Trending", "email protected"],
)
def test_boilerplate_is_never_searchable(
    library: Library, clips: dict[str, int], junk: str
) -> None:
    assert clips["seed"] not in ids(library, junk)


def test_filters_and_operators(library: Library, clips: dict[str, int]) -> None:
    seed, harbour = clips["seed"], clips["harbour"]
    assert ids(library, "tag:defense") == [seed]
    assert ids(library, 'site:"The Times of Israel"') == [seed]
    assert ids(library, "site:timesofisrael.test") == [seed]  # the URL host works too
    assert ids(library, "before:2023-01-01") == [seed]
    assert ids(library, "after:2024") == [harbour]
    assert ids(library, "Rabat OR warehouses") == [seed, harbour]
    assert ids(library, "Rabat -Gantz") == []
    assert ids(library, '"air defense"') == [seed]
    assert ids(library, '"defense air"') == []
    assert ids(library, "milit") == [seed]  # prefix as the user types


def test_snippet_marks_the_match(library: Library, clips: dict[str, int]) -> None:
    hit = library.search("Polisario").hits[0]
    assert "[[Polisario]]" in hit.snippet and len(hit.snippet) < 400
    assert "polisario" in [t.lower().rstrip("*") for t in hit.terms]


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        "tag:",
        "OR",
        "-",
        "((",
        "before:notadate",
        "site:",
        "a OR OR b",
        "\x00",
        "🙂",
        'author:"',
        "has:nothing",
    ],
)
def test_malformed_queries_never_raise(library: Library, clips: dict[str, int], query: str) -> None:
    results = library.search(query)
    assert results.total >= 0
