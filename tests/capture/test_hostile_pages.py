"""What a web page may make Clipper read: http(s) only, never local files, and nothing
more private than the page's own address (checked after resolution and on redirects).

Pages are served by a real local server; a resolver seam makes `news.example` look like a
public host (and `intranet.example` like a private one) while it is the same server.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from clipper.capture.fetch import Fetcher
from clipper.capture.netpolicy import AddressSpace, address_space
from clipper.capture.pipeline import CaptureOptions
from clipper.errors import FetchError
from clipper.library import Library
from tests.helpers.network import mapped_resolver
from tests.helpers.pages import LOREM, article_page
from tests.helpers.site import make_image

RESOLVER = mapped_resolver(
    {"news.example": AddressSpace.PUBLIC, "intranet.example": AddressSpace.PRIVATE}
)
KEEP = CaptureOptions()


def public(server: HTTPServer, path: str) -> str:
    return f"http://news.example:{server.port}{path}"


def blob_count(library: Library) -> int:
    with sqlite3.connect(library.location.folder / "library.sqlite") as conn:
        return int(conn.execute("select count(*) from blobs").fetchone()[0])


def serve_page(server: HTTPServer, path: str, figures: list[str], head: str = "") -> None:
    page = article_page(
        "Harbour plan", LOREM, figures=[(s, f"Caption {s}", "Photo: Ann") for s in figures]
    )
    if head:
        page = page.replace(b"</head>", head.encode() + b"</head>")
    server.expect_request(path).respond_with_data(page, content_type="text/html")


@pytest.mark.parametrize(
    ("ip", "space"),
    [
        ("127.0.0.1", AddressSpace.LOCAL),
        ("::1", AddressSpace.LOCAL),
        ("0.0.0.0", AddressSpace.LOCAL),
        ("::ffff:127.0.0.1", AddressSpace.LOCAL),
        ("10.1.2.3", AddressSpace.PRIVATE),
        ("192.168.1.1", AddressSpace.PRIVATE),
        ("172.20.0.5", AddressSpace.PRIVATE),
        ("169.254.169.254", AddressSpace.PRIVATE),
        ("100.64.0.1", AddressSpace.PRIVATE),
        ("fd00::1", AddressSpace.PRIVATE),
        ("fe80::1", AddressSpace.PRIVATE),
        ("8.8.8.8", AddressSpace.PUBLIC),
        ("2606:4700::1111", AddressSpace.PUBLIC),
    ],
)
def test_address_spaces(ip: str, space: AddressSpace) -> None:
    assert address_space(ip) is space


def test_file_images_in_a_web_page_are_never_read(
    library: Library, httpserver: HTTPServer, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(make_image(800, 600))
    serve_page(
        httpserver,
        "/page",
        [secret.as_uri(), "file:///no/such/file.jpg", "file:///etc/passwd", "ftp://x.test/a.jpg"],
    )
    with Fetcher(resolver=RESOLVER) as fetcher:
        result = library.clips.clip_url(
            public(httpserver, "/page"), options=KEEP, fetcher=fetcher
        ).result
    assert blob_count(library) == 0
    detail = library.clips.get(result.clip_id)
    assert [f.caption for f in detail.figures][:3] == [
        f"Caption {secret.as_uri()}",
        "Caption file:///no/such/file.jpg",
        "Caption file:///etc/passwd",
    ]
    reasons = [w.split(": ", 1)[1] for w in result.warnings if w.startswith("image ")]
    # The same words whether the file exists or not: nothing about the disk is revealed.
    assert reasons[:3] == ["not read: a web page may only show http(s) images, not file:"] * 3
    assert "not ftp:" in reasons[3]


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "intranet.example"])
def test_public_page_cannot_fetch_private_or_loopback_images(
    library: Library, httpserver: HTTPServer, host: str
) -> None:
    image = f"http://{host}:{httpserver.port}/photo.jpg"
    serve_page(httpserver, "/page", [image])
    httpserver.expect_request("/photo.jpg").respond_with_data(
        make_image(800, 600), content_type="image/jpeg"
    )
    with Fetcher(resolver=RESOLVER) as fetcher:
        result = library.clips.clip_url(
            public(httpserver, "/page"), options=KEEP, fetcher=fetcher
        ).result
    assert any("blocked: a page on a public address" in w for w in result.warnings)
    assert [r.path for r, _ in httpserver.log].count("/photo.jpg") == 0
    assert blob_count(library) == 0


def test_base_href_cannot_point_images_at_loopback(
    library: Library, httpserver: HTTPServer
) -> None:
    serve_page(
        httpserver,
        "/page",
        ["photo.jpg"],
        head=f'<base href="http://127.0.0.1:{httpserver.port}/">',
    )
    with Fetcher(resolver=RESOLVER) as fetcher:
        result = library.clips.clip_url(
            public(httpserver, "/page"), options=KEEP, fetcher=fetcher
        ).result
    assert any("blocked" in w and "loopback address (127.0.0.1)" in w for w in result.warnings)
    assert "/photo.jpg" not in [r.path for r, _ in httpserver.log]


def test_public_redirect_to_loopback_is_refused(httpserver: HTTPServer) -> None:
    target = httpserver.url_for("/admin")
    httpserver.expect_request("/go").respond_with_data("", status=302, headers={"Location": target})
    httpserver.expect_request("/admin").respond_with_data("<html>secret</html>")
    with Fetcher(resolver=RESOLVER) as fetcher, pytest.raises(FetchError, match="blocked"):
        fetcher.fetch_page(public(httpserver, "/go"))
    assert "/admin" not in [r.path for r, _ in httpserver.log]


def test_public_image_redirect_to_private_is_refused(
    library: Library, httpserver: HTTPServer
) -> None:
    private = f"http://intranet.example:{httpserver.port}/internal.jpg"
    httpserver.expect_request("/img.jpg").respond_with_data(
        "", status=301, headers={"Location": private}
    )
    serve_page(httpserver, "/page", [public(httpserver, "/img.jpg")])
    with Fetcher(resolver=RESOLVER) as fetcher:
        result = library.clips.clip_url(
            public(httpserver, "/page"), options=KEEP, fetcher=fetcher
        ).result
    assert any("private address" in w for w in result.warnings)
    assert "/internal.jpg" not in [r.path for r, _ in httpserver.log]


def test_page_the_user_chose_on_loopback_keeps_its_images(
    library: Library, httpserver: HTTPServer
) -> None:
    """A local development server is the user's choice: its own images are fine."""
    serve_page(httpserver, "/page", ["/photo.jpg"])
    httpserver.expect_request("/photo.jpg").respond_with_data(
        make_image(800, 600), content_type="image/jpeg"
    )
    result = library.clips.clip_url(httpserver.url_for("/page")).result
    assert result.warnings == () or not any("image" in w for w in result.warnings)
    assert blob_count(library) == 1


def test_public_page_keeps_its_public_images(library: Library, httpserver: HTTPServer) -> None:
    serve_page(httpserver, "/page", [public(httpserver, "/photo.jpg")])
    httpserver.expect_request("/photo.jpg").respond_with_data(
        make_image(800, 600), content_type="image/jpeg"
    )
    with Fetcher(resolver=RESOLVER) as fetcher:
        library.clips.clip_url(public(httpserver, "/page"), fetcher=fetcher)
    assert blob_count(library) == 1


def test_saved_page_reads_only_files_in_its_own_folder(library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    (folder / "page_files").mkdir(parents=True)
    (folder / "page_files" / "inside.jpg").write_bytes(make_image(800, 600, seed="in"))
    outside = tmp_path / "outside.jpg"
    outside.write_bytes(make_image(800, 600, seed="out"))
    (tmp_path / "up.jpg").write_bytes(make_image(800, 600, seed="up"))
    (folder / "page_files" / "link.jpg").symlink_to(outside)
    page = folder / "page.html"
    page.write_bytes(
        article_page(
            "Saved",
            LOREM,
            figures=[
                ("page_files/inside.jpg", "In", ""),
                ("../up.jpg", "Up", ""),
                (outside.as_uri(), "Abs", ""),
                ("page_files/link.jpg", "Link", ""),
            ],
        )
    )
    result = library.clips.clip_file(page, options=KEEP).result
    detail = library.clips.get(result.clip_id)
    stored = [f.caption for f in detail.figures if f.blob_sha256]
    assert stored == ["In"]
    refused = [w for w in result.warnings if "only files in the saved page's own folder" in w]
    assert len(refused) == 3


def test_dns_rebinding_is_checked_at_connect_time(httpserver: HTTPServer) -> None:
    """The name resolves public when the page's context is decided, then to loopback when
    connecting: the connection is refused, because the check is made on the address used."""
    from clipper.capture.netpolicy import Address

    answers = iter([AddressSpace.PUBLIC, AddressSpace.LOCAL, AddressSpace.LOCAL])

    def rebinding(host: str, port: int) -> list[Address]:
        return [Address("127.0.0.1", next(answers))]

    httpserver.expect_request("/admin").respond_with_data("<html>secret</html>")
    with Fetcher(resolver=rebinding) as fetcher, pytest.raises(FetchError, match="blocked"):
        fetcher.fetch_page(f"http://rebind.example:{httpserver.port}/admin")
    assert "/admin" not in [r.path for r, _ in httpserver.log]


def test_through_a_proxy_names_are_checked_before_each_request(
    library: Library, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With `http_proxy` set, the proxy connects (here the local server acts as one):
    the system proxy is honoured, and an image at a private name is still refused."""
    proxy = f"http://127.0.0.1:{httpserver.port}"
    monkeypatch.setenv("http_proxy", proxy)
    monkeypatch.delenv("NO_PROXY", raising=False)
    serve_page(httpserver, "/page", [f"http://intranet.example:{httpserver.port}/photo.jpg"])
    with Fetcher(resolver=RESOLVER) as fetcher:
        result = library.clips.clip_url(public(httpserver, "/page"), fetcher=fetcher).result
    assert library.clips.get(result.clip_id).title == "Harbour plan"
    assert any("blocked" in w and "private" in w for w in result.warnings)
    assert "/photo.jpg" not in [r.path for r, _ in httpserver.log]
