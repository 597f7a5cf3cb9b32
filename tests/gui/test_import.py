"""File > Import in the window: pages go through the queue; a summary at the end."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from clipper.gui.importer import ImportBatch
from clipper.gui.mainwindow import MainWindow
from clipper.library import Library
from tests.gui.util import wait_idle
from tests.helpers.pages import LOREM, article_page
from tests.helpers.site import FixtureSite

BOOKMARKS = Path(__file__).resolve().parents[1] / "fixtures" / "bookmarks"


def test_import_chrome_bookmarks_from_the_file_menu(
    qtbot: QtBot, window: MainWindow, gui_library: Library, site: FixtureSite, tmp_path: Path
) -> None:
    menu = window.menus["file"]
    assert "&Import Bookmarks or URLs…" in [a.text() for a in menu.actions()]
    exported = tmp_path / "bookmarks.html"
    base = site.url("/").rstrip("/")
    exported.write_text((BOOKMARKS / "chrome.html").read_text("utf-8").replace("{BASE}", base))
    importer = window.commands.importer
    with qtbot.waitSignal(importer.finished, timeout=30_000) as signal:
        importer.import_source(str(exported))
    batch: ImportBatch = signal.args[0]
    assert (batch.total, batch.clipped, batch.skipped) == (4, 3, 0)
    assert len(batch.failures) == 1 and "missing-page.html" in batch.failures[0]
    assert "404" in batch.failures[0]
    assert "3 clipped, 0 already in the library, 1 failed" in window.statusBar().currentMessage()
    box = importer.summary_box
    assert box is not None and box.isVisible() and not box.isModal()
    assert "missing-page.html" in box.detailedText()
    box.close()
    wait_idle(qtbot, window)
    tags = {s.title: s.tags for s in gui_library.clips.page()}
    assert ("Long reads", "Reading list") in tags.values()


def test_importing_again_skips_what_is_stored_without_fetching(
    qtbot: QtBot, window: MainWindow, gui_library: Library, site: FixtureSite, tmp_path: Path
) -> None:
    urls = []
    for n in range(4):
        site.pages[f"/p/{n}.html"] = article_page(
            f"Page {n}", [f"Story number {n} begins here.", *LOREM[:2]]
        )
        urls.append(site.url(f"/p/{n}.html"))
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(urls[:2]))
    importer = window.commands.importer
    with qtbot.waitSignal(importer.finished, timeout=30_000):
        importer.import_source(str(listing))
    wait_idle(qtbot, window)
    site.requests.clear()
    listing.write_text("\n".join(urls))  # the first two were done: as if cut short
    with qtbot.waitSignal(importer.finished, timeout=30_000) as signal:
        importer.import_source(str(listing))
    batch: ImportBatch = signal.args[0]
    assert (batch.total, batch.clipped, batch.skipped, batch.failures) == (4, 2, 2, [])
    assert sorted(r for r in site.requests if r.startswith("/p/")) == ["/p/2.html", "/p/3.html"]
    assert importer.summary_box is None  # no failures, no box
    wait_idle(qtbot, window)
    assert gui_library.clips.count() == 4
