"""What the browser extension sends, written in tests: a page, its image, the payload."""

from __future__ import annotations

import base64
import io
from typing import Any

from PIL import Image

from tests.helpers.pages import LOREM, article_page

EXTENSION = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
PAGE_URL = "https://news.example.org/2026/harbour-plan"
IMAGE_URL = "https://news.example.org/img/quay.png"


def png_bytes(size: tuple[int, int] = (640, 400)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 110, 160)).save(out, "PNG")
    return out.getvalue()


def page_html() -> str:
    return article_page(
        "Harbour plan vote postponed",
        LOREM,
        figures=[("/img/quay.png", "The old quay at dawn.", "Photo: Ana Ruiz")],
    ).decode()


def clip_payload(**extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "url": PAGE_URL,
        "title": "Harbour plan vote postponed",
        "html": page_html(),
        "images": [{"urls": [IMAGE_URL], "data": base64.b64encode(png_bytes()).decode()}],
    }
    body.update(extra)
    return body
