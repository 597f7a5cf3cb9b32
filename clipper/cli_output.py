"""How the CLI prints: human text on a terminal, one JSON object per line with --json.

Errors and progress go to stderr so that stdout stays parseable.
"""

from __future__ import annotations

import json
import re
import sys
import textwrap
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, TextIO

from clipper.article import Article
from clipper.library.types import (
    ClipDetail,
    ClipResult,
    ClipSummary,
    SearchResults,
    TagCount,
)

STATUS_WORDS = {
    "new": "Clipped",
    "updated": "Updated (new version)",
    "unchanged": "Unchanged (already in the library)",
}
MARK = re.compile(r"\[\[(.+?)\]\]")


def _date(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def summary_json(row: ClipSummary) -> dict[str, Any]:
    return {
        "id": row.id,
        "title": row.title,
        "site_name": row.site_name,
        "url": row.url,
        "published": _iso(row.published_at),
        "clipped": _iso(row.clipped_at),
        "tags": list(row.tags),
    }


def source_summary(sources: Mapping[str, str]) -> str:
    """ "title: page headline, authors: edited by you, ..." in the order of the fields."""
    from clipper.capture.provenance import FIELDS, label

    order = [f for f in FIELDS if f in sources] + sorted(set(sources) - set(FIELDS))
    return ", ".join(f"{f}: {label(sources[f])}" for f in order)


def detail_json(detail: ClipDetail) -> dict[str, Any]:
    return {
        "id": detail.id,
        "title": detail.title,
        "subtitle": detail.subtitle,
        "authors": list(detail.authors),
        "published": _iso(detail.published_at),
        "clipped": _iso(detail.clipped_at),
        "site_name": detail.site_name,
        "url": detail.url,
        "canonical_url": detail.canonical_url,
        "language": detail.language,
        "tags": list(detail.tags),
        "version_id": detail.version_id,
        "versions": detail.version_count,
        "citation_key": detail.citation_key,
        "sources": dict(detail.sources),
        "text": detail.body_text,
        "figures": [
            {
                "src": f.src_url,
                "caption": f.caption,
                "credit": f.credit,
                "alt": f.alt,
                "sha256": f.blob_sha256,
                "media_type": f.media_type,
                "width": f.width,
                "height": f.height,
                "image_error": f.image_error,
            }
            for f in detail.figures
        ],
    }


class Output:
    def __init__(
        self, *, json: bool = False, stdout: TextIO | None = None, stderr: TextIO | None = None
    ) -> None:
        self.json = json
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self._tty = self.stdout.isatty()
        self._err_tty = self.stderr.isatty()

    # --- primitives ---------------------------------------------------------------------

    def emit(self, record: Any) -> None:
        print(json.dumps(record, ensure_ascii=False, default=str), file=self.stdout)

    def line(self, text: str = "") -> None:
        print(text, file=self.stdout)

    def error(self, message: str, record: dict[str, Any] | None = None) -> None:
        if self.json and record is not None:
            self.emit(record)
        print(f"clipper: error: {message}", file=self.stderr)

    def warn(self, message: str) -> None:
        print(f"clipper: warning: {message}", file=self.stderr)

    def progress(self, message: str) -> None:
        """Transient status on a terminal's stderr; silent when redirected."""
        if self._err_tty:
            print(f"\r\x1b[K{message}", end="", file=self.stderr, flush=True)

    def _end_progress(self) -> None:
        if self._err_tty:
            print("\r\x1b[K", end="", file=self.stderr, flush=True)

    def message(self, text: str, record: Any = None) -> None:
        self._end_progress()
        if self.json:
            self.emit(record if record is not None else {"message": text})
        else:
            self.line(text)

    # --- records ------------------------------------------------------------------------

    def clip_result(self, item: str, result: ClipResult) -> None:
        self._end_progress()
        for warning in result.warnings:
            self.warn(f"{item}: {warning}")
        if self.json:
            self.emit(
                {
                    "input": item,
                    "ok": True,
                    "id": result.clip_id,
                    "status": result.status,
                    "version_id": result.version_id,
                    "title": result.title,
                    "url": result.url,
                    "warnings": list(result.warnings),
                    "duplicate_of": result.duplicate_of,
                }
            )
            return
        same = f" (same text as clip {result.duplicate_of})" if result.duplicate_of else ""
        self.line(f"{STATUS_WORDS[result.status]} {result.clip_id}: {result.title}{same}")

    def article(self, article: Article) -> None:
        if self.json:
            self.emit(article.to_json())
            return
        self.line(article.title or "(no title)")
        if article.subtitle:
            self.line(article.subtitle)
        meta = [
            ", ".join(article.authors),
            article.site_name,
            article.published.isoformat() if article.published else "",
        ]
        self.line(" · ".join(m for m in meta if m))
        self.line(article.canonical_url or article.url)
        for warning in article.warnings:
            self.warn(warning)
        self._figures([(f.src, f.caption, f.credit, "") for f in article.figures])
        self.line()
        self.line(self._wrap(article.text))

    def clip_list(self, rows: Sequence[ClipSummary], total: int | None) -> None:
        if self.json:
            for row in rows:
                self.emit(summary_json(row))
            return
        if not rows:
            self.line("No clips.")
            return
        for row in rows:
            tags = f"  [{', '.join(row.tags)}]" if row.tags else ""
            site = f" — {row.site_name}" if row.site_name else ""
            self.line(f"{row.id:>6}  {_date(row.clipped_at)}  {row.title}{site}{tags}")
        if total is not None and total > len(rows):
            self.line(f"({len(rows)} of {total} shown)")

    def clip_detail(self, detail: ClipDetail) -> None:
        if self.json:
            self.emit(detail_json(detail))
            return
        self.line(detail.title)
        if detail.subtitle:
            self.line(detail.subtitle)
        meta = [", ".join(detail.authors), detail.site_name, _date(detail.published_at)]
        self.line(" · ".join(m for m in meta if m))
        self.line(detail.canonical_url or detail.url)
        self.line(
            f"Clip {detail.id} · clipped {_date(detail.clipped_at)} · "
            f"version {detail.version_count}"
            + (f" · tags: {', '.join(detail.tags)}" if detail.tags else "")
            + (f" · same text as clip {detail.duplicate_of}" if detail.duplicate_of else "")
        )
        if detail.sources:
            self.line("Sources: " + source_summary(detail.sources))
        self._figures([(f.src_url, f.caption, f.credit, f.image_error) for f in detail.figures])
        self.line()
        self.line(self._wrap(detail.body_text))

    def _figures(self, figures: Sequence[tuple[str, str, str, str]]) -> None:
        for number, (src, caption, credit, dropped) in enumerate(figures, 1):
            self.line(f"\nFigure {number}: {src}")
            if caption:
                self.line(f"  Caption: {caption}")
            if credit:
                self.line(f"  Credit:  {credit}")
            if dropped:
                self.line(f"  Image not stored: {dropped}")

    def _wrap(self, text: str) -> str:
        if not self._tty:
            return text
        # Line by line: a table's rows and a paragraph's line breaks stay apart.
        return "\n".join(textwrap.fill(line, 88) if line else "" for line in text.split("\n"))

    def search_results(self, results: SearchResults) -> None:
        for warning in results.warnings:
            self.warn(warning)
        if self.json:
            for hit in results.hits:
                record = summary_json(hit.clip)
                record.update(
                    {"score": hit.score, "snippet": hit.snippet, "where": list(hit.where)}
                )
                self.emit(record)
            return
        if not results.hits:
            self.line(f"No clips match {results.query!r}.")
            return
        for hit in results.hits:
            site = f" — {hit.clip.site_name}" if hit.clip.site_name else ""
            where = f"  (in {', '.join(hit.where)})" if hit.where else ""
            self.line(f"{hit.clip.id:>6}  {hit.clip.title}{site}{where}")
            self.line(f"        {self._marks(hit.snippet)}")
        self.line(f"{results.total} match(es).")

    def _marks(self, snippet: str) -> str:
        snippet = " ".join(snippet.split())
        if self._tty:
            return MARK.sub("\x1b[1m\\1\x1b[0m", snippet)
        return MARK.sub("\\1", snippet)

    def tag_counts(self, tags: Sequence[TagCount]) -> None:
        if self.json:
            for tag in tags:
                self.emit({"name": tag.name, "count": tag.count})
            return
        if not tags:
            self.line("No tags.")
        for tag in tags:
            self.line(f"{tag.count:>6}  {tag.name}")
