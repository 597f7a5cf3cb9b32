"""A batch of local pages clipped end to end: `clipper clip URL...` as a user runs it.

    python benchmarks/clip_batch.py [--pages 300] [--rounds 3]

Serves `--pages` article pages (about 700 words, one JPEG figure with caption and
credit each, varied words) from 127.0.0.1, then, interleaved per round:
- ours: `clipper clip URL1 ... URLn --library NEW` in a fresh process (fetch, extraction,
  image validation and thumbnail, one transaction per clip, search index commit);
- reference: a fresh process that fetches each page with httpx and runs bare
  `trafilatura.extract` on it (no images, nothing stored): the floor of the job.
Prints clips/s of both per round and the medians.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from search import Corpus  # noqa: E402

REFERENCE = """
import sys, httpx, trafilatura
with httpx.Client() as client:
    for url in sys.argv[1:]:
        trafilatura.extract(client.get(url).text, url=url)
"""


def make_site(n: int) -> dict[str, tuple[bytes, str]]:
    corpus = Corpus.make(11)
    rng = random.Random(5)
    pages: dict[str, tuple[bytes, str]] = {}
    for i in range(n):
        paras = "".join(f"<p>{corpus.sentence_text(110)}</p>" for _ in range(6))
        title = " ".join(corpus.words(7)).capitalize()
        img = Image.new("RGB", (900, 600), (rng.randrange(256), rng.randrange(256), 90))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=80)
        pages[f"/img/{i}.jpg"] = (buf.getvalue(), "image/jpeg")
        html = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Bench Daily</title>
<meta property="og:site_name" content="Bench Daily"><meta property="og:title" content="{title}">
<meta property="article:published_time" content="2024-03-05T10:00:00+00:00"></head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<main><article><h1>{title}</h1><p class="byline">By Jane Bench</p>
<figure><img src="/img/{i}.jpg" width="900" height="600" alt="">
<figcaption><span class="caption">{corpus.sentence_text(12)}</span>
<span class="credit">Photo: Agency {i}</span></figcaption></figure>{paras}</article></main>
<footer><p>Copyright 2024 Bench Daily.</p></footer></body></html>"""
        pages[f"/news/{i}.html"] = (html.encode(), "text/html; charset=utf-8")
    return pages


def serve(pages: dict[str, tuple[bytes, str]]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            found = pages.get(self.path)
            if found is None:
                self.send_error(404)
                return
            body, ctype = found
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    server = serve(make_site(args.pages))
    host, port = server.server_address[:2]
    urls = [f"http://{host}:{port}/news/{i}.html" for i in range(args.pages)]
    ours: list[float] = []
    ref: list[float] = []
    print(f"# {args.pages} local pages, one image each; clips/s (higher is better)")
    for r in range(args.rounds):
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "clipper.cli", "clip", *urls, "--library", tmp],
                capture_output=True,
                text=True,
                check=False,
            )
            dt = time.perf_counter() - t0
            clipped = done.stdout.count("Clipped")
            if done.returncode != 0 or clipped != args.pages:
                raise SystemExit(f"clipper failed ({clipped} clipped): {done.stderr[-500:]}")
            ours.append(args.pages / dt)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", REFERENCE, *urls], check=True)
        ref.append(args.pages / (time.perf_counter() - t0))
        print(f"round {r + 1}: clipper {ours[-1]:.1f}  bare trafilatura {ref[-1]:.1f}", flush=True)
    print(
        f"median: clipper {statistics.median(ours):.1f} clips/s, "
        f"bare fetch + trafilatura {statistics.median(ref):.1f} pages/s"
    )
    server.shutdown()


if __name__ == "__main__":
    main()
