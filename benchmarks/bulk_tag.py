"""Tagging and untagging 5,000 clips of a 20,000-clip SQLite library at once.

    python benchmarks/bulk_tag.py [--n 20000] [--select 5000] [--rounds 3] [--dir D]
        [--database-url postgresql+psycopg://.../EMPTY_DB]

Fills a new library with `--n` synthetic news clips (the generator of
`benchmarks/reindex.py`: rows and a version each, then indexed), then times
`library.tags.change` adding a new tag to every fourth clip and removing it again, split
into the database transaction and the search-index update that follows it. The
reference, measured in the same run on the same database: a bare SQLAlchemy Core
executemany INSERT of the same (clip, tag) rows into `clip_tags`, and a bare DELETE of
them, each in its own transaction. Prints the median of `--rounds` rounds.
`--database-url` runs it on an empty PostgreSQL database instead (a team library: its
search rows are written inside the tagging transaction, timed as the index part).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from reindex import fill

from clipper.library import Library
from clipper.library.models import ClipTag, Tag
from clipper.paths import LibraryLocation


class IndexTimer:
    """Wraps the library's index updates to time them apart: after the commit (the local
    index) or inside the transaction (PostgreSQL's search rows)."""

    def __init__(self, library: Library) -> None:
        self.seconds = 0.0
        for name in ("_sync_index", "_index_in_transaction"):
            setattr(library, name, self._timed(getattr(library, name)))

    def _timed(self, inner: Any) -> Any:
        def timed(*args: Any) -> Any:
            start = time.perf_counter()
            try:
                return inner(*args)
            finally:
                self.seconds += time.perf_counter() - start

        return timed


def timed_change(library: Library, timer: IndexTimer, **change: object) -> tuple[float, float]:
    """(total, index) seconds of one `tags.change`."""
    timer.seconds = 0.0
    start = time.perf_counter()
    library.tags.change(**change)  # type: ignore[arg-type]
    return time.perf_counter() - start, timer.seconds


def reference(library: Library, ids: list[int]) -> tuple[float, float]:
    """(insert, delete) seconds of the same links written by bare Core statements."""
    with library.engine.begin() as conn:
        tag_id = conn.execute(
            insert(Tag).values(name="reference", normalized="reference").returning(Tag.id)
        ).scalar_one()
    rows = [{"clip_id": i, "tag_id": tag_id} for i in ids]
    start = time.perf_counter()
    with library.engine.begin() as conn:
        conn.execute(insert(ClipTag), rows)
    inserted = time.perf_counter() - start
    start = time.perf_counter()
    with library.engine.begin() as conn:
        conn.execute(delete(ClipTag).where(ClipTag.tag_id == tag_id))
    deleted = time.perf_counter() - start
    with library.engine.begin() as conn:
        conn.execute(delete(Tag).where(Tag.id == tag_id))
    return inserted, deleted


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--select", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--database-url", help="an empty PostgreSQL database to fill")
    args = parser.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="clipper-bulktag-"))
    shutil.rmtree(work / "library", ignore_errors=True)
    where: Path | LibraryLocation = work / "library"
    if args.database_url:
        where = LibraryLocation(folder=work / "library", database_url=args.database_url)
    library = Library.open(where, reconcile=False)
    fill(library, args.n)
    library.maintenance.reindex()
    timer = IndexTimer(library)
    step = max(1, args.n // args.select)
    results: dict[str, list[float]] = {k: [] for k in ("tag", "tag-index", "untag", "untag-index")}
    refs: dict[str, list[float]] = {"insert": [], "delete": []}
    for r in range(args.rounds):
        ids = list(range(1 + r, args.n + 1, step))[: args.select]
        name = f"bulk{r}"
        total, index = timed_change(library, timer, ids=ids, add=[name])
        results["tag"].append(total)
        results["tag-index"].append(index)
        assert library.search(f"tag:{name}", limit=1).total == len(ids)
        total, index = timed_change(library, timer, ids=ids, remove=[name])
        results["untag"].append(total)
        results["untag-index"].append(index)
        inserted, deleted = reference(library, ids)
        refs["insert"].append(inserted)
        refs["delete"].append(deleted)
    library.close()
    tag, untag = results["tag"], results["untag"]
    tag_db = [t - i for t, i in zip(tag, results["tag-index"], strict=True)]
    untag_db = [t - i for t, i in zip(untag, results["untag-index"], strict=True)]
    kind = "PostgreSQL" if args.database_url else "SQLite"
    print(f"# {args.select} of {args.n} clips ({kind}), median of {args.rounds} rounds")
    print(f"tag   total {ms(tag)}  database {ms(tag_db)}  index {ms(results['tag-index'])}")
    print(f"untag total {ms(untag)}  database {ms(untag_db)}  index {ms(results['untag-index'])}")
    print(f"reference: Core executemany INSERT of the links {ms(refs['insert'])}")
    print(f"reference: Core DELETE of the links            {ms(refs['delete'])}")
    if args.dir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
