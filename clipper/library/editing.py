"""A researcher's corrections of metadata, with provenance (`library.clips.edit_metadata`).

A corrected field is marked "user" in `Clip.metadata_sources`; `store.apply_metadata`
never overwrites such a field, so corrections survive re-clips and `reextract`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from clipper.errors import LibraryError
from clipper.library.types import ClipDetail

EDITABLE = ("title", "subtitle", "authors", "published", "site_name", "canonical_url")

MetadataValue = str | list[str] | datetime | None
"""An edited field's value: text, the authors' names, or the published date (None clears)."""


def check_values(values: Mapping[str, MetadataValue]) -> dict[str, MetadataValue]:
    """Clean and validate edited values; raises LibraryError with a one-line reason."""
    clean: dict[str, MetadataValue] = {}
    for name, value in values.items():
        if name not in EDITABLE:
            raise LibraryError(f"{name!r} cannot be edited (fields: {', '.join(EDITABLE)})")
        if name == "authors":
            if not isinstance(value, list | tuple):
                raise LibraryError(f"authors must be a list of names, not {value!r}")
            clean[name] = [" ".join(str(a).split()) for a in value if str(a).strip()]
        elif name == "published":
            if value is not None and not isinstance(value, datetime):
                raise LibraryError(f"published must be a date, not {value!r}")
            clean[name] = value
        else:
            clean[name] = " ".join(str(value).split())
    if "title" in clean and not clean["title"]:
        raise LibraryError("a clip's title cannot be empty")
    url = clean.get("canonical_url")
    if isinstance(url, str) and url and not url.startswith(("http://", "https://")):
        raise LibraryError(f"not an http(s) URL: {url}")
    return clean


def parse_date_input(raw: str, what: str = "published") -> datetime | None:
    """A typed date: "" clears; YYYY-MM-DD or an ISO date-time, the offset kept."""
    text = raw.strip()
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise LibraryError(
            f"{what}: not a date: {raw!r} (use YYYY-MM-DD or 2022-07-26T01:30:00+03:00)"
        ) from None
    if not 1000 <= value.year <= 2999:
        raise LibraryError(f"{what}: implausible year in {raw!r}")
    return value


def metadata_of(detail: ClipDetail) -> dict[str, MetadataValue]:
    """A clip's editable values (undo keeps them with `detail.sources`)."""
    return {
        "title": detail.title,
        "subtitle": detail.subtitle,
        "authors": list(detail.authors),
        "published": detail.published_at,
        "site_name": detail.site_name,
        "canonical_url": detail.canonical_url,
    }


__all__ = ["EDITABLE", "MetadataValue", "check_values", "metadata_of", "parse_date_input"]
