"""Annotations as a W3C Web Annotation collection (JSON-LD), as Hypothesis exchanges them.

https://www.w3.org/TR/annotation-model/ : each annotation targets the clip's page
(canonical URL when known) with both a TextQuoteSelector and, while the passage is
anchored, a TextPositionSelector. Positions count characters in Clipper's plain text of
the clip (see `clipper.article`), not in the page's HTML; the quote is what other tools
re-anchor with. The note is a commenting TextualBody, each tag a tagging one; the
highlight colour travels as a CSS stylesheet and `styleClass`, the model's own way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from clipper.anchoring import TextPositionSelector, TextQuoteSelector

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


def annotation_to_jsonld(annotation: AnnotationInfo, clip: ClipDetail | None) -> dict[str, Any]:
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
    quote = TextQuoteSelector(annotation.exact, annotation.prefix, annotation.suffix)
    selectors = [quote.to_json()]
    if (
        annotation.state != "orphaned"
        and annotation.start is not None
        and annotation.end is not None
    ):
        selectors.append(TextPositionSelector(annotation.start, annotation.end).to_json())
    target: dict[str, Any] = {"source": _source(annotation, clip), "selector": selectors}
    item: dict[str, Any] = {
        "id": ANNOTATION_ID.format(id=annotation.id),
        "type": "Annotation",
        "motivation": "commenting" if annotation.note.strip() else "highlighting",
        "created": iso_datetime(annotation.created_at),
        "modified": iso_datetime(annotation.updated_at),
    }
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


def annotations_to_jsonld(
    annotations: Sequence[AnnotationInfo],
    clips: Mapping[int, ClipDetail],
    *,
    collection_id: str = "urn:clipper:annotations",
) -> dict[str, Any]:
    """An AnnotationCollection holding every annotation in one embedded first page.

    `clips` maps clip id to its detail, for the target's URL; an annotation whose clip
    is missing targets `urn:clipper:clip:<id>`.
    """
    items = [annotation_to_jsonld(a, clips.get(a.clip_id)) for a in annotations]
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
