"""File > Export offers the export registry's formats, writes each one on the read pool
(the GUI thread stays free) and reports a failure in one line, without a dialog."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from clipper.export.registry import EXPORTERS
from clipper.gui.mainwindow import MainWindow
from clipper.library import Library
from clipper.library.exporting import Export
from tests.gui.conftest import close_window, open_window
from tests.gui.util import make_capture


@pytest.fixture
def win(qtbot: QtBot, gui_library: Library, settings_path: Path) -> Iterator[MainWindow]:
    for title in ("Harbour plan delayed", "Ferry service cut"):
        gui_library.clips.store(make_capture(title, [f"{title}, the council said."]))
    window = open_window(qtbot, gui_library, settings_path)
    yield window
    close_window(qtbot, window)


def test_file_export_writes_every_registry_format(
    qtbot: QtBot, win: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    read = Export.bundle
    monkeypatch.setattr(
        Export,
        "bundle",
        lambda *a, **k: (threads.append(threading.current_thread().name), read(*a, **k))[1],
    )
    win.citing.actions["export"].trigger()
    dialog = win.citing.export_dialog
    assert dialog is not None and dialog.isVisible()
    box = dialog.format_box
    assert [box.itemData(i) for i in range(box.count())] == list(EXPORTERS)
    assert [box.itemText(i) for i in range(box.count())] == [e.label for e in EXPORTERS.values()]
    dialog.grab().save(str(tmp_path / "export-dialog.png"))
    dialog.reject()

    written: dict[str, list[Path]] = {}
    for name, exporter in EXPORTERS.items():
        dialog = win.citing.show_export_dialog()
        dialog.scope_library.setChecked(True)
        dialog.path_edit.setText(str(tmp_path / "exports" / "library"))
        dialog.format_box.setCurrentIndex(dialog.format_box.findData(name))
        dialog._suggest_path()  # as choosing the format does: the suffix follows it
        assert dialog.path().suffix == exporter.suffix
        with qtbot.waitSignal(win.citing.exported, timeout=10_000) as blocker:
            dialog.accept()
        written[name] = blocker.args[0]
    assert threading.main_thread().name not in threads and len(threads) == len(EXPORTERS)

    csl = json.loads(written["csl"][0].read_text(encoding="utf-8"))
    assert sorted(item["title"] for item in csl) == ["Ferry service cut", "Harbour plan delayed"]
    entries = bibtexparser.parse_string(written["bibtex"][0].read_text(encoding="utf-8")).entries
    assert len(entries) == 2
    assert written["ris"][0].read_text(encoding="utf-8").count("ER  -") == 2
    assert json.loads(written["jsonld"][0].read_text(encoding="utf-8"))["total"] == 0
    notes = sorted(p.name for p in written["markdown"])
    assert notes == ["ferry-service-cut.md", "harbour-plan-delayed.md"]
    assert written["markdown"][0].parent == tmp_path / "exports" / "library"


def test_a_failed_export_is_one_line_and_no_dialog(
    qtbot: QtBot, win: MainWindow, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    win.citing.export("bibtex", ("library", None), blocker / "out.bib")
    qtbot.waitUntil(lambda: "cannot write" in win.statusBar().currentMessage(), timeout=10_000)
    message = win.statusBar().currentMessage()
    assert "\n" not in message and str(blocker) in message
    assert QApplication.activeModalWidget() is None
    assert not win.citing.progress.isVisible()
