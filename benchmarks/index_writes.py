"""Clip-by-clip index commits: latency of each, stalls, background merges.

    python benchmarks/index_writes.py [--base 20000] [--commits 1000] [--dir D]

Builds (or reuses) an index of `--base` clips, then makes `--commits` consecutive
single-clip commits (`SearchIndex.upsert([doc])`, what clipping one page does), each
checked searchable at once. Interleaved with each commit, the same clip is inserted and
committed into an SQLite FTS5 table of the same base (the reference). Prints p50/p95/max
of both, the writes over 100 ms, segments and merges.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import build_fts, make_docs, pct

from clipper.search.whoosh.index import IndexOptions, SearchIndex


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", type=int, default=20_000)
    parser.add_argument("--commits", type=int, default=1000)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="clipper-writes-"))
    work.mkdir(parents=True, exist_ok=True)
    ixdir, fts = work / "index", work / "fts.sqlite"
    docs = list(make_docs(args.base + args.commits, 7))
    base, fresh = docs[: args.base], docs[args.base :]
    shutil.rmtree(ixdir, ignore_errors=True)
    fts.unlink(missing_ok=True)
    with SearchIndex(ixdir) as ix:
        ix.rebuild(iter(base), total=len(base))
    build_fts(fts, base)
    db = sqlite3.connect(fts)
    ours: list[float] = []
    ref: list[float] = []
    with SearchIndex(ixdir, IndexOptions(result_cache=0)) as ix:
        for k, doc in enumerate(fresh):
            doc = replace(doc, title=f"{doc.title} zzcommit{k}")
            t0 = time.perf_counter()
            ix.upsert([doc])
            ours.append((time.perf_counter() - t0) * 1000)
            if ix.search(f"zzcommit{k}", prefix_last=False).total != 1:
                raise SystemExit(f"commit {k} not searchable")
            t0 = time.perf_counter()
            with db:
                db.execute(
                    "INSERT INTO clips(rowid, title, body, captions, notes, tags) VALUES (?,?,?,?,?,?)",
                    (
                        doc.id,
                        doc.title,
                        doc.subtitle + "\n\n" + doc.body,
                        doc.captions,
                        doc.notes,
                        " ; ".join(doc.tags),
                    ),
                )
            ref.append((time.perf_counter() - t0) * 1000)
        ix.wait_for_merges()
        segments = ix.segment_count()
    print(f"# {args.commits} single-clip commits on {args.base} clips")
    print(f"{'':<12} {'p50':>7} {'p95':>7} {'max':>7}  >100 ms")
    for name, xs in (("ours", ours), ("fts5", ref)):
        print(
            f"{name:<12} {pct(xs, 0.5):>7.1f} {pct(xs, 0.95):>7.1f} {max(xs):>7.1f}  "
            f"{sum(x > 100 for x in xs)}"
        )
    print(f"segments after: {segments}")
    db.close()
    if args.dir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
