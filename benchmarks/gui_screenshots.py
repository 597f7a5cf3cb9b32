"""Screenshots of the desktop app, and a measure of the clip list at 100,000 clips.

    python benchmarks/gui_screenshots.py                 # docs/screenshots/*.png
    python benchmarks/gui_screenshots.py --list-100k     # list model timings

Screenshots: the fixture pages are served by a local HTTP server, clipped into a fresh
library through the `Library` facade, and `python -m clipper.gui --screenshot` renders
the window offscreen (main window; reader open on the seed article; a search; the
Settings and Search Syntax dialogs), at the default window size (1440x900).

List timings: a library of N clips is written straight into SQLite (rows only, no
index: the list never touches it), then the GUI's `ClipListModel` is timed as the
window uses it: the id query on open, a page of rows, sorting, and scrolling through.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CLIPS: list[tuple[str, tuple[str, ...]]] = [
    ("seed-news.html", ("defense", "morocco")),
    ("wordpress-caption.html", ("ecology", "coast")),
    ("multi-figure.html", ("travel", "climate")),
    ("no-images.html", ("libraries",)),
    ("lazy-images.html", ("energy", "tech")),
    ("empty-alt-figure.html", ("infrastructure",)),
    ("byline-share.html", ("climate", "water")),
    ("jsonld-metadata.html", ("science",)),
    ("cookie-newsletter.html", ("media",)),
    ("wikipedia-like.html", ()),
]
"""Clipped in this order: the list shows the newest first, the seed article last."""


def build_library(folder: Path) -> None:
    from pytest_httpserver import HTTPServer

    from clipper.library import Library
    from tests.helpers.site import FixtureSite

    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    try:
        site = FixtureSite(server)
        with Library.open(folder) as library:
            for page, tags in CLIPS:
                result = library.clips.clip_url(site.url(page), tags).result
                print(f"  clipped {page}: {result.status} {result.title[:60]!r}")
    finally:
        server.clear()
        if server.is_running():
            server.stop()


def screenshot(library: Path, out: Path, *extra: str) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory() as config:
        env["XDG_CONFIG_HOME"] = config  # no saved window state from a previous run
        command = [
            sys.executable,
            "-m",
            "clipper.gui",
            "--library",
            str(library),
            "--screenshot",
            str(out),
            *extra,
        ]
        subprocess.run(command, check=True, env=env, cwd=ROOT)


def screenshots(out_dir: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty"
        screenshot(empty, out_dir / "first-run.png")
        folder = Path(tmp) / "library"
        build_library(folder)
        screenshot(folder, out_dir / "main-window.png", "--with-reader", "--select", "winter road")
        screenshot(folder, out_dir / "reader.png", "--with-reader", "--select", "Morocco")
        screenshot(folder, out_dir / "search.png", "--with-reader", "--search", "water")
        screenshot(folder, out_dir / "settings.png", "--dialog", "settings")
        screenshot(folder, out_dir / "search-help.png", "--dialog", "search-help")


# --- the list at 100,000 clips ------------------------------------------------------------


def fill_library(folder: Path, count: int) -> None:
    """N clips as rows (and some tags), written with plain SQL in one transaction."""
    import random
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import insert

    from clipper.library import Library
    from clipper.library.models import Clip, ClipTag, Tag

    rng = random.Random(7)
    words = [
        "harbour",
        "river",
        "council",
        "energy",
        "drought",
        "ferry",
        "market",
        "science",
        "election",
    ]
    sites = [f"Site {i}" for i in range(40)]
    start = datetime(2015, 1, 1, tzinfo=UTC)
    with Library.open(folder, reconcile=False) as library, library.engine.begin() as conn:
        conn.execute(
            insert(Tag), [{"id": i + 1, "name": w, "normalized": w} for i, w in enumerate(words)]
        )
        batch: list[dict[str, object]] = []
        tags: list[dict[str, int]] = []
        for i in range(1, count + 1):
            title = " ".join(rng.choice(words) for _ in range(6)).capitalize() + f" {i}"
            batch.append(
                {
                    "id": i,
                    "url": f"https://example.test/{i}",
                    "canonical_url": "",
                    "url_key": f"{i:064d}",
                    "title": title,
                    "title_key": title.lower()[:200],
                    "subtitle": "",
                    "authors": [],
                    "site_name": rng.choice(sites),
                    "published_at": start + timedelta(minutes=rng.randrange(5_000_000)),
                    "clipped_at": start + timedelta(minutes=i * 40),
                    "updated_at": start,
                    "language": "en",
                    "revision": 1,
                }
            )
            if i % 3 == 0:
                tags.append({"clip_id": i, "tag_id": rng.randrange(1, len(words) + 1)})
            if len(batch) == 5000:
                conn.execute(insert(Clip), batch)
                batch = []
        if batch:
            conn.execute(insert(Clip), batch)
        conn.execute(insert(ClipTag), tags)


def list_benchmark(count: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from clipper.gui.cliplist import ClipListModel
    from clipper.library import Library
    from clipper.library.types import ClipFilter

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "big"
        t0 = time.perf_counter()
        fill_library(folder, count)
        print(f"built {count:,} clips in {time.perf_counter() - t0:.1f} s")
        with Library.open(folder, reconcile=False) as library:
            rows: list[tuple[str, float]] = []

            def timed(label: str, fn: object, repeat: int = 5) -> None:
                best = min(_timeit(fn) for _ in range(repeat))  # type: ignore[arg-type]
                rows.append((label, best * 1000))

            model = ClipListModel(library)
            timed("open: ids (clipped desc) + first page", model.reload)
            timed("ids only: library.clip_ids()", lambda: library.clips.ids())
            timed("one page of 200 rows: summaries()", lambda: model._load_page(250))
            timed("sort by title and back (2 id queries + pages)", lambda: _sort(model, 0))
            timed("sort by site and back (2 id queries + pages)", lambda: _sort(model, 1))
            timed("filter: one tag", lambda: model.set_filter(ClipFilter(tag="ferry")))
            timed("filter: untagged", lambda: model.set_filter(ClipFilter(untagged=True)))
            model.set_filter(None)
            timed("count() for the status bar", lambda: library.clips.count())
            timed(
                "tags() + sites() for the sidebar",
                lambda: (library.tags.counts(), library.clips.sites()),
            )

            def scroll() -> None:
                for row in range(0, model.rowCount(), 97):
                    model.data(model.index(row, 0), Qt.ItemDataRole.DisplayRole)
                    if row % 2000 == 0:
                        app.processEvents()
                app.processEvents()

            timed("scroll through every page (data + page loads)", scroll, repeat=1)
            window_open(library, rows)
            print(f"\n{'operation':52} {'best ms':>9}")
            for label, ms in rows:
                print(f"{label:52} {ms:9.1f}")
            print(f"\nrows cached after scrolling: {len(model._rows):,} (of {model.rowCount():,})")


def window_open(library: object, rows: list[tuple[str, float]]) -> None:
    """The real window on the big library: how long until rows show, and the longest
    time the event loop was blocked meanwhile (a 10 ms timer measures the gaps)."""
    from PySide6.QtCore import QCoreApplication, QSettings, QTimer

    from clipper.gui.mainwindow import MainWindow
    from clipper.gui.settings import WindowState

    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    with tempfile.TemporaryDirectory() as tmp:
        state = WindowState(QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat))
        start = time.perf_counter()
        window = MainWindow(library, state=state)  # type: ignore[arg-type]
        window.show()
        built = time.perf_counter()
        timer = QTimer()
        timer.timeout.connect(tick)
        timer.start(10)
        last[0] = time.perf_counter()
        while window.model.rowCount() == 0:
            QCoreApplication.processEvents()
        shown = time.perf_counter()
        while window.busy:  # sidebar counts and the first clip in the reader
            QCoreApplication.processEvents()
        settled = time.perf_counter()
        # Sorting by title from the header, then scrolling a long way down.
        gaps_before = len(gaps)
        window.list.horizontalHeader().setSortIndicator(
            0, window.list.horizontalHeader().sortIndicatorOrder()
        )
        while window.busy:
            QCoreApplication.processEvents()
        window.list.verticalScrollBar().setValue(window.list.verticalScrollBar().maximum() // 2)
        for _ in range(20):
            QCoreApplication.processEvents()
            time.sleep(0.005)
        timer.stop()
        rows.append(("window: constructor + show", (built - start) * 1000))
        rows.append(("window: until the first rows show", (shown - start) * 1000))
        rows.append(("window: until sidebar and reader are done", (settled - start) * 1000))
        rows.append(
            ("window: longest event-loop gap while opening", max(gaps[:gaps_before] or [0]) * 1000)
        )
        rows.append(
            ("window: longest gap while sorting + scrolling", max(gaps[gaps_before:] or [0]) * 1000)
        )
        window.close()


def _sort(model: object, column: int) -> None:
    from PySide6.QtCore import Qt

    model.sort(column, Qt.SortOrder.AscendingOrder)  # type: ignore[attr-defined]
    model.sort(3, Qt.SortOrder.DescendingOrder)  # type: ignore[attr-defined]


def _timeit(fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--list-100k", action="store_true", help="time the clip list model")
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    if args.list_100k:
        list_benchmark(args.count)
        return 0
    screenshots(Path(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
