"""`clipper import`: bookmark files, URL lists (a file or `-` for stdin), folders of pages.

Progress goes to stderr, one line per page; the summary and every failure come at the
end. Ctrl+C stops after the page in hand: the same command continues where it stopped.
Exit code 1 when any page failed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from clipper.errors import ClipperError

if TYPE_CHECKING:
    from clipper.cli_output import Output


def add_commands(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    p = add(
        "import",
        "clip many pages: a bookmark file (Firefox, Chrome; folders become tags), "
        "a list of URLs (one a line; - reads stdin) or a folder of saved .html pages",
    )
    p.add_argument("source", metavar="FILE|FOLDER|-")
    p.add_argument("--tag", "-t", action="append", default=[], metavar="TAG", help="tag them all")
    p.add_argument(
        "--strict-images",
        action="store_true",
        help="fail a page when a figure's image cannot be fetched or is broken "
        "(by default the page is stored and the figure records why its image is missing)",
    )
    p.add_argument("--skip-bad-images", action="store_true", help=argparse.SUPPRESS)


def cmd_import(args: argparse.Namespace, out: Output) -> int:
    from clipper.capture.imports import ImportItem, read_source
    from clipper.capture.pipeline import CaptureOptions
    from clipper.library import Library
    from clipper.library.importing import ImportSummary, run_import

    stdin = sys.stdin.read() if args.source == "-" else None
    source = read_source(args.source, stdin)
    if not source.items and not source.rejected:
        raise ClipperError(f"{args.source}: no pages to import")

    def progress(summary: ImportSummary, item: ImportItem) -> None:
        out.progress(f"[{summary.done}/{summary.total}] {item.label}")

    options = CaptureOptions(strict_images=args.strict_images)
    with Library.open(getattr(args, "library", None)) as library:
        try:
            summary = run_import(library, source, args.tag, options=options, progress=progress)
        except KeyboardInterrupt:
            out.error("interrupted; run the same command again to continue where it stopped")
            return 130
    if summary.resumed_from:
        out.warn(f"resumed after {summary.resumed_from} of {summary.total} pages done before")
    if source.duplicates:
        summary.skipped += source.duplicates
    for failure in summary.failures:
        out.error(failure, record={"input": failure.split(": ", 1)[0], "ok": False})
    out.message(
        summary.describe(),
        record={
            "total": summary.total,
            "new": summary.new,
            "updated": summary.updated,
            "skipped": summary.skipped,
            "failed": len(summary.failures),
            "clip_ids": summary.clip_ids,
        },
    )
    return 1 if summary.failures else 0


def urls_from_stdin() -> list[str]:
    """`clipper clip -`: the URLs on standard input, one a line."""
    from clipper.capture.imports import parse_url_list

    parsed = parse_url_list(sys.stdin.read())
    if parsed.rejected:
        raise ClipperError("stdin: " + parsed.rejected[0])
    return [item.url for item in parsed.items if item.url]


COMMANDS: dict[str, Callable[[argparse.Namespace, Output], int]] = {"import": cmd_import}
