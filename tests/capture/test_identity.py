"""Identity cannot be hijacked: a page names its canonical URL only on its own site (same
registrable domain) or among its redirects; identical text under another URL is a new
clip linked to the first. Hosts are mapped to the local server by a resolver seam."""

from __future__ import annotations

from pathlib import Path

from pytest_httpserver import HTTPServer

from clipper.capture.fetch import Fetcher
from clipper.capture.netpolicy import AddressSpace
from clipper.capture.urls import site_of
from clipper.library import Library
from tests.helpers.network import mapped_resolver
from tests.helpers.pages import LOREM, article_page

HOSTS = ["news.example", "www.news.example", "evil.example", "short.example"]
RESOLVER = mapped_resolver({h: AddressSpace.PUBLIC for h in HOSTS})


def at(server: HTTPServer, host: str, path: str) -> str:
    return f"http://{host}:{server.port}{path}"


def test_registrable_domains() -> None:
    assert site_of("https://news.bbc.co.uk/a") == "bbc.co.uk"
    assert site_of("https://www.bbc.co.uk/a") == "bbc.co.uk"
    assert site_of("https://someone.github.io/x") == "someone.github.io"
    assert site_of("https://other.github.io/x") != site_of("https://someone.github.io/x")
    assert site_of("http://127.0.0.1:8000/") == "127.0.0.1"
    assert site_of("http://www.news.example:99/") == "news.example"


def test_a_page_cannot_claim_another_sites_clip(library: Library, httpserver: HTTPServer) -> None:
    original = at(httpserver, "news.example", "/story")
    httpserver.expect_request("/story").respond_with_data(
        article_page("The real story", LOREM), content_type="text/html"
    )
    fake = [*LOREM[:2], "Buy our pills now, the committee said."]
    httpserver.expect_request("/fake").respond_with_data(
        article_page("Fake story", fake, canonical=original), content_type="text/html"
    )
    with Fetcher(resolver=RESOLVER) as fetcher:
        real = library.clips.clip_url(original, fetcher=fetcher).result
        attack = library.clips.clip_url(
            at(httpserver, "evil.example", "/fake"), fetcher=fetcher
        ).result
    assert attack.status == "new" and attack.clip_id != real.clip_id
    assert any("canonical URL" in w and "ignored" in w for w in attack.warnings)
    kept = library.clips.get(real.clip_id)
    assert (kept.title, kept.url, kept.version_count) == ("The real story", original, 1)
    assert library.clips.get(attack.clip_id).url == at(httpserver, "evil.example", "/fake")


def test_a_canonical_on_the_same_site_is_trusted(library: Library, httpserver: HTTPServer) -> None:
    canonical = at(httpserver, "news.example", "/story")
    httpserver.expect_request("/story").respond_with_data(
        article_page("The story", LOREM), content_type="text/html"
    )
    httpserver.expect_request("/amp/story").respond_with_data(
        article_page("The story", [*LOREM, "Updated."], canonical=canonical),
        content_type="text/html",
    )
    with Fetcher(resolver=RESOLVER) as fetcher:
        first = library.clips.clip_url(canonical, fetcher=fetcher).result
        amp = library.clips.clip_url(
            at(httpserver, "www.news.example", "/amp/story"), fetcher=fetcher
        ).result
    assert (amp.status, amp.clip_id) == ("updated", first.clip_id)


def test_a_canonical_reached_through_redirects_is_trusted(
    library: Library, httpserver: HTTPServer
) -> None:
    short = at(httpserver, "short.example", "/s/1")
    httpserver.expect_request("/s/1").respond_with_data(
        "", status=301, headers={"Location": at(httpserver, "news.example", "/long")}
    )
    httpserver.expect_request("/long").respond_with_data(
        article_page("Redirected", LOREM, canonical=short), content_type="text/html"
    )
    with Fetcher(resolver=RESOLVER) as fetcher:
        result = library.clips.clip_url(short, fetcher=fetcher).result
    assert not any("canonical" in w for w in result.warnings)
    assert library.clips.get(result.clip_id).canonical_url == short


def test_a_saved_page_keeps_its_canonical(library: Library, tmp_path: Path) -> None:
    page = tmp_path / "saved.html"
    page.write_bytes(article_page("Saved", LOREM, canonical="https://news.example/saved"))
    result = library.clips.clip_file(page).result
    assert library.clips.get(result.clip_id).canonical_url == "https://news.example/saved"
