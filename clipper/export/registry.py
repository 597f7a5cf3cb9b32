"""The export formats, in one registry: `library.export` (`library/exporting.py`) serves
it to `clipper export` and File > Export alike.

An `Exporter` is a name, a label, a file suffix ("" for a folder) and one function from
an `ExportBundle` (the clips, their passages and, for formats that want them, their
images) to its output: the text of one file, or a folder's files. Reading the bundle
(`library.export.bundle`) and writing the output (`write_output`) are the same for all
formats, so adding a format is one entry here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from clipper.errors import ClipperError

if TYPE_CHECKING:
    from clipper.library.types import ClipDetail, PassageInfo

Output = str | Mapping[str, bytes]
"""One file's text, or a folder's files (path relative to the folder -> bytes)."""


@dataclass(frozen=True)
class ExportItem:
    detail: ClipDetail
    passages: tuple[PassageInfo, ...] = ()
    images: Mapping[str, bytes] = field(default_factory=dict)
    """Blob SHA-256 -> image bytes (read only for exporters with `images=True`)."""


@dataclass(frozen=True)
class ExportBundle:
    """Everything an exporter may use, read from the library beforehand."""

    items: tuple[ExportItem, ...]
    creator: str = ""
    """Who made the passages (W3C `creator`)."""

    @property
    def details(self) -> list[ClipDetail]:
        return [item.detail for item in self.items]


@dataclass(frozen=True)
class Exporter:
    name: str
    """What `clipper export NAME` takes."""
    label: str
    """What the window's format list shows."""
    suffix: str
    """The file suffix (".bib"); "" for a format that writes a folder."""
    export: Callable[[ExportBundle], Output]
    images: bool = False
    """Whether the bundle must carry the clips' image bytes."""

    @property
    def folder(self) -> bool:
        return not self.suffix


def _markdown(bundle: ExportBundle) -> Output:
    from clipper.export.markdown import markdown_files

    return markdown_files((i.detail, i.passages, i.images) for i in bundle.items)


def _jsonld(bundle: ExportBundle) -> Output:
    from clipper.export.w3c import annotations_to_jsonld

    passages = [a for item in bundle.items for a in item.passages]
    clips = {item.detail.id: item.detail for item in bundle.items}
    return _json(annotations_to_jsonld(passages, clips, creator=bundle.creator))


def _csl(bundle: ExportBundle) -> Output:
    from clipper.export.citation import to_csl_items

    return _json(to_csl_items(bundle.details))


def _bibtex(bundle: ExportBundle) -> Output:
    from clipper.export.citation import to_bibtex

    return to_bibtex(bundle.details)


def _ris(bundle: ExportBundle) -> Output:
    from clipper.export.citation import to_ris

    return to_ris(bundle.details, {i.detail.id: i.passages for i in bundle.items})


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


EXPORTERS: dict[str, Exporter] = {
    e.name: e
    for e in (
        Exporter("markdown", "Markdown notes (folder)", "", _markdown, images=True),
        Exporter("jsonld", "W3C Web Annotations (.jsonld)", ".jsonld", _jsonld),
        Exporter("csl", "CSL-JSON (.json)", ".json", _csl),
        Exporter("bibtex", "BibLaTeX (.bib)", ".bib", _bibtex),
        Exporter("ris", "RIS (.ris)", ".ris", _ris),
    )
}
"""Every format, in the order menus list them."""


def exporter(name: str) -> Exporter:
    try:
        return EXPORTERS[name]
    except KeyError:
        known = ", ".join(EXPORTERS)
        raise ClipperError(f"unknown export format {name!r} (use: {known})") from None


def write_output(output: Output, target: Path) -> list[Path]:
    """Write one file (text) or a folder's files (replacing files of the same names);
    the paths written. Any OS error is one line naming the target."""
    try:
        if isinstance(output, str):
            target.write_text(output if output.endswith("\n") else output + "\n", encoding="utf-8")
            return [target]
        written = []
        target.mkdir(parents=True, exist_ok=True)
        for relative, data in output.items():
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            written.append(path)
        return written
    except OSError as exc:
        raise ClipperError(f"cannot write {target}: {exc.strerror or exc}") from exc


__all__ = [
    "EXPORTERS",
    "ExportBundle",
    "ExportItem",
    "Exporter",
    "Output",
    "exporter",
    "write_output",
]
