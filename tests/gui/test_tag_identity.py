""" "Café" and "Cafe" are one tag in the window too: one sidebar row, whose filter lists
every clip the `tag:` search finds; the tag dialog counts both spellings as one; the
all-passages filter folds words and tags as search does."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from clipper.gui.all_passages import matches
from clipper.gui.mainwindow import MainWindow
from clipper.gui.tagging import TagDialog, split_tags
from clipper.library import Library
from clipper.rules import fold
from tests.export.factories import make_passage
from tests.gui.util import make_capture, titles, wait_idle


def test_the_sidebar_has_one_cafe_tag(qtbot: QtBot, window: MainWindow) -> None:
    library: Library = window.library
    ids = [
        library.clips.store(make_capture(title, [f"{title} by the harbour."])).result.clip_id
        for title in ("Harbour café", "Corner cafe", "Old mill", "Ferry times")
    ]
    library.tags.change([ids[0]], add=["Café"])
    library.tags.change([ids[1]], add=["Cafe"])
    library.passages.add(ids[2], 0, 8, tags=["CAFÈ"])
    with qtbot.waitSignal(window.sidebar_loaded, timeout=5000):
        window.reload_all()
    wait_idle(qtbot, window)

    sidebar = window.sidebar
    assert sidebar.tag_names() == ["Café"]
    assert sidebar.find_entry("tag", "cafe") is sidebar.find_entry("tag", "CAFÈ") is not None
    assert sidebar.find_entry("tag", "Café").text(1) == "3"
    sidebar.select("tag", "cafe")
    wait_idle(qtbot, window)
    assert sorted(titles(window)) == ["Corner cafe", "Harbour café", "Old mill"]

    found = library.search("tag:café")
    assert sorted(h.clip.title for h in found.hits) == sorted(titles(window))


def test_the_tag_dialog_counts_spellings_as_one(qtbot: QtBot) -> None:
    assert split_tags("Café, cafe, #CAFE, harbour") == ["Café", "harbour"]
    dialog = TagDialog([["Café"], ["cafe"]], ["Café"])
    qtbot.addWidget(dialog)
    assert dialog.current.count() == 1  # one row, on both clips
    assert dialog.changes() == ([], [])


def test_the_all_passages_filter_folds_as_search_does() -> None:
    info = make_passage("Le Café du port ouvre.", "Café du port", tags=("Café",))
    assert matches(info, "CAFE", [])
    assert matches(info, None, fold("cafe PORT").split())
    assert not matches(info, "harbour", [])
    assert not matches(info, None, ["cafes"])
