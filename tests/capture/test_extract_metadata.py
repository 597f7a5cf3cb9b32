"""Metadata precedence, authors, dates, language, canonical URL, and charset decoding."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from clipper.capture.dates import parse_date
from clipper.capture.decode import decode_html
from clipper.capture.extract import extract_article
from clipper.capture.people import clean_authors
from clipper.errors import ExtractionError

URL = "https://example.test/2024/05/story"
BODY = "".join(
    f"<p>{s}</p>"
    for s in (
        "The ferry company confirmed on Friday that the overnight sailing will end in October, "
        "after sixty years of carrying freight, nurses and students to the islands.",
        "Islanders have mixed feelings about the new timetable, which is more convenient for "
        "visitors but means freight will arrive half a day later than it does now.",
        "The island council has asked the operator to keep at least one night crossing a week "
        "through the winter, when storms often cancel the daytime boats.",
    )
)


def page(head: str, before_body: str = "", lang: str = "en") -> str:
    return (
        f"<!DOCTYPE html><html lang='{lang}'><head>{head}</head><body><article>"
        f"{before_body}{BODY}</article></body></html>"
    )


def jsonld(data: object) -> str:
    return f"<script type='application/ld+json'>{json.dumps(data)}</script>"


def test_jsonld_wins_over_open_graph_and_meta() -> None:
    head = (
        "<title>Ferry ends | Harbor Daily</title>"
        "<meta property='og:title' content='Ferry ends'>"
        "<meta name='author' content='Meta Person'>"
        "<meta property='article:published_time' content='2024-05-01T10:00:00Z'>"
        "<meta property='og:site_name' content='Harbor Daily'>"
        + jsonld(
            {
                "@context": "https://schema.org",
                "@graph": [
                    {"@type": "WebSite", "@id": "#site", "name": "Graph Site"},
                    {"@type": "Person", "@id": "#ana", "name": "Ana Ruiz"},
                    {
                        "@type": "NewsArticle",
                        "headline": "Ferry ends",
                        "author": [{"@id": "#ana"}, {"@type": "Person", "name": "Tom Lee"}],
                        "datePublished": "2024-05-02T08:30:00+01:00",
                    },
                ],
            }
        )
    )
    article = extract_article(page(head, "<h1>Ferry ends</h1>"), URL)
    assert article.title == "Ferry ends"
    assert article.authors == ["Ana Ruiz", "Tom Lee"]
    assert article.published == datetime(2024, 5, 2, 8, 30, tzinfo=timezone(timedelta(hours=1)))
    assert article.site_name == "Harbor Daily"


@pytest.mark.parametrize(
    "kind", ["NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle", ["Thing", "Article"]]
)
def test_article_types(kind: object) -> None:
    head = jsonld({"@type": kind, "headline": "Typed headline", "author": "Sam Patel"})
    article = extract_article(page(head), URL)
    assert article.title == "Typed headline"
    assert article.authors == ["Sam Patel"]


def test_title_suffix_is_dropped_when_the_h1_is_cleaner() -> None:
    head = "<title>Ferry ends after sixty years | Harbor Daily</title>"
    article = extract_article(page(head, "<h1>Ferry ends after sixty years</h1>"), URL)
    assert article.title == "Ferry ends after sixty years"


def test_title_site_suffix_stripped_without_h1() -> None:
    head = (
        "<title>Ferry ends after sixty years - Harbor Daily</title>"
        "<meta property='og:site_name' content='Harbor Daily'>"
    )
    assert extract_article(page(head), URL).title == "Ferry ends after sixty years"


def test_visible_standfirst_wins_over_meta_description() -> None:
    head = "<meta name='description' content='A teaser written for search engines.'>"
    before = "<h1>Ferry ends</h1><p class='article__dek'>The last night boat sails in October.</p>"
    article = extract_article(page(head, before), URL)
    assert article.subtitle == "The last night boat sails in October."
    assert "The last night boat" not in article.text


def test_h2_under_the_headline_is_the_standfirst() -> None:
    before = "<h1>Ferry ends</h1><h2>The last night boat sails in October.</h2>"
    article = extract_article(page("", before), URL)
    assert article.subtitle == "The last night boat sails in October."


def test_meta_description_is_the_fallback_standfirst() -> None:
    head = (
        "<meta name='description' content='The last night boat sails in October, islanders say.'>"
    )
    article = extract_article(page(head, "<h1>Ferry ends</h1>"), URL)
    assert article.subtitle == "The last night boat sails in October, islanders say."


@pytest.mark.parametrize(
    "description",
    [
        "The ferry company confirmed on Friday that the overnight sailing will end in October...",
        "The ferry company confirmed on Friday that the overnight sailing will end in October, "
        "after sixty years of carrying freight, nurses and students to the islands.",
    ],
)
def test_a_description_cut_from_the_body_is_not_a_standfirst(description: str) -> None:
    head = f"<meta name='description' content='{description}'>"
    assert extract_article(page(head, "<h1>Ferry ends</h1>"), URL).subtitle == ""


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        (["By Jane Doe and John Roe"], ["Jane Doe", "John Roe"]),
        (["AFP Share"], ["AFP"]),
        (["Share"], []),
        (["By Maria Lopez, AFP"], ["Maria Lopez"]),
        (["Jane Doe, Senior Reporter"], ["Jane Doe"]),
        (["Posted by admin"], []),
        (["https://facebook.example/janedoe"], []),
        (["By JANE DOE"], ["Jane Doe"]),
        (["Jane Doe", "jane doe"], ["Jane Doe"]),
        (["María José García y Pedro Sánchez"], ["María José García", "Pedro Sánchez"]),
    ],
)
def test_author_cleaning(raw: list[str], names: list[str]) -> None:
    assert clean_authors(raw) == names


def test_visible_byline_is_the_last_resort() -> None:
    before = "<h1>Ferry ends</h1><div class='byline'>By <a href='/p/lena'>Lena Park</a> Share Tweet</div>"
    assert extract_article(page("", before), URL).authors == ["Lena Park"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "2022-07-26T15:14:00+03:00",
            datetime(2022, 7, 26, 15, 14, tzinfo=timezone(timedelta(hours=3))),
        ),
        ("2019-11-19T08:03:00.000Z", datetime(2019, 11, 19, 8, 3, tzinfo=UTC)),
        (
            "2019-11-19T08:03:00+0100",
            datetime(2019, 11, 19, 8, 3, tzinfo=timezone(timedelta(hours=1))),
        ),
        ("Tue, 19 Nov 2019 08:03:00 GMT", datetime(2019, 11, 19, 8, 3, tzinfo=UTC)),
        ("2019-11-19", datetime(2019, 11, 19)),
        ("not a date", None),
        ("0001-01-01", None),
    ],
)
def test_dates(raw: str, expected: datetime | None) -> None:
    assert parse_date(raw) == expected


def test_canonical_language_and_base() -> None:
    head = (
        "<base href='https://cdn.example.test/site/'>"
        "<link rel='canonical' href='/2024/05/story-canonical'>"
        "<meta property='og:url' content='https://example.test/og-url'>"
    )
    article = extract_article(page(head, "<h1>Ferry ends</h1>", lang="en_GB"), URL)
    assert article.canonical_url == "https://cdn.example.test/2024/05/story-canonical"
    assert article.language == "en-GB"


def test_canonical_falls_back_to_og_url_then_the_page_url() -> None:
    head = "<meta property='og:url' content='https://example.test/og-url'>"
    assert extract_article(page(head), URL).canonical_url == "https://example.test/og-url"
    assert extract_article(page(""), URL).canonical_url == URL


def test_language_from_og_locale_when_html_has_none() -> None:
    html = page("<meta property='og:locale' content='pt_BR'>").replace(" lang='en'", "")
    assert extract_article(html, URL).language == "pt-BR"


@pytest.mark.parametrize(
    ("data", "content_type", "expected"),
    [
        ("café €".encode("cp1252"), "text/html; charset=windows-1252", "café €"),
        ("café".encode(), "text/html; charset=iso-8859-1", "café"),
        ("<meta charset='shift_jis'>日本語".encode("shift_jis"), None, "日本語"),
        ("<meta charset='utf-16'>é".encode(), None, "é"),
        ("\ufeffé".encode(), None, "é"),
    ],
)
def test_decoding(data: bytes, content_type: str | None, expected: str) -> None:
    assert expected in decode_html(data, content_type).text


def test_decoding_refuses_pdf() -> None:
    with pytest.raises(ExtractionError, match="PDF"):
        decode_html(b"%PDF-1.4 binary")
