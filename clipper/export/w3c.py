"""Annotations as a W3C Web Annotation collection (JSON-LD), as Hypothesis exchanges them.

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
    from clipper.library.types import AnnotationInfo, ClipDetail

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


def _source(annotation: AnnotationInfo, clip: ClipDetail | None) -> str:
    if clip is not None and (clip.canonical_url or clip.url):
        return clip.canonical_url or clip.url
    return CLIP_ID.format(id=annotation.clip_id)


def annotation_to_jsonld(
    annotation: AnnotationInfo, clip: ClipDetail | None, creator: str = ""
) -> dict[str, Any]:
    """One Annotation object (without `@context`: it is inherited from the collection)."""
    body: list[dict[str, Any]] = []
    if annotation.note.strip():
        body.append(
            {
                "type": "TextualBody",
                "value": annotation.note,
                "format": "text/plain",
                "purpose": "commenting",
            }
        )
    body.extend(
        {"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in annotation.tags
    )
    if annotation.state == "changed" and annotation.current_exact:
        body.append(
            {
                "type": "TextualBody",
                "value": f"Text changed on the page; it now reads: “{annotation.current_exact}”",
                "format": "text/plain",
                "purpose": "describing",
            }
        )
    quote = TextQuoteSelector(annotation.exact, annotation.prefix, annotation.suffix)
    selectors = [quote.to_json()]
    start, end = _quoted_span(annotation)
    if start is not None and end is not None:
        selectors.append(TextPositionSelector(start, end).to_json())
    target: dict[str, Any] = {"source": _source(annotation, clip), "selector": selectors}
    version_id = annotation.quote_version_id or annotation.version_id
    if annotation.quote_fetched_at is not None and version_id:
        target["state"] = {
            "type": "TimeState",
            "sourceDate": iso_datetime(annotation.quote_fetched_at),
            "cached": clipper_link(annotation.clip_id, version_id),
        }
    item: dict[str, Any] = {
        "id": ANNOTATION_ID.format(id=annotation.id),
        "type": "Annotation",
        "motivation": "commenting" if annotation.note.strip() else "highlighting",
        "created": iso_datetime(annotation.created_at),
        "modified": iso_datetime(annotation.updated_at),
    }
    if creator:
        item["creator"] = {"type": "Person", "name": creator}
    if body:
        item["body"] = body
    style = _style_class(annotation.color)
    if style is not None:
        target["styleClass"] = style
        item["stylesheet"] = {
            "type": "CssStylesheet",
            "value": f".{style} {{ background-color: {annotation.color.strip()}; }}",
        }
    item["target"] = target
    return item


def _quoted_span(annotation: AnnotationInfo) -> tuple[int | None, int | None]:
    """Offsets of the quote in the version it was made on (older rows: the current ones
    while the passage has not moved off them)."""
    if annotation.quote_start is not None and annotation.quote_end is not None:
        return annotation.quote_start, annotation.quote_end
    if annotation.state in ("anchored", "moved"):
        return annotation.start, annotation.end
    return None, None


def annotations_to_jsonld(
    annotations: Sequence[AnnotationInfo],
    clips: Mapping[int, ClipDetail],
    *,
    collection_id: str = "urn:clipper:annotations",
    creator: str = "",
) -> dict[str, Any]:
    """An AnnotationCollection holding every annotation in one embedded first page.

    `clips` maps clip id to its detail, for the target's URL; an annotation whose clip
    is missing targets `urn:clipper:clip:<id>`.
    """
    items = [annotation_to_jsonld(a, clips.get(a.clip_id), creator) for a in annotations]
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
