"""`clipper`: the command-line interface over the `Library` facade.

Every command takes `--library PATH` (or `CLIPPER_LIBRARY`) and `--json`. Errors are
one line on stderr and a non-zero exit code; a batch goes on past a failed input and
exits 1 at the end.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from clipper import __version__
from clipper.cli_output import Output
from clipper.errors import ClipperError, describe_error

if TYPE_CHECKING:
    from clipper.library import Library
    from clipper.library.clipping import ClipRequest

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

Handler = Callable[[argparse.Namespace, Output], int]
MAX_ID = 2**63 - 1


def record_id(text: str) -> int:
    """A clip, version or passage id: a positive integer the database can hold."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an id: {text!r}") from None
    if not 1 <= value <= MAX_ID:
        raise argparse.ArgumentTypeError(f"no such id: {text} (ids are 1 to {MAX_ID})")
    return value


def _clip_reference(text: str) -> tuple[int, int | None]:
    from clipper.cli_records import clip_reference

    return clip_reference(text)


def _common() -> argparse.ArgumentParser:
    """Options every command takes, before or after the command name."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--library",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="library folder or database URL (default: $CLIPPER_LIBRARY or the user data folder)",
    )
    parent.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output"
    )
    parent.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show the full traceback of an unexpected error",
    )
    return parent


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="clipper",
        description="Clip web articles into a local library, search and tag them.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"clipper {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help_text, description=help_text, parents=[common])

    p = add("clip", "fetch pages (URLs; - reads them from stdin) or read saved pages (FILE.html)")
    p.add_argument("inputs", nargs="+", metavar="URL|FILE|-")
    p.add_argument("--tag", "-t", action="append", default=[], metavar="TAG", help="tag the clips")
    p.add_argument("--base-url", metavar="URL", help="the original address of a saved FILE")
    p.add_argument(
        "--strict-images",
        action="store_true",
        help="fail the clip when a figure's image cannot be fetched or is broken "
        "(by default the clip is stored and the figure records why its image is missing)",
    )
    p.add_argument("--skip-bad-images", action="store_true", help=argparse.SUPPRESS)

    p = add("extract", "show what a clip of each input would contain, without storing it")
    p.add_argument("inputs", nargs="+", metavar="URL|FILE")
    p.add_argument("--base-url", metavar="URL", help="the original address of a saved FILE")

    p = add("list", "list clips, newest first")
    p.add_argument("--tag", help="only clips with this tag")
    p.add_argument("--site", help="only clips from this site (site name)")
    p.add_argument("--untagged", action="store_true", help="only clips without tags")
    p.add_argument("--sort", choices=("clipped", "published", "title", "site"), default="clipped")
    p.add_argument("--reverse", action="store_true", help="oldest / A-Z first")
    p.add_argument("--limit", type=int, default=None)

    p = add("show", "show a clip: metadata, figures with caption and credit, the text")
    p.add_argument("id", type=_clip_reference, metavar="ID|clipper://clip/ID?version=V")
    p.add_argument("--version", dest="version_id", type=record_id, help="an older version's id")

    p = add("search", 'full-text search (words, "phrases", OR, -word, tag:, site:, ...)')
    p.add_argument("query", nargs="+")
    p.add_argument("--limit", type=int, default=20)

    p = add("tag", "add (+tag) and remove (-tag) tags: clipper tag ID [ID...] +tag -tag")
    p.add_argument("args", nargs=argparse.REMAINDER, metavar="ID|+TAG|-TAG")

    add("tags", "list tags with their clip counts")

    p = add("rm", "delete clips")
    p.add_argument("ids", nargs="+", type=record_id, metavar="ID")

    add("reindex", "rebuild the search index from the database")
    _add_more_commands(add)
    return parser


def _add_more_commands(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    from clipper import cli_import, cli_maintenance, cli_passages, cli_records, cli_serve

    cli_passages.add_commands(add)
    cli_import.add_commands(add)
    cli_records.add_commands(add)
    cli_maintenance.add_commands(add)
    cli_serve.add_commands(add)


def _open_library(args: argparse.Namespace, out: Output, *, reconcile: bool = True) -> Library:
    from clipper.library import Library

    def progress(done: int, total: int | None) -> None:
        out.progress(f"Indexing {done}/{total or '?'}")

    library = Library.open(getattr(args, "library", None), progress=progress, reconcile=reconcile)
    for warning in library.warnings:
        out.warn(warning)
    return library


# --- commands -------------------------------------------------------------------------


def cmd_clip(args: argparse.Namespace, out: Output) -> int:
    from clipper.capture.fetch import Fetcher
    from clipper.capture.pipeline import CaptureOptions

    options = CaptureOptions(strict_images=args.strict_images)
    failures = 0
    if "-" in args.inputs:
        from clipper.cli_import import urls_from_stdin

        at = args.inputs.index("-")
        args.inputs[at : at + 1] = urls_from_stdin()
    with _open_library(args, out) as library, Fetcher() as fetcher:
        for item in args.inputs:
            try:
                request = _request(item, args.base_url, args.tag)
                done = library.clips.clip(
                    request, options=options, fetcher=fetcher, progress=out.progress
                )
            except Exception as exc:  # noqa: BLE001 - one line per input, the batch goes on
                failures += 1
                message = _about(item, exc)
                out.error(message, record={"input": item, "ok": False, "error": message})
                _debug(args, exc)
                continue
            out.clip_result(item, done.result)
        for warning in library.index_warnings:
            out.warn(warning)
    return EXIT_FAILED if failures else EXIT_OK


def _request(item: str, base_url: str | None, tags: Sequence[str] = ()) -> ClipRequest:
    """A URL, else a saved page that must exist."""
    from clipper.library.clipping import ClipRequest

    if _is_url(item):
        return ClipRequest(url=item, tags=tuple(tags))
    return ClipRequest(path=_existing_file(item), base_url=base_url, tags=tuple(tags))


def cmd_extract(args: argparse.Namespace, out: Output) -> int:
    from clipper.capture.fetch import Fetcher
    from clipper.capture.pipeline import CaptureOptions
    from clipper.library.clipping import capture

    options = CaptureOptions(download_images=False)
    failures = 0
    with Fetcher() as fetcher:
        for item in args.inputs:
            try:
                request = _request(item, args.base_url)
                online = fetcher if request.path is None else None  # a saved page: offline
                captured = capture(request, online, options)
            except Exception as exc:  # noqa: BLE001 - one line per input, the batch goes on
                failures += 1
                out.error(_about(item, exc))
                _debug(args, exc)
                continue
            out.article(captured.article)
    return EXIT_FAILED if failures else EXIT_OK


def cmd_list(args: argparse.Namespace, out: Output) -> int:
    from clipper.library.types import ClipFilter

    flt = ClipFilter(tag=args.tag, site=args.site, untagged=args.untagged)
    with _open_library(args, out) as library:
        rows = library.clips.page(flt, args.sort, not args.reverse, 0, args.limit)
        out.clip_list(rows, library.clips.count(flt))
    return EXIT_OK


def cmd_show(args: argparse.Namespace, out: Output) -> int:
    clip_id, linked_version = args.id  # an id, or a pinpoint citation's clipper:// link
    with _open_library(args, out) as library:
        out.clip_detail(library.clips.get(clip_id, args.version_id or linked_version))
    return EXIT_OK


def cmd_search(args: argparse.Namespace, out: Output) -> int:
    with _open_library(args, out) as library:
        out.search_results(library.search(" ".join(args.query), limit=args.limit))
    return EXIT_OK


def parse_tag_args(tokens: Sequence[str]) -> tuple[list[int], list[str], list[str]]:
    """`ID [ID...] +tag -tag`; raises ValueError with a usage message."""
    ids: list[int] = []
    add: list[str] = []
    remove: list[str] = []
    for token in tokens:
        if token.startswith("+") and len(token) > 1:
            add.append(token[1:])
        elif token.startswith("-") and len(token) > 1 and not token[1:].isdigit():
            remove.append(token[1:])
        elif token.isdigit():
            if not 1 <= int(token) <= MAX_ID:
                raise ValueError(f"no such id: {token}")
            ids.append(int(token))
        else:
            raise ValueError(f"expected a clip id, +tag or -tag, got {token!r}")
    if not ids:
        raise ValueError("give at least one clip id")
    if not add and not remove:
        raise ValueError("give at least one +tag or -tag")
    return ids, add, remove


def cmd_tag(args: argparse.Namespace, out: Output) -> int:
    # The remainder holds "-tag" removals, so the common options are picked out here.
    tokens: list[str] = []
    rest = iter(args.args)
    for token in rest:
        if token == "--json":
            out.json = True
        elif token == "--library":
            args.library = next(rest, None)
        elif token.startswith("--library="):
            args.library = token.split("=", 1)[1]
        else:
            tokens.append(token)
    try:
        ids, add, remove = parse_tag_args(tokens)
    except ValueError as exc:
        out.error(f"tag: {exc}")
        return EXIT_USAGE
    with _open_library(args, out) as library:
        library.tags.change(ids, add, remove)
        out.clip_list(library.clips.summaries(ids), None)
    return EXIT_OK


def cmd_tags(args: argparse.Namespace, out: Output) -> int:
    with _open_library(args, out) as library:
        out.tag_counts(library.tags.counts())
    return EXIT_OK


def cmd_rm(args: argparse.Namespace, out: Output) -> int:
    with _open_library(args, out) as library:
        library.clips.delete(args.ids)
        out.message(f"Deleted {len(args.ids)} clip(s).", record={"deleted": args.ids})
        for warning in library.index_warnings:  # deleted all the same: a warning, exit 0
            out.warn(warning)
    return EXIT_OK


def cmd_reindex(args: argparse.Namespace, out: Output) -> int:
    from clipper.library import Library

    def progress(done: int, total: int | None) -> None:
        out.progress(f"Indexing {done}/{total or '?'}")

    with Library.open(getattr(args, "library", None), reconcile=False) as library:
        count = library.maintenance.reindex(progress).result
        out.message(f"Indexed {count} clip(s).", record={"indexed": count})
    return EXIT_OK


COMMANDS: dict[str, Handler] = {
    "clip": cmd_clip,
    "extract": cmd_extract,
    "list": cmd_list,
    "show": cmd_show,
    "search": cmd_search,
    "tag": cmd_tag,
    "tags": cmd_tags,
    "rm": cmd_rm,
    "reindex": cmd_reindex,
}


def _is_url(item: str) -> bool:
    return item.startswith(("http://", "https://")) or ("://" in item and not Path(item).exists())


def _existing_file(item: str) -> Path:
    path = Path(item).expanduser()
    if not path.is_file():
        raise ClipperError(f"{item}: no such file (and not an http(s) URL)")
    return path


def _about(item: str, exc: BaseException) -> str:
    """One line naming the input (our errors already name it)."""
    message = describe_error(exc)
    return message if isinstance(exc, ClipperError) and item in message else f"{item}: {message}"


def _debug(args: argparse.Namespace, exc: BaseException) -> None:
    if getattr(args, "debug", False):
        import traceback

        traceback.print_exception(exc, file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. This is the one place where any exception becomes one line on
    stderr and a non-zero exit (with `--debug`, the traceback too)."""
    from clipper import cli_import, cli_maintenance, cli_passages, cli_records, cli_serve

    COMMANDS.update(cli_passages.COMMANDS)
    COMMANDS.update(cli_import.COMMANDS)
    COMMANDS.update(cli_records.COMMANDS)
    COMMANDS.update(cli_maintenance.COMMANDS)
    COMMANDS.update(cli_serve.COMMANDS)
    parser = build_parser()
    args = parser.parse_args(argv)
    out = Output(json=bool(getattr(args, "json", False)))
    handler = COMMANDS[args.command]
    try:
        return handler(args, out)
    except KeyboardInterrupt:
        out.error("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the top-level handler
        out.error(describe_error(exc))
        _debug(args, exc)
        return EXIT_FAILED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
