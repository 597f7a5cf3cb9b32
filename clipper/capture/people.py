"""Author names: from whatever a byline or metadata field holds to a list of real names.

Bylines are written for eyes, not machines: "By Jane Doe and John Roe", "AFP Share",
"Jane Doe, Senior Reporter", "Posted by admin". The rules here keep people's (and
agencies') names and drop the words around them that a careless clipper keeps.
"""

from __future__ import annotations

import re

from clipper.capture.textutil import word_set

# Words that are interface, not names ("AFP Share" -> "AFP").
_UI_WORDS = re.compile(
    r"\b(?:share|shares|tweet|follow|email|e-mail|print|comment|comments|facebook|twitter|"
    r"linkedin|whatsapp|pinterest|reddit|instagram|bio|close|menu|subscribe|"
    r"view all posts|view all articles|all posts by|more from|more by|see all|read more|"
    r"updated|published|posted|last updated)\b",
    re.IGNORECASE,
)
_LEADING = re.compile(
    r"^(?:(?:written|posted|words|text|story|reporting|report|photos?|edited)\s+)?"
    r"(?:by|von|par|por|door|av|przez|от|автор)\s*:?\s+|^(?:author|authors|autor|auteur)"
    r"\s*:\s*",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*(?:,|;|\||&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bi\b|/|\n|•|·)\s*")
# Parts that are job titles or desks, not people.
_ROLE = re.compile(
    r"\b(?:reporter|writer|editor|editors|correspondent|columnist|contributor|contributing|"
    r"staff|desk|team|newsroom|analyst|producer|photographer|senior|chief|deputy|associate|"
    r"freelance|special to|for the|is a|is an|has been|follows?|covers?)\b",
    re.IGNORECASE,
)
_NOT_A_NAME = re.compile(r"https?:|www\.|@|\d{2,}|[{}<>=\[\]]")
_GENERIC = word_set(
    "admin administrator user guest anonymous unknown editor author staff webmaster "
    "redaktion redacción rédaction none null by"
)
_MAX_WORDS = 5
_AGENCY = re.compile(
    r"^(?:AFP|AP|Reuters|Associated Press|Agence France-Presse|dpa|ANSA|EFE|Xinhua|TASS|"
    r"Bloomberg|PA Media|Press Association|Kyodo|Yonhap|UPI|Anadolu|PTI|IANS|Canadian Press|"
    r"AAP|CNA|Bernama|Antara|Europa Press|KNA|APA|SDA|Belga|ANP|NTB|TT|Ritzau|STT|"
    r"Interfax|RIA Novosti|Tribune News Service|Staff and agencies|Agencies)$",
    re.IGNORECASE,
)


def _clean_one(part: str) -> str:
    part = _UI_WORDS.sub(" ", part)
    part = " ".join(part.split()).strip(" -–—:,.|()[]")
    part = _LEADING.sub("", part).strip(" -–—:,.|")
    return part


def _without_role(name: str) -> str:
    """ "Jane Doe Staff Writer" -> "Jane Doe"; a part that is only a role -> ""."""
    match = _ROLE.search(name)
    if not match:
        return name
    before = name[: match.start()].strip(" -–—:,.|")
    return before if len(before.split()) >= 2 else ""


def _plausible(name: str) -> bool:
    if not name or len(name) < 2 or len(name) > 60:
        return False
    if _NOT_A_NAME.search(name) or _ROLE.search(name):
        return False
    words = name.split()
    if len(words) > _MAX_WORDS or name.lower() in _GENERIC:
        return False
    return any(ch.isalpha() for ch in name)


def split_byline(text: str) -> list[str]:
    """The names in one byline string ("By A and B" -> ["A", "B"])."""
    text = " ".join(text.split())
    if text.lower().startswith(("http:", "https:", "www.", "//")):
        return []  # article:author often holds a profile URL, not a name
    text = _LEADING.sub("", text)
    names: list[str] = []
    for raw in _SPLIT.split(text):
        name = _without_role(_clean_one(raw))
        if _plausible(name):
            if name.isupper() and len(name.split()) >= 2:
                name = name.title()  # "JANE DOE" -> "Jane Doe"; "AFP" stays
            names.append(name)
    return names


def is_agency(name: str) -> bool:
    """A news agency or wire service rather than a person ("AFP", "Reuters")."""
    return bool(_AGENCY.match(name)) or (name.isupper() and len(name) <= 5 and " " not in name)


def clean_authors(values: list[str]) -> list[str]:
    """Names from several raw author strings, deduplicated case-insensitively, in order.

    An agency next to a person ("By Maria Lopez, AFP") is the person's affiliation and
    is dropped; an agency alone ("By AFP") is the author.
    """
    seen: set[str] = set()
    names: list[str] = []
    for value in values:
        for name in split_byline(value):
            key = name.casefold()
            if key not in seen:
                seen.add(key)
                names.append(name)
    people = [n for n in names if not is_agency(n)]
    return people or names


__all__ = ["clean_authors", "is_agency", "split_byline"]
