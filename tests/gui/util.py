"""Helpers for GUI tests: clips without a network, waiting for the window."""

from __future__ import annotations

from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from clipper.gui.mainwindow import MainWindow
from clipper.library import Library
from tests.helpers.captures import make_capture


def store_clips(library: Library, count: int, prefix: str = "Article") -> list[int]:
    ids = []
    for i in range(count):
        capture = make_capture(
            f"{prefix} {i:03d}",
            [f"Paragraph {i} about topic number {i}.", "A second paragraph of text."],
            site=f"Site {i % 3}",
            published=datetime(2020, 1, 1 + i % 28, tzinfo=UTC),
        )
        ids.append(library.clips.store(capture).result.clip_id)
    return ids


def wait_idle(qtbot: QtBot, window: MainWindow, timeout: int = 15_000) -> None:
    qtbot.waitUntil(lambda: not window.busy and window.queue.active_count() == 0, timeout=timeout)


def titles(window: MainWindow) -> list[str]:
    model = window.model
    return [s.title for s in (model.summary(r) for r in range(model.rowCount())) if s]
