"""W3C Web Annotation export: the collection and each annotation follow the model."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from clipper.anchoring import TextPositionSelector, TextQuoteSelector, anchor
from clipper.export.w3c import annotations_to_jsonld, iso_datetime
from tests.export.factories import detail, make_passage

# xsd:dateTime with an explicit timezone (the model: "SHOULD have a timezone").
ISO_WITH_ZONE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")
MOTIVATIONS = {
    "assessing", "bookmarking", "classifying", "commenting", "describing", "editing",
    "highlighting", "identifying", "linking", "moderating", "questioning", "replying",
    "tagging",
}  # fmt: skip


def collection() -> tuple[dict[str, Any], Any]:
    clip = detail()
    items = [
        make_passage(clip.text, "agreed with Israel", id=1, note="Why now?", tags=("defense",)),
        make_passage(clip.text, "formalized ties in 2020", id=2, color="#ffeb3b"),
        make_passage(clip.text, "a deleted passage", id=3, tags=("a", "b")),
        make_passage(clip.text, "The end.", id=4, clip_id=99),
    ]
    return annotations_to_jsonld(items, {1: clip}), clip


def check_annotation(item: dict[str, Any]) -> None:
    """The model's rules for one Annotation (section 3.1 and the selectors of 4.2)."""
    assert "@context" not in item  # inherited from the collection
    assert item["type"] == "Annotation"
    assert isinstance(item["id"], str)
    assert re.fullmatch(r"[a-z][a-z0-9+.-]*:\S+", item["id"])
    assert item["motivation"] in MOTIVATIONS
    for key in ("created", "modified"):
        assert ISO_WITH_ZONE.fullmatch(item[key]), item[key]
    for body in item.get("body", []):
        assert body["type"] == "TextualBody"
        assert isinstance(body["value"], str)
        assert body["purpose"] in MOTIVATIONS
    target = item["target"]
    assert isinstance(target["source"], str)
    selectors = target["selector"]
    assert isinstance(selectors, list)
    assert selectors
    for selector in selectors:
        if selector["type"] == "TextQuoteSelector":
            assert isinstance(selector["exact"], str)
            assert set(selector) <= {"type", "exact", "prefix", "suffix"}
        else:
            assert selector["type"] == "TextPositionSelector"
            assert set(selector) == {"type", "start", "end"}
            assert 0 <= selector["start"] <= selector["end"]


def test_collection_shape() -> None:
    data, _ = collection()
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection"
    assert data["id"] == "urn:clipper:annotations"
    assert data["total"] == 4
    page = data["first"]
    assert page["type"] == "AnnotationPage"
    assert page["id"] != data["id"]
    assert page["startIndex"] == 0
    assert len(page["items"]) == data["total"]
    for item in page["items"]:
        check_annotation(item)
    assert json.loads(json.dumps(data)) == data


def test_annotation_content() -> None:
    data, clip = collection()
    first, second, orphan, foreign = data["first"]["items"]
    assert first["id"] == "urn:clipper:annotation:1"
    assert first["motivation"] == "commenting"
    assert first["body"] == [
        {
            "type": "TextualBody",
            "value": "Why now?",
            "format": "text/plain",
            "purpose": "commenting",
        },
        {"type": "TextualBody", "value": "defense", "purpose": "tagging"},
    ]
    assert first["created"] == "2024-05-06T08:00:00Z"
    assert first["modified"] == "2024-05-07T09:30:00Z"
    target = first["target"]
    assert target["source"] == clip.canonical_url
    quote, position = target["selector"]
    assert quote["type"] == "TextQuoteSelector"
    assert quote["exact"] == "agreed with Israel"
    assert position == {"type": "TextPositionSelector", "start": 35, "end": 53}
    assert clip.text[35:53] == "agreed with Israel"

    assert second["motivation"] == "highlighting"
    assert "body" not in second
    assert second["target"]["styleClass"] == "clipper-ffeb3b"
    assert second["stylesheet"] == {
        "type": "CssStylesheet",
        "value": ".clipper-ffeb3b { background-color: #ffeb3b; }",
    }
    assert first["target"]["styleClass"] == "clipper-yellow"

    assert [s["type"] for s in orphan["target"]["selector"]] == ["TextQuoteSelector"]
    assert [b["purpose"] for b in orphan["body"]] == ["tagging", "tagging"]
    assert foreign["target"]["source"] == "urn:clipper:clip:99"


def test_selectors_re_anchor_in_the_clip_text() -> None:
    data, clip = collection()
    for item in data["first"]["items"][:2]:
        quote_json, position_json = item["target"]["selector"]
        found = anchor(
            clip.text,
            TextQuoteSelector.from_json(quote_json),
            TextPositionSelector.from_json(position_json),
        )
        assert found.state == "anchored"


def test_unsafe_colours_get_no_stylesheet() -> None:
    clip = detail()
    item = make_passage(clip.text, "The end.", color="red; } body { display: none")
    exported = annotations_to_jsonld([item], {1: clip})["first"]["items"][0]
    assert "stylesheet" not in exported
    assert "styleClass" not in exported["target"]


def test_empty_collection_and_custom_id() -> None:
    data = annotations_to_jsonld([], {}, collection_id="https://example.org/my-notes")
    assert data["total"] == 0
    assert data["first"]["items"] == []
    assert data["first"]["id"] == "https://example.org/my-notes#page1"


def test_datetimes_always_carry_a_zone() -> None:
    assert iso_datetime(datetime(2024, 1, 2, 3, 4, 5)) == "2024-01-02T03:04:05Z"
    plus_two = timezone(timedelta(hours=2))
    assert iso_datetime(datetime(2024, 1, 2, 3, 4, 5, tzinfo=plus_two)) == "2024-01-02T01:04:05Z"


def test_selectors_are_refined_to_the_stored_version_with_creator() -> None:
    """Positions count in the stored version the quote was made on (a TimeState with its
    fetch time and a `cached` link), not in the live page; `creator` is set."""
    clip = detail()
    made = make_passage(
        clip.text,
        "formalized ties in 2020",
        exact="formalised ties in 2020",
        quote_version_id=7,
        quote_start=3,
        quote_end=26,
        quote_fetched_at=datetime(2024, 5, 1, 12, 0, tzinfo=UTC),
        state="changed",
        current_exact="formalized ties in 2020",
    )
    data = annotations_to_jsonld([made], {1: clip}, creator="Ana Reporter")
    (item,) = data["first"]["items"]
    check_annotation(item)
    assert item["creator"] == {"type": "Person", "name": "Ana Reporter"}
    target = item["target"]
    assert target["state"] == {
        "type": "TimeState",
        "sourceDate": "2024-05-01T12:00:00Z",
        "cached": "clipper://clip/1?version=7",
    }
    quote, position = target["selector"]
    assert quote["exact"] == "formalised ties in 2020"
    assert (position["start"], position["end"]) == (3, 26)
    assert [b["purpose"] for b in item["body"]] == ["describing"]
