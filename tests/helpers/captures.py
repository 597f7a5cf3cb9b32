"""Captures as the pipeline makes them, without fetching anything (no Qt: the library
tests use them too)."""

from __future__ import annotations

from datetime import UTC, datetime

from clipper.article import Article, Block
from clipper.capture.pipeline import Capture


def make_capture(
    title: str,
    paragraphs: list[str],
    *,
    url: str = "",
    site: str = "The Daily Fixture",
    published: datetime | None = None,
) -> Capture:
    """A capture as the pipeline would make it, without fetching anything."""
    url = url or f"https://news.example.test/{title.lower().replace(' ', '-')}"
    article = Article(
        url=url,
        title=title,
        site_name=site,
        published=published or datetime(2024, 3, 5, 10, 0, tzinfo=UTC),
        blocks=[Block("paragraph", p) for p in paragraphs],
    )
    html = f"<html><body><h1>{title}</h1>{''.join(f'<p>{p}</p>' for p in paragraphs)}"
    return Capture(
        article=article,
        raw_html=html.encode(),
        source_url=url,
        http_status=200,
        content_type="text/html; charset=utf-8",
    )
