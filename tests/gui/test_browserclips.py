"""The app's capture endpoint: a clip from the extension goes through the window's queue."""

from __future__ import annotations

import http.client
import json
import os
import threading
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from clipper.gui.browserclips import BrowserClips
from clipper.gui.mainwindow import MainWindow
from tests.helpers.extension import EXTENSION, IMAGE_URL, PAGE_URL, clip_payload


def _post(port: int, code: str, payload: dict[str, Any], answer: dict[str, Any]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {
        "Origin": EXTENSION,
        "Authorization": f"Bearer {code}",
        "Content-Type": "application/json",
    }
    try:
        conn.request("POST", "/v1/clip", json.dumps(payload).encode(), headers)
        reply = conn.getresponse()
        answer["status"] = reply.status
        answer["body"] = json.loads(reply.read())
    finally:
        conn.close()


def test_extension_clip_shows_in_the_queue_and_the_list(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    browser = BrowserClips(window, port=0)
    browser.start(window.library)
    qtbot.waitUntil(lambda: browser.endpoint is not None, timeout=10_000)
    assert browser.endpoint is not None
    assert browser.code == (window.library.location.folder / "capture-token").read_text().strip()
    seen: list[str] = []
    window.queue.item_changed.connect(lambda item: seen.append(item.state))
    answer: dict[str, Any] = {}
    selection = {"exact": "keeps the historic warehouses"}
    request = threading.Thread(
        target=_post,
        args=(browser.endpoint.port, browser.code, clip_payload(selection=selection), answer),
    )
    request.start()
    try:
        qtbot.waitUntil(lambda: "done" in seen or "failed" in seen, timeout=60_000)
    finally:
        request.join(timeout=60)
    assert answer["status"] == 200 and answer["body"]["status"] == "new", answer
    assert seen[:2] == ["waiting", "fetching"]  # the same queue as a dropped link
    messages = list(window.queue_panel.messages().values())
    assert messages == ["Clipped"], messages
    clip_id = answer["body"]["clip_id"]
    detail = window.library.clips.get(clip_id)
    assert detail.url == PAGE_URL and detail.figures[0].src_url == IMAGE_URL
    assert [a.exact for a in window.library.passages.find(clip_id)] == [selection["exact"]]
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=10_000)
    window.select_clip(clip_id)
    qtbot.waitUntil(lambda: "historic warehouses" in window.reader.toPlainText(), timeout=10_000)
    panel = window.passage_actions.panel
    qtbot.waitUntil(lambda: len(panel.passages) == 1, timeout=10_000)  # the highlight
    assert "historic warehouses" in panel.list.item(0).text()
    shots = Path(os.environ.get("CLIPPER_SHOTS", tmp_path))
    assert window.grab().save(str(shots / "extension-clip-window.png"))
    box = browser.show_pairing()
    assert browser.code in box.text() and str(browser.endpoint.port) in box.text()
    box.close()
    browser.stop()
    assert browser.endpoint is None


def test_second_window_on_a_taken_port_says_so(qtbot: QtBot, window: MainWindow) -> None:
    first = BrowserClips(window, port=0)
    first.start(window.library)
    qtbot.waitUntil(lambda: first.endpoint is not None, timeout=10_000)
    assert first.endpoint is not None
    second = BrowserClips(window, port=first.endpoint.port)
    second.start(window.library)
    qtbot.waitUntil(lambda: bool(second.problem), timeout=10_000)
    assert "cannot listen on 127.0.0.1" in window.statusBar().currentMessage()
    assert "cannot reach Clipper" in second.show_pairing().text()
    first.stop()
