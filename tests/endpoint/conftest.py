"""A real capture endpoint on a free loopback port, storing into a real library."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from clipper.endpoint.clipping import PageClipped, clip_page
from clipper.endpoint.pairing import pairing_code
from clipper.endpoint.payload import BrowserPage
from clipper.endpoint.server import CaptureEndpoint
from clipper.library import Library
from tests.helpers.extension import EXTENSION


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    raw: bytes
    headers: dict[str, str]


@dataclass
class Running:
    endpoint: CaptureEndpoint
    code: str
    library: Library

    def request(
        self,
        method: str,
        path: str,
        body: bytes | dict[str, Any] | None = None,
        *,
        origin: str | None = EXTENSION,
        token: str | None = "",
        content_type: str = "application/json",
        host: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        conn = http.client.HTTPConnection("127.0.0.1", self.endpoint.port, timeout=30)
        data = json.dumps(body).encode() if isinstance(body, dict) else body
        sent = {"Content-Type": content_type}
        if origin is not None:
            sent["Origin"] = origin
        if token is not None:
            sent["Authorization"] = f"Bearer {token or self.code}"
        if host is not None:
            sent["Host"] = host
        sent.update(headers or {})
        try:
            conn.request(method, path, body=data, headers=sent)
            reply = conn.getresponse()
            raw = reply.read()
            parsed = json.loads(raw) if raw else {}
            return Answer(reply.status, parsed, raw, dict(reply.getheaders()))
        finally:
            conn.close()


@pytest.fixture
def running(library: Library) -> Iterator[Running]:
    code = pairing_code(library.location.folder)

    def clip(page: BrowserPage) -> PageClipped:
        return clip_page(library, page, None)  # offline: only the images the browser sent

    endpoint = CaptureEndpoint(code, clip, port=0)
    endpoint.start()
    try:
        yield Running(endpoint, code, library)
    finally:
        endpoint.stop()
