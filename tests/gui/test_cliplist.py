"""The clip list model: lazy pages, sorting, filters, search rows, model invariants."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from clipper.gui.cliplist import (
    LOADING,
    SNIPPET,
    TITLE,
    ClipIdRole,
    ClipListModel,
    SnippetMarkupRole,
)
from clipper.gui.clipview import _marked_html
from clipper.library import Library
from clipper.library.types import ClipFilter
from tests.gui.util import store_clips

DISPLAY = Qt.ItemDataRole.DisplayRole


@pytest.fixture
def model(gui_library: Library) -> ClipListModel:
    store_clips(gui_library, 12)
    gui_library.tags.change([1, 2, 3], add=["alpha"])
    m = ClipListModel(gui_library)
    m.reload()
    return m


def test_qtmodeltester(qtmodeltester: ModelTester, model: ClipListModel) -> None:
    qtmodeltester.check(model, force_py=True)


def test_qtmodeltester_with_lazy_pages(
    qtmodeltester: ModelTester, gui_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_clips(gui_library, 9)
    monkeypatch.setattr(ClipListModel, "PAGE_SIZE", 2)
    lazy = ClipListModel(gui_library)
    lazy.reload()
    qtmodeltester.check(lazy, force_py=True)


def test_rows_load_lazily_in_pages(
    qtbot: QtBot, gui_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_clips(gui_library, 10)
    monkeypatch.setattr(ClipListModel, "PAGE_SIZE", 3)
    monkeypatch.setattr(ClipListModel, "MAX_PAGES", 2)
    m = ClipListModel(gui_library)
    m.reload()
    assert m.rowCount() == 10
    assert m.page_loads == 1  # only the first page, on open
    index = m.index(8, TITLE)
    assert m.data(index, DISPLAY) == LOADING  # placeholder, page scheduled
    with qtbot.waitSignal(m.dataChanged, timeout=2000):
        pass
    assert m.data(index, DISPLAY).startswith("Article")
    assert m.page_loads == 2
    m.data(m.index(5, TITLE), DISPLAY)
    qtbot.waitUntil(lambda: m.page_loads == 3)
    # At most MAX_PAGES pages stay in memory: the first page was dropped.
    assert len(m._rows) <= 2 * 3
    assert m.data(m.index(0, TITLE), DISPLAY) == LOADING


def test_default_order_is_newest_clipped_first(model: ClipListModel) -> None:
    titles = [model.data(model.index(r, TITLE), DISPLAY) for r in range(model.rowCount())]
    assert titles[0] == "Article 011" and titles[-1] == "Article 000"
    assert model.data(model.index(0, TITLE), ClipIdRole) == model.clip_id(0)


def test_sorting_requeries(model: ClipListModel) -> None:
    model.sort(TITLE, Qt.SortOrder.AscendingOrder)
    titles = [model.summary(r).title for r in range(model.rowCount())]  # type: ignore[union-attr]
    assert titles == sorted(titles)
    model.sort(1, Qt.SortOrder.DescendingOrder)  # site
    sites = [model.summary(r).site_name for r in range(model.rowCount())]  # type: ignore[union-attr]
    assert sites == sorted(sites, reverse=True)
    model.sort(4, Qt.SortOrder.AscendingOrder)  # tags: not sortable, nothing happens
    assert [model.summary(r).site_name for r in range(model.rowCount())] == sites  # type: ignore[union-attr]


def test_filters(model: ClipListModel) -> None:
    model.set_filter(ClipFilter(tag="ALPHA"))
    assert model.rowCount() == 3
    assert model.data(model.index(0, 4), DISPLAY) == "alpha"
    model.set_filter(ClipFilter(untagged=True))
    assert model.rowCount() == 9
    model.set_filter(ClipFilter(site="Site 1"))
    assert model.rowCount() == 4


def test_search_rows_with_snippets(model: ClipListModel, gui_library: Library) -> None:
    gui_library.reconcile()
    results = gui_library.search("topic")
    model.set_search(results)
    assert model.rowCount() == len(results.hits) > 0
    markup = model.data(model.index(0, SNIPPET), SnippetMarkupRole)
    assert "[[" in markup
    assert "[[" not in model.data(model.index(0, SNIPPET), DISPLAY)
    model.sort(TITLE, Qt.SortOrder.AscendingOrder)
    titles = [model.summary(r).title for r in range(model.rowCount())]  # type: ignore[union-attr]
    assert titles == sorted(titles)
    model.clear_search()
    assert model.rowCount() == 12 and model.search is None


def test_apply_changes_rereads_rows(model: ClipListModel, gui_library: Library) -> None:
    clip_id = model.clip_id(0)
    gui_library.tags.change([clip_id], add=["fresh"])
    model.apply_changes([clip_id])
    assert "fresh" in model.data(model.index(0, 4), DISPLAY)


def test_marked_html_escapes() -> None:
    from PySide6.QtGui import QColor

    html = _marked_html("a <b> [[word]] & more", QColor(1, 2, 3, 4))
    assert "&lt;b&gt;" in html and "&amp;" in html
    assert '<b style="background-color:rgba(1,2,3,4)">word</b>' in html


def test_background_reload_keeps_rows_until_the_new_ones_arrive(
    qtbot: QtBot, model: ClipListModel
) -> None:
    from clipper.gui.workers import TaskManager

    tasks = TaskManager()
    model.use_tasks(tasks)
    before = [model.clip_id(r) for r in range(model.rowCount())]
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.sort(TITLE, Qt.SortOrder.AscendingOrder)
        assert model.loading
        assert [model.clip_id(r) for r in range(model.rowCount())] == before  # still old
    titles = [model.summary(r).title for r in range(model.rowCount())]  # type: ignore[union-attr]
    assert titles == sorted(titles) and not model.loading
    # A reload overtaken by a newer one is dropped.
    model.sort(1, Qt.SortOrder.AscendingOrder)
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.sort(TITLE, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: not tasks.busy)
    titles = [model.summary(r).title for r in range(model.rowCount())]  # type: ignore[union-attr]
    assert titles == sorted(titles, reverse=True)
    tasks.shutdown()


def test_snippet_lead_is_shortened_to_show_the_match() -> None:
    from clipper.gui.clipview import lead_to_match

    long = "…a very long lead before the words that matter most here, and then [[water]] flows"
    short = lead_to_match(long)
    assert short.startswith("…") and "[[water]]" in short
    assert short.index("[[") <= 26
    assert lead_to_match("[[water]] first") == "[[water]] first"
