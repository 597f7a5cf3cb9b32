"""Each way a fetch fails gives one clear line naming the URL and the reason,
exit code 1, and the library exactly as it was (tested against a local server)."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from clipper.capture.fetch import Fetcher, FetchLimits
from clipper.cli import main
from clipper.errors import FetchError
from tests.helpers.site import make_image


def run(capsys: pytest.CaptureFixture[str], lib: Path, *args: str) -> tuple[int, str, str]:
    code = main(["clip", *args, "--library", str(lib)])
    out, err = capsys.readouterr()
    return code, out, err


def assert_failed_cleanly(code: int, err: str, url: str, reason: str, lib: Path) -> None:
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert url in lines[0] and reason in lines[0], lines[0]
    import sqlite3

    with sqlite3.connect(lib / "library.sqlite") as conn:
        assert conn.execute("select count(*) from clips").fetchone()[0] == 0
        assert conn.execute("select count(*) from blobs").fetchone()[0] == 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    return tmp_path / "lib"


def test_unreachable_host(capsys: pytest.CaptureFixture[str], lib: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/article"
    code, _, err = run(capsys, lib, url)
    assert_failed_cleanly(code, err, url, "cannot connect", lib)


@pytest.mark.parametrize("status,reason", [(404, "HTTP 404 NOT FOUND"), (503, "HTTP 503")])
def test_http_errors(
    capsys: pytest.CaptureFixture[str], lib: Path, httpserver: HTTPServer, status: int, reason: str
) -> None:
    httpserver.expect_request("/page").respond_with_data("nope", status=status)
    url = httpserver.url_for("/page")
    code, _, err = run(capsys, lib, url)
    assert_failed_cleanly(code, err, url, reason.split(" NOT")[0], lib)


@pytest.mark.parametrize(
    "media,body",
    [
        ("application/pdf", b"%PDF-1.7\n..."),
        ("image/png", make_image(10, 10, "PNG")),
    ],
)
def test_non_html_response(
    capsys: pytest.CaptureFixture[str], lib: Path, httpserver: HTTPServer, media: str, body: bytes
) -> None:
    httpserver.expect_request("/doc").respond_with_data(body, content_type=media)
    url = httpserver.url_for("/doc")
    code, _, err = run(capsys, lib, url)
    assert_failed_cleanly(code, err, url, f"not a web page (the server sent {media})", lib)


def test_response_over_size_limit(
    capsys: pytest.CaptureFixture[str],
    lib: Path,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLIPPER_MAX_PAGE_MB", "1")
    big = b"<html><body>" + b"<p>word word word</p>" * 80_000 + b"</body></html>"
    httpserver.expect_request("/big").respond_with_data(big, content_type="text/html")
    url = httpserver.url_for("/big")
    code, _, err = run(capsys, lib, url)
    assert_failed_cleanly(code, err, url, "response too large", lib)


def test_size_limit_without_content_length(httpserver: HTTPServer) -> None:
    def stream(_request: Request) -> Response:
        chunks = (b"<p>" + b"x" * 1000 + b"</p>" for _ in range(3000))
        return Response(chunks, content_type="text/html", direct_passthrough=True)

    httpserver.expect_request("/chunked").respond_with_handler(stream)
    with (
        Fetcher(FetchLimits(max_bytes=1024 * 1024)) as fetcher,
        pytest.raises(FetchError, match="response too large"),
    ):
        fetcher.fetch_page(httpserver.url_for("/chunked"))


def test_redirect_loop(
    capsys: pytest.CaptureFixture[str], lib: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    url = httpserver.url_for("/a")
    code, _, err = run(capsys, lib, url)
    assert_failed_cleanly(code, err, url, "too many redirects", lib)


def test_timeout(
    capsys: pytest.CaptureFixture[str],
    lib: Path,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLIPPER_TIMEOUT", "0.5")

    def slow(_request: Request) -> Response:
        time.sleep(2)
        return Response("<html><p>late</p></html>", content_type="text/html")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    url = httpserver.url_for("/slow")
    code, _, err = run(capsys, lib, url)
    assert_failed_cleanly(code, err, url, "timed out", lib)


def test_image_that_is_not_an_image(
    capsys: pytest.CaptureFixture[str], lib: Path, httpserver: HTTPServer
) -> None:
    page = (
        b"<html><head><title>Pics</title></head><body><article><h1>Pics</h1>"
        b'<figure><img src="/photo.jpg" width="1200" height="800">'
        b"<figcaption>The harbour at dawn. Photo: Ann Lee</figcaption></figure>"
        + b"<p>"
        + b"A long enough paragraph about the harbour and its history. " * 8
        + b"</p>"
        + b"<p>"
        + b"Another paragraph with more words about the quay and boats. " * 8
        + b"</p>"
        b"</article></body></html>"
    )
    httpserver.expect_request("/pics").respond_with_data(page, content_type="text/html")
    httpserver.expect_request("/photo.jpg").respond_with_data(
        b"<html>oops</html>", content_type="image/jpeg"
    )
    url = httpserver.url_for("/pics")
    code, _, err = run(capsys, lib, url, "--strict-images")
    assert_failed_cleanly(code, err, httpserver.url_for("/photo.jpg"), "not an image", lib)


def test_not_http_url() -> None:
    with Fetcher() as fetcher, pytest.raises(FetchError, match="not an http"):
        fetcher.fetch_page("ftp://example.test/file")
