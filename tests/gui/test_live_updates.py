"""A running window sees what other clients write, within 2 s, without a restart: the
CLI in another process beside it (SQLite), another machine's CLI on a shared PostgreSQL
library. Also View > Refresh (F5)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from clipper.library import Library
from clipper.paths import LibraryLocation
from tests.conftest import pg_database
from tests.gui.conftest import close_window, open_window
from tests.gui.util import make_capture, titles
from tests.helpers.pages import LOREM, article_page
from tests.helpers.site import FixtureSite

LIVE_MS = 2000
"""The promise: another client's change shows within 2 s of its commit."""


def cli(library: str, *args: str) -> None:
    """The CLI in its own process, as a person beside the window would run it."""
    proc = subprocess.run(
        [sys.executable, "-m", "clipper", *args, "--library", library],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def shared(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Library, str]]:
    """The window's library (opened as the app opens it) and what the CLI passes."""
    if request.param == "sqlite":
        folder = tmp_path / "library"
        library = Library.open(folder, exclusive=True, reconcile=False)
        try:
            yield library, str(folder)
        finally:
            library.close()
        return
    with pg_database() as url:
        location = LibraryLocation(folder=tmp_path / "machine-b", database_url=url)
        library = Library.open(location, exclusive=True, reconcile=False)
        try:
            yield library, url
        finally:
            library.close()


def _wait(qtbot: QtBot, condition: object) -> None:
    qtbot.waitUntil(condition, timeout=LIVE_MS)  # type: ignore[arg-type]


def test_window_shows_what_another_process_writes(
    qtbot: QtBot, shared: tuple[Library, str], settings_path: Path, site: FixtureSite
) -> None:
    library, where = shared
    first = library.clips.store(
        make_capture("Harbour plan delayed", ["The committee waits."])
    ).result
    window = open_window(qtbot, library, settings_path)
    try:
        assert window.live.watcher is not None and window.live.watcher.wait_ready()
        qtbot.waitUntil(  # the window opens on the newest clip, in the reader too
            lambda: window.reader.detail is not None and window.reader.detail.id == first.clip_id,
            timeout=5000,
        )

        site.pages["/new.html"] = article_page("Lighthouse keepers return", LOREM)
        cli(where, "clip", site.url("/new.html"))
        _wait(qtbot, lambda: "Lighthouse keepers return" in titles(window))

        cli(where, "tag", str(first.clip_id), "+Night shift")
        _wait(qtbot, lambda: "Night shift" in window.sidebar.tag_names())
        _wait(qtbot, lambda: "Night shift" in window.reader.detail.tags)

        cli(where, "annotate", str(first.clip_id), "--quote", "committee", "--note", "ask Ana")
        _wait(qtbot, lambda: [a.note for a in window.passage_actions.panel.passages] == ["ask Ana"])

        # The window's search finds all three without a restart.
        found = window.library.search('lighthouse OR tag:"night shift" OR note:ana')
        assert {h.clip.title for h in found.hits} == {
            "Lighthouse keepers return",
            "Harbour plan delayed",
        }
    finally:
        close_window(qtbot, window)


def test_f5_refreshes_the_window(
    qtbot: QtBot, gui_library: Library, settings_path: Path, tmp_path: Path
) -> None:
    window = open_window(qtbot, gui_library, settings_path)
    try:
        window.live.stop()  # only F5 can tell the window now
        other = Library.open(gui_library.location)
        try:
            other.clips.store(make_capture("Written elsewhere", ["Text."]))
        finally:
            other.close()
        time.sleep(0.6)
        assert "Written elsewhere" not in titles(window)
        qtbot.keyClick(window, Qt.Key.Key_F5)
        _wait(qtbot, lambda: "Written elsewhere" in titles(window))
        assert window.commands.actions["refresh"].shortcut().toString() == "F5"
    finally:
        close_window(qtbot, window)
