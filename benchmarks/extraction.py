"""Extraction benchmark: our `extract_article` vs bare trafilatura on the same pages.

    python benchmarks/extraction.py --corpus DIR [--json] [--repeat N]

DIR holds `html/<id>.html.gz` and `ground-truth.json` (`{id: {url, articleBody}}`), the
format of the ScrapingHub article-extraction-benchmark. Both extractors run on the
same pages in the same process, so their figures are comparable.

Scoring is the benchmark's own: both texts are split into `\\w+` tokens and 4-token
shingles with counts; per page, tp/fp/fn are normalised by their sum; precision and
recall are averaged over pages and F1 is computed from the two means.

Exact pages: the share of pages whose `\\w+` tokens equal the ground truth's, in order (the
whole page exactly right, what a reader sees as "clean").

Speed: each extractor's CPU time over all pages (best of `--repeat` runs, alternating
the two so background load hits both alike), reported as pages per second, and the
ratio ours / trafilatura.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import platform
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import trafilatura

from clipper.capture.extract import extract_article

_TOKEN = re.compile(r"\w+")
Extractor = Callable[[bytes, str], str]


@dataclass(frozen=True)
class Page:
    id: str
    url: str
    html: bytes
    truth: str


@dataclass
class Result:
    name: str
    f1: float
    precision: float
    recall: float
    seconds: float
    per_page: dict[str, tuple[float, float]]
    exact: float = 0.0
    outputs: dict[str, str] | None = None

    @property
    def pages_per_second(self) -> float:
        return len(self.per_page) / self.seconds if self.seconds else 0.0


def shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def page_scores(predicted: str, truth: str) -> tuple[float, float]:
    """(precision, recall) of one page, from tp/fp/fn normalised by their sum."""
    pred, gold = shingles(predicted), shingles(truth)
    tp = sum((pred & gold).values())
    fp = sum(pred.values()) - tp
    fn = sum(gold.values()) - tp
    total = tp + fp + fn
    if total == 0:
        return 1.0, 1.0
    tp_n, fp_n, fn_n = tp / total, fp / total, fn / total
    precision = tp_n / (tp_n + fp_n) if tp_n + fp_n else 0.0
    recall = tp_n / (tp_n + fn_n) if tp_n + fn_n else 0.0
    return precision, recall


def is_exact(predicted: str, truth: str) -> bool:
    """The page's tokens equal the ground truth's, in order."""
    return _TOKEN.findall(predicted or "") == _TOKEN.findall(truth or "")


def load_corpus(folder: Path) -> list[Page]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id, entry in sorted(truth.items()):
        raw = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append(Page(page_id, entry.get("url", ""), raw, entry.get("articleBody", "")))
    return pages


def ours(html: bytes, url: str) -> str:
    return extract_article(html, url).text


def bare_trafilatura(html: bytes, url: str) -> str:
    return trafilatura.extract(html, url=url) or ""


def _timed(extractor: Extractor, pages: list[Page]) -> tuple[float, dict[str, str]]:
    outputs: dict[str, str] = {}
    start = time.process_time()
    for page in pages:
        outputs[page.id] = extractor(page.html, page.url)
    return time.process_time() - start, outputs


def evaluate(named: dict[str, Extractor], pages: list[Page], repeat: int) -> list[Result]:
    best: dict[str, float] = {}
    outputs: dict[str, dict[str, str]] = {}
    for _ in range(repeat):
        for name, extractor in named.items():
            seconds, out = _timed(extractor, pages)
            best[name] = min(best.get(name, seconds), seconds)
            outputs[name] = out
    results = []
    for name in named:
        per_page = {p.id: page_scores(outputs[name][p.id], p.truth) for p in pages}
        precision = sum(p for p, _r in per_page.values()) / len(per_page)
        recall = sum(r for _p, r in per_page.values()) / len(per_page)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        exact = sum(is_exact(outputs[name][p.id], p.truth) for p in pages) / len(pages)
        results.append(
            Result(name, f1, precision, recall, best[name], per_page, exact, outputs[name])
        )
    return results


def worst_pages(
    ours_r: Result, base: Result, pages: list[Page], count: int = 10
) -> list[dict[str, Any]]:
    """The pages where we lose most against trafilatura (by P + R)."""
    urls = {p.id: p.url for p in pages}
    rows: list[dict[str, Any]] = []
    for page_id, (p, r) in ours_r.per_page.items():
        bp, br = base.per_page[page_id]
        rows.append(
            {
                "id": page_id,
                "url": urls[page_id],
                "delta": (p + r) - (bp + br),
                "ours": {"precision": p, "recall": r},
                "trafilatura": {"precision": bp, "recall": br},
            }
        )
    rows.sort(key=lambda row: float(row["delta"]))
    return rows[:count]


def machine() -> dict[str, str]:
    return {
        "cpus": str(os.cpu_count()),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "trafilatura": trafilatura.__version__,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--corpus", type=Path, required=True, help="folder with html/ and ground-truth.json"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs per extractor")
    parser.add_argument(
        "--show-inexact", action="store_true", help="list our pages that are not exact, with diffs"
    )
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # trafilatura logs every discarded page

    pages = load_corpus(args.corpus)
    if not pages:
        parser.error(f"no pages in {args.corpus}")
    ours_r, base = evaluate({"ours": ours, "trafilatura": bare_trafilatura}, pages, args.repeat)
    worst = worst_pages(ours_r, base, pages)
    ratio = ours_r.seconds / base.seconds if base.seconds else float("nan")
    if args.json:
        report = {
            "corpus": str(args.corpus),
            "pages": len(pages),
            "machine": machine(),
            "results": {
                r.name: {
                    "f1": r.f1,
                    "precision": r.precision,
                    "recall": r.recall,
                    "exact_pages": r.exact,
                    "cpu_seconds": r.seconds,
                    "pages_per_second": r.pages_per_second,
                }
                for r in (ours_r, base)
            },
            "time_ratio": ratio,
            "worst_pages": worst,
        }
        print(json.dumps(report, indent=2))
        return 0
    info = machine()
    print(
        f"corpus {args.corpus} ({len(pages)} pages); {info['cpus']} CPUs, Python {info['python']}, "
        f"trafilatura {info['trafilatura']}"
    )
    print(
        f"{'extractor':<12} {'F1':>6} {'prec':>6} {'recall':>6} {'exact':>6} {'pages/s':>8} "
        f"{'cpu s':>7}"
    )
    for r in (ours_r, base):
        print(
            f"{r.name:<12} {r.f1:6.4f} {r.precision:6.4f} {r.recall:6.4f} {r.exact:6.3f} "
            f"{r.pages_per_second:8.1f} {r.seconds:7.2f}"
        )
    print(f"time ratio ours/trafilatura: {ratio:.2f}")
    print("\nPages where we lose most against trafilatura (P+R difference):")
    for row in worst:
        o, b = row["ours"], row["trafilatura"]
        print(
            f"  {row['delta']:+.3f}  P {b['precision']:.3f}->{o['precision']:.3f}  "
            f"R {b['recall']:.3f}->{o['recall']:.3f}  {row['url'][:80]}"
        )
    if args.show_inexact:
        show_inexact(ours_r, pages)
    return 0


def show_inexact(result: Result, pages: list[Page]) -> None:
    """Our pages that are not exact: the token runs we add (+) and miss (-)."""
    import difflib

    print("\nPages not exact (ours): + extra text, - missing text")
    for page in pages:
        got = (result.outputs or {}).get(page.id, "")
        if is_exact(got, page.truth):
            continue
        ours_tokens, truth_tokens = _TOKEN.findall(got), _TOKEN.findall(page.truth)
        print(f"\n{page.id[:8]} {page.url[:90]}")
        matcher = difflib.SequenceMatcher(None, truth_tokens, ours_tokens, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag in ("delete", "replace"):
                print("  - " + " ".join(truth_tokens[i1:i2])[:300])
            if tag in ("insert", "replace"):
                print("  + " + " ".join(ours_tokens[j1:j2])[:300])


if __name__ == "__main__":
    raise SystemExit(main())
