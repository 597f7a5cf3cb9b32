"""Publication dates: ISO 8601, RFC 2822 and plain dates, timezone-aware when the page is."""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime

_ISO_ZONE = re.compile(r"([+-]\d{2})(\d{2})$")
_DATE_ONLY = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?Z?$")


def parse_date(raw: str | None) -> datetime | None:
    """A datetime from a metadata date string, or None when it is not one.

    Aware when the string carries a zone (Z, +02:00, +0200, RFC 2822), naive otherwise.
    Years outside 1900-2100 are rejected: they are placeholders or typos, not dates.
    """
    if not raw:
        return None
    text = raw.strip()
    if not text or len(text) > 64:
        return None
    parsed = _iso(text) or _rfc2822(text) or _simple(text)
    if parsed is None or not 1900 <= parsed.year <= 2100:
        return None
    return parsed


def _iso(text: str) -> datetime | None:
    candidate = text.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text
    candidate = re.sub(r"(\.\d{1,6})\d*", r"\1", candidate)  # >6 fraction digits
    candidate = _ISO_ZONE.sub(r"\1:\2", candidate) if "T" in candidate else candidate
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        return None


def _rfc2822(text: str) -> datetime | None:
    if not re.search(r"[A-Za-z]{3}", text):
        return None
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _simple(text: str) -> datetime | None:
    match = _DATE_ONLY.match(text)
    try:
        if match:
            return datetime(int(match[1]), int(match[2]), int(match[3]))
        match = _COMPACT.match(text)
        if match:
            parts = [int(p) for p in match.groups() if p]
            return datetime(*parts)  # type: ignore[arg-type]
    except ValueError:
        return None
    return None


__all__ = ["parse_date"]
