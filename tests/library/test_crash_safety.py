"""SIGKILL during bulk clipping: after every kill and reopen, no committed clip is lost,
no clip is half written, the database is intact and the index agrees with it.

A real child process clips pages from the local server into a real library and prints
each committed clip id; it is killed at varying moments, mid-fetch, mid-extraction (its
worker too loses its parent) or mid-write.
"""

from __future__ import annotations

import select
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from clipper.library import Library
from tests.helpers.pages import LOREM, article_page
from tests.helpers.site import FixtureSite

KILLS = 6
CHILD = r"""
import sys
from clipper.library import Library
library = Library.open(sys.argv[1])
for url in sys.argv[2:]:
    result = library.clips.clip_url(url).result
    print(result.clip_id, flush=True)
"""


def test_sigkill_loop_loses_nothing_and_leaves_no_half_clip(
    tmp_path: Path, site: FixtureSite
) -> None:
    folder = tmp_path / "lib"
    urls = []
    for i in range(KILLS * 12):
        path = f"/bulk-{i}.html"
        figures = [(f"/img/bulk-{i}-800x600.jpg", f"Figure {i}", "Photo: Ann")]
        site.pages[path] = article_page(f"Bulk {i}", [*LOREM, f"Page {i}."], figures=figures)
        urls.append(site.url(path))
    committed: set[int] = set()
    next_url = 0
    for kill in range(KILLS):
        batch = urls[next_url : next_url + 12]
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(folder), *batch],
            stdout=subprocess.PIPE,
            text=True,
        )
        # Wait for the first commit (however loaded the machine), then kill a little
        # later each round: mid-fetch, mid-extraction, mid-write.
        assert child.stdout is not None
        ready, _, _ = select.select([child.stdout], [], [], 60)
        first = child.stdout.readline() if ready else ""
        time.sleep(0.05 + 0.2 * kill)
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate(timeout=30)
        committed |= {int(line) for line in (first + out).split()}
        next_url += 12
        import shutil

        shutil.copytree(folder, tmp_path / f"after-kill-{kill}")
        with Library.open(folder) as library:  # reconciles the index
            ids = set(library.clips.ids())
            assert committed <= ids, f"kill {kill}: lost {committed - ids}"
            for clip_id in ids:
                detail = library.clips.get(clip_id)  # raises for a clip without a version
                assert detail.text and len(detail.figures) == 1
            report = library.maintenance.check()
            assert report.ok, report.problems
        with closing(sqlite3.connect(folder / "library.sqlite")) as conn:
            orphans = conn.execute("select count(*) from clips where current_version_id is null")
            assert orphans.fetchone()[0] == 0
    assert len(committed) >= KILLS  # every round committed something before its kill
