"""Clips as citations: CSL-JSON (Zotero, Pandoc), BibLaTeX and RIS.

A clip knows what a reference manager needs for a web article: title, site, authors,
publication date, URL and the day it was read (the clip date, as "accessed"). A clip
with both a site name and a publication date is cited as a newspaper article (news
sites, magazines, blogs); anything else as a web page.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only types: exporting must not import the database layer
    from clipper.library.types import ClipDetail

PARTICLES = {"da", "das", "de", "del", "della", "den", "der", "des", "di", "do", "dos", "du"}
PARTICLES |= {"la", "le", "ten", "ter", "van", "von", "zu", "bin", "ibn", "al", "el"}
SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
ORGANIZATION_WORDS = {
    "agency", "associated", "bbc", "board", "bureau", "desk", "editorial", "editors",
    "news", "newsroom", "press", "reuters", "staff", "team", "wire", "afp", "ap",
}  # fmt: skip
"""Words that mark a byline as an organization, kept whole ("Associated Press")."""
STOPWORDS = {
    "a", "an", "and", "at", "by", "de", "der", "die", "for", "from", "how", "in", "is",
    "its", "la", "le", "of", "on", "or", "the", "to", "what", "when", "why", "with",
}  # fmt: skip
_LANGIDS = {
    "en": "english", "fr": "french", "de": "ngerman", "es": "spanish", "it": "italian",
    "pt": "portuguese", "nl": "dutch", "ru": "russian", "pl": "polish", "sv": "swedish",
}  # fmt: skip


# --- names -------------------------------------------------------------------------------


def split_name(name: str) -> dict[str, str]:
    """A byline as CSL name parts: family/given (and particle, suffix) or a literal.

    "María López" -> López, María; "López, María" too; "Ludwig van Beethoven" -> family
    Beethoven with particle "van"; one word, a non-Latin script without spaces, or an
    organization ("Associated Press", "Reuters Staff") stays a literal.
    """
    name = " ".join(name.split())
    if not name:
        return {"literal": ""}
    if "," in name:
        family, _, given = (part.strip() for part in name.partition(","))
        if family and given and given.lower() not in SUFFIXES:
            return {"family": family, "given": given}
    words = [w for w in name.replace(",", " ").split(" ") if w]
    if len(words) < 2 or any(w.lower().strip(".") in ORGANIZATION_WORDS for w in words):
        return {"literal": name}
    parts: dict[str, str] = {}
    if words[-1].lower().rstrip(",") in SUFFIXES and len(words) > 2:
        parts["suffix"] = words.pop().rstrip(",")
        words[-1] = words[-1].rstrip(",")
    particle_at = len(words) - 1
    while particle_at > 1 and words[particle_at - 1].lower() in PARTICLES:
        particle_at -= 1
    parts["given"] = " ".join(words[:particle_at])
    if particle_at < len(words) - 1:
        parts["non-dropping-particle"] = " ".join(words[particle_at:-1])
    parts["family"] = words[-1]
    return {
        key: parts[key]
        for key in ("family", "given", "non-dropping-particle", "suffix")
        if key in parts
    }


def _family(parts: dict[str, str]) -> str:
    """The family name with its particle ("van Beethoven"), or the literal."""
    if "literal" in parts:
        return parts["literal"]
    particle = parts.get("non-dropping-particle")
    return f"{particle} {parts['family']}" if particle else parts["family"]


# --- CSL-JSON ----------------------------------------------------------------------------


def csl_type(detail: ClipDetail) -> str:
    return "article-newspaper" if detail.site_name and detail.published_at else "webpage"


def _date_parts(value: datetime) -> dict[str, Any]:
    return {"date-parts": [[value.year, value.month, value.day]]}


def _ascii_word(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    return re.sub(
        r"[^a-z0-9]", "", "".join(c for c in plain if not unicodedata.combining(c)).lower()
    )


def _first_significant(text: str) -> str:
    """The first word of `text` that is not a stop word or a number, folded to ASCII."""
    for candidate in re.findall(r"\w+", text):
        folded = _ascii_word(candidate)
        if folded and not folded.isdigit() and folded not in STOPWORDS:
            return folded
    return ""


def citation_key(detail: ClipDetail) -> str:
    """`lopez2022morocco`: first author's family name, year, first significant title word.

    Stable for a clip (no counters); `to_bibtex` adds a letter where two clips collide.
    Without an author the site name stands in; without a date, "nd".
    """
    who = ""
    if detail.authors:
        who = _ascii_word(_family(split_name(detail.authors[0])).split(" ")[-1])
    if not who:
        who = _first_significant(detail.site_name)
    year = str(detail.published_at.year) if detail.published_at else "nd"
    word = _first_significant(detail.title)
    return f"{who or 'anon'}{year}{word}" if (who or word) else f"clip{detail.id}"


def _url(detail: ClipDetail) -> str:
    return detail.canonical_url or detail.url


def to_csl_json(detail: ClipDetail) -> dict[str, Any]:
    """One CSL-JSON item (a list of these is what Zotero and Pandoc read)."""
    item: dict[str, Any] = {
        "id": citation_key(detail),
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
    return item


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
    family = tex_escape(_family(parts))
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
    if detail.subtitle:
        fields.append(("subtitle", tex_escape(detail.subtitle)))
    if detail.site_name:
        fields.append(("organization", tex_escape(detail.site_name)))
    if detail.published_at is not None:
        fields.append(("date", detail.published_at.date().isoformat()))
    fields.append(("url", _bib_url(_url(detail))))
    fields.append(("urldate", detail.clipped_at.date().isoformat()))
    langid = _LANGIDS.get(detail.language.split("-")[0].lower()) if detail.language else None
    if langid:
        fields.append(("langid", langid))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@online{{{key},\n{body}\n}}\n"


def to_bibtex(details: Iterable[ClipDetail]) -> str:
    """BibLaTeX `@online` entries; keys made unique with a, b, ... after the first."""
    used: set[str] = set()
    entries: list[str] = []
    for detail in details:
        base = key = citation_key(detail)
        n = 0
        while key in used:
            key = base + _letters(n)
            n += 1
        used.add(key)
        entries.append(_bibtex_entry(detail, key))
    return "\n".join(entries)


def _letters(n: int) -> str:
    """a, b, ..., z, aa, ab, ...: suffixes for colliding keys."""
    out = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


# --- RIS ---------------------------------------------------------------------------------


def _ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {' '.join(value.split())}"


def _ris_date(value: datetime) -> str:
    return f"{value.year:04d}/{value.month:02d}/{value.day:02d}/"


def _ris_record(detail: ClipDetail) -> list[str]:
    lines = [_ris_line("TY", "NEWS" if csl_type(detail) == "article-newspaper" else "ELEC")]
    lines.append(_ris_line("TI", detail.title))
    for author in detail.authors:
        parts = split_name(author)
        if "literal" in parts:
            name = parts["literal"]
        else:
            name = f"{_family(parts)}, {parts['given']}"
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
    lines.append("ER  - ")
    return lines


def to_ris(details: Iterable[ClipDetail]) -> str:
    """RIS records (TY NEWS or ELEC), a blank line between them.

    Lines end with "\n": Zotero, EndNote and Mendeley read that, and text written
    through a text-mode file gets the platform's line ends (a "\r\n" here would turn
    into "\r\r\n" on Windows).
    """
    records = ["\n".join(_ris_record(detail)) for detail in details]
    return "".join(record + "\n\n" for record in records)


__all__ = [
    "citation_key",
    "csl_type",
    "split_name",
    "tex_escape",
    "to_bibtex",
    "to_csl_json",
    "to_ris",
]
