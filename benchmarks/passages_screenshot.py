"""A screenshot of the reader with passages: highlights in several colours, the panel.

    python benchmarks/passages_screenshot.py          # docs/screenshots/passages.png

The fixture pages are clipped into a fresh library (as `gui_screenshots.py` does),
passages are added to the seed article through the `Library` facade, and the app's own
window is rendered offscreen with that article in the reader, scrolled to the passages.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from gui_screenshots import build_library  # noqa: E402

PASSAGES: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("A helicopter flies over at the end of the African Lion military exercise", "yellow", "", ()),
    (
        "agreed with Israel to strengthen military cooperation including in intelligence "
        "and cybersecurity",
        "green",
        "The core claim: intelligence and cyber, not only hardware.",
        ("evidence", "defense"),
    ),
    (
        "intelligence, air defense and electronic warfare",
        "pink",
        "Compare with the 2021 accord.",
        ("follow up",),
    ),
    ("the first meeting of the monitoring committee", "blue", "", ("timeline",)),
]


def annotate(folder: Path) -> None:
    from clipper.library import Library

    with Library.open(folder) as library:
        seed = next(c for c in library.clips.page() if "Morocco" in c.title)
        for quote, color, note, tags in PASSAGES:
            library.passages.add_quote(seed.id, quote, note=note, tags=tags, color=color)
        print(f"  {len(library.passages.find(seed.id))} passages on {seed.title!r}")


def render(folder: Path, out: Path) -> None:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QApplication

    from clipper.gui.app import app_icon, wait_until
    from clipper.gui.mainwindow import MainWindow
    from clipper.library import Library

    app = QApplication.instance() or QApplication([sys.argv[0]])
    library = Library.open(folder, exclusive=True, reconcile=False)
    try:
        window = MainWindow(library, icon=app_icon())
        window.persist_state = False
        window.set_initial_size(1440, 900)
        window.show()
        wait_until(lambda: not window.busy, 30)
        row = next(
            r
            for r in range(window.model.rowCount())
            if "Morocco" in (window.model.cached(r) or window.model.cached(0)).title  # type: ignore[union-attr]
        )
        window.list.select_only(row)
        panel = window.passage_actions.panel
        wait_until(lambda: not window.busy and len(panel.passages) == len(PASSAGES), 30)
        info = panel.passages[1]
        panel.select(info.id)
        window.passage_actions.go_to(info)
        reader = window.reader
        span = reader.passage_range(info)
        assert span is not None
        bar = reader.verticalScrollBar()
        bar.setValue(bar.value() + reader.viewport().height() // 3)
        cursor = QTextCursor(reader.document())
        cursor.setPosition(span[0])
        reader.setTextCursor(cursor)  # no selection: the highlight colours show
        for _ in range(5):
            QCoreApplication.processEvents()
        pixmap = window.grab()
        out.parent.mkdir(parents=True, exist_ok=True)
        pixmap.save(str(out))
        print(f"wrote {out} ({pixmap.width()}x{pixmap.height()})")
        window.close()
    finally:
        library.close()
    del app


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots" / "passages.png"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "library"
        build_library(folder)
        annotate(folder)
        with tempfile.TemporaryDirectory() as config:
            os.environ["XDG_CONFIG_HOME"] = config  # no saved window state
            render(folder, Path(args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
