"""Bylines as citation names: a person (family, given, particle, suffix) or a literal.

An organisation ("Associated Press", "Reuters Staff", "Contributors to Wikimedia
projects") is cited whole, as a literal: splitting it would make "projects" a family name.
"""

from __future__ import annotations

import re

PARTICLES = {"da", "das", "de", "del", "della", "den", "der", "des", "di", "do", "dos", "du"}
PARTICLES |= {"la", "le", "ten", "ter", "van", "von", "zu", "bin", "ibn", "al", "el"}
SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
ORGANIZATION_WORDS = {
    "agency", "associated", "bbc", "board", "bureau", "desk", "editorial", "editors",
    "news", "newsroom", "press", "reuters", "staff", "team", "wire", "afp", "ap",
    "contributors", "projects", "foundation", "institute", "university", "ministry",
    "department", "office", "council", "committee", "association", "society", "media",
    "network", "service", "services", "inc", "ltd", "llc", "gmbh", "corporation",
}  # fmt: skip
"""Words that mark a byline as an organization, kept whole ("Associated Press")."""
_ORGANIZATION_START = re.compile(r"^(?:contributors|editors|staff|the)\b", re.IGNORECASE)


def is_organization(name: str) -> bool:
    words = [w.lower().strip(".,") for w in name.split()]
    return bool(_ORGANIZATION_START.match(name)) or any(w in ORGANIZATION_WORDS for w in words)


def split_name(name: str) -> dict[str, str]:
    """A byline as CSL name parts: family/given (and particle, suffix) or a literal.

    "María López" -> López, María; "López, María" too; "Ludwig van Beethoven" -> family
    Beethoven with particle "van"; one word, a non-Latin script without spaces, or an
    organization ("Associated Press", "Reuters Staff") stays a literal.
    """
    name = " ".join(name.split())
    if not name:
        return {"literal": ""}
    if is_organization(name):
        return {"literal": name}
    if "," in name:
        family, _, given = (part.strip() for part in name.partition(","))
        if family and given and given.lower() not in SUFFIXES:
            return {"family": family, "given": given}
    words = [w for w in name.replace(",", " ").split(" ") if w]
    if len(words) < 2:
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


def family_name(parts: dict[str, str]) -> str:
    """The family name with its particle ("van Beethoven"), or the literal."""
    if "literal" in parts:
        return parts["literal"]
    particle = parts.get("non-dropping-particle")
    return f"{particle} {parts['family']}" if particle else parts["family"]


__all__ = ["family_name", "is_organization", "split_name"]
