"""Exporting clips to files, for the CLI's `clipper export` and the window's File > Export.

One function per job so both front ends write exactly the same files: a Markdown folder
(notes and images), W3C annotations (JSON-LD), CSL-JSON, BibLaTeX or RIS. `progress`
is called with (clips done, total) while the clips are read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from clipper.errors import ClipperError

if TYPE_CHECKING:
    from clipper.library.facade import Library
    from clipper.library.types import AnnotationInfo, ClipDetail

EXPORT_FORMATS = ("markdown", "jsonld", "csl", "bibtex", "ris")
FORMAT_LABELS = {
    "markdown": "Markdown notes (folder)",
    "jsonld": "W3C Web Annotations (.jsonld)",
    "csl": "CSL-JSON (.json)",
    "bibtex": "BibLaTeX (.bib)",
    "ris": "RIS (.ris)",
}
SUFFIXES = {"jsonld": ".jsonld", "csl": ".json", "bibtex": ".bib", "ris": ".ris"}
Progress = Callable[[int, int], None]


def _read(
    library: Library, ids: Sequence[int], progress: Progress | None
) -> list[tuple[ClipDetail, list[AnnotationInfo]]]:
    items = []
    for done, clip_id in enumerate(ids, 1):
        items.append((library.clips.get(clip_id), library.passages.find(clip_id)))
        if progress:
            progress(done, len(ids))
    return items


def export_text(
    library: Library,
    fmt: str,
    ids: Sequence[int],
    *,
    creator: str = "",
    progress: Progress | None = None,
) -> str:
    """One of the file formats (not markdown) as text."""
    from clipper.export.citation import to_bibtex, to_csl_items, to_ris
    from clipper.export.w3c import annotations_to_jsonld

    items = _read(library, ids, progress)
    details = [d for d, _ in items]
    if fmt == "jsonld":
        annotations = [a for _, passages in items for a in passages]
        data = annotations_to_jsonld(annotations, {d.id: d for d in details}, creator=creator)
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csl":
        return json.dumps(to_csl_items(details), ensure_ascii=False, indent=2) + "\n"
    if fmt == "bibtex":
        return to_bibtex(details)
    if fmt == "ris":
        return to_ris(details, {d.id: passages for d, passages in items})
    raise ClipperError(f"unknown export format {fmt!r} (use: {', '.join(EXPORT_FORMATS)})")


def export_markdown(
    library: Library, ids: Sequence[int], folder: Path, progress: Progress | None = None
) -> list[Path]:
    """A note per clip and its images under `assets/`; the files written."""
    from clipper.export.markdown import export_markdown_folder

    items = []
    for detail, passages in _read(library, ids, progress):
        images = {
            f.blob_sha256: data
            for f in detail.figures
            if f.blob_sha256 and (data := library.clips.blob(f.blob_sha256)) is not None
        }
        items.append((detail, passages, images))
    try:
        return export_markdown_folder(items, folder)
    except OSError as exc:
        raise ClipperError(f"cannot write {folder}: {exc.strerror or exc}") from exc


def export_to(
    library: Library,
    fmt: str,
    ids: Sequence[int],
    target: Path,
    *,
    creator: str = "",
    progress: Progress | None = None,
) -> list[Path]:
    """Write an export: a folder for markdown, else one file. Returns what was written."""
    if fmt == "markdown":
        return export_markdown(library, ids, target, progress)
    text = export_text(library, fmt, ids, creator=creator, progress=progress)
    write_text(text, target)
    return [target]


def write_text(text: str, target: Path) -> None:
    try:
        target.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    except OSError as exc:
        raise ClipperError(f"cannot write {target}: {exc.strerror or exc}") from exc


def login_name() -> str:
    """Who made the passages, for W3C `creator` (the login name; empty if unknown)."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


__all__ = [
    "EXPORT_FORMATS",
    "FORMAT_LABELS",
    "SUFFIXES",
    "export_markdown",
    "export_text",
    "export_to",
    "login_name",
]
