"""The window stays responsive while a slow page is clipped; workers deliver on the GUI
thread."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from PySide6.QtCore import QMimeData, QThread, QTimer
from pytest_httpserver import HTTPServer
from pytestqt.qtbot import QtBot
from werkzeug import Request, Response

from clipper.gui.mainwindow import MainWindow
from clipper.gui.workers import TaskManager
from clipper.library import Library
from tests.gui.test_drop import drop
from tests.gui.util import wait_idle
from tests.helpers.pages import LOREM, article_page
from tests.helpers.site import image_for_path

DELAY = 2.0


def test_event_loop_never_blocked_while_a_slow_page_is_clipped(
    qtbot: QtBot, httpserver: HTTPServer, window: MainWindow, gui_library: Library
) -> None:
    page = article_page(
        "A slow page about the harbour",
        LOREM * 6,
        figures=[("/img/harbour-1600x1000.jpg", "The harbour at dawn.", "Photo: J. Fixture")],
    )

    def slow_page(_request: Request) -> Response:
        time.sleep(DELAY)
        return Response(page, content_type="text/html; charset=utf-8")

    def image(request: Request) -> Response:
        data, media = image_for_path(request.path)
        return Response(data, content_type=media)

    httpserver.expect_request("/slow").respond_with_handler(slow_page)
    httpserver.expect_request("/img/harbour-1600x1000.jpg").respond_with_handler(image)

    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        if now - last[0] > 0.02:
            print(f"  GAP {1000 * (now - last[0]):.1f} ms at {now:.3f}")
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    qtbot.wait(50)
    started = time.perf_counter()
    mime = QMimeData()
    mime.setText(httpserver.url_for("/slow"))
    assert drop(window, mime)
    qtbot.waitUntil(lambda: gui_library.clips.count() == 1, timeout=20_000)
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5000)
    qtbot.waitUntil(lambda: window.reader.detail is not None, timeout=5000)
    qtbot.wait(100)
    timer.stop()
    elapsed = time.perf_counter() - started
    assert elapsed >= DELAY  # the page really was slow
    assert len(gaps) > elapsed / 0.1  # the timer kept ticking throughout
    print(f"max event-loop gap {max(gaps) * 1000:.1f} ms over {len(gaps)} ticks")
    assert max(gaps) < 0.100, f"event loop blocked for {max(gaps) * 1000:.0f} ms"


def test_tasks_run_off_the_gui_thread_and_report_on_it(qtbot: QtBot) -> None:
    tasks = TaskManager()
    gui = QThread.currentThread()
    seen: dict[str, object] = {}

    def work(progress: object) -> int:
        seen["worker"] = threading.current_thread().name
        seen["in_gui"] = QThread.currentThread() is gui
        progress("half")  # type: ignore[operator]
        return 42

    def done(value: int) -> None:
        seen["done"] = value
        seen["done_in_gui"] = QThread.currentThread() is gui

    tasks.run_read(work, on_done=done, on_progress=lambda v: seen.setdefault("progress", v))
    qtbot.waitUntil(lambda: "done" in seen)
    assert seen["in_gui"] is False and seen["done_in_gui"] is True
    assert seen["done"] == 42 and seen["progress"] == "half"

    errors: list[BaseException] = []
    tasks.run_fetch(lambda _p: 1 / 0, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ZeroDivisionError)
    assert tasks.shutdown()


def test_writes_run_one_at_a_time_in_order(qtbot: QtBot) -> None:
    tasks = TaskManager()
    running = [0]
    overlap: list[bool] = []
    order: list[int] = []

    def write(n: int) -> None:
        running[0] += 1
        overlap.append(running[0] > 1)
        time.sleep(0.01)
        order.append(n)
        running[0] -= 1

    for n in range(8):
        tasks.run_write(lambda _p, n=n: write(n))
    qtbot.waitUntil(lambda: not tasks.busy, timeout=5000)
    assert order == list(range(8)) and not any(overlap)
    tasks.shutdown()


def test_screenshot_command_writes_a_png(qtbot: QtBot, tmp_path: Path, library_path: Path) -> None:
    from clipper.gui.app import main

    with Library.open(library_path) as library:
        from tests.gui.util import store_clips

        store_clips(library, 3)
    out = tmp_path / "shot.png"
    assert main(["--library", str(library_path), "--screenshot", str(out), "--with-reader"]) == 0
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (1440, 900)


def test_void_calls_and_emits_do_not_exhaust_none_and_true(qtbot: QtBot) -> None:
    """PySide6 6.12.0 on Python < 3.12 loses a reference per call (see qtcompat)."""
    import sys

    from PySide6.QtCore import QObject, QTimer, Signal

    from clipper.gui import qtcompat

    class Pinger(QObject):
        ping = Signal(int)

    pinger = Pinger()
    got: list[int] = []
    pinger.ping.connect(got.append)
    none_lost, true_lost = qtcompat.probe()
    if sys.version_info < (3, 12) and (none_lost or true_lost):
        assert qtcompat._installed  # the binding has the bug: the guard must be on
    before_none, before_true = sys.getrefcount(None), sys.getrefcount(True)
    timer = QTimer()
    for i in range(50_000):  # more than None had references before the guard
        timer.setInterval(i % 100 + 1)
        pinger.ping.emit(i)
    assert len(got) == 50_000
    # Alive and far from zero, whatever the binding did.
    assert sys.getrefcount(None) > 1_000_000 or sys.getrefcount(None) >= before_none - 10
    assert sys.getrefcount(True) > 1_000_000 or sys.getrefcount(True) >= before_true - 10
