"""The app on a read-only library: it opens (no lock file needed), shows and searches
the clips, and a change is one message in the status bar, not a crash."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from clipper.library import Library
from tests.gui.conftest import close_window, open_window
from tests.helpers.pages import LOREM, article_page
from tests.helpers.site import FixtureSite


@pytest.fixture
def frozen_library(library_path: Path, site: FixtureSite) -> Iterator[Path]:
    site.pages["/a.html"] = article_page("Harbour plan", LOREM)
    with Library.open(library_path) as library:
        library.clips.clip_url(site.url("/a.html"))
    files = [*library_path.rglob("*"), library_path]
    if os.geteuid() != 0:
        pytest.skip("needs root for chattr +i (chmod does not stop root)")
    if subprocess.run(["chattr", "+i", *map(str, files)], capture_output=True).returncode:
        pytest.skip("chattr +i is not available here")
    try:
        yield library_path
    finally:
        subprocess.run(["chattr", "-i", *map(str, files)], check=True)


def test_the_app_opens_a_read_only_library(
    qtbot: QtBot, frozen_library: Path, settings_path: Path, tmp_path: Path
) -> None:
    library = Library.open(frozen_library, exclusive=True, reconcile=False)
    window = open_window(qtbot, library, settings_path)
    try:
        qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5000)
        summary = window.model.summary(0)
        assert summary is not None and summary.title == "Harbour plan"
        window.commands.tag([summary.id], ["more"], [])
        qtbot.waitUntil(lambda: "read-only" in window.statusBar().currentMessage(), timeout=5000)
        assert "nothing can be changed" in window.statusBar().currentMessage()
        window.grab().save(str(tmp_path / "read-only.png"))
    finally:
        close_window(qtbot, window)
        library.close()
