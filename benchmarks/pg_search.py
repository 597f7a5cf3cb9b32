"""PostgreSQL search (`clipper.search.postgres`) beside our Whoosh engine, same clips.

    python benchmarks/pg_search.py --n 20000 [--pg-url URL] [--per-class 20]

URL (default $CLIPPER_TEST_PG_URL; `bash scripts/start-postgres.sh` prints one) names a
server where a scratch database is created and dropped. Generates the news-like clips of
`benchmarks/search.py` (same seed), fills `search_docs` (`PostgresSearch.rebuild`) and a
Whoosh index (`SearchIndex.rebuild`), then prints p50/p95 per query class (top 20 hits
and exact totals, no snippets: both backends share the snippet builder), how often the
totals agree, build throughput, sizes, and what a new machine pays before searching.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import folder_mb, make_docs, make_queries, pct, time_it
from sqlalchemy import create_engine, text

from clipper.library.db import make_engine, upgrade
from clipper.search.document import IndexDoc
from clipper.search.postgres.backend import PostgresSearch
from clipper.search.query import parse_query
from clipper.search.whoosh.index import IndexOptions, SearchIndex


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--per-class", type=int, default=20)
    parser.add_argument("--pg-url", default=os.environ.get("CLIPPER_TEST_PG_URL"))
    args = parser.parse_args()
    if not args.pg_url:
        sys.exit("pg_search: give --pg-url or set CLIPPER_TEST_PG_URL")
    name = f"clipper_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    work = Path(tempfile.mkdtemp(prefix="clipper-pgbench-"))
    try:
        run(args, args.pg_url.rsplit("/", 1)[0] + f"/{name}", work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def run(args: argparse.Namespace, url: str, work: Path) -> None:
    engine = make_engine(url)
    upgrade(engine)
    with engine.connect() as conn:
        server = conn.execute(text("SHOW server_version")).scalar_one()
    engine.dispose()
    print(
        f"# {args.n} clips, PostgreSQL {server} (same machine, fsync off), python "
        f"{platform.python_version()}, nproc {os.cpu_count()}, {datetime.now():%Y-%m-%d}"
    )
    docs: list[IndexDoc] = list(make_docs(args.n, args.seed))

    pg = PostgresSearch(url)
    t0 = time.perf_counter()
    pg.rebuild(iter(docs), total=len(docs))
    pg_s = time.perf_counter() - t0
    with pg.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.execute(text("VACUUM ANALYZE search_docs"))
        size = conn.execute(text("SELECT pg_total_relation_size('search_docs')")).scalar_one()
    print(f"postgres fill: {pg_s:.1f} s = {len(docs) / pg_s:.0f} clips/s, {size / 1e6:.0f} MB")
    wh = SearchIndex(work / "index", IndexOptions(result_cache=0))
    t0 = time.perf_counter()
    wh.rebuild(iter(docs), total=len(docs))
    wh_s = time.perf_counter() - t0
    print(
        f"whoosh rebuild (reference): {wh_s:.1f} s = {len(docs) / wh_s:.0f} clips/s, "
        f"{folder_mb(work / 'index'):.0f} MB"
    )
    t0 = time.perf_counter()
    fresh = PostgresSearch(url)
    revs = fresh.revisions()
    print(
        f"new machine, postgres: open + revisions {(time.perf_counter() - t0) * 1000:.0f} ms "
        f"({len(revs)} ids), nothing to build; whoosh: the rebuild above"
    )
    fresh.close()

    sample = docs[:2000]
    cases = make_queries(sample, args.seed, args.per_class)
    for case in make_queries(sample, args.seed + 7, 2):  # warm-up, not measured
        pg.search(parse_query(case.ours, prefix_last=case.prefix_last))
        wh.search(parse_query(case.ours, prefix_last=case.prefix_last))
    times: dict[str, tuple[list[float], list[float]]] = {}
    agree: dict[str, list[bool]] = {}
    for case in cases:
        parsed = parse_query(case.ours, prefix_last=case.prefix_last)
        got: dict[str, int] = {}

        def pg_run(parsed: object = parsed, got: dict[str, int] = got) -> None:
            got["pg"] = pg.search(parsed, limit=20).total  # type: ignore[arg-type]

        def wh_run(parsed: object = parsed, got: dict[str, int] = got) -> None:
            got["wh"] = wh.search(parsed, limit=20).total  # type: ignore[arg-type]

        ours, ref = times.setdefault(case.klass, ([], []))
        ours.append(time_it(pg_run))
        ref.append(time_it(wh_run))
        agree.setdefault(case.klass, []).append(got["pg"] == got["wh"])
    print(
        f"\n{'query class':<22} {'pg p50':>8} {'p95':>7} {'whoosh p50':>11} {'p95':>7}"
        f" {'same total':>11}"
    )
    for klass, (ours, ref) in times.items():
        same = agree[klass]
        print(
            f"{klass:<22} {pct(ours, 0.5):>8.1f} {pct(ours, 0.95):>7.1f} {pct(ref, 0.5):>11.1f}"
            f" {pct(ref, 0.95):>7.1f} {sum(same):>5}/{len(same):<5}"
        )
    one = IndexDoc(id=10**9, revision=1, title="Freshly clipped zyzzyva report", body="New.")
    ms = time_it(lambda: pg.upsert([one]))
    found = pg.search(parse_query("zyzzyva")).total
    print(f"\none new clip written and searchable: postgres {ms:.1f} ms (found: {found})")
    pg.close()
    wh.close()


if __name__ == "__main__":
    main()
