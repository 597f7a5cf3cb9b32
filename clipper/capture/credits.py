"""Splitting an image caption from its credit.

Credits hide at the end of captions in a few recurring shapes: "(Photo: Jane Doe)",
"Photograph: Jane Doe/Reuters", "Credit: ...", "(AP Photo/Jane Doe)", "© Reuters".
The credit we store carries no brackets and no label word ("Photo:", "Credit:"), but an
agency form that *is* the credit ("AP Photo/Jane Doe", "© Reuters") stays whole.
"""

from __future__ import annotations

import re

_LABEL = (
    r"(?:photos?|photograph(?:s|y)?|images?|pictures?|pics?|credits?|photo credits?|"
    r"image credits?|picture credits?|illustrations?|video|source|foto(?:s|grafie)?|bild|"
    r"fotografia|crédito|crédit|créditos)"
)
# A label word and its punctuation at the start of a credit: "Photo: ", "Photo by ".
_LEADING_LABEL = re.compile(
    rf"^(?:{_LABEL})\s*(?::|by\b|-|–|—)\s*|^(?:photo|image|picture)\s+courtesy\s+(?:of\s+)?",
    re.IGNORECASE,
)
# Agencies and stock libraries whose names alone make a bracketed tail a credit.
_AGENCIES = (
    r"AP|AFP|Reuters|Getty(?: Images)?|EPA|Xinhua|Bloomberg|Shutterstock|iStock(?:photo)?|"
    r"Alamy|PA(?: Wire| Images)?|Pool|Sipa|ANP|DPA|ANSA|Kyodo|Yonhap|TASS|UPI|NurPhoto|"
    r"Wikimedia Commons|Unsplash|Flickr|Courtesy"
)
_AGENCY_FORM = re.compile(rf"^(?:©|\(c\)|copyright\b|(?:{_AGENCIES})\b)", re.IGNORECASE)
_AGENCY_PHOTO = re.compile(rf"\b(?:{_AGENCIES})\s+(?:Photo|Images?|Pool)\s*/", re.IGNORECASE)

# "... (Photo: X)" / "... (AP Photo/X)" / "... (Getty Images)" at the end.
_BRACKETED_TAIL = re.compile(r"\s*[(\[]([^()\[\]]{2,160})[)\]]\s*\.?\s*$")
# "... Photograph: X" / "... Credit: X" at the end (after the caption proper).
_LABELLED_TAIL = re.compile(
    rf"(?P<label>{_LABEL})(?:\s+credit)?\s*:\s*(?P<credit>[^:]{{2,160}})$", re.IGNORECASE
)
_PHOTO_BY_TAIL = re.compile(
    r"(?P<label>(?:photo|photograph|image|picture)s?)\s+(?:by|courtesy(?:\s+of)?)\s+"
    r"(?P<credit>[^.]{2,120})\.?$",
    re.IGNORECASE,
)
# "... AP Photo/X" or "... © Reuters" at the end, kept whole.
_AGENCY_TAIL = re.compile(
    rf"(?P<credit>(?:©|\(c\))\s*[^.©]{{2,100}}|(?:{_AGENCIES})\s+(?:Photo|Images?)\s*/\s*[^.]"
    r"{2,100})\.?$",
    re.IGNORECASE,
)
_CREDIT_WORDS = re.compile(
    rf"\b(?:photo|photograph|image|picture|credit|courtesy|illustration|foto|bild|{_AGENCIES})\b|©"
    r"|/",
    re.IGNORECASE,
)


def clean_credit(text: str) -> str:
    """A credit without brackets or a leading label ("(Photo: X)" -> "X")."""
    credit = " ".join(text.split()).strip()
    for _ in range(2):
        if len(credit) >= 2 and credit[0] in "([" and credit[-1] in ")]":
            credit = credit[1:-1].strip()
        credit = credit.rstrip(" .;,")
    if _AGENCY_PHOTO.search(credit) or credit.startswith(("©", "(c)")):
        return credit  # "AP Photo/Jane Doe", "© Reuters": the label is the credit
    stripped = _LEADING_LABEL.sub("", credit).strip()
    return stripped or credit


def _looks_like_credit(inner: str) -> bool:
    """Whether a bracketed tail is a credit rather than an aside ("(left)", "(2019)")."""
    inner = inner.strip()
    if _AGENCY_FORM.match(inner) or _AGENCY_PHOTO.search(inner):
        return True
    return bool(re.match(rf"^(?:{_LABEL})\s*(?::|by\b)", inner, re.IGNORECASE))


def _starts_credit(caption: str, start: int, label: str) -> bool:
    """A label starts a credit at the start, after a sentence, or when capitalised."""
    before = caption[:start].rstrip()
    return not before or before[-1] in ".!?\"'”’)]|–—-" or label[:1].isupper()


def split_caption(text: str) -> tuple[str, str]:
    """(caption, credit) from one caption text; credit is "" when none is found."""
    caption = " ".join(text.split()).strip()
    if not caption:
        return "", ""
    match = _BRACKETED_TAIL.search(caption)
    if match and _looks_like_credit(match.group(1)):
        return caption[: match.start()].rstrip(), clean_credit(match.group(1))
    found = _AGENCY_TAIL.search(caption)
    if found and (found.start() == 0 or caption[found.start() - 1].isspace()):
        return caption[: found.start()].rstrip(), clean_credit(found.group("credit"))
    for pattern in (_LABELLED_TAIL, _PHOTO_BY_TAIL):
        for found in pattern.finditer(caption):
            if _starts_credit(caption, found.start(), found.group("label")):
                credit = found.group("credit").strip()
                return caption[: found.start()].rstrip(), clean_credit(credit)
    return caption, ""


def merge_credit(caption: str, credit: str) -> tuple[str, str]:
    """Combine a caption with a credit found in its own element (span.credit, etc.).

    The caption may still end with the same credit, or hold one of its own when the
    credit element is empty.
    """
    caption = " ".join(caption.split())
    credit = clean_credit(credit) if credit else ""
    if credit:
        if caption.endswith(credit):
            caption = caption[: -len(credit)].rstrip(" ([").rstrip()
        own_caption, own_credit = split_caption(caption)
        if own_credit and own_credit.casefold() == credit.casefold():
            caption = own_caption
        return caption.strip(), credit
    return split_caption(caption)


def is_credit_text(text: str) -> bool:
    """Whether a short text reads as a credit on its own ("Photo: Jane Doe", "© AFP")."""
    text = " ".join(text.split())
    if not text or len(text) > 160:
        return False
    inner = text.strip("()[] ")
    return _looks_like_credit(inner) or (
        len(text.split()) <= 8 and bool(_CREDIT_WORDS.search(text))
    )


__all__ = ["clean_credit", "is_credit_text", "merge_credit", "split_caption"]
