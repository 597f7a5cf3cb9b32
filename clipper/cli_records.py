"""CLI commands for citable records: `clipper edit` (metadata corrections) and `cite`.

`clipper edit ID --author A --author B --published 2019-05-03` corrects a clip's
metadata; the fields become "user" (kept by re-clips and `reextract`). `clipper cite
ID... --style apa|chicago|bibtex|markdown` prints references as the window copies them.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from clipper.export.styles import CITE_STYLES, format_references

if TYPE_CHECKING:
    from clipper.cli_output import Output
    from clipper.library import Library
    from clipper.library.editing import MetadataValue
    from clipper.library.types import ClipDetail


def add_commands(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    from clipper.cli import record_id

    p = add("edit", "correct a clip's metadata (the fields are then kept on re-clips)")
    p.add_argument("id", type=record_id)
    p.add_argument("--title")
    p.add_argument("--subtitle", help="the standfirst")
    p.add_argument(
        "--author",
        action="append",
        metavar="NAME",
        help="an author (repeat for several; --author '' clears them)",
    )
    p.add_argument(
        "--published",
        metavar="DATE",
        help="YYYY-MM-DD, or an ISO date-time with the publisher's offset; '' clears it",
    )
    p.add_argument("--site", help="the site or publication name")
    p.add_argument("--url", help="the URL to cite (the canonical URL)")

    p = add("cite", "print clips as references: APA, Chicago, BibTeX or a Markdown link")
    p.add_argument("ids", nargs="+", type=record_id, metavar="ID")
    p.add_argument("--style", choices=CITE_STYLES, default="apa")


def clip_reference(text: str) -> tuple[int, int | None]:
    """A clip id, or a `clipper://clip/ID?version=V` link: (clip id, version id)."""
    from clipper.cli import record_id
    from clipper.export.pinpoint import parse_clipper_link

    link = parse_clipper_link(text)
    if link is not None:
        return link[0], link[1]
    return record_id(text), None


def edit_values(args: argparse.Namespace) -> dict[str, MetadataValue]:
    values: dict[str, MetadataValue] = {}
    for option, field in (
        ("title", "title"),
        ("subtitle", "subtitle"),
        ("site", "site_name"),
        ("url", "canonical_url"),
    ):
        value = getattr(args, option)
        if value is not None:
            values[field] = value
    if args.author is not None:
        values["authors"] = [a for a in args.author if a.strip()]
    if args.published is not None:
        from clipper.library.editing import parse_date_input

        values["published"] = parse_date_input(args.published, "--published")
    return values


def _library(args: argparse.Namespace) -> Library:
    from clipper.library import Library

    return Library.open(getattr(args, "library", None))


def cmd_edit(args: argparse.Namespace, out: Output) -> int:
    values = edit_values(args)
    if not values:
        out.error("edit: give --title, --subtitle, --author, --published, --site or --url")
        return 2
    with _library(args) as library:
        library.clips.edit_metadata(args.id, values)
        detail = library.clips.get(args.id)
    if out.json:
        from clipper.cli_output import detail_json

        out.emit(detail_json(detail))
        return 0
    out.line(f"Edited clip {detail.id}.")
    print_fields(detail, out)
    return 0


def print_fields(detail: ClipDetail, out: Output) -> None:
    """Each metadata field with where it came from."""
    from clipper.capture.provenance import label

    rows = (
        ("Title", "title", detail.title),
        ("Standfirst", "subtitle", detail.subtitle),
        ("Authors", "authors", "; ".join(detail.authors)),
        ("Published", "published", detail.published_at.isoformat() if detail.published_at else ""),
        ("Site", "site_name", detail.site_name),
        ("URL", "canonical_url", detail.canonical_url or detail.url),
    )
    for name, field, value in rows:
        source = detail.sources.get(field)
        out.line(f"  {name + ':':<11} {value or '—'}" + (f"  [{label(source)}]" if source else ""))


def cmd_cite(args: argparse.Namespace, out: Output) -> int:
    with _library(args) as library:
        details = [library.clips.get(i) for i in args.ids]
    for reference, detail in zip(format_references(details, args.style), details, strict=True):
        out.message(reference, {"id": detail.id, "style": args.style, "citation": reference})
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, Output], int]] = {
    "edit": cmd_edit,
    "cite": cmd_cite,
}
