"""`clipper reindex` on a real library: the database read plus the index build.

    python benchmarks/reindex.py --n 20000 [--dir D]

Fills a new library with `--n` synthetic news clips (the generator of
`benchmarks/search.py`: clip rows, a version each with its paragraphs as blocks), then
times `library.maintenance.reindex()` (read every clip's text, tags and figures from SQLite, build
the search index), beside the reference in the same run: a bare sqlite3 cursor reading
the same versions' blocks and filling an FTS5 table with them. Prints clips/s of both,
index sizes and peak memory.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import UTC
from pathlib import Path

from sqlalchemy import insert, update

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import folder_mb, make_docs

from clipper.library import Library
from clipper.library.models import Clip, Version


def fill(library: Library, n: int) -> None:
    docs = list(make_docs(n, 42))
    clips, versions = [], []
    for d in docs:
        when = (d.published or d.clipped).replace(tzinfo=UTC)  # type: ignore[union-attr]
        clips.append(
            {
                "id": d.id,
                "url": d.url,
                "canonical_url": "",
                "url_key": f"{d.id:064d}",
                "title": d.title,
                "title_key": d.title.lower(),
                "subtitle": d.subtitle,
                "authors": list(d.authors),
                "site_name": d.site,
                "published_at": when,
                "clipped_at": when,
                "updated_at": when,
                "language": "en",
                "revision": 1,
            }
        )
        blocks = [{"kind": "paragraph", "text": p} for p in d.body.split("\n\n")]
        digest = hashlib.sha256(d.body.encode()).hexdigest()
        versions.append(
            {
                "id": d.id,
                "clip_id": d.id,
                "raw_html": b"",
                "html_sha256": digest,
                "text_sha256": digest,
                "blocks": blocks,
                "text": d.body,
                "source_url": d.url,
            }
        )
    with library.engine.begin() as conn:
        for start in range(0, n, 5000):
            conn.execute(insert(Clip), clips[start : start + 5000])
            conn.execute(insert(Version), versions[start : start + 5000])
        conn.execute(update(Clip).values(current_version_id=Clip.id))


def reference(db_path: Path, out: Path) -> float:
    t0 = time.perf_counter()
    src = sqlite3.connect(db_path)
    dst = sqlite3.connect(out)
    dst.execute(
        "CREATE VIRTUAL TABLE clips USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')"
    )
    rows = src.execute(
        "SELECT clips.id, clips.title, versions.blocks FROM clips JOIN versions ON versions.id = clips.current_version_id"
    )
    with dst:
        for cid, title, blocks in rows:
            body = "\n\n".join(b["text"] for b in json.loads(blocks))
            dst.execute("INSERT INTO clips(rowid, title, body) VALUES (?,?,?)", (cid, title, body))
    src.close()
    dst.close()
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="clipper-reindex-"))
    shutil.rmtree(work / "library", ignore_errors=True)
    library = Library.open(work / "library", reconcile=False)
    fill(library, args.n)
    t0 = time.perf_counter()
    count = library.maintenance.reindex().result
    ours = time.perf_counter() - t0
    library.close()
    fts = work / "fts.sqlite"
    fts.unlink(missing_ok=True)
    ref = reference(work / "library" / "library.sqlite", fts)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"# reindex of {count} clips")
    print(
        f"ours:      {ours:.1f} s = {count / ours:.0f} clips/s, "
        f"index {folder_mb(work / 'library' / 'index'):.0f} MB"
    )
    print(
        f"reference: {ref:.1f} s = {count / ref:.0f} clips/s (sqlite3 read + FTS5), "
        f"{fts.stat().st_size / 1e6:.0f} MB"
    )
    print(f"peak RSS of the process: {peak:.0f} MB")
    if args.dir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
