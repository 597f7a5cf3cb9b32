"""Helpers for GUI tests: clips without a network, waiting for the window."""

from __future__ import annotations

from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from clipper.article import Article, Block
from clipper.capture.pipeline import Capture
from clipper.gui.mainwindow import MainWindow
from clipper.library import Library


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


def store_clips(library: Library, count: int, prefix: str = "Article") -> list[int]:
    ids = []
    for i in range(count):
        capture = make_capture(
            f"{prefix} {i:03d}",
            [f"Paragraph {i} about topic number {i}.", "A second paragraph of text."],
            site=f"Site {i % 3}",
            published=datetime(2020, 1, 1 + i % 28, tzinfo=UTC),
        )
        ids.append(library.store(capture).clip_id)
    return ids


def wait_idle(qtbot: QtBot, window: MainWindow, timeout: int = 15_000) -> None:
    qtbot.waitUntil(lambda: not window.busy and window.queue.active_count() == 0, timeout=timeout)


def titles(window: MainWindow) -> list[str]:
    """The titles of the rows in memory (asking for the others: poll, or wait first)."""
    model = window.model
    rows = range(model.rowCount())
    model.request_rows(rows)
    return [s.title for s in (model.cached(r) for r in rows) if s]
