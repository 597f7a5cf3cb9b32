"""Passages as a W3C Web Annotation collection (JSON-LD), as Hypothesis exchanges them.

https://www.w3.org/TR/annotation-model/ : each annotation targets the clip's page
(canonical URL when known) as it was when the quote was made: a `TimeState` gives that
version's fetch time and a `cached` link to Clipper's stored copy, and the selectors
describe that version (the original quote, never rewritten, with its context; the
TextPositionSelector counts characters in Clipper's plain text of that stored version,
see `clipper.article`, not in the live page's HTML). The quote is what other tools
re-anchor with on the live page. The note is a commenting TextualBody, each tag a
tagging one, a later rewording on the page a describing one; `creator` names who
made the passages. The highlight colour travels as a CSS stylesheet and `styleClass`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from clipper.anchoring import TextPositionSelector, TextQuoteSelector
from clipper.export.pinpoint import clipper_link

if TYPE_CHECKING:  # only types: exporting must not import the database layer
    from clipper.library.types import ClipDetail, PassageInfo

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
ANNOTATION_ID = "urn:clipper:annotation:{id}"
CLIP_ID = "urn:clipper:clip:{id}"
_COLOR = re.compile(r"#[0-9a-fA-F]{3,8}|[a-zA-Z]{1,30}")


def iso_datetime(value: datetime) -> str:
    """xsd:dateTime with a timezone, in UTC ("Z"), as the model recommends.

    A naive datetime is taken as UTC (the library stores UTC).
    """
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _style_class(color: str) -> str | None:
    """A CSS class name for a colour, or None for a value that is not a safe colour."""
    if not _COLOR.fullmatch(color.strip()):
        return None
    return "clipper-" + color.strip().lstrip("#").lower()


def _source(passage: PassageInfo, clip: ClipDetail | None) -> str:
    if clip is not None and (clip.canonical_url or clip.url):
        return clip.canonical_url or clip.url
    return CLIP_ID.format(id=passage.clip_id)


def annotation_to_jsonld(
    passage: PassageInfo, clip: ClipDetail | None, creator: str = ""
) -> dict[str, Any]:
    """One Annotation object (without `@context`: it is inherited from the collection)."""
    body: list[dict[str, Any]] = []
    if passage.note.strip():
        body.append(
            {
                "type": "TextualBody",
                "value": passage.note,
                "format": "text/plain",
                "purpose": "commenting",
            }
        )
    body.extend({"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in passage.tags)
    if passage.state == "changed" and passage.current_exact:
        body.append(
            {
                "type": "TextualBody",
                "value": f"Text changed on the page; it now reads: “{passage.current_exact}”",
                "format": "text/plain",
                "purpose": "describing",
            }
        )
    quote = TextQuoteSelector(passage.exact, passage.prefix, passage.suffix)
    selectors = [quote.to_json()]
    start, end = _quoted_span(passage)
    if start is not None and end is not None:
        selectors.append(TextPositionSelector(start, end).to_json())
    target: dict[str, Any] = {"source": _source(passage, clip), "selector": selectors}
    version_id = passage.quote_version_id or passage.version_id
    if passage.quote_fetched_at is not None and version_id:
        target["state"] = {
            "type": "TimeState",
            "sourceDate": iso_datetime(passage.quote_fetched_at),
            "cached": clipper_link(passage.clip_id, version_id),
        }
    item: dict[str, Any] = {
        "id": ANNOTATION_ID.format(id=passage.id),
        "type": "Annotation",
        "motivation": "commenting" if passage.note.strip() else "highlighting",
        "created": iso_datetime(passage.created_at),
        "modified": iso_datetime(passage.updated_at),
    }
    if creator:
        item["creator"] = {"type": "Person", "name": creator}
    if body:
        item["body"] = body
    style = _style_class(passage.color)
    if style is not None:
        target["styleClass"] = style
        item["stylesheet"] = {
            "type": "CssStylesheet",
            "value": f".{style} {{ background-color: {passage.color.strip()}; }}",
        }
    item["target"] = target
    return item


def _quoted_span(passage: PassageInfo) -> tuple[int | None, int | None]:
    """Offsets of the quote in the version it was made on (older rows: the current ones
    while the passage has not moved off them)."""
    if passage.quote_start is not None and passage.quote_end is not None:
        return passage.quote_start, passage.quote_end
    if passage.state in ("anchored", "moved"):
        return passage.start, passage.end
    return None, None


def annotations_to_jsonld(
    passages: Sequence[PassageInfo],
    clips: Mapping[int, ClipDetail],
    *,
    collection_id: str = "urn:clipper:annotations",
    creator: str = "",
) -> dict[str, Any]:
    """An AnnotationCollection of every passage (an Annotation each) in one embedded page.

    `clips` maps clip id to its detail, for the target's URL; a passage whose clip
    is missing targets `urn:clipper:clip:<id>`.
    """
    items = [annotation_to_jsonld(a, clips.get(a.clip_id), creator) for a in passages]
    separator = ":" if collection_id.startswith("urn:") else "#"
    return {
        "@context": ANNO_CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": "Clipper annotations",
        "total": len(items),
        "first": {
            "id": f"{collection_id}{separator}page1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }


__all__ = ["annotation_to_jsonld", "annotations_to_jsonld", "iso_datetime"]
