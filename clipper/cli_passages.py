"""CLI commands for passages, versions and export.

`clipper annotate` (adds a passage), `clipper passages` (`annotations`, its older name,
still works), `clipper versions`, `clipper export`. The user's word is "passage".
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clipper.errors import ClipperError

if TYPE_CHECKING:
    from clipper.cli_output import Output
    from clipper.library import Library
    from clipper.library.types import PassageInfo


def add_commands(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    from clipper.cli import record_id
    from clipper.library.exporting import Export

    p = add("annotate", "highlight a passage of a clip, with an optional note and tags")
    p.add_argument("id", type=record_id)
    p.add_argument("--quote", required=True, help="the passage's words (must occur once)")
    p.add_argument("--prefix", default="", help="text just before the passage, to choose one")
    p.add_argument("--suffix", default="", help="text just after the passage, to choose one")
    p.add_argument("--note", default="")
    p.add_argument("--tag", "-t", action="append", default=[])
    p.add_argument("--color", default="yellow", help="yellow, green, blue, pink or purple")

    for name, text in (
        ("passages", "list passages (of one clip, or of the whole library)"),
        ("annotations", "the same as passages (its older name)"),
    ):
        p = add(name, text)
        p.add_argument("id", type=record_id, nargs="?")
        p.add_argument("--tag", help="only passages with this tag")
        p.add_argument(
            "--cite",
            action="store_true",
            help="pinpoint citations: quote, reference, link to the passage and to the stored copy",
        )
        p.add_argument("--style", choices=("apa", "chicago"), default="apa", help="with --cite")

    p = add("versions", "list a clip's versions; --diff shows what the publisher changed")
    p.add_argument("id", type=record_id)
    p.add_argument(
        "--diff",
        nargs="*",
        type=record_id,
        metavar="VERSION",
        help="word diff between two version ids (default: the last two)",
    )

    p = add("reextract", "extract stored pages again with today's extractor (offline)")
    p.add_argument("ids", nargs="+", type=record_id, metavar="ID")

    p = add("export", "export clips: Markdown folder, W3C annotations, citations")
    p.add_argument("format", choices=[e.name for e in Export.formats()])
    p.add_argument("ids", nargs="*", type=record_id, metavar="ID", help="default: every clip")
    p.add_argument("--tag", help="only clips with this tag")
    p.add_argument(
        "--out", "-o", help="output folder (markdown) or file (default: standard output)"
    )
    p.add_argument("--creator", help="jsonld: who made the passages (default: your login name)")


def _library(args: argparse.Namespace) -> Library:
    from clipper.library import Library

    return Library.open(getattr(args, "library", None))


def cmd_annotate(args: argparse.Namespace, out: Output) -> int:
    with _library(args) as library:
        info = library.passages.add_quote(
            args.id,
            args.quote,
            prefix=args.prefix,
            suffix=args.suffix,
            note=args.note,
            tags=args.tag,
            color=args.color,
        ).result
    out.message(
        f"Passage {info.id} on clip {info.clip_id} at {info.start}-{info.end}.",
        record=passage_json(info),
    )
    return 0


def passage_json(info: PassageInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "clip_id": info.clip_id,
        "clip_title": info.clip_title,
        "version_id": info.version_id,
        "exact": info.exact,
        "prefix": info.prefix,
        "suffix": info.suffix,
        "start": info.start,
        "end": info.end,
        "color": info.color,
        "note": info.note,
        "tags": list(info.tags),
        "state": info.state,
        "current_exact": info.current_exact,
        "diff": _quote_diff(info),
        "quote_version_id": info.quote_version_id,
        "quote_fetched": info.quote_fetched_at.isoformat() if info.quote_fetched_at else None,
        "created": info.created_at.isoformat(),
        "updated": info.updated_at.isoformat(),
    }


def _quote_diff(info: PassageInfo) -> list[list[str]]:
    """The word diff from the quote to the current wording (empty unless changed)."""
    if info.state != "changed":
        return []
    from clipper import textdiff

    return [list(op) for op in textdiff.word_diff(info.exact, info.current_exact)]


def cmd_passages(args: argparse.Namespace, out: Output) -> int:
    with _library(args) as library:
        items = library.passages.find(args.id, tag=args.tag)
        if args.cite:
            return _cite_passages(library, items, args.style, out)
    if out.json:
        for info in items:
            out.emit(passage_json(info))
        return 0
    if not items:
        out.line("No passages.")
    for info in items:
        state = "" if info.state == "anchored" else f" [{info.state}]"
        tags = f"  #{' #'.join(info.tags)}" if info.tags else ""
        out.line(f"{info.id:>5}  clip {info.clip_id}  {info.clip_title}{state}")
        out.line(f"       “{' '.join(info.exact.split())}”")
        if info.state == "changed":
            from clipper import textdiff

            out.line(f"       Text changed; now reads: “{' '.join(info.current_exact.split())}”")
            ops = textdiff.word_diff(info.exact, info.current_exact)
            out.line(f"       {textdiff.render_terminal(ops, color=out.stdout.isatty())}")
        if info.note:
            out.line(f"       Note: {info.note}")
        if tags:
            out.line(f"      {tags}")
    return 0


def _cite_passages(library: Library, items: list[PassageInfo], style: str, out: Output) -> int:
    from clipper.export.pinpoint import pinpoint
    from clipper.export.styles import render

    details = {i: library.clips.get(i) for i in dict.fromkeys(a.clip_id for a in items)}
    references = dict(zip(details, render(list(details.values()), style), strict=True))
    if not items and not out.json:
        out.line("No passages.")
    for info in items:
        point = pinpoint(info, details[info.clip_id], references[info.clip_id])
        if out.json:
            record = passage_json(info)
            record.update(
                citation=point.as_text(),
                reference=point.reference,
                live_link=point.live_link,
                stored_link=point.stored_link,
            )
            out.emit(record)
        else:
            out.line(point.as_text())
            out.line()
    return 0


def cmd_versions(args: argparse.Namespace, out: Output) -> int:
    from clipper import textdiff

    with _library(args) as library:
        versions = library.clips.versions(args.id)
        if args.diff is None:
            if out.json:
                for v in versions:
                    out.emit(
                        {
                            "id": v.id,
                            "fetched": v.fetched_at.isoformat(),
                            "http_status": v.http_status,
                            "text_sha256": v.text_sha256,
                            "current": v.is_current,
                        }
                    )
                return 0
            for number, v in enumerate(versions, 1):
                mark = "  (current)" if v.is_current else ""
                out.line(f"{number:>3}. version {v.id}  {v.fetched_at:%Y-%m-%d %H:%M} UTC{mark}")
            return 0
        ids = list(args.diff) or [v.id for v in versions[-2:]]
        if len(ids) != 2:
            raise ClipperError(
                f"clip {args.id} has {len(versions)} version(s): nothing to compare"
                if len(versions) < 2
                else "--diff takes two version ids"
            )
        old = library.clips.get(args.id, ids[0]).text
        new = library.clips.get(args.id, ids[1]).text
    ops = textdiff.word_diff(old, new)
    if out.json:
        out.emit({"from": ids[0], "to": ids[1], "ops": [list(op) for op in ops]})
        return 0
    out.line(textdiff.summary(ops))
    out.line(textdiff.render_terminal(ops, color=out.stdout.isatty()))
    return 0


def cmd_export(args: argparse.Namespace, out: Output) -> int:
    from clipper.export.registry import write_output
    from clipper.library.exporting import Export

    chosen = Export.format(args.format)
    if chosen.folder and not args.out:
        raise ClipperError(f"export {chosen.name} needs --out FOLDER")
    with _library(args) as library:
        ids = args.ids or library.export.clip_ids(args.tag)
        output = library.export.render(chosen.name, ids, creator=args.creator)
    if not args.out and isinstance(output, str):
        sys.stdout.write(output if output.endswith("\n") else output + "\n")
        return 0
    written = write_output(output, Path(args.out))
    out.message(
        f"Exported {len(ids)} clip(s) to {args.out}.",
        {"exported": len(ids), "files": [str(p) for p in written]},
    )
    return 0


def cmd_reextract(args: argparse.Namespace, out: Output) -> int:
    with _library(args) as library:
        for clip_id in args.ids:
            result = library.clips.reextract(clip_id).result
            out.clip_result(str(clip_id), result)
            for passage_id, state in result.reanchored:
                if state != "anchored":
                    out.warn(f"passage {passage_id} is {state}")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, Output], int]] = {
    "annotate": cmd_annotate,
    "passages": cmd_passages,
    "annotations": cmd_passages,
    "versions": cmd_versions,
    "export": cmd_export,
    "reextract": cmd_reextract,
}
