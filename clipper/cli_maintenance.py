"""`clipper check [--repair]` and `clipper backup PATH`: finding damage and keeping copies.

A separate module only to keep `cli.py` short; the work is `library.maintenance`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clipper.cli_output import Output

EXIT_OK = 0
EXIT_FAILED = 1


def add_commands(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    p = add(
        "check",
        "check the library: database integrity, images against their hashes, the index",
    )
    p.add_argument("--repair", action="store_true", help="rebuild the search index if needed")
    p = add("backup", "write a consistent copy of the library database (works while in use)")
    p.add_argument("path", metavar="PATH", help="a new file, or a folder to put it in")


def cmd_check(args: argparse.Namespace, out: Output) -> int:
    from clipper.cli import _open_library

    def progress(done: int, total: int | None) -> None:
        out.progress(f"Indexing {done}/{total or '?'}")

    with _open_library(args, out, reconcile=False) as library:
        maintenance = library.maintenance
        report = maintenance.repair(progress).result if args.repair else maintenance.check()
    for line in report.repaired:
        out.message(f"repaired: {line}", record={"repaired": line})
    for line in report.problems:
        out.error(line, record={"problem": line})
    counts = ", ".join(f"{n} {name}" for name, n in report.counts.items())
    if report.ok:
        out.message(f"The library is sound ({counts}).", record={"ok": True, **report.counts})
        return EXIT_OK
    return EXIT_FAILED


def cmd_backup(args: argparse.Namespace, out: Output) -> int:
    from clipper.cli import _open_library

    with _open_library(args, out, reconcile=False) as library:
        target = library.maintenance.backup(Path(args.path))
    out.message(f"Backup written to {target}", record={"backup": str(target)})
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace, Output], int]] = {
    "check": cmd_check,
    "backup": cmd_backup,
}
