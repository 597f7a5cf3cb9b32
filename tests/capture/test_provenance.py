"""Where each metadata field came from (`Article.sources`), as extraction records it."""

from __future__ import annotations

from clipper.capture.extract import extract_article
from clipper.capture.provenance import label


def page(head: str, body: str) -> str:
    return f"<html><head>{head}</head><body><article>{body}</article></body></html>"


TEXT = "<p>" + "The harbour committee met on Tuesday to discuss the plan. " * 6 + "</p>"


def test_json_ld_open_graph_and_link() -> None:
    html = page(
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Harbour",'
        ' "author": {"@type": "Person", "name": "Ana Ruiz"},'
        ' "datePublished": "2022-07-26T01:30:00+03:00"}</script>'
        '<meta property="og:site_name" content="The Daily">'
        '<meta property="og:description" content="A plan for the harbour, explained at length.">'
        '<link rel="canonical" href="https://daily.test/harbour">',
        "<h1>Harbour</h1>" + TEXT,
    )
    article = extract_article(html, "https://daily.test/harbour?utm_source=x")
    assert article.sources == {
        "title": "headline",
        "subtitle": "open-graph",
        "authors": "json-ld",
        "published": "json-ld",
        "site_name": "open-graph",
        "canonical_url": "link",
    }
    assert article.published is not None and article.published.utcoffset() is not None


def test_meta_tags_and_the_visible_byline() -> None:
    html = page(
        '<meta name="date" content="2021-03-04"><title>Harbour plan</title>',
        '<h1>Harbour plan</h1><p class="byline">Carrie Arnold</p>' + TEXT,
    )
    article = extract_article(html, "https://daily.test/2021/harbour")
    assert article.sources["published"] == "meta"
    assert article.sources["authors"] in ("byline", "trafilatura")
    assert article.authors == ["Carrie Arnold"]
    assert article.sources["canonical_url"] == "url"  # no canonical link: the address


def test_labels_read_as_people_say_them() -> None:
    assert label("json-ld") == "JSON-LD"
    assert label("user") == "edited by you"
    assert label("something-new") == "something-new"
