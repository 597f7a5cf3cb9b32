"""Hand-built library values for export tests (plain dataclasses, no database)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from clipper.article import Block, plain_text
from clipper.library.types import ClipDetail, PassageInfo, StoredFigure

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 60
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 60
SHA_A = "a" * 64
SHA_B = "b" * 64


def figure(**changes: Any) -> StoredFigure:
    values: dict[str, Any] = {
        "id": 1,
        "position": 0,
        "caption": "A helicopter flies over at the end of the African Lion exercise",
        "credit": "AP Photo/Mosa'ab Elshamy",
        "alt": "A helicopter",
        "src_url": "https://images.example.com/heli.jpg",
        "blob_sha256": SHA_A,
        "media_type": "image/jpeg",
        "width": 800,
        "height": 600,
    }
    values.update(changes)
    return StoredFigure(**values)


BLOCKS = (
    Block("paragraph", "Morocco's army said Tuesday it had agreed with Israel to strengthen ties."),
    Block("heading", "Background", level=2),
    Block("figure", figure=0),
    Block("paragraph", "The two countries formalized ties in 2020."),
    Block("quote", "We agreed to further strengthen cooperation,\nthe army said."),
    Block("list_item", "intelligence"),
    Block("list_item", "air defense"),
    Block("paragraph", "The end."),
)


def detail(**changes: Any) -> ClipDetail:
    figures = changes.pop("figures", (figure(),))
    blocks = changes.pop("blocks", BLOCKS)
    values: dict[str, Any] = {
        "id": 1,
        "url": "https://www.timesofisrael.com/liveblog_entry/morocco/?utm_source=x",
        "canonical_url": "https://www.timesofisrael.com/liveblog_entry/morocco/",
        "title": "Morocco says it will boost military ties with Israel",
        "subtitle": "Rabat and Jerusalem will strengthen cooperation",
        "authors": ("María López", "Agencies"),
        "site_name": "The Times of Israel",
        "published_at": datetime(2022, 3, 1, 16, 30, tzinfo=UTC),
        "clipped_at": datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC),
        "language": "en",
        "tags": ("Middle East", "defense"),
        "version_id": 10,
        "version_count": 1,
        "blocks": blocks,
        "figures": figures,
        "text": plain_text(list(blocks), list(figures)),
    }
    values.update(changes)
    return ClipDetail(**values)


def make_passage(text: str, quote: str, **changes: Any) -> PassageInfo:
    start = text.index(quote) if quote in text else None
    values: dict[str, Any] = {
        "id": 5,
        "clip_id": 1,
        "version_id": 10,
        "exact": quote,
        "prefix": text[max(0, start - 32) : start] if start is not None else "",
        "suffix": text[start + len(quote) : start + len(quote) + 32] if start is not None else "",
        "start": start,
        "end": start + len(quote) if start is not None else None,
        "color": "yellow",
        "note": "",
        "tags": (),
        "state": "anchored" if start is not None else "orphaned",
        "created_at": datetime(2024, 5, 6, 8, 0, tzinfo=UTC),
        "updated_at": datetime(2024, 5, 7, 9, 30, tzinfo=UTC),
    }
    values.update(changes)
    return PassageInfo(**values)
