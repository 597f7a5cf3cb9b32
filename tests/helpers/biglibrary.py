"""A library of many clips, written fast: rows through the project's models, in bulk.

Clips without versions (the list, the sidebar and tagging need none), some tagged, in
one transaction of multi-row inserts: 100,000 clips take a few seconds. Tests that need
a big library share one built per session; benchmarks use it too.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from clipper.library import Library
from clipper.library.models import Clip, ClipTag, Tag

WORDS = ("harbour", "river", "council", "energy", "drought", "ferry", "market", "science")
"""Title words, and the tags (one clip in three has one)."""
BATCH = 5_000


def clip_rows(count: int, *, seed: int = 7) -> list[dict[str, object]]:
    """`count` rows of the clips table (ids left to the database), in clipping order."""
    rng = random.Random(seed)
    sites = [f"Site {i}" for i in range(40)]
    start = datetime(2015, 1, 1, tzinfo=UTC)
    rows: list[dict[str, object]] = []
    for i in range(1, count + 1):
        title = " ".join(rng.choice(WORDS) for _ in range(6)).capitalize() + f" {i}"
        rows.append(
            {
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
    return rows


def fill_library(folder: Path, count: int, *, seed: int = 7) -> None:
    """`count` clips in a new library at `folder` (its schema made by `Library.open`)."""
    rng = random.Random(seed + 1)
    rows = clip_rows(count, seed=seed)
    with Library.open(folder, reconcile=False) as library, library.engine.begin() as conn:
        conn.execute(
            insert(Tag), [{"id": i + 1, "name": w, "normalized": w} for i, w in enumerate(WORDS)]
        )
        for i, row in enumerate(rows, start=1):
            row["id"] = i
        for start in range(0, count, BATCH):
            conn.execute(insert(Clip), rows[start : start + BATCH])
        tags = [
            {"clip_id": i, "tag_id": rng.randrange(1, len(WORDS) + 1)}
            for i in range(3, count + 1, 3)
        ]
        conn.execute(insert(ClipTag), tags)
