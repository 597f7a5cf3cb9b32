"""One path for every change: writes run through `window.ops.run_op`, their `Changes` are
broadcast once (`operation_did_execute`), and every view refreshes from that broadcast,
also for changes another client made. The clip queue runs the facade's clip operation
and can cancel it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from pytestqt.qtbot import QtBot
from werkzeug import Request, Response

from clipper.gui.mainwindow import MainWindow
from clipper.gui.mime import ClipSource
from clipper.library import Library
from clipper.library.types import Changes
from tests.gui.test_passages import select_phrase, window_on_clip
from tests.gui.util import titles, wait_idle
from tests.helpers.captures import make_capture
from tests.helpers.pages import LOREM, article_page
from tests.library.test_changes import index_locked


@pytest.fixture
def win(
    qtbot: QtBot, gui_library: Library, settings_path: Path
) -> Iterator[tuple[MainWindow, int]]:
    clip_id = gui_library.clips.store(
        make_capture("Harbour plan delayed", ["The committee waits for the engineers."])
    ).result.clip_id
    yield from window_on_clip(qtbot, gui_library, settings_path, clip_id)


def test_a_passage_with_a_new_tag_shows_the_tag_in_the_sidebar(
    qtbot: QtBot, win: tuple[MainWindow, int], gui_library: Library
) -> None:
    window, clip_id = win
    assert window.sidebar.tag_names() == []
    heard: list[tuple[Changes[object], object]] = []
    window.ops.operation_did_execute.connect(lambda c, i: heard.append((c, i)))
    select_phrase(window, "the engineers")
    window.passage_actions.actions["annotate"].trigger()
    dialog = window.passage_actions.dialog
    assert dialog is not None
    dialog.tags_edit.setText("Brand new tag")
    with qtbot.waitSignal(window.sidebar_loaded, timeout=5000):
        dialog.accept()
    assert "Brand new tag" in window.sidebar.tag_names()
    assert window.sidebar.find_entry("tag", "Brand new tag").text(1) == "1"
    [(changes, initiator)] = heard  # broadcast once, naming the passages, not the row
    assert changes.passages == {clip_id} and changes.tags and not changes.clips
    assert initiator is window.passage_actions
    qtbot.waitUntil(lambda: len(window.passage_actions.panel.passages) == 1, timeout=5000)


def test_a_delete_with_the_index_locked_keeps_its_undo(
    qtbot: QtBot, win: tuple[MainWindow, int], gui_library: Library
) -> None:
    window, clip_id = win
    index = gui_library.index
    index.options = replace(index.options, lock_timeout=0.2)  # type: ignore[attr-defined]
    with index_locked(gui_library):
        with qtbot.waitSignal(window.sidebar_loaded, timeout=5000):
            window.commands.actions["delete"].trigger()
        wait_idle(qtbot, window)
    assert gui_library.clips.count() == 0 and titles(window) == []
    assert window.commands.actions["undo"].isEnabled()
    assert "Deleted 1 clip" in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.sidebar_loaded, timeout=5000):
        window.commands.actions["undo"].trigger()
    wait_idle(qtbot, window)
    assert titles(window) == ["Harbour plan delayed"]
    assert [h.clip.id for h in gui_library.search("engineers").hits] == [clip_id]


def test_changes_from_another_client_enter_the_same_broadcast(
    qtbot: QtBot, win: tuple[MainWindow, int], gui_library: Library
) -> None:
    window, clip_id = win
    assert window.live.watcher is not None and window.live.watcher.wait_ready()
    with (
        Library.open(gui_library.location) as other,
        qtbot.waitSignal(
            window.ops.operation_did_execute,
            timeout=5000,
            check_params_cb=lambda changes, initiator: (
                initiator is window.live and clip_id in changes.passages
            ),
        ),
    ):
        other.passages.add_quote(clip_id, "committee", note="ask Ana")
    qtbot.waitUntil(
        lambda: [a.note for a in window.passage_actions.panel.passages] == ["ask Ana"], timeout=5000
    )


def test_cancelling_a_clip_in_the_queue_stores_nothing(
    qtbot: QtBot, win: tuple[MainWindow, int], gui_library: Library, httpserver: HTTPServer
) -> None:
    window, _clip_id = win
    release = threading.Event()

    def slow(_request: Request) -> Response:
        release.wait(10)
        page = article_page("Slow harbour story", LOREM)
        return Response(page, content_type="text/html; charset=utf-8")

    httpserver.expect_request("/slow.html").respond_with_handler(slow)
    item = window.queue.add(ClipSource(url=httpserver.url_for("/slow.html")))
    assert item is not None
    qtbot.waitUntil(lambda: item.job is not None, timeout=5000)  # fetching
    assert window.queue.cancel(item.id)
    assert item.message == "Cancelling…"
    release.set()
    qtbot.waitUntil(lambda: item.state == "failed", timeout=10_000)
    assert item.message == "Cancelled"
    wait_idle(qtbot, window)
    assert titles(window) == ["Harbour plan delayed"] and gui_library.clips.count() == 1
    assert not window.queue.cancel(item.id)  # finished: nothing to cancel
