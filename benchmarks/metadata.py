"""Metadata benchmark: our title, authors, date and site name vs trafilatura's, per field.

    python benchmarks/metadata.py --corpus DIR [--truth FILE] [--json] [--show-misses]

DIR is an extraction corpus (`html/<id>.html.gz`, see `extraction.py`). FILE holds the
metadata ground truth, by default `benchmarks/data/aeb-dev-metadata.json` (the 62
`aeb-dev` pages, written by reading each page):

    {id: {url, title, authors: [..], published: [day, ..], site_name: [name, ..], note}}

How a field counts as right (the same rule for both extractors):

* title: equal to the truth once case, spacing and punctuation are ignored.
* authors: the same set of names (case, spacing, punctuation ignored); `[]` in the truth
  means the page names no person, so the right answer is no author.
* published: the predicted day (in the time zone the page gave) is one of the accepted
  days; a page shown at 11 pm in New York is dated the next day in UTC, so both are
  accepted when the page's own time stamp crosses midnight. No date in the truth means
  the right answer is none.
* site_name: one of the names the page uses for itself (spacing ignored).

trafilatura's side is `trafilatura.extract_metadata(html, default_url=url)` (author
split on ";"), run on the same pages in the same process, and so is its speed.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import trafilatura
from extraction import Page, load_corpus, machine

from clipper.capture.extract import extract_article
from clipper.rules import text_key

DEFAULT_TRUTH = Path(__file__).resolve().parent / "data" / "aeb-dev-metadata.json"
FIELDS = ("title", "authors", "published", "site_name")


@dataclass
class Meta:
    title: str
    authors: list[str]
    published: date | None
    site_name: str


def ours(page: Page) -> Meta:
    article = extract_article(page.html, page.url)
    published = article.published.date() if article.published else None
    return Meta(article.title, list(article.authors), published, article.site_name)


def bare_trafilatura(page: Page) -> Meta:
    doc = trafilatura.extract_metadata(page.html.decode("utf-8", "replace"), default_url=page.url)
    if doc is None:
        return Meta("", [], None, "")
    authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
    published = None
    if doc.date:
        try:
            published = datetime.strptime(doc.date[:10], "%Y-%m-%d").date()
        except ValueError:
            published = None
    return Meta(doc.title or "", authors, published, doc.sitename or "")


def _squash(text: str) -> str:
    return text_key(text).replace(" ", "")


def judge(meta: Meta, truth: dict[str, Any]) -> dict[str, bool]:
    """Which fields of one page are right."""
    days = {date.fromisoformat(d) for d in truth["published"]}
    return {
        "title": text_key(meta.title) == text_key(truth["title"]),
        "authors": {text_key(a) for a in meta.authors} == {text_key(a) for a in truth["authors"]},
        "published": meta.published in days if days else meta.published is None,
        "site_name": _squash(meta.site_name) in {_squash(s) for s in truth["site_name"]},
    }


def run(
    name: str, extractor: Callable[[Page], Meta], pages: list[Page]
) -> tuple[dict[str, Meta], float]:
    start = time.process_time()
    out = {page.id: extractor(page) for page in pages}
    return out, time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="folder with html/")
    parser.add_argument("--truth", type=Path, default=DEFAULT_TRUTH, help="metadata truth JSON")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--show-misses", action="store_true", help="list every wrong field")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)

    truth: dict[str, dict[str, Any]] = json.loads(args.truth.read_text(encoding="utf-8"))
    pages = [p for p in load_corpus(args.corpus) if p.id in truth]
    if not pages:
        parser.error(f"no pages of {args.truth} in {args.corpus}")
    named = {"ours": ours, "trafilatura": bare_trafilatura}
    outputs: dict[str, dict[str, Meta]] = {}
    seconds: dict[str, float] = {}
    for name, extractor in named.items():
        outputs[name], seconds[name] = run(name, extractor, pages)
    scores: dict[str, dict[str, float]] = {}
    misses: dict[str, list[dict[str, Any]]] = {name: [] for name in named}
    for name in named:
        right = dict.fromkeys(FIELDS, 0)
        for page in pages:
            verdict = judge(outputs[name][page.id], truth[page.id])
            for field in FIELDS:
                right[field] += verdict[field]
                if not verdict[field]:
                    got = getattr(outputs[name][page.id], field)
                    misses[name].append(
                        {
                            "id": page.id[:8],
                            "field": field,
                            "got": str(got),
                            "want": str(truth[page.id][field]),
                        }
                    )
        scores[name] = {field: right[field] / len(pages) for field in FIELDS}

    if args.json:
        print(
            json.dumps(
                {
                    "corpus": str(args.corpus),
                    "pages": len(pages),
                    "machine": machine(),
                    "accuracy": scores,
                    "cpu_seconds": seconds,
                    "misses": misses,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0
    info = machine()
    print(
        f"corpus {args.corpus} ({len(pages)} pages, truth {args.truth.name}); {info['cpus']} CPUs, "
        f"Python {info['python']}, trafilatura {info['trafilatura']}"
    )
    print(f"{'extractor':<12} " + " ".join(f"{f:>9}" for f in FIELDS) + f" {'cpu s':>7}")
    for name in named:
        cells = " ".join(f"{scores[name][f]:9.3f}" for f in FIELDS)
        print(f"{name:<12} {cells} {seconds[name]:7.2f}")
    if args.show_misses:
        for name in named:
            print(f"\nWrong fields, {name}:")
            for miss in misses[name]:
                print(f"  {miss['id']} {miss['field']:<9} got {miss['got']!r}  want {miss['want']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
