"""`library.export`: writing clips out in the registry's formats (`export/registry.py`).

A manager of the `Library` facade, the one door for `clipper export` and the window's
File > Export: both name a format and the clips, and get the same files. It reads the
bundle (the clips, their passages and, for formats that want them, their images)
through the other managers; the formats themselves never see the library. Exporting
changes nothing in the library, so it returns what it wrote, not `Changes`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from clipper.export.registry import (
    EXPORTERS,
    ExportBundle,
    Exporter,
    ExportItem,
    Output,
    exporter,
    write_output,
)
from clipper.library.types import ClipFilter

if TYPE_CHECKING:
    from clipper.library.facade import Library

Progress = Callable[[int, int], None]
"""(clips read, total), while the bundle is read."""


class Export:
    """The export formats and exporting of one library (`library.export`)."""

    def __init__(self, library: Library) -> None:
        self._lib = library

    @staticmethod
    def formats() -> list[Exporter]:
        """Every format, in the order menus list them."""
        return list(EXPORTERS.values())

    @staticmethod
    def format(name: str) -> Exporter:
        """The format of that name; an unknown one is a `ClipperError` naming the known."""
        return exporter(name)

    def clip_ids(self, tag: str | None = None) -> list[int]:
        """The clips of an export of the library (or of one tag): oldest published first."""
        flt = ClipFilter(tag=tag) if tag is not None else None
        return self._lib.clips.ids(flt, "published", False)

    def bundle(
        self,
        ids: Sequence[int],
        *,
        images: bool = False,
        creator: str | None = None,
        progress: Progress | None = None,
    ) -> ExportBundle:
        """The clips, their passages and (`images`) their stored image bytes; `creator`
        (who made the passages, W3C) defaults to the login name."""
        lib = self._lib
        items = []
        for done, clip_id in enumerate(ids, 1):
            detail = lib.clips.get(clip_id)
            blobs = {}
            if images:
                blobs = {
                    f.blob_sha256: data
                    for f in detail.figures
                    if f.blob_sha256 and (data := lib.clips.blob(f.blob_sha256)) is not None
                }
            items.append(ExportItem(detail, tuple(lib.passages.find(clip_id)), blobs))
            if progress:
                progress(done, len(ids))
        return ExportBundle(tuple(items), creator=login_name() if creator is None else creator)

    def render(
        self,
        fmt: str,
        ids: Sequence[int],
        *,
        creator: str | None = None,
        progress: Progress | None = None,
    ) -> Output:
        """The export in memory: one file's text, or a folder's files."""
        chosen = exporter(fmt)
        bundle = self.bundle(ids, images=chosen.images, creator=creator, progress=progress)
        return chosen.export(bundle)

    def write(
        self,
        fmt: str,
        ids: Sequence[int],
        target: Path,
        *,
        creator: str | None = None,
        progress: Progress | None = None,
    ) -> list[Path]:
        """Write an export (one file, or a folder for a folder format); the paths written.
        An OS error is one line naming the target."""
        output = self.render(fmt, ids, creator=creator, progress=progress)
        return write_output(output, target)


def login_name() -> str:
    """Who made the passages, for W3C `creator` (the login name; empty if unknown)."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
