"""Records a researcher can cite, in the window: the metadata panel (edit, sources,
undo), Copy as Citation, Copy Link (canonical), File > Export with progress, and a
"text changed" passage with its pinpoint citation. Screenshots are saved and looked at
(`tmp_path`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import bibtexparser
import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from clipper.gui.mainwindow import MainWindow
from clipper.library import Library
from tests.gui.conftest import close_window, open_window
from tests.gui.util import make_capture

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PARAGRAPHS = [
    "The reservoir fell below 10 percent of its capacity in August, officials said.",
    "“We have never seen it this low,” said Carmen Ruiz, 67, who farms in the valley.",
    "Rationing starts next week for every household and farm in the district.",
]


def drought_capture(paragraphs: list[str] = PARAGRAPHS, **changes: object):  # type: ignore[no-untyped-def]
    capture = make_capture(
        "Drought in the valley",
        paragraphs,
        url="https://news.example.test/drought?utm_source=feed",
        site="usatoday",
        published=datetime(2022, 7, 26, 1, 30, tzinfo=timezone(timedelta(hours=3))),
    )
    capture.article = replace(
        capture.article,
        canonical_url="https://news.example.test/drought",
        authors=["Carrie Arnold November"],
        sources={
            "title": "headline",
            "authors": "byline",
            "published": "json-ld",
            "site_name": "meta",
            "canonical_url": "link",
        },
        **changes,
    )
    return capture


@pytest.fixture
def clipped(gui_library: Library) -> tuple[Library, int, int]:
    first = gui_library.clips.store(drought_capture()).result.clip_id
    other = make_capture("Harbour plan delayed", ["The committee postponed its vote."])
    second = gui_library.clips.store(other).result.clip_id
    return gui_library, first, second


@pytest.fixture
def win(
    qtbot: QtBot, clipped: tuple[Library, int, int], settings_path: Path
) -> Iterator[MainWindow]:
    window = open_window(qtbot, clipped[0], settings_path)
    yield window
    close_window(qtbot, window)


def show(qtbot: QtBot, window: MainWindow, clip_id: int) -> None:
    detail = window.reader.detail
    if detail is not None and detail.id == clip_id and window.current_id() == clip_id:
        return
    with qtbot.waitSignal(window.reader_loaded, timeout=5000):
        window.select_clip(clip_id)


def test_metadata_panel_edits_shows_sources_and_undoes(
    qtbot: QtBot, win: MainWindow, clipped: tuple[Library, int, int], tmp_path: Path
) -> None:
    library, clip_id, _ = clipped
    show(qtbot, win, clip_id)
    editor = win.citing.metadata
    editor.action.setChecked(True)  # Clip > Edit Metadata (Ctrl+E)
    panel = editor.panel
    assert panel.isVisible()
    assert panel.edits["authors"].text() == "Carrie Arnold November"
    assert panel.edits["published"].text() == "2022-07-26T01:30+03:00"  # the publisher's
    assert panel.edits["canonical_url"].text() == "https://news.example.test/drought"
    assert panel.sources["authors"].text() == "byline text"
    assert panel.sources["published"].text() == "JSON-LD"
    # The reader and the list show the publisher's date too (not the UTC 25th).
    assert "26 July 2022" in win.reader.toPlainText()
    row = win.model.row_of(clip_id)
    assert row is not None
    assert "2022-07-26" in [win.model.index(row, c).data() for c in range(win.model.columnCount())]
    assert not panel.save_button.isEnabled()

    qtbot.keyClicks(panel.edits["authors"], "x")  # typing enables Save
    panel.edits["authors"].setText("Carrie Arnold; Ana Ruiz")
    panel.edits["site_name"].setText("USA Today")
    panel._update_buttons()
    assert panel.save_button.isEnabled()
    with qtbot.waitSignal(editor.saved, timeout=5000):
        panel.save_button.click()
    detail = library.clips.get(clip_id)
    assert detail.authors == ("Carrie Arnold", "Ana Ruiz")
    assert detail.site_name == "USA Today"
    assert detail.sources["authors"] == "user" and detail.sources["published"] == "json-ld"
    qtbot.waitUntil(lambda: panel.sources["authors"].text() == "<b>edited by you</b>", timeout=5000)
    assert panel.edits["authors"].text() == "Carrie Arnold; Ana Ruiz"
    win.resize(1300, 860)
    shot = tmp_path / "metadata-panel.png"
    assert win.grab().save(str(shot))
    assert panel.grab().save(str(tmp_path / "metadata-panel-only.png"))

    # A bad date is a message, not a write.
    panel.edits["published"].setText("last tuesday")
    panel.save()
    assert "not a date" in win.statusBar().currentMessage()
    assert library.clips.get(clip_id).published_at is not None
    panel.revert()

    # Undo restores the values and their sources.
    with qtbot.waitSignal(editor.saved, timeout=5000):
        win.commands.undo()
    restored = library.clips.get(clip_id)
    assert restored.authors == ("Carrie Arnold November",)
    assert restored.site_name == "usatoday"
    assert restored.sources["authors"] == "byline"


def test_copy_as_citation_for_several_clips(
    qtbot: QtBot, win: MainWindow, clipped: tuple[Library, int, int]
) -> None:
    library, first, second = clipped
    win.list.selectAll()
    assert sorted(win.selected_ids()) == sorted([first, second])
    with qtbot.waitSignal(win.citing.copied, timeout=10_000) as blocker:
        win.citing.actions["cite_apa"].trigger()
    text = QGuiApplication.clipboard().text()
    assert text == blocker.args[0]
    assert "Carrie Arnold November" not in text  # APA: family name and initials
    assert "November, C. A. (2022, July 26). Drought in the valley. Usatoday." in text
    assert "Harbour plan delayed" in text and text.count("\n\n") == 1
    with qtbot.waitSignal(win.citing.copied, timeout=10_000):
        win.citing.actions["cite_bibtex"].trigger()
    keys = {e.key for e in bibtexparser.parse_string(QGuiApplication.clipboard().text()).entries}
    assert keys == {library.clips.get(first).citation_key, library.clips.get(second).citation_key}
    with qtbot.waitSignal(win.citing.copied, timeout=10_000):
        win.citing.actions["cite_chicago"].trigger()
    assert "November, Carrie Arnold. 2022. “Drought in the Valley”." in (
        QGuiApplication.clipboard().text()
    )
    show(qtbot, win, first)
    win.list.select_id(first)
    with qtbot.waitSignal(win.citing.copied, timeout=10_000):
        win.citing.actions["cite_markdown"].trigger()
    assert QGuiApplication.clipboard().text() == (
        "[Drought in the valley](https://news.example.test/drought) — usatoday, 2022-07-26"
    )


def test_copy_link_copies_the_canonical_url(
    qtbot: QtBot, win: MainWindow, clipped: tuple[Library, int, int]
) -> None:
    show(qtbot, win, clipped[2])
    show(qtbot, win, clipped[1])
    win.commands.actions["copy_link"].trigger()
    assert QGuiApplication.clipboard().text() == "https://news.example.test/drought"


def test_file_export_with_progress(
    qtbot: QtBot, win: MainWindow, clipped: tuple[Library, int, int], tmp_path: Path
) -> None:
    library, first, second = clipped
    library.tags.change([second], add=["port"])
    seen: list[str] = []
    win.statusBar().messageChanged.connect(seen.append)
    win.citing.actions["export"].trigger()  # File > Export…
    dialog = win.citing.export_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("csl"))
    dialog.scope_library.setChecked(True)
    target = tmp_path / "library.json"
    dialog.path_edit.setText(str(target))
    with qtbot.waitSignal(win.citing.exported, timeout=10_000) as blocker:
        dialog.accept()
    assert blocker.args[0] == [target]
    items = json.loads(target.read_text(encoding="utf-8"))
    assert {i["id"] for i in items} == {
        library.clips.get(first).citation_key,
        library.clips.get(second).citation_key,
    }
    assert any("Exporting: 2 of 2 clips" in m for m in seen)
    assert not win.citing.progress.isVisible()

    # Markdown for one tag, into a folder.
    folder = tmp_path / "vault"
    win.citing.export("markdown", ("tag", "port"), folder)
    qtbot.waitSignal(win.citing.exported, timeout=10_000).wait()
    qtbot.waitUntil(lambda: folder.exists() and any(folder.glob("*.md")), timeout=10_000)
    assert [p.name for p in folder.glob("*.md")] == ["harbour-plan-delayed.md"]

    # A failure is a message; the window goes on.
    blocker_file = tmp_path / "file"
    blocker_file.write_text("x")
    win.citing.export("ris", ("selection", [first]), blocker_file / "out.ris")
    qtbot.waitUntil(lambda: "cannot write" in win.statusBar().currentMessage(), timeout=10_000)


def test_text_changed_passage_keeps_the_quote_and_copies_a_pinpoint_citation(
    qtbot: QtBot, clipped: tuple[Library, int, int], settings_path: Path, tmp_path: Path
) -> None:
    library, clip_id, _ = clipped
    quote = "fell below 10 percent of its capacity"
    library.passages.add_quote(clip_id, quote, note="Key figure")
    changed = [PARAGRAPHS[0].replace("10 percent", "8 percent"), *PARAGRAPHS[1:]]
    assert library.clips.store(drought_capture(changed)).result.status == "updated"
    window = open_window(qtbot, library, settings_path)
    try:
        window.resize(1300, 860)
        with qtbot.waitSignal(window.passage_actions.passages_loaded, timeout=5000):
            window.select_clip(clip_id)
        panel = window.passage_actions.panel
        assert panel.list.count() == 1
        label = panel.list.item(0).text()
        assert f"“{quote}”" in label
        assert "Text changed — now: “fell below 8 percent of its capacity”" in label
        assert "<del>10</del><ins>8</ins>" in panel.list.item(0).toolTip().replace(" ", "")
        # The reader marks the reworded passage and explains it on hover.
        from PySide6.QtGui import QTextCharFormat

        from clipper.gui.reader import passage_tooltip

        info = panel.passages[0]
        start, end = window.reader.passage_range(info) or (0, 0)
        selections = [
            s for s in window.reader.extraSelections() if s.cursor.selectionStart() == start
        ]
        assert selections
        assert selections[0].format.underlineStyle() == QTextCharFormat.UnderlineStyle.DashUnderline
        assert window.reader.passage_at(start + 2) == info
        tip = passage_tooltip(info)
        assert "Text changed since quoted" in tip
        assert f"Quoted: “{quote}”" in tip and "Now: “fell below 8 percent" in tip
        assert "<del>10</del>" in tip.replace(" ", "") and "<ins>8</ins>" in tip.replace(" ", "")
        panel.list.setCurrentRow(0)
        with qtbot.waitSignal(window.citing.copied, timeout=10_000):
            panel.cite_button.click()
        text = QGuiApplication.clipboard().text()
        lines = text.splitlines()
        assert lines[0] == f"“{quote}”"  # the words as quoted, not today's
        assert lines[1].startswith("November, C. A. (2022, July 26). Drought in the valley.")
        assert lines[2].startswith("Passage: https://news.example.test/drought#:~:text=")
        assert "clipper://clip/" in lines[3] and "Stored version of 20" in lines[3]
        assert "now reads: “fell below 8 percent of its capacity”" in lines[4]
        assert window.grab().save(str(tmp_path / "text-changed.png"))
        assert window.reader_column.grab().save(str(tmp_path / "text-changed-column.png"))
        # The all-passages view marks it too, and cites it.
        dialog = window.passage_actions.show_all()
        qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=5000)
        assert dialog.table.item(0, 0).text().startswith("(text changed) ")
        dialog.table.setCurrentCell(0, 0)
        QGuiApplication.clipboard().clear()
        with qtbot.waitSignal(window.citing.copied, timeout=10_000):
            dialog.cite_button.click()
        assert QGuiApplication.clipboard().text().startswith(f"“{quote}”")
        dialog.close()
        # The citation's clipper:// link, followed: the clip, at the passage.
        stored = lines[3].split(": ", 1)[1]
        show(qtbot, window, clipped[2])
        qtbot.waitUntil(lambda: not window.busy, timeout=5000)
        with qtbot.waitSignal(window.citing.link_opened, timeout=5000):
            assert window.citing.open_link(stored)

        def at_passage() -> bool:
            current = panel.current()
            return window.current_id() == clip_id and current is not None and current.id == info.id

        qtbot.waitUntil(at_passage, timeout=5000)
        assert "earlier version" in window.statusBar().currentMessage()
        assert not window.citing.open_link("https://news.example.test/drought")
    finally:
        close_window(qtbot, window)
