"""Exporting clips, for the CLI's `clipper export` and the window's File > Export.

Both front ends call `export_to` (or `read_bundle` and an `Exporter` from the registry,
`export/registry.py`), so they write exactly the same files. `progress` is called with
(clips done, total) while the clips are read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from clipper.export.registry import ExportBundle, ExportItem, exporter, write_output

if TYPE_CHECKING:
    from clipper.library.facade import Library

Progress = Callable[[int, int], None]


def read_bundle(
    library: Library,
    ids: Sequence[int],
    *,
    images: bool = False,
    creator: str = "",
    progress: Progress | None = None,
) -> ExportBundle:
    """The clips, their passages and (`images`) their stored image bytes."""
    items = []
    for done, clip_id in enumerate(ids, 1):
        detail = library.clips.get(clip_id)
        blobs = {}
        if images:
            blobs = {
                f.blob_sha256: data
                for f in detail.figures
                if f.blob_sha256 and (data := library.clips.blob(f.blob_sha256)) is not None
            }
        items.append(ExportItem(detail, tuple(library.passages.find(clip_id)), blobs))
        if progress:
            progress(done, len(ids))
    return ExportBundle(tuple(items), creator=creator)


def export_to(
    library: Library,
    fmt: str,
    ids: Sequence[int],
    target: Path,
    *,
    creator: str = "",
    progress: Progress | None = None,
) -> list[Path]:
    """Write an export (a folder or one file, as the format says); what was written."""
    chosen = exporter(fmt)
    bundle = read_bundle(library, ids, images=chosen.images, creator=creator, progress=progress)
    return write_output(chosen.export(bundle), target)


def login_name() -> str:
    """Who made the passages, for W3C `creator` (the login name; empty if unknown)."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


__all__ = ["export_to", "login_name", "read_bundle"]
