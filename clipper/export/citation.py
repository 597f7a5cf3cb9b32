"""Clips as citations: CSL-JSON (Zotero, Pandoc), BibLaTeX and RIS.

A clip knows what a reference manager needs for a web article: title, site, authors,
publication date, URL and the day it was read (the clip date, as "accessed"). A clip
with both a site name and a publication date is cited as a newspaper article (news
sites, magazines, blogs); anything else as a web page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from clipper.export.citekeys import base_key, unique_key
from clipper.export.names import family_name, split_name

if TYPE_CHECKING:  # only types: exporting must not import the database layer
    from clipper.library.types import ClipDetail, PassageInfo

_LANGIDS = {
    "en": "english", "fr": "french", "de": "ngerman", "es": "spanish", "it": "italian",
    "pt": "portuguese", "nl": "dutch", "ru": "russian", "pl": "polish", "sv": "swedish",
}  # fmt: skip
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


# --- CSL-JSON ----------------------------------------------------------------------------


def csl_type(detail: ClipDetail) -> str:
    return "article-newspaper" if detail.site_name and detail.published_at else "webpage"


def _date_parts(value: datetime) -> dict[str, Any]:
    """The date as the publisher wrote it: `published_at` carries the publisher's offset."""
    return {"date-parts": [[value.year, value.month, value.day]]}


def citation_key(detail: ClipDetail) -> str:
    """The clip's stored key; for a value built by hand, the key it would get."""
    if detail.citation_key:
        return detail.citation_key
    year = detail.published_at.year if detail.published_at else None
    return base_key(detail.id, detail.title, detail.authors, detail.site_name, year)


def _unique_keys(details: Sequence[ClipDetail]) -> list[str]:
    """Each detail's key; hand-made values that collide get a, b, ... (stored keys are
    unique in their library already)."""
    used: set[str] = set()
    keys = []
    for detail in details:
        key = unique_key(citation_key(detail), used)
        used.add(key)
        keys.append(key)
    return keys


def _url(detail: ClipDetail) -> str:
    return detail.canonical_url or detail.url


def to_csl_items(details: Iterable[ClipDetail]) -> list[dict[str, Any]]:
    """CSL-JSON items with unique ids (citeproc keeps one item per id)."""
    details = list(details)
    return [to_csl_json(d, key) for d, key in zip(details, _unique_keys(details), strict=True)]


def to_csl_json(detail: ClipDetail, key: str | None = None) -> dict[str, Any]:
    """One CSL-JSON item (a list of these is what Zotero and Pandoc read)."""
    item: dict[str, Any] = {
        "id": key or citation_key(detail),
        "type": csl_type(detail),
        "title": detail.title,
    }
    if detail.site_name:
        item["container-title"] = detail.site_name
    authors = [split_name(a) for a in detail.authors if a.strip()]
    if authors:
        item["author"] = authors
    if detail.published_at is not None:
        item["issued"] = _date_parts(detail.published_at)
    item["accessed"] = _date_parts(detail.clipped_at)
    item["URL"] = _url(detail)
    if detail.language:
        item["language"] = detail.language
    if detail.subtitle:
        item["abstract"] = detail.subtitle
    if detail.tags:
        item["keyword"] = ", ".join(detail.tags)
    return item


def markdown_link(detail: ClipDetail) -> str:
    """`[Title](URL) — Site, 2022-07-26`: a clip as a Markdown link (canonical URL)."""
    title = detail.title.replace("[", "\\[").replace("]", "\\]")
    url = _url(detail).replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    tail = [detail.site_name] if detail.site_name else []
    if detail.published_at is not None:
        tail.append(detail.published_at.date().isoformat())
    return f"[{title}]({url})" + (f" — {', '.join(tail)}" if tail else "")


# --- BibLaTeX ----------------------------------------------------------------------------

_TEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}


def tex_escape(text: str) -> str:
    """Escape LaTeX specials; UTF-8 letters stay (biber reads them)."""
    return "".join(_TEX_SPECIAL.get(c, c) for c in " ".join(text.split()))


def _bib_name(name: str) -> str:
    parts = split_name(name)
    if "literal" in parts:
        return "{" + tex_escape(parts["literal"]) + "}"
    family = tex_escape(family_name(parts))
    if "suffix" in parts:
        return f"{family}, {tex_escape(parts['suffix'])}, {tex_escape(parts['given'])}"
    return f"{family}, {tex_escape(parts['given'])}"


def _bib_url(url: str) -> str:
    """URLs are verbatim in BibLaTeX; only braces and spaces need percent-encoding."""
    return url.replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")


def _bibtex_entry(detail: ClipDetail, key: str) -> str:
    fields: list[tuple[str, str]] = []
    authors = [a for a in detail.authors if a.strip()]
    if authors:
        fields.append(("author", " and ".join(_bib_name(a) for a in authors)))
    fields.append(("title", "{" + tex_escape(detail.title) + "}"))
    if detail.site_name:
        fields.append(("organization", tex_escape(detail.site_name)))
    if detail.published_at is not None:
        published = detail.published_at
        fields.append(("date", published.date().isoformat()))
        fields.append(("year", str(published.year)))
        fields.append(("month", _MONTHS[published.month - 1]))
    fields.append(("url", _bib_url(_url(detail))))
    fields.append(("urldate", detail.clipped_at.date().isoformat()))
    langid = _LANGIDS.get(detail.language.split("-")[0].lower()) if detail.language else None
    if langid:
        fields.append(("langid", langid))
    if detail.subtitle:
        fields.append(("abstract", tex_escape(detail.subtitle)))
    if detail.tags:
        fields.append(("keywords", ", ".join(tex_escape(t) for t in detail.tags)))
    body = ",\n".join(
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
        for name, value in fields
    )
    return f"@online{{{key},\n{body}\n}}\n"


def to_bibtex(details: Iterable[ClipDetail]) -> str:
    """BibLaTeX `@online` entries under each clip's stored key.

    `month` is the standard three-letter macro (`jul`), which BibTeX styles print as a
    month name and biblatex reads as a number; `date` serves biblatex, `year`/`month`
    the classic styles.
    """
    details = list(details)
    keys = _unique_keys(details)
    return "\n".join(_bibtex_entry(d, key) for d, key in zip(details, keys, strict=True))


# --- RIS ---------------------------------------------------------------------------------


def _ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(value.split())}"


def _ris_date(value: datetime) -> str:
    return f"{value.year:04d}/{value.month:02d}/{value.day:02d}/"


def _ris_record(detail: ClipDetail, passages: Sequence[PassageInfo]) -> list[str]:
    lines = [_ris_line("TY", "NEWS" if csl_type(detail) == "article-newspaper" else "ELEC")]
    lines.append(_ris_line("TI", detail.title))
    for author in detail.authors:
        parts = split_name(author)
        if "literal" in parts:
            name = parts["literal"]
        else:
            name = f"{family_name(parts)}, {parts['given']}"
            if "suffix" in parts:
                name += f", {parts['suffix']}"
        if name:
            lines.append(_ris_line("AU", name))
    if detail.site_name:
        lines.append(_ris_line("T2", detail.site_name))
    if detail.published_at is not None:
        lines.append(_ris_line("PY", str(detail.published_at.year)))
        lines.append(_ris_line("DA", _ris_date(detail.published_at)))
    lines.append(_ris_line("UR", _url(detail)))
    lines.append(_ris_line("Y2", _ris_date(detail.clipped_at)))
    if detail.language:
        lines.append(_ris_line("LA", detail.language))
    if detail.subtitle:
        lines.append(_ris_line("AB", detail.subtitle))
    lines.extend(_ris_line("KW", tag) for tag in detail.tags)
    lines.extend(_ris_line("N1", passage_note(p)) for p in passages)
    lines.append("ER  - ")
    return lines


def passage_note(passage: PassageInfo) -> str:
    """A highlight as one line of notes: the quote (as made), then the researcher's note."""
    text = f"“{passage.exact}”"
    if passage.state == "changed":
        text += f" (now reads: “{passage.current_exact}”)"
    return f"{text} — {passage.note}" if passage.note.strip() else text


def to_ris(
    details: Iterable[ClipDetail],
    passages: Mapping[int, Sequence[PassageInfo]] | None = None,
) -> str:
    """RIS records (TY NEWS or ELEC), a blank line between them; each highlight with its
    note is an `N1` line (notes), as Zotero imports them.

    Lines end with "\n": Zotero, EndNote and Mendeley read that, and text written
    through a text-mode file gets the platform's line ends (a "\r\n" here would turn
    into "\r\r\n" on Windows).
    """
    passages = passages or {}
    records = ["\n".join(_ris_record(d, passages.get(d.id, ()))) for d in details]
    return "".join(record + "\n\n" for record in records)


__all__ = [
    "citation_key",
    "csl_type",
    "markdown_link",
    "passage_note",
    "split_name",
    "tex_escape",
    "to_bibtex",
    "to_csl_items",
    "to_csl_json",
    "to_ris",
]
