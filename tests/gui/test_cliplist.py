"""The clip list model: pages read on the read pool, sorting, filters, search rows,
model invariants."""

from __future__ import annotations

from collections.abc import Iterator

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
from clipper.gui.workers import TaskManager
from clipper.library import Library
from clipper.library.types import ClipFilter, ClipSummary
from tests.gui.util import store_clips

DISPLAY = Qt.ItemDataRole.DisplayRole


@pytest.fixture
def tasks() -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.shutdown()


def settle(qtbot: QtBot, model: ClipListModel, tasks: TaskManager) -> None:
    qtbot.waitUntil(lambda: model.settled and not tasks.busy, timeout=5000)


def new_model(qtbot: QtBot, library: Library, tasks: TaskManager) -> ClipListModel:
    m = ClipListModel(library, tasks)
    m.reload()
    settle(qtbot, m, tasks)
    return m


def summaries(qtbot: QtBot, model: ClipListModel, tasks: TaskManager) -> list[ClipSummary]:
    """Every row, read through the model's own background pages."""
    rows = range(model.rowCount())
    model.request_rows(rows)
    settle(qtbot, model, tasks)
    found = [model.cached(r) for r in rows]
    assert all(found)
    return [s for s in found if s is not None]


@pytest.fixture
def model(qtbot: QtBot, gui_library: Library, tasks: TaskManager) -> ClipListModel:
    store_clips(gui_library, 12)
    gui_library.tags.change([1, 2, 3], add=["alpha"])
    return new_model(qtbot, gui_library, tasks)


def test_qtmodeltester(qtmodeltester: ModelTester, model: ClipListModel) -> None:
    qtmodeltester.check(model, force_py=True)


def test_qtmodeltester_with_lazy_pages(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    gui_library: Library,
    tasks: TaskManager,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store_clips(gui_library, 9)
    monkeypatch.setattr(ClipListModel, "PAGE_SIZE", 2)
    lazy = new_model(qtbot, gui_library, tasks)
    qtmodeltester.check(lazy, force_py=True)
    settle(qtbot, lazy, tasks)  # pages the tester asked for arrive as dataChanged
    qtmodeltester.check(lazy, force_py=True)


def test_rows_load_lazily_in_pages(
    qtbot: QtBot, gui_library: Library, tasks: TaskManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_clips(gui_library, 10)
    monkeypatch.setattr(ClipListModel, "PAGE_SIZE", 3)
    monkeypatch.setattr(ClipListModel, "MAX_PAGES", 2)
    m = new_model(qtbot, gui_library, tasks)
    assert m.rowCount() == 10
    assert m.page_loads == 1  # only the first page, with the ids
    index = m.index(8, TITLE)
    assert m.data(index, DISPLAY) == LOADING  # placeholder, page asked for
    with qtbot.waitSignal(m.dataChanged, timeout=2000):
        pass
    assert m.data(index, DISPLAY).startswith("Article")
    assert m.page_loads == 2
    m.data(m.index(5, TITLE), DISPLAY)
    qtbot.waitUntil(lambda: m.page_loads == 3)
    # At most MAX_PAGES pages stay in memory: the first page was dropped.
    assert len(m._rows) <= 2 * 3
    assert m.data(m.index(0, TITLE), DISPLAY) == LOADING


def test_pages_scrolled_past_are_not_read(
    qtbot: QtBot, gui_library: Library, tasks: TaskManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fast scroll asks for many pages; only the newest asks are read, in one batch."""
    store_clips(gui_library, 30)
    monkeypatch.setattr(ClipListModel, "PAGE_SIZE", 2)
    m = new_model(qtbot, gui_library, tasks)
    for row in range(2, 30, 2):  # 14 pages asked for within one event-loop turn
        assert m.data(m.index(row, TITLE), DISPLAY) == LOADING
    settle(qtbot, m, tasks)
    assert m.page_loads == 1 + ClipListModel.BATCH_PAGES
    assert m.cached(28) is not None and m.cached(2) is None


def test_a_page_read_before_a_write_does_not_undo_it(
    qtbot: QtBot, model: ClipListModel, tasks: TaskManager, gui_library: Library
) -> None:
    """The page's read started before the tag was written; the write's re-read wins."""
    clip_id = model.clip_id(0)
    rows = [s for s in gui_library.clips.summaries([clip_id])]
    gui_library.tags.change([clip_id], add=["fresh"])
    stale_stamp = model._stamp
    model.apply_changes([clip_id])
    settle(qtbot, model, tasks)
    model._apply_pages({0: (clip_id,)}, rows, stale_stamp)  # the late, older page
    assert "fresh" in model.data(model.index(0, 4), DISPLAY)


def test_default_order_is_newest_clipped_first(model: ClipListModel) -> None:
    titles = [model.data(model.index(r, TITLE), DISPLAY) for r in range(model.rowCount())]
    assert titles[0] == "Article 011" and titles[-1] == "Article 000"
    assert model.data(model.index(0, TITLE), ClipIdRole) == model.clip_id(0)


def test_sorting_requeries(qtbot: QtBot, model: ClipListModel, tasks: TaskManager) -> None:
    model.sort(TITLE, Qt.SortOrder.AscendingOrder)
    titles = [s.title for s in summaries(qtbot, model, tasks)]
    assert titles == sorted(titles)
    model.sort(1, Qt.SortOrder.DescendingOrder)  # site
    sites = [s.site_name for s in summaries(qtbot, model, tasks)]
    assert sites == sorted(sites, reverse=True)
    model.sort(4, Qt.SortOrder.AscendingOrder)  # tags: not sortable, nothing happens
    assert [s.site_name for s in summaries(qtbot, model, tasks)] == sites


def test_filters(qtbot: QtBot, model: ClipListModel, tasks: TaskManager) -> None:
    model.set_filter(ClipFilter(tag="ALPHA"))
    settle(qtbot, model, tasks)
    assert model.rowCount() == 3
    assert model.data(model.index(0, 4), DISPLAY) == "alpha"
    model.set_filter(ClipFilter(untagged=True))
    settle(qtbot, model, tasks)
    assert model.rowCount() == 9
    model.set_filter(ClipFilter(site="Site 1"))
    settle(qtbot, model, tasks)
    assert model.rowCount() == 4


def test_search_rows_with_snippets(
    qtbot: QtBot, model: ClipListModel, tasks: TaskManager, gui_library: Library
) -> None:
    gui_library.maintenance.reconcile()
    results = gui_library.search("topic")
    model.set_search(results)
    assert model.rowCount() == len(results.hits) > 0
    markup = model.data(model.index(0, SNIPPET), SnippetMarkupRole)
    assert "[[" in markup
    assert "[[" not in model.data(model.index(0, SNIPPET), DISPLAY)
    model.sort(TITLE, Qt.SortOrder.AscendingOrder)
    titles = [s.title for s in summaries(qtbot, model, tasks)]
    assert titles == sorted(titles)
    model.clear_search()
    settle(qtbot, model, tasks)
    assert model.rowCount() == 12 and model.search is None


def test_apply_changes_rereads_rows_in_the_background(
    qtbot: QtBot, model: ClipListModel, tasks: TaskManager, gui_library: Library
) -> None:
    clip_id = model.clip_id(0)
    gui_library.tags.change([clip_id], add=["fresh"])
    with qtbot.waitSignal(model.rows_arrived, timeout=5000):
        model.apply_changes([clip_id])
        assert "fresh" not in model.data(model.index(0, 4), DISPLAY)  # the old row, until
        assert model.cached(0) is None  # shown, but no command acts on the old tags
    assert "fresh" in model.data(model.index(0, 4), DISPLAY)
    summary = model.cached(0)
    assert summary is not None and "fresh" in summary.tags


def test_marked_html_escapes() -> None:
    from PySide6.QtGui import QColor

    html = _marked_html("a <b> [[word]] & more", QColor(1, 2, 3, 4))
    assert "&lt;b&gt;" in html and "&amp;" in html
    assert '<b style="background-color:rgba(1,2,3,4)">word</b>' in html


def test_background_reload_keeps_rows_until_the_new_ones_arrive(
    qtbot: QtBot, model: ClipListModel, tasks: TaskManager
) -> None:
    before = [model.clip_id(r) for r in range(model.rowCount())]
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.sort(TITLE, Qt.SortOrder.AscendingOrder)
        assert model.loading
        assert [model.clip_id(r) for r in range(model.rowCount())] == before  # still old
    titles = [s.title for s in summaries(qtbot, model, tasks)]
    assert titles == sorted(titles) and not model.loading
    # A reload overtaken by a newer one is dropped.
    model.sort(1, Qt.SortOrder.AscendingOrder)
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.sort(TITLE, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: not tasks.busy)
    titles = [s.title for s in summaries(qtbot, model, tasks)]
    assert titles == sorted(titles, reverse=True)


def test_snippet_lead_is_shortened_to_show_the_match() -> None:
    from clipper.gui.clipview import lead_to_match

    long = "…a very long lead before the words that matter most here, and then [[water]] flows"
    short = lead_to_match(long)
    assert short.startswith("…") and "[[water]]" in short
    assert short.index("[[") <= 26
    assert lead_to_match("[[water]] first") == "[[water]] first"


def test_the_list_refreshes_from_the_operation_broadcast(
    qtbot: QtBot, model: ClipListModel, tasks: TaskManager, gui_library: Library
) -> None:
    """A write run through `run_op` reaches the model by `operation_did_execute` alone:
    changed rows are re-read, added and removed clips re-read the ids."""
    from clipper.gui.operations import Operations

    ops = Operations(tasks)
    ops.operation_did_execute.connect(model.on_operation)
    clip_id = model.clip_id(0)
    with qtbot.waitSignal(model.rows_arrived, timeout=5000):
        ops.run_op(lambda: gui_library.tags.change([clip_id], add=["broadcast"]))
    assert "broadcast" in model.data(model.index(0, 4), DISPLAY)
    with qtbot.waitSignal(model.loaded, timeout=5000):
        ops.run_op(lambda: gui_library.clips.delete([clip_id], permanent=False))
    assert model.rowCount() == 11 and model.row_of(clip_id) is None
