"""One start of the app (or of a bare PySide6 window), timed from inside; see startup.py.

    python benchmarks/startup_probe.py bare
    python benchmarks/startup_probe.py clipper LIBRARY [--search QUERY]

Prints one JSON line of wall-clock times (`time.time()`, so the parent can subtract
the moment it started the process): `shown`, the first paint of the main window (the
event loop runs: the window answers); `ready`, the clip list and sidebar filled from
the library; `searched`, the results of `--search` on screen. The clipper run goes
through `clipper.gui.app.main`, exactly as `clipper-gui` does.
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

times: dict[str, float] = {}


def bare() -> None:
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QTableView

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    table = QTableView(window)
    model = QStandardItemModel(0, 5, window)
    table.setModel(model)
    window.setCentralWidget(table)
    window.resize(1440, 900)
    watch(app, lambda w: (times.setdefault("ready", time.time()), w.close()))
    window.show()
    app.exec()


def clipper(library: str, query: str) -> None:
    app = QApplication(sys.argv[:1])
    from clipper.gui.app import main

    def on_shown(window: QMainWindow) -> None:
        timer = QTimer(window)
        state = {"search": False}

        def poll() -> None:
            w = window
            if "ready" not in times:
                if getattr(w, "library", None) is None or w.model.loading or w.total is None:
                    return
                times["ready"] = time.time()
                if not query:
                    timer.stop()
                    w.close()
                    return
                w.search_done.connect(lambda _r: times.setdefault("searched", time.time()))
                w.search_bar.setText(query)
                w.search_bar.flush()
                state["search"] = True
            elif "searched" in times:
                timer.stop()
                w.close()

        timer.timeout.connect(poll)
        timer.start(2)

    watch(app, on_shown)
    main(["--library", library, "--size", "1440x900"])


class _FirstPaint(QObject):
    def __init__(self, callback: object) -> None:
        super().__init__()
        self.callback = callback

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (
            "shown" not in times
            and event.type() == QEvent.Type.Paint
            and isinstance(obj, QMainWindow)
        ):
            times["shown"] = time.time()
            QTimer.singleShot(0, lambda: self.callback(obj))  # type: ignore[operator]
        return False


def watch(app: QApplication, callback: object) -> None:
    global _filter
    _filter = _FirstPaint(callback)
    app.installEventFilter(_filter)


_filter: _FirstPaint | None = None

if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        query = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--search" else ""
        clipper(sys.argv[2], query)
    print(json.dumps(times))
