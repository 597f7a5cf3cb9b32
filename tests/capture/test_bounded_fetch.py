"""Every fetch ends in bounded time and memory: stacked compression is decoded in small
pieces with the limit on decoded bytes, one deadline covers connect, headers and body,
and one time limit covers all of a clip's images (real local servers throughout)."""

from __future__ import annotations

import gzip
import time
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from clipper.capture.contentcoding import ContentCodingError, decode_stream
from clipper.capture.fetch import Fetcher, FetchLimits
from clipper.capture.pipeline import CaptureOptions
from clipper.errors import FetchError
from clipper.library import Library
from tests.helpers.network import trickle_server
from tests.helpers.pages import LOREM, article_page
from tests.helpers.site import make_image

MB = 1024 * 1024


def bomb(layers: int, size: int = 64 * MB) -> bytes:
    data = b"<html>" + b"\0" * size
    for _ in range(layers):
        data = gzip.compress(data, 9)
    return data


def test_stacked_gzip_bomb_stops_at_the_limit(httpserver: HTTPServer) -> None:
    body = bomb(2)
    assert len(body) < 200_000
    httpserver.expect_request("/bomb").respond_with_data(
        body, headers={"Content-Encoding": "gzip, gzip"}, content_type="text/html"
    )
    too_large = r"response too large \(over the 2.0 MB limit\)"
    with (
        Fetcher(FetchLimits(max_bytes=2 * MB)) as fetcher,
        pytest.raises(FetchError, match=too_large),
    ):
        fetcher.fetch_page(httpserver.url_for("/bomb"))


def test_three_encodings_are_refused(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/three").respond_with_data(
        bomb(3, 1000), headers={"Content-Encoding": "gzip, gzip, gzip"}, content_type="text/html"
    )
    with Fetcher() as fetcher, pytest.raises(FetchError, match="3 stacked content encodings"):
        fetcher.fetch_page(httpserver.url_for("/three"))


def test_unsupported_and_damaged_encodings(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/br").respond_with_data(
        b"xx", headers={"Content-Encoding": "br"}, content_type="text/html"
    )
    httpserver.expect_request("/bad").respond_with_data(
        b"\x1f\x8b\x08\x00garbage-garbage", headers={"Content-Encoding": "gzip"}
    )
    with Fetcher() as fetcher:
        with pytest.raises(FetchError, match="unsupported content encoding 'br'"):
            fetcher.fetch_page(httpserver.url_for("/br"))
        with pytest.raises(FetchError, match="damaged gzip data"):
            fetcher.fetch_page(httpserver.url_for("/bad"))


@pytest.mark.parametrize("coding", ["gzip", "deflate", "raw-deflate", "gzip, gzip"])
def test_ordinary_compressed_pages_decode(httpserver: HTTPServer, coding: str) -> None:
    page = article_page("Harbour plan", LOREM)
    if coding == "deflate":
        body = zlib.compress(page)
    elif coding == "raw-deflate":
        packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        body = packer.compress(page) + packer.flush()
        coding = "deflate"
    else:
        body = page
        for _ in coding.split(","):
            body = gzip.compress(body)
    httpserver.expect_request("/p").respond_with_data(
        body, headers={"Content-Encoding": coding}, content_type="text/html"
    )
    with Fetcher() as fetcher:
        assert fetcher.fetch_page(httpserver.url_for("/p")).body == page


@settings(max_examples=60, deadline=None)
@given(
    data=st.binary(max_size=5000),
    layers=st.integers(min_value=0, max_value=2),
    split=st.integers(min_value=1, max_value=997),
    limit=st.integers(min_value=0, max_value=6000),
)
def test_decoding_round_trips_and_respects_the_limit(
    data: bytes, layers: int, split: int, limit: int
) -> None:
    body = data
    for _ in range(layers):
        body = gzip.compress(body)
    chunks = [body[i : i + split] for i in range(0, len(body), split)]
    header = ", ".join(["gzip"] * layers)
    if len(data) > limit:
        with pytest.raises(ContentCodingError):
            b"".join(decode_stream(chunks, header, limit))
    else:
        assert b"".join(decode_stream(chunks, header, limit)) == data


def test_trickled_headers_time_out() -> None:
    response = b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 200 + b"\r\n\r\n<html></html>"
    with trickle_server(response, delay=0.05) as port:
        started = time.monotonic()
        timed_out = r"timed out after 1.5 s \(total time limit\)"
        with (
            Fetcher(FetchLimits(timeout=0.5)) as fetcher,
            pytest.raises(FetchError, match=timed_out),
        ):
            fetcher.fetch_page(f"http://127.0.0.1:{port}/")
        assert time.monotonic() - started < 6


def test_all_images_of_a_clip_share_one_time_limit(
    library: Library, httpserver: HTTPServer
) -> None:
    def slow_image(request: Request) -> Response:
        time.sleep(0.6)
        return Response(make_image(800, 600, seed=request.path), content_type="image/jpeg")

    figures = [(f"/slow-{i}.jpg", f"Figure {i}", "") for i in range(6)]
    httpserver.expect_request("/page").respond_with_data(
        article_page("Slow pictures", LOREM, figures=figures), content_type="text/html"
    )
    for src, _, _ in figures:
        httpserver.expect_request(src).respond_with_handler(slow_image)
    started = time.monotonic()
    result = library.clips.clip_url(
        httpserver.url_for("/page"),
        options=CaptureOptions(image_time_limit=1.5),
    ).result
    elapsed = time.monotonic() - started
    detail = library.clips.get(result.clip_id)
    assert len(detail.figures) == 6  # every caption kept
    assert 1 <= sum(1 for f in detail.figures if f.blob_sha256) <= 3
    assert any("limit for images was reached" in w for w in result.warnings)
    assert elapsed < 6
