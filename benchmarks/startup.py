"""Start-up of the desktop app beside a bare PySide6 window, in the same run.

    python benchmarks/startup.py [--runs 7] [--dir DIR] [--n 100000]

Three commands, interleaved run by run (bare, empty library, N-clip library + a search)
after one warm-up round: each a fresh process (`startup_probe.py`), its times taken from
the moment this script starts it, its peak RSS from the kernel's accounting of that one
child (`os.wait4`). The N-clip library (synthetic news-like clips with text, and a full
search index, so nothing is re-indexed at start) is built once in DIR and reused.
Figures go to docs/benchmarks.md; the median is the one to quote on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PROBE = Path(__file__).resolve().parent / "startup_probe.py"
QUERY = "w3 w17"  # two common words of the synthetic vocabulary: many hits


def build_big(folder: Path, count: int) -> None:
    """N clips with a version each (about 150 words), indexed: as if clipped long ago."""
    import hashlib

    from sqlalchemy import func, insert, select, update

    from clipper.library import Library
    from clipper.library.models import Clip, Version

    with Library.open(folder, reconcile=False) as library:
        with library.engine.connect() as conn:
            have = conn.execute(select(func.count(Clip.id))).scalar() or 0
        if have >= count:
            return
        rnd = random.Random(7)
        vocab = [f"w{i}" for i in range(20_000)] + [
            "harbour",
            "council",
            "vote",
            "budget",
            "plan",
            "quay",
            "ferry",
            "museum",
            "school",
            "river",
            "election",
            "mayor",
            "bridge",
            "tram",
            "housing",
            "festival",
            "court",
            "police",
            "hospital",
            "library",
        ]
        weights = [1 / (i + 1) for i in range(len(vocab))]
        base = datetime(2020, 1, 1, tzinfo=UTC)
        batch = 5_000
        for start in range(have, count, batch):
            ids = range(start + 1, min(start + batch, count) + 1)
            clips, versions = [], []
            for i in ids:
                text = " ".join(rnd.choices(vocab, weights, k=150))
                digest = hashlib.sha256(text.encode()).hexdigest()
                clips.append(
                    {
                        "id": i,
                        "url": f"https://s{i % 300}.test/a/{i}",
                        "canonical_url": "",
                        "url_key": hashlib.sha256(f"s{i % 300}.test/a/{i}".encode()).hexdigest(),
                        "title": f"Story {i}: " + " ".join(rnd.choices(vocab, weights, k=6)),
                        "title_key": f"story {i}",
                        "subtitle": "",
                        "authors": [],
                        "site_name": f"Site {i % 300}",
                        "published_at": base + timedelta(minutes=rnd.randrange(3_000_000)),
                        "clipped_at": base + timedelta(minutes=i),
                        "updated_at": base,
                        "language": "en",
                        "revision": 1,
                    }
                )
                versions.append(
                    {
                        "id": i,
                        "clip_id": i,
                        "source_url": f"https://s{i % 300}.test/a/{i}",
                        "content_type": "text/html",
                        "raw_html": b"",
                        "html_sha256": digest,
                        "text_sha256": digest,
                        "blocks": [{"kind": "paragraph", "text": text}],
                        "text": text,
                        "extractor": "benchmark",
                    }
                )
            with library.engine.begin() as conn:
                conn.execute(insert(Clip), clips)
                conn.execute(insert(Version), versions)
                conn.execute(
                    update(Clip).where(Clip.id.in_(list(ids))).values(current_version_id=Clip.id)
                )
            print(f"  {ids[-1]:,} clips", file=sys.stderr)
        print("  indexing…", file=sys.stderr)
        library.maintenance.reindex()


def one_run(args: list[str]) -> dict[str, float]:
    started = time.time()
    proc = subprocess.Popen(
        [sys.executable, str(PROBE), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{args}: exit {proc.returncode}")
    times = json.loads(out.decode().strip().splitlines()[-1])
    result = {k: v - started for k, v in times.items()}
    result["rss_mb"] = usage.ru_maxrss / 1024
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, default=None, help="keep the libraries here")
    args = parser.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="clipper-startup-"))
    empty, big = work / "empty", work / f"big-{args.n}"
    from clipper.library import Library

    with Library.open(empty):
        pass
    print(f"building the {args.n:,}-clip library in {big} (once)…", file=sys.stderr)
    build_big(big, args.n)

    commands = {
        "bare PySide6 window + table": ["bare"],
        "clipper-gui, empty library": ["clipper", str(empty)],
        f"clipper-gui, {args.n:,} clips, + search": ["clipper", str(big), "--search", QUERY],
    }
    samples: dict[str, list[dict[str, float]]] = {name: [] for name in commands}
    for round_ in range(args.runs + 1):
        for name, cmd in commands.items():
            result = one_run(cmd)
            if round_:  # the first round warms the disk cache
                samples[name].append(result)

    print(
        f"{datetime.now(UTC):%Y-%m-%d} · {platform.node()} · {os.cpu_count()} CPUs · "
        f"Python {platform.python_version()} · {args.runs} runs each, interleaved, offscreen"
    )
    print("| command | window shown (s) | list ready (s) | search shown (s) | peak RSS (MB) |")
    print("|---|---|---|---|---|")
    for name, runs in samples.items():

        def cell(key: str, runs: list[dict[str, float]] = runs, scale: str = "{:.3f}") -> str:
            values = [r[key] for r in runs if key in r]
            if not values:
                return "–"
            med = statistics.median(values)
            return f"{scale.format(med)} ({scale.format(min(values))}–{scale.format(max(values))})"

        print(
            f"| {name} | {cell('shown')} | {cell('ready')} | {cell('searched')} | "
            f"{cell('rss_mb', scale='{:.0f}')} |"
        )


if __name__ == "__main__":
    main()
