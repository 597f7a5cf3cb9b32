"""The capture endpoint, spoken to over real HTTP: what it refuses and what it stores."""

from __future__ import annotations

import json

from clipper.capture.fetch import Fetcher
from clipper.endpoint.clipping import clip_page
from clipper.endpoint.pairing import pairing_code
from clipper.endpoint.payload import MAX_REQUEST_BYTES
from clipper.endpoint.server import CaptureEndpoint
from clipper.library import Library
from tests.endpoint.conftest import Running
from tests.helpers.extension import EXTENSION, IMAGE_URL, PAGE_URL, clip_payload, page_html
from tests.helpers.site import FixtureSite


def _one_json_line(raw: bytes) -> None:
    assert raw.endswith(b"\n") and raw.count(b"\n") == 1
    assert json.loads(raw)["ok"] is False


def test_accepted_clip_is_stored_with_its_figure(running: Running) -> None:
    answer = running.request("POST", "/v1/clip", clip_payload())
    assert answer.status == 200, answer.body
    assert answer.body["ok"] is True and answer.body["status"] == "new"
    assert answer.headers["Access-Control-Allow-Origin"] == EXTENSION
    detail = running.library.clips.get(answer.body["clip_id"])
    assert detail.url == PAGE_URL
    assert "historic warehouses" in detail.text
    assert len(detail.figures) == 1
    figure = detail.figures[0]
    assert figure.src_url == IMAGE_URL and figure.caption == "The old quay at dawn."
    assert figure.blob_sha256 and (figure.width, figure.height) == (640, 400)
    # The same page again: deduplicated like any other clip.
    again = running.request("POST", "/v1/clip", clip_payload())
    assert again.body["status"] == "unchanged"
    assert again.body["clip_id"] == answer.body["clip_id"]


def test_selection_becomes_the_first_highlight_once(running: Running) -> None:
    selection = {
        "type": "TextQuoteSelector",
        "exact": "keeps the historic warehouses",
        "prefix": "a revised plan that ",
        "suffix": " and adds a protected",
    }
    answer = running.request("POST", "/v1/clip", clip_payload(selection=selection))
    assert answer.status == 200, answer.body
    notes = running.library.passages.find(answer.body["clip_id"])
    assert [n.exact for n in notes] == ["keeps the historic warehouses"]
    assert answer.body["highlight_id"] == notes[0].id
    again = running.request("POST", "/v1/clip", clip_payload(selection=selection))
    assert again.body["highlight_id"] == notes[0].id
    assert len(running.library.passages.find(answer.body["clip_id"])) == 1


def test_selection_not_in_the_clip_keeps_the_clip_and_says_so(running: Running) -> None:
    selection = {"exact": "Home World Tech"}  # navigation: not in the clipped text
    answer = running.request("POST", "/v1/clip", clip_payload(selection=selection))
    assert answer.status == 200 and answer.body["highlight_id"] is None
    assert answer.body["warnings"][0].startswith("highlight not added:")
    assert running.library.clips.count() == 1


def test_status_needs_the_pairing_code(running: Running) -> None:
    ok = running.request("POST", "/v1/status", b"{}")
    assert ok.status == 200 and ok.body["app"] == "clipper"
    assert running.request("POST", "/v1/status", b"{}", token="nope-nope").status == 401


def test_a_web_page_origin_is_refused(running: Running) -> None:
    for origin in ("http://evil.example", "null", "https://news.example.org", None):
        answer = running.request("POST", "/v1/clip", clip_payload(), origin=origin)
        assert answer.status == 403, origin
        assert "only the Clipper browser extension" in answer.body["error"]
        assert "Access-Control-Allow-Origin" not in answer.headers
        _one_json_line(answer.raw)
    # A preflight from a page gets no CORS grant either.
    assert running.request("OPTIONS", "/v1/clip", origin="http://evil.example").status == 403
    assert running.library.clips.count() == 0


def test_missing_or_wrong_token_is_refused(running: Running) -> None:
    missing = running.request("POST", "/v1/clip", clip_payload(), token=None)
    assert missing.status == 401 and "not paired" in missing.body["error"]
    wrong = running.request("POST", "/v1/clip", clip_payload(), token="abcde-fghjk")
    assert wrong.status == 401 and "wrong pairing code" in wrong.body["error"]
    # Another library's code does not open this one.
    other = running.request(
        "POST",
        "/v1/clip",
        clip_payload(),
        token=pairing_code(running.library.location.folder / "x"),
    )
    assert other.status == 401
    _one_json_line(wrong.raw)
    assert running.library.clips.count() == 0


def test_code_is_accepted_as_typed(running: Running) -> None:
    typed = running.code.upper().replace("-", " ")
    answer = running.request("POST", "/v1/status", b"{}", token=typed)
    assert answer.status == 200


def test_non_json_is_refused(running: Running) -> None:
    form = running.request(
        "POST",
        "/v1/clip",
        b"url=https://x.example/",
        content_type="application/x-www-form-urlencoded",
    )
    assert form.status == 415 and "JSON" in form.body["error"]
    broken = running.request("POST", "/v1/clip", b"{not json")
    assert broken.status == 400 and broken.body["error"] == "the request is not valid JSON"
    not_object = running.request("POST", "/v1/clip", b"[1, 2]")
    assert not_object.status == 400
    bad_url = running.request("POST", "/v1/clip", clip_payload(url="file:///etc/passwd"))
    assert bad_url.status == 400 and "http(s) URL" in bad_url.body["error"]
    _one_json_line(broken.raw)
    assert running.library.clips.count() == 0


def test_oversize_request_is_refused_before_reading(running: Running) -> None:
    # Announced larger than the limit: refused on the header, the body is never sent.
    answer = running.request(
        "POST",
        "/v1/clip",
        b"{}",
        headers={"Content-Length": str(MAX_REQUEST_BYTES + 1)},
    )
    assert answer.status == 413 and "larger than" in answer.body["error"]
    _one_json_line(answer.raw)


def test_dns_rebinding_host_is_refused(running: Running) -> None:
    answer = running.request("POST", "/v1/status", b"{}", host="evil.example:80")
    assert answer.status == 403 and "loopback" in answer.body["error"]


def test_a_failed_extraction_is_one_line_and_stores_nothing(running: Running) -> None:
    answer = running.request("POST", "/v1/clip", clip_payload(html="\x00\x01\x02 binary"))
    assert answer.status == 422, answer.body
    assert answer.body["ok"] is False and answer.body["error"]
    _one_json_line(answer.raw)
    assert running.library.clips.count() == 0


def test_firefox_extension_origin_is_accepted(running: Running) -> None:
    origin = "moz-extension://0c6d1a2e-5e4b-4c9b-8a55-1f2e3d4c5b6a"
    answer = running.request("POST", "/v1/status", b"{}", origin=origin)
    assert answer.status == 200
    assert answer.headers["Access-Control-Allow-Origin"] == origin


def test_a_link_is_fetched_by_clipper(library: Library, site: FixtureSite) -> None:
    """The context menu on a link sends its URL only: Clipper fetches the page itself."""
    site.pages["/linked"] = page_html().encode()
    code = pairing_code(library.location.folder)
    with Fetcher() as fetcher:
        endpoint = CaptureEndpoint(code, lambda page: clip_page(library, page, fetcher), port=0)
        endpoint.start()
        try:
            answer = Running(endpoint, code, library).request(
                "POST", "/v1/clip", {"url": site.url("/linked"), "title": ""}
            )
        finally:
            endpoint.stop()
    assert answer.status == 200 and answer.body["status"] == "new", answer.body
    assert "/linked" in site.requests and "/img/quay.png" in site.requests
    detail = library.clips.get(answer.body["clip_id"])
    assert "historic warehouses" in detail.text and detail.figures[0].blob_sha256
