"""What the hostile-input defences cost, and what the hostile cases take now.

    python benchmarks/hostile.py [--pages DIR] [--repeat N] [--clips N]

1. Extraction in a bounded worker process vs in the calling process, on the same pages
   (the fixture pages, or `--pages DIR` of `.html` files): wall time per page, best of
   `--repeat`, alternating the two; and a cold worker start.
2. Peak memory (VmHWM of the process that does the work, and of its extraction worker,
   sampled every 20 ms) of each hostile case, each in a fresh Python process, beside
   the reference of clipping an ordinary page in the same way in the same run.
3. Search time by query length (words OR-ed together) on a synthetic library, beside
   the 1-word query as the reference.

Only localhost is used: the cases are served by a local HTTP server in this process.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from clipper.capture.extract import extract_article  # noqa: E402
from clipper.capture.worker import extract_bounded, prestart  # noqa: E402

PAGES = ROOT / "tests" / "fixtures" / "pages"


def extraction_cost(pages: list[Path], repeat: int) -> None:
    bodies = [(p.read_bytes(), f"https://example.test/{p.name}") for p in pages]
    started = time.perf_counter()
    prestart()
    extract_bounded(bodies[0][0], bodies[0][1], None)
    cold = time.perf_counter() - started
    inproc: list[float] = []
    worker: list[float] = []
    for _ in range(repeat):
        t = time.perf_counter()
        for body, url in bodies:
            extract_article(body, url)
        inproc.append(time.perf_counter() - t)
        t = time.perf_counter()
        for body, url in bodies:
            extract_bounded(body, url, None)
        worker.append(time.perf_counter() - t)
    n = len(bodies)
    a, b = min(inproc) / n * 1000, min(worker) / n * 1000
    print(f"pages: {n} ({sum(len(x) for x, _ in bodies) / 1e6:.1f} MB), repeat {repeat}")
    print(f"in process (reference): {a:.1f} ms/page")
    print(f"bounded worker:         {b:.1f} ms/page  (+{b - a:.1f} ms, x{b / a:.2f})")
    print(f"cold worker start + first page: {cold * 1000:.0f} ms")
    print(
        f"  (median in process {statistics.median(inproc) / n * 1000:.1f} ms/page, "
        f"worker {statistics.median(worker) / n * 1000:.1f} ms/page)"
    )


CASE = r"""
import os, sys, threading, time
sys.path.insert(0, {root!r})
case, port = sys.argv[1], int(sys.argv[2])
peak = {{"worker": 0}}

def hwm(pid, key):
    try:
        for line in open(f"/proc/{{pid}}/status"):
            if line.startswith(key):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0

def sample():  # the worker's resident memory, every 20 ms (it may be killed)
    me = os.getpid()
    while True:
        try:
            kids = open(f"/proc/{{me}}/task/{{me}}/children").read().split()
        except OSError:
            kids = []
        for kid in kids:
            peak["worker"] = max(peak["worker"], hwm(kid, "VmHWM:"))
        time.sleep(0.02)

threading.Thread(target=sample, daemon=True).start()
started = time.time()
try:
    if case == "image":
        from clipper.capture.images import validate_image
        validate_image(open(sys.argv[3], "rb").read())
    elif case == "40 MB file":
        from pathlib import Path
        from clipper.capture.pipeline import capture_file
        capture_file(Path(sys.argv[4]), None)
    else:
        from clipper.capture.fetch import Fetcher
        from clipper.capture.pipeline import capture_url
        with Fetcher() as fetcher:
            capture_url(f"http://127.0.0.1:{{port}}/{{case}}", fetcher)
    outcome = "stored"
except Exception as exc:
    outcome = str(exc)[:90]
elapsed = time.time() - started
time.sleep(0.05)
print(f"{{hwm(os.getpid(), 'VmHWM:')}}\t{{peak['worker']}}\t{{elapsed:.1f}}\t{{outcome}}")
"""


def _server(routes: dict[str, tuple[bytes, dict[str, str]]]) -> int:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body, headers = routes.get(self.path.lstrip("/"), (b"", {}))
            self.send_response(200 if body else 404)
            for key, value in {"Content-Type": "text/html", **headers}.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def hostile_memory(tmp: Path) -> None:
    bomb = b"<html>" + b"\0" * (256 << 20)
    for _ in range(2):
        bomb = gzip.compress(bomb, 9)
    attrs = " ".join(f'a{i}="{i}"' for i in range(200_000))
    from PIL import Image

    jpeg = tmp / "huge.jpg"
    Image.new("RGB", (7740, 7740), (10, 120, 30)).save(jpeg, quality=60)
    routes = {
        "ordinary": ((PAGES / "seed-news.html").read_bytes(), {}),
        "gzip-gzip": (bomb, {"Content-Encoding": "gzip, gzip"}),
        "attributes": (
            f"<html><body><article><p {attrs}>x</p></article></body></html>".encode(),
            {},
        ),
        "deep": (b"<div>" * 200_000 + b"text", {}),
    }
    big = tmp / "big.html"
    paragraph = b"<div class='c'><p>Words of a long, long page about the harbour. " * 3
    big.write_bytes(b"<html><body>" + paragraph * (40_000_000 // len(paragraph)))
    port = _server(routes)
    script = CASE.format(root=str(ROOT))
    print(f"{'case':<22}{'self MB':>9}{'worker MB':>11}{'s':>7}  outcome")
    for case in [*routes, "image", "40 MB file"]:
        args = [sys.executable, "-c", script, case, str(port), str(jpeg), str(big)]
        env = {**os.environ, "CLIPPER_EXTRACT_SECONDS": "30"}
        out = subprocess.run(args, capture_output=True, text=True, env=env, timeout=600)
        me, kids, secs, outcome = (out.stdout.strip() or "?\t?\t?\t" + out.stderr[-90:]).split(
            "\t", 3
        )
        label = "ordinary (reference)" if case == "ordinary" else case
        print(f"{label:<22}{me:>9}{kids:>11}{secs:>7}  {outcome}")


def query_length(tmp: Path, clips: int) -> None:
    """Search time by query length on a library of `clips` synthetic articles."""
    import random

    from clipper.capture.pipeline import capture_stored
    from clipper.library import Library

    sys.path.insert(0, str(ROOT))
    from tests.helpers.pages import article_page

    rng = random.Random(7)
    vocab = [f"word{i}" for i in range(3000)]
    with Library.open(tmp / "lib") as library:
        for n in range(clips):
            paragraphs = [" ".join(rng.choices(vocab, k=60)) + "." for _ in range(6)]
            html = article_page(f"Article {n}", paragraphs)
            library.clips.store(
                capture_stored(html, f"https://example.test/{n}", "text/html", 200, {})
            )
        print(f"{clips} clips; best of 3 per query; reference: the 1-word query")
        for joiner, label in ((" ", "AND-ed"), (" OR ", "OR-ed")):
            for words in (1, 8, 32, 150, 500, 1000):
                query = joiner.join(rng.choices(vocab, k=words))
                best = float("inf")
                for _ in range(3):
                    t = time.perf_counter()
                    results = library.search(query, limit=20)
                    best = min(best, time.perf_counter() - t)
                capped = " (capped, warned)" if results.warnings else ""
                print(f"{words:>5} words {label}: {best * 1000:8.1f} ms{capped}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, default=PAGES)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--clips", type=int, default=300, help="library size for query length")
    args = parser.parse_args()
    print(f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs")
    print(time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    print("\n== Extraction: bounded worker vs in process ==")
    extraction_cost(sorted(args.pages.glob("*.html")), args.repeat)
    print("\n== Hostile cases: peak memory and time ==")
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        hostile_memory(Path(tmp))
    print("\n== Query length ==")
    with tempfile.TemporaryDirectory() as tmp:
        query_length(Path(tmp), args.clips)


if __name__ == "__main__":
    main()
