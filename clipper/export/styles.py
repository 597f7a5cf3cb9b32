"""Formatted citations (APA, Chicago author-date) rendered by citeproc-py from CSL-JSON.

The two styles are the Citation Style Language's own files (`csl/`, CC BY-SA 3.0, from
the CSL style repository), so a copied citation reads as Zotero would format it.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from clipper.export.citation import to_csl_items

if TYPE_CHECKING:
    from clipper.library.types import ClipDetail

CSL_DIR = Path(__file__).resolve().parent / "csl"
StyleName = Literal["apa", "chicago"]
STYLE_FILES: dict[str, str] = {"apa": "apa.csl", "chicago": "chicago-author-date.csl"}
STYLE_LABELS: dict[str, str] = {
    "apa": "APA",
    "chicago": "Chicago",
    "bibtex": "BibTeX",
    "markdown": "Markdown link",
}


@lru_cache(maxsize=4)
def _style(name: str) -> Any:
    from citeproc import CitationStylesStyle

    return CitationStylesStyle(str(CSL_DIR / STYLE_FILES[name]), validate=False)


def render_items(items: Sequence[dict[str, Any]], style: str = "apa") -> list[str]:
    """One bibliography entry per CSL-JSON item, in the order given, as plain text."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    if style not in STYLE_FILES:
        raise ValueError(f"unknown citation style {style!r} (use: {', '.join(STYLE_FILES)})")
    if not items:
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about CSL features it skips
        source = CiteProcJSON([dict(item) for item in items])
        bibliography = CitationStylesBibliography(_style(style), source, formatter.plain)
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        entries = {
            str(key): str(entry)
            for key, entry in zip(bibliography.keys, bibliography.bibliography(), strict=True)
        }
    return [" ".join(entries[str(item["id"]).lower()].split()) for item in items]


def render(details: Sequence[ClipDetail], style: str = "apa") -> list[str]:
    """Each clip's reference in `style`."""
    return render_items(to_csl_items(details), style)


CITE_STYLES = ("apa", "chicago", "bibtex", "markdown")
"""What Copy as Citation and `clipper cite` offer."""


def format_references(details: Sequence[ClipDetail], style: str) -> list[str]:
    """Each clip as `style` (apa, chicago, bibtex, markdown): what Copy citation copies."""
    from clipper.export.citation import markdown_link, to_bibtex

    if style == "bibtex":
        return [to_bibtex([d]).rstrip("\n") for d in details]
    if style == "markdown":
        return [markdown_link(d) for d in details]
    return render(details, style)


__all__ = [
    "CITE_STYLES",
    "STYLE_LABELS",
    "StyleName",
    "format_references",
    "render",
    "render_items",
]
