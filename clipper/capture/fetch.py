"""HTTP fetching with the limits a clipper needs: size, time, redirects, content type.

Every failure becomes a `FetchError` whose message names the URL and one human reason,
so the CLI prints it as is and the GUI shows it per item.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

import httpx

from clipper import __version__
from clipper.errors import FetchError

HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml")
IMAGE_PREFIX = "image/"

USER_AGENT = (
    f"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0 Clipper/{__version__}"
)


@dataclass(frozen=True)
class FetchLimits:
    max_bytes: int = 20 * 1024 * 1024
    timeout: float = 20.0
    """Seconds for connect and for each read; also the whole transfer's deadline x3."""
    max_redirects: int = 10

    @classmethod
    def from_env(cls) -> FetchLimits:
        """Defaults, overridable by `CLIPPER_TIMEOUT` (s) and `CLIPPER_MAX_PAGE_MB`."""
        limits = cls()
        try:
            if value := os.environ.get("CLIPPER_TIMEOUT"):
                limits = replace(limits, timeout=float(value))
            if value := os.environ.get("CLIPPER_MAX_PAGE_MB"):
                limits = replace(limits, max_bytes=int(float(value) * 1024 * 1024))
        except ValueError:
            pass  # a malformed setting keeps the defaults
        return limits


@dataclass(frozen=True)
class FetchResult:
    url: str
    """The URL asked for."""
    final_url: str
    """Where the redirects ended: relative links resolve against it."""
    status: int | None
    content_type: str
    """The full Content-Type header (with charset), or ""."""
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def media_type(self) -> str:
        return self.content_type.split(";", 1)[0].strip().lower()


def _reason_for(exc: httpx.HTTPError, limits: FetchLimits) -> str:
    if isinstance(exc, httpx.TooManyRedirects):
        return f"too many redirects (more than {limits.max_redirects}; a redirect loop?)"
    if isinstance(exc, httpx.ConnectTimeout):
        return f"timed out connecting after {limits.timeout:g} s"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out after {limits.timeout:g} s"
    if isinstance(exc, httpx.ConnectError):
        detail = str(exc) or "connection failed"
        if "Name or service not known" in detail or "nodename nor servname" in detail:
            return "host not found"
        if "refused" in detail.lower():
            return "cannot connect (connection refused)"
        return f"cannot connect ({detail})"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the server broke the connection ({exc})"
    return str(exc) or exc.__class__.__name__


class Fetcher:
    """One HTTP client reused for a batch (connection pooling), closed when done."""

    def __init__(self, limits: FetchLimits | None = None) -> None:
        self.limits = limits or FetchLimits.from_env()
        self._client = httpx.Client(
            follow_redirects=True,
            max_redirects=self.limits.max_redirects,
            timeout=httpx.Timeout(self.limits.timeout),
            headers={"User-Agent": USER_AGENT, "Accept-Language": "en;q=0.9, *;q=0.5"},
            # Clipping must never go through a proxy from the environment in tests,
            # and a desktop user's system proxy is honoured by trust_env below.
            trust_env=True,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch_page(self, url: str) -> FetchResult:
        """A web page: HTML (or XHTML) only; anything else is a clear error."""
        result = self.fetch(url, accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.1")
        media = result.media_type
        if media and media not in HTML_TYPES:
            raise FetchError(url, f"not a web page (the server sent {media})")
        if not media and _looks_binary(result.body):
            raise FetchError(url, "not a web page (binary content)")
        return result

    def fetch_image(self, url: str, max_bytes: int) -> FetchResult:
        if url.startswith("data:"):
            raise FetchError(url[:60], "inline data: images are not downloaded")
        return self.fetch(
            url, accept="image/avif,image/webp,image/*;q=0.9,*/*;q=0.1", max_bytes=max_bytes
        )

    def fetch(self, url: str, *, accept: str = "*/*", max_bytes: int | None = None) -> FetchResult:
        check_url(url)
        limit = max_bytes or self.limits.max_bytes
        deadline = time.monotonic() + self.limits.timeout * 3
        try:
            with self._client.stream("GET", url, headers={"Accept": accept}) as response:
                if response.status_code >= 400:
                    phrase = response.reason_phrase or ""
                    raise FetchError(url, f"HTTP {response.status_code} {phrase}".rstrip())
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > limit:
                    raise FetchError(
                        url, f"response too large ({_mb(int(declared))}, limit {_mb(limit)})"
                    )
                body = _read_limited(url, response.iter_bytes(), limit, deadline, self.limits)
                return FetchResult(
                    url=url,
                    final_url=str(response.url),
                    status=response.status_code,
                    content_type=response.headers.get("Content-Type", ""),
                    body=body,
                    headers=dict(response.headers),
                )
        except httpx.HTTPError as exc:
            raise FetchError(url, _reason_for(exc, self.limits)) from exc


def _read_limited(
    url: str, chunks: Iterable[bytes], limit: int, deadline: float, limits: FetchLimits
) -> bytes:
    parts: list[bytes] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise FetchError(url, f"response too large (over the {_mb(limit)} limit)")
        if time.monotonic() > deadline:
            raise FetchError(url, f"timed out after {limits.timeout * 3:g} s (transfer too slow)")
        parts.append(chunk)
    return b"".join(parts)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _looks_binary(body: bytes) -> bool:
    head = body[:1024]
    return b"\x00" in head or head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8"))


def check_url(url: str) -> None:
    """Only absolute http(s) URLs are fetched; a typo gets a clear message."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(url, "not an http(s) URL")
    if not parts.netloc:
        raise FetchError(url, "the URL has no host")
