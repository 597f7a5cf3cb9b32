"""GUI test setup: headless Qt, fonts present, settings and libraries in temp folders."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from clipper.gui.mainwindow import MainWindow
from clipper.gui.settings import WindowState
from clipper.library import Library


@pytest.fixture(autouse=True)
def _fonts_present(qapp: QApplication) -> None:
    """Without a font package every letter is a box and Qt says nothing (STACK-NOTES)."""
    families = QFontDatabase.families()
    assert len(families) >= 3, f"almost no fonts installed: {families!r}"


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "settings.ini"


@pytest.fixture(autouse=True)
def _settings_in_tmp(tmp_path: Path) -> None:
    """Any QSettings the app creates by default lands in this test's folder."""
    folder = tmp_path / "qsettings"
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))


def window_state(path: Path) -> WindowState:
    return WindowState(QSettings(str(path), QSettings.Format.IniFormat))


@pytest.fixture
def gui_library(library_path: Path) -> Iterator[Library]:
    """The library as the app opens it: exclusive, index reconciled in the background."""
    lib = Library.open(library_path, exclusive=True, reconcile=False)
    try:
        yield lib
    finally:
        lib.close()


def open_window(qtbot: QtBot, library: Library, settings_path: Path) -> MainWindow:
    window = MainWindow(library, state=window_state(settings_path))
    window.commands.confirm = lambda _title, _text: True
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: not window.busy, timeout=10_000)
    return window


def close_window(qtbot: QtBot, window: MainWindow) -> None:
    window.close()
    window.deleteLater()
    qtbot.wait(10)


@pytest.fixture
def window(qtbot: QtBot, gui_library: Library, settings_path: Path) -> Iterator[MainWindow]:
    win = open_window(qtbot, gui_library, settings_path)
    try:
        yield win
    finally:
        close_window(qtbot, win)
