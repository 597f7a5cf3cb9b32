"""A fixture web site on a real local HTTP server: our pages and generated images.

Images are real files made with Pillow, sized from their names the way CDNs name
renditions (`photo-1200x800.jpg`, `photo-800.jpg`); tracking pixels are 1x1 GIFs.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

from PIL import Image
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from clipper.capture.fetch import Fetcher
from clipper.capture.netpolicy import AddressSpace
from tests.helpers.network import mapped_resolver

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"
IMAGE_EXT = re.compile(r"\.(jpe?g|png|gif|webp)$", re.I)
SIZE_WXH = re.compile(r"-(\d{2,4})x(\d{2,4})(?=\.\w+$)")
SIZE_W = re.compile(r"-(\d{2,4})w?(?=\.\w+$)")


def make_image(width: int, height: int, fmt: str = "JPEG", seed: str = "") -> bytes:
    digest = hashlib.sha256(seed.encode()).digest()
    color = (digest[0], digest[1], digest[2])
    image = Image.new("RGB", (width, height), color)
    # A second colour block makes each image distinct and non-trivial to compress.
    block = Image.new("RGB", (max(1, width // 3), max(1, height // 3)), (digest[3], 40, 90))
    image.paste(block, (width // 4, height // 4))
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, format="JPEG", quality=80)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


def image_for_path(path: str) -> tuple[bytes, str]:
    name = path.rsplit("/", 1)[-1]
    if "pixel" in path or "spacer" in name or "blank" in name:
        return make_image(1, 1, "GIF", path), "image/gif"
    width, height = 800, 500
    if match := SIZE_WXH.search(name):
        width, height = int(match.group(1)), int(match.group(2))
    elif match := SIZE_W.search(name):
        width = int(match.group(1))
        height = max(1, width * 2 // 3)
    ext = IMAGE_EXT.search(name)
    kind = (ext.group(1).lower() if ext else "jpg").replace("jpg", "jpeg")
    fmt = {"jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}[kind]
    return make_image(width, height, fmt, path), f"image/{kind}"


class FixtureSite:
    """Serves `tests/fixtures/pages/*.html` at `/<name>` and any image path."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.requests: list[str] = []
        self.pages: dict[str, bytes] = {}
        """Extra pages by path (tests put changed versions of an article here)."""
        server.expect_request(re.compile(r"^/.*$")).respond_with_handler(self._handle)

    def url(self, path: str) -> str:
        return self.server.url_for(path if path.startswith("/") else f"/{path}")

    PUBLISHER = "www.timesofisrael.test"
    """The seed page's own site: a page names its canonical URL only on its own site."""

    def publisher_url(self, path: str) -> str:
        """`path` as served by the seed page's publisher (this server, by a resolver seam)."""
        return f"http://{self.PUBLISHER}:{self.server.port}/{path.lstrip('/')}"

    def on(self, host: str, path: str) -> str:
        """`path` on this server under another host name (see `network.hosts_file`)."""
        return f"http://{host}:{self.server.port}/{path.lstrip('/')}"

    def publisher_fetcher(self) -> Fetcher:
        return Fetcher(resolver=mapped_resolver({self.PUBLISHER: AddressSpace.PUBLIC}))

    def _handle(self, request: Request) -> Response:
        self.requests.append(request.path)
        path = request.path
        if path in self.pages:
            return Response(self.pages[path], content_type="text/html; charset=utf-8")
        page = PAGES / path.lstrip("/")
        if path.endswith((".html", ".htm")) and page.is_file():
            return Response(page.read_bytes(), content_type=_page_type(page))
        if IMAGE_EXT.search(path):
            data, media = image_for_path(path)
            return Response(data, content_type=media)
        return Response("not found", status=404, content_type="text/plain")


def _page_type(page: Path) -> str:
    raw = page.read_bytes()[:2048].lower()
    if b"windows-1252" in raw or b"shift_jis" in raw:
        return "text/html"
    return "text/html; charset=utf-8"
