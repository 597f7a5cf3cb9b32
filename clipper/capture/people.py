"""Author names: from whatever a byline or metadata field holds to a list of real names.

Bylines are written for eyes, not machines: "By Jane Doe and John Roe", "AFP Share",
"Jane Doe, Senior Reporter", "Posted by admin". The rules here keep people's (and
agencies') names and drop the words around them that a careless clipper keeps.
"""

from __future__ import annotations

import re

from clipper.capture.textutil import word_set
from clipper.rules import text_key

# Words that are interface, not names ("AFP Share" -> "AFP").
_UI_WORDS = re.compile(
    r"\b(?:share|shares|tweet|follow|email|e-mail|print|comment|comments|facebook|twitter|"
    r"linkedin|whatsapp|pinterest|reddit|instagram|bio|close|menu|subscribe|"
    r"view all posts|view all articles|all posts by|more from|more by|see all|read more|"
    r"updated|published|posted|last updated)\b",
    re.IGNORECASE,
)
_LEADING = re.compile(
    r"^(?:(?:written|posted|words|text|story|reporting|report|photos?|edited|analysis|opinion|"
    r"commentary|review|interview|column|perspective|publicado|publié|veröffentlicht)\s+)?"
    r"(?:by|von|par|por|door|av|przez|от|автор)\s*:?\s+|^(?:author|authors|autor|auteur|"
    r"text|texto|testo|tekst|текст|words|story)\s*:\s*",
    re.IGNORECASE,
)
# A date or time after the name: "Carrie Arnold November 15, 2019", "X on Monday, ...".
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?"
_DATE_TAIL = re.compile(
    rf"\s+(?:(?:on|at|le|am|el)\s+(?:{_WEEKDAY}\b|{_MONTH}\b|\d)|{_WEEKDAY}\b,?\s+{_MONTH}\b|"
    rf"{_MONTH}\.?\s+\d|\d|(?:updated|published|posted)\b).*$",
    re.IGNORECASE,
)
# Lower-case words that belong inside names ("Ludwig van Beethoven", "Ana de Armas").
_PARTICLES = word_set(
    "de da do dos das del della dei di du la le van von der den ten ter bin ibn al el y e zu af dit"
)
# Collective authorship as wikis state it: "Contributors to Wikimedia projects".
_COLLECTIVE = re.compile(r"^(?:contributors to \S|\S+ contributors$)", re.IGNORECASE)
# Words that turn a role into a longer role: "News reporter", "Senior political editor".
_ROLE_MODIFIERS = word_set(
    "news political politics senior chief staff sports sport business health science tech "
    "technology foreign economics education environment entertainment music film digital "
    "contributing deputy associate managing executive national international data legal "
    "investigative special general lead global culture arts opinion"
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
_AGENCY_NAMES = (
    r"AFP|AP|Reuters|Associated Press|Agence France-Presse|dpa|ANSA|EFE|Xinhua|TASS|"
    r"Bloomberg|PA Media|Press Association|Kyodo|Yonhap|UPI|Anadolu|PTI|IANS|Canadian Press|"
    r"AAP|CNA|Bernama|Antara|Europa Press|KNA|APA|SDA|Belga|ANP|NTB|TT|Ritzau|STT|"
    r"Interfax|RIA Novosti|Tribune News Service|Staff and agencies|Agencies"
)
_AGENCY = re.compile(rf"^(?:{_AGENCY_NAMES})$", re.IGNORECASE)
_AGENCY_TAIL = re.compile(rf"[\s,]+(?:{_AGENCY_NAMES})$", re.IGNORECASE)


def _clean_one(part: str) -> str:
    part = _LEADING.sub("", " ".join(part.split()))
    part = _DATE_TAIL.sub("", part)
    part = _UI_WORDS.sub(" ", part)
    part = " ".join(part.split()).strip(" -–—:,.|()[]")
    part = _LEADING.sub("", part).strip(" -–—:,.|")
    return part


def _without_role(name: str) -> str:
    """ "Jane Doe Staff Writer" -> "Jane Doe"; a part that is only a role -> ""."""
    match = _ROLE.search(name)
    if not match:
        return _without_agency_tail(name)
    words = name[: match.start()].strip(" -–—:,.|").split()
    while words and words[-1].casefold() in _ROLE_MODIFIERS:
        words.pop()
    return " ".join(words) if len(words) >= 2 else ""


def _without_agency_tail(name: str) -> str:
    """ "ERIC TUCKER Associated Press" -> "ERIC TUCKER" (the agency is an affiliation)."""
    match = _AGENCY_TAIL.search(name)
    if match and len(name[: match.start()].split()) >= 2:
        return name[: match.start()].strip(" -–—:,.|")
    return name


def _plausible(name: str) -> bool:
    if not name or len(name) < 2 or len(name) > 60:
        return False
    if _NOT_A_NAME.search(name) or _ROLE.search(name):
        return False
    words = name.split()
    if len(words) > _MAX_WORDS or name.lower() in _GENERIC or words[0].casefold() == "the":
        return False  # "The Russian ..." is an organisation, not a person
    if (
        len(words) >= 2
        and not _COLLECTIVE.match(name)
        and any(w[:1].islower() and w.casefold() not in _PARTICLES for w in words[1:])
    ):
        return False  # "Detroit News wire services": prose, not a name
    handle = name.islower() or (name.isupper() and len(name) > 5)
    if len(words) == 1 and handle and not _AGENCY.match(name):
        return False  # "webnata", "KWCHCIK": an account or a code, not a byline
    return any(ch.isalpha() for ch in name)


def split_byline(text: str) -> list[str]:
    """The names in one byline string ("By A and B" -> ["A", "B"])."""
    text = " ".join(text.split())
    if text.lower().startswith(("http:", "https:", "www.", "//")):
        return []  # article:author often holds a profile URL, not a name
    text = _DATE_TAIL.sub("", _LEADING.sub("", text))
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


def _words(text: str) -> list[str]:
    return text_key(text).split()


def _contains(outer: list[str], inner: list[str]) -> bool:
    """Whether `inner` is a run of consecutive words of `outer`."""
    size = len(inner)
    return size > 0 and any(outer[i : i + size] == inner for i in range(len(outer) - size + 1))


def without_site(names: list[str], site_names: list[str], *, strict: bool = False) -> list[str]:
    """Drop the site posing as an author ("Beachbody" on The Beachbody Blog, "CNN
    Business" on CNN) and cut a site name glued to a person ("Jane Doe. Daily Planet").

    A one-word name that is part of a site name is the brand, and a name that starts with
    the site's name is one of its desks. A longer name equal to the site is kept, as on a
    personal site named after its author ("Paul Graham"), unless `strict` (the page itself
    typed the author as an organisation): then any name within the site's name goes.
    """
    sites = [w for w in (_words(s) for s in site_names if s) if w]
    kept: list[str] = []
    seen: set[str] = set()
    for name in names:
        words = _words(name)
        if not words or any(_is_site(words, site, strict) for site in sites):
            continue
        for site in sites:
            if len(words) - len(site) >= 2 and words[-len(site) :] == site:
                cut = name.casefold().rfind(site[0])
                name = name[:cut].strip(" -–—:,.|") if cut > 0 else name
        if name.casefold() not in seen:
            seen.add(name.casefold())
            kept.append(name)
    return kept


def _is_site(words: list[str], site: list[str], strict: bool) -> bool:
    if len(words) > len(site) and words[: len(site)] == site:
        return True  # "CNN Business" on CNN
    if "".join(words) == "".join(site) or _contains(site, words):
        return strict or len(words) == 1
    return False


__all__ = ["clean_authors", "is_agency", "split_byline", "without_site"]
