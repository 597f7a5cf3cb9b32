"""Starting the desktop app: arguments, the QApplication, the icon, the library.

`clipper-gui [--library PATH] [URL or FILE ...]` opens a window on a library (one
window per library: a second one gets a clear message instead of a hang or a crash).
`--screenshot OUT.png [--with-reader]` renders the window offscreen and saves it, for
the docs and for checking the look without a screen.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEventLoop, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from clipper import __version__
from clipper.errors import ClipperError, LibraryLockedError
from clipper.gui.appinfo import APP_ID, APP_NAME, display_problem, icon_files
from clipper.gui.browserclips import BrowserClips
from clipper.gui.mainwindow import MainWindow
from clipper.gui.mime import ClipSource, sources_from_formats
from clipper.gui.preferences import Preferences
from clipper.paths import ENV_VAR, resolve_location

if TYPE_CHECKING:
    from clipper.library import Library

log = logging.getLogger(__name__)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="clipper-gui", description="Clipper: a research clipping manager."
    )
    parser.add_argument("--library", metavar="PATH", help="library folder or database URL")
    parser.add_argument(
        "--screenshot", metavar="OUT.png", help="render the window offscreen, save it, quit"
    )
    parser.add_argument(
        "--with-reader", action="store_true", help="with --screenshot: open a clip in the reader"
    )
    parser.add_argument(
        "--select",
        metavar="TEXT",
        default="",
        help="with --screenshot: open the clip whose title contains TEXT (default: the first)",
    )
    parser.add_argument(
        "--dialog",
        choices=("settings", "search-help", "shortcuts"),
        help="with --screenshot: grab this dialog instead of the window",
    )
    parser.add_argument("--search", metavar="QUERY", default="", help="start with this search")
    parser.add_argument("--size", metavar="WxH", default="", help="window size")
    parser.add_argument("--version", action="version", version=f"clipper-gui {__version__}")
    parser.add_argument("sources", nargs="*", metavar="URL", help="pages or .html files to clip")
    return parser.parse_args(argv)


def app_icon() -> QIcon:
    """The packaged icon (SVG plus PNG sizes), the installed theme's, or a drawn one."""
    icon = QIcon()
    for resource in icon_files():
        icon.addFile(str(resource))
    if not icon.isNull():
        return icon
    themed = QIcon.fromTheme(APP_ID)
    if not themed.isNull():
        return themed
    pixmap = QPixmap(64, 64)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor("#2f66cf"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(QRectF(2, 2, 60, 60), 14, 14)
    painter.setBrush(QColor("white"))
    painter.drawRoundedRect(QRectF(18, 12, 28, 40), 3, 3)
    painter.end()
    return QIcon(pixmap)


def locked_notice(error: ClipperError) -> QMessageBox:
    """A non-modal message for a library already open in another window."""
    box = QMessageBox(
        QMessageBox.Icon.Information,
        "Clipper is already open",
        "This library is already open in another Clipper window.",
        QMessageBox.StandardButton.Close,
    )
    box.setInformativeText(
        "Switch to that window to keep working, or close it first. "
        "To work on another library, start Clipper with --library PATH."
    )
    box.setDetailedText(str(error))
    box.setModal(False)
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.show()
    return box


def error_notice(title: str, error: BaseException) -> QMessageBox:
    box = QMessageBox(
        QMessageBox.Icon.Critical, title, str(error), QMessageBox.StandardButton.Close
    )
    box.setModal(False)
    box.show()
    return box


def sources_from_args(values: Sequence[str]) -> list[ClipSource]:
    uris = [v if "://" in v else Path(v).resolve().as_uri() for v in values]
    return sources_from_formats({"text/uri-list": "\n".join(uris).encode("utf-8")})


def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> bool:
    """Run the event loop until `condition()` holds (screenshots, scripts)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def take_screenshot(window: MainWindow, args: argparse.Namespace) -> int:
    """Wait for the window to settle, optionally open a clip, grab, save."""
    wait_until(lambda: not window.busy, 30)
    if args.search:
        window.search_bar.setText(args.search)
        window.search_bar.flush()
        wait_until(lambda: not window.busy, 30)
    if args.with_reader and window.model.rowCount():
        row = 0
        if args.select:
            model = window.model
            rows = range(model.rowCount())
            model.request_rows(rows)  # read on the read pool like any page
            wait_until(lambda: model.settled and all(model.cached(r) for r in rows), 30)
            for r in rows:
                summary = model.cached(r)
                if summary and args.select.casefold() in summary.title.casefold():
                    row = r
                    break
        window.list.select_only(row)
        wanted = window.model.clip_id(row)

        def shown() -> bool:
            detail = window.reader.detail
            return detail is not None and detail.id == wanted and not window.busy

        wait_until(shown, 30)
    target: QWidget = window
    if args.dialog:
        commands = window.commands
        opener = {
            "settings": commands.settings_dialog,
            "search-help": commands.search_help,
            "shortcuts": commands.shortcuts_help,
        }[args.dialog]
        target = opener()
    for _ in range(5):
        QCoreApplication.processEvents()
    pixmap = target.grab()
    out = Path(args.screenshot)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not pixmap.save(str(out)):
        print(f"clipper-gui: cannot write {out}", file=sys.stderr)
        return 1
    print(f"wrote {out} ({pixmap.width()}x{pixmap.height()})")
    return 0


def make_app() -> QApplication:
    """The QApplication, named so the desktop matches it to its launcher."""
    app = QApplication.instance() or QApplication([sys.argv[0], *_qt_args()])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)  # X11 WM_CLASS: StartupWMClass in the .desktop file
    app.setOrganizationName("Clipper")
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName(APP_ID)  # Wayland app id
    return app


def main(argv: Sequence[str] | None = None) -> int:
    """Show the window at once, then open the library off the GUI thread.

    Heavy modules (SQLAlchemy, the search index, extraction) load in the background:
    the window is on screen and answering before the library is ready.
    """
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        args.size = args.size or "1440x900"
    logging.basicConfig(level=os.environ.get("CLIPPER_LOG", "WARNING").upper())
    if problem := display_problem():
        print(f"clipper-gui: {problem}", file=sys.stderr)
        return 1

    app = make_app()
    icon = app_icon()
    app.setWindowIcon(icon)
    if args.library is None and not os.environ.get(ENV_VAR):
        args.library = Preferences.load().library or None  # Settings > Library
    window = MainWindow(None, location=resolve_location(args.library), icon=icon)
    window.persist_state = not args.screenshot
    if args.size:
        width, _, height = args.size.partition("x")
        window.set_initial_size(int(width), int(height))
    window.show()
    outcome = _Outcome()
    browser = BrowserClips(window)  # the extension's endpoint, once the library is open

    links = [s for s in args.sources if s.startswith("clipper://")]  # pinpoint citations
    pages = [s for s in args.sources if not s.startswith("clipper://")]

    def opened(library: Library) -> None:
        outcome.library = library
        window.attach(library)
        window.reconcile_index()
        if not args.screenshot:
            browser.start(library)
        for link in links:
            window.citing.open_link(link)
        if args.search and not args.screenshot:
            window.search_bar.setText(args.search)

    def failed(error: BaseException) -> None:
        outcome.error = error
        window.persist_state = False
        window.close()
        print(f"clipper-gui: {error}", file=sys.stderr)
        if args.screenshot:
            return
        if isinstance(error, LibraryLockedError):
            box = locked_notice(error)
        else:
            box = error_notice("Cannot open the library", error)
        outcome.box = box
        box.finished.connect(app.quit)

    window.open_library(args.library, on_done=opened, on_error=failed)
    if pages:
        window.clip_sources(sources_from_args(pages))  # queued until the library opens
    try:
        if args.screenshot:
            wait_until(outcome.settled, 60)
            if outcome.error is not None:
                window.tasks.shutdown()
                return _exit_code(outcome.error)
            code = take_screenshot(window, args)
            window.close()
            return code
        code = app.exec()
        if outcome.error is not None:
            return _exit_code(outcome.error)
        return code
    finally:
        browser.stop()
        if outcome.library is not None and window.tasks.writer.activeThreadCount():
            # The close stopped waiting for a write (a locked database): closing the
            # engine and index under it could break it; the exit ends it, and SQLite
            # rolls back what did not commit. The OS releases the library's lock.
            log.warning("quitting with a write still running: the library is left to the OS")
        elif outcome.library is not None:
            outcome.library.close()


@dataclass
class _Outcome:
    """How opening the library ended: the library, or the error and its notice."""

    library: Library | None = None
    error: BaseException | None = None
    box: QMessageBox | None = None
    """Kept so that the non-modal notice lives until the user closes it."""

    def settled(self) -> bool:
        return self.library is not None or self.error is not None


def _exit_code(error: object) -> int:
    return 2 if isinstance(error, LibraryLockedError) else 1


def _qt_args() -> list[str]:
    """Qt's own options are not ours to parse; we pass none."""
    return []
