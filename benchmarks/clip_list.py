"""Clip list queries at 100,000 clips: `python benchmarks/clip_list.py LIBRARY_DIR`.

Fills an empty library with synthetic clip rows (no versions: the list needs none), then
times `clip_ids` per sort key, one page of summaries and the tag/site counts, beside the
same id query run on a bare sqlite3 cursor (the reference, measured in the same run).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from clipper.library import Library
from clipper.library.models import Clip


def fill(library: Library, count: int) -> None:
    rnd = random.Random(1)
    base = datetime(2020, 1, 1, tzinfo=UTC)
    rows = [
        {
            "url": f"https://s{i % 300}.test/a/{i}",
            "canonical_url": "",
            "url_key": f"{i:064d}",
            "title": f"Title {rnd.random()}",
            "title_key": f"title {rnd.random()}",
            "subtitle": "",
            "authors": [],
            "site_name": f"Site {i % 300}",
            "published_at": base + timedelta(minutes=rnd.randrange(3_000_000)),
            "clipped_at": base + timedelta(minutes=i),
            "updated_at": base,
            "language": "en",
            "revision": 1,
        }
        for i in range(count)
    ]
    with library.engine.begin() as conn:
        conn.execute(insert(Clip), rows)


def timed(label: str, work: Callable[[], object]) -> object:
    start = time.perf_counter()
    result = work()
    print(f"{label:<28} {(time.perf_counter() - start) * 1000:8.1f} ms")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("library")
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    library = Library.open(args.library, reconcile=False)
    if library.clips.count() == 0:
        fill(library, args.n)
    ids: list[int] = []
    for sort in ("clipped", "published", "title", "site"):
        ids = timed(f"clip_ids sort={sort}", lambda s=sort: library.clips.ids(sort=s))  # type: ignore[assignment]
    timed("summaries (200 rows)", lambda: library.clips.summaries(ids[50_000:50_200]))
    timed("tags + sites", lambda: (library.tags.counts(), library.clips.sites()))
    db = library.location.folder / "library.sqlite"
    library.close()
    with sqlite3.connect(db) as conn:
        query = "select id from clips where deleted_at is null order by clipped_at desc, id desc"
        timed("reference: bare sqlite3 ids", lambda: conn.execute(query).fetchall())


if __name__ == "__main__":
    main()
