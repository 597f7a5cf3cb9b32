"""HTTP fetching with the limits a clipper needs: size, time, redirects, content type.

Every failure becomes a `FetchError` whose message names the URL and one human reason,
so the CLI prints it as is and the GUI shows it per item.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

import httpx

from clipper import __version__
from clipper.capture.contentcoding import (
    ACCEPT_ENCODING,
    ContentCodingError,
    DecodedTooLarge,
    decode_stream,
)
from clipper.capture.netpolicy import (
    AddressSpace,
    ResolveError,
    Resolver,
    refusal,
    resolve_within,
    system_resolver,
)
from clipper.capture.transport import GuardedTransport, deadline
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
    """Seconds for connect and for each read; a whole request (resolving, connecting,
    headers, body, redirects) has `timeout * 3`."""
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
    address_space: AddressSpace = AddressSpace.PUBLIC
    """How private the address the page came from is: what it may make Clipper fetch."""
    redirects: tuple[str, ...] = ()
    """Every URL of the redirect chain before `final_url`."""

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
        if detail.startswith(("blocked:", "host not found", "timed out resolving")):
            return detail
        if "Name or service not known" in detail or "nodename nor servname" in detail:
            return "host not found"
        if "refused" in detail.lower():
            return "cannot connect (connection refused)"
        return f"cannot connect ({detail})"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the server broke the connection ({exc})"
    return str(exc) or exc.__class__.__name__


class Fetcher:
    """HTTP clients reused for a batch (connection pooling), closed when done.

    There is one client per address-space ceiling, so a pooled connection made for a
    page on a private address is never reused for a request a public page asked for.
    """

    def __init__(self, limits: FetchLimits | None = None, resolver: Resolver | None = None) -> None:
        self.limits = limits or FetchLimits.from_env()
        self.resolver: Resolver = resolver or system_resolver
        self._clients: dict[AddressSpace, httpx.Client] = {}

    def _client(self, ceiling: AddressSpace) -> httpx.Client:
        client = self._clients.get(ceiling)
        if client is None:
            # httpx ignores the environment's proxies when given a transport: with a proxy
            # configured, its own transport goes through the proxy and our hook checks
            # the names (the proxy connects, so no address of ours can be checked).
            proxied = _proxy_configured()
            hooks = {"request": [self._proxied_check(ceiling)]} if proxied else {}
            client = httpx.Client(
                transport=None if proxied else GuardedTransport(self.resolver, ceiling),
                follow_redirects=True,
                max_redirects=self.limits.max_redirects,
                timeout=httpx.Timeout(self.limits.timeout),
                headers={
                    "User-Agent": USER_AGENT,
                    "Accept-Language": "en;q=0.9, *;q=0.5",
                    "Accept-Encoding": ACCEPT_ENCODING,
                },
                # A desktop user's system proxy is honoured; tests clear the variables.
                trust_env=True,
                event_hooks=hooks,
            )
            self._clients[ceiling] = client
        return client

    def _proxied_check(self, ceiling: AddressSpace) -> Callable[[httpx.Request], None]:
        """Through a proxy the connect-time check sees the proxy: check names instead."""

        def check(request: httpx.Request) -> None:
            try:
                addresses = resolve_within(
                    self.resolver, request.url.host, request.url.port or 443, self.limits.timeout
                )
            except ResolveError:
                return  # only the proxy can resolve it: nothing private is known to us
            for address in addresses:
                if reason := refusal(address, ceiling):
                    raise FetchError(str(request.url), reason)

        return check

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self._clients.clear()

    def fetch_page(self, url: str) -> FetchResult:
        """A web page: HTML (or XHTML) only; anything else is a clear error."""
        result = self.fetch(url, accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.1")
        media = result.media_type
        if media and media not in HTML_TYPES:
            raise FetchError(url, f"not a web page (the server sent {media})")
        if not media and _looks_binary(result.body):
            raise FetchError(url, "not a web page (binary content)")
        return result

    def fetch_image(
        self,
        url: str,
        max_bytes: int,
        *,
        context: AddressSpace = AddressSpace.PUBLIC,
        until: float | None = None,
    ) -> FetchResult:
        """An image a page refers to: only http(s), only addresses no more private than
        the page's (`context`), finished by `until` (the clip's image deadline)."""
        if url.startswith("data:"):
            raise FetchError(url[:60], "inline data: images are not downloaded")
        return self.fetch(
            url,
            accept="image/avif,image/webp,image/*;q=0.9,*/*;q=0.1",
            max_bytes=max_bytes,
            context=context,
            until=until,
        )

    def context_of(self, url: str) -> AddressSpace:
        """The address space of a URL the user chose: its host's most private address."""
        parts = httpx.URL(url)
        try:
            addresses = resolve_within(
                self.resolver,
                parts.host,
                parts.port or _default_port(parts.scheme),
                self.limits.timeout,
            )
        except ResolveError as exc:
            if _proxy_configured():
                return AddressSpace.PUBLIC  # only the proxy can resolve it
            raise FetchError(url, str(exc)) from exc
        return max(a.space for a in addresses)

    def fetch(
        self,
        url: str,
        *,
        accept: str = "*/*",
        max_bytes: int | None = None,
        context: AddressSpace | None = None,
        until: float | None = None,
    ) -> FetchResult:
        """GET `url`. `context` None means the user chose it: it may be anywhere, and its
        redirects no more private than it; else the ceiling set by the referring page."""
        check_url(url)
        limit = max_bytes or self.limits.max_bytes
        total = self.limits.timeout * 3
        at = time.monotonic() + total
        if until is not None and until < at:
            at, total = until, max(0.0, until - time.monotonic())
        try:
            with deadline(at):
                ceiling = self.context_of(url) if context is None else context
                client = self._client(ceiling)
                with client.stream("GET", url, headers={"Accept": accept}) as response:
                    return self._receive(url, response, limit, ceiling)
        except httpx.HTTPError as exc:
            if isinstance(exc, httpx.TimeoutException) and time.monotonic() >= at - 0.05:
                raise FetchError(url, f"timed out after {total:g} s (total time limit)") from exc
            raise FetchError(url, _reason_for(exc, self.limits)) from exc
        except (httpx.InvalidURL, ValueError, UnicodeError) as exc:
            raise FetchError(url, f"not a valid URL ({exc})") from exc

    def _receive(
        self, url: str, response: httpx.Response, limit: int, ceiling: AddressSpace
    ) -> FetchResult:
        if response.status_code >= 400:
            phrase = response.reason_phrase or ""
            raise FetchError(url, f"HTTP {response.status_code} {phrase}".rstrip())
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise FetchError(url, f"response too large ({_mb(int(declared))}, limit {_mb(limit)})")
        coding = response.headers.get("Content-Encoding", "")
        try:
            pieces = decode_stream(_raw_limited(url, response.iter_raw(), limit), coding, limit)
            body = b"".join(pieces)
        except DecodedTooLarge as exc:
            raise FetchError(url, f"response too large (over the {_mb(limit)} limit)") from exc
        except ContentCodingError as exc:
            raise FetchError(url, f"cannot decode the response: {exc}") from exc
        return FetchResult(
            url=url,
            final_url=str(response.url),
            status=response.status_code,
            content_type=response.headers.get("Content-Type", ""),
            body=body,
            headers=dict(response.headers),
            address_space=ceiling,
            redirects=tuple(str(r.url) for r in response.history),
        )


def _raw_limited(url: str, chunks: Iterable[bytes], limit: int) -> Iterable[bytes]:
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise FetchError(url, f"response too large (over the {_mb(limit)} limit)")
        yield chunk


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def _proxy_configured() -> bool:
    names = ("http_proxy", "https_proxy", "all_proxy")
    return any(os.environ.get(n) or os.environ.get(n.upper()) for n in names)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _looks_binary(body: bytes) -> bool:
    head = body[:1024]
    return b"\x00" in head or head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8"))


def check_url(url: str) -> None:
    """Only absolute http(s) URLs are fetched; a typo gets a clear message."""
    try:
        parts = urlsplit(url)
        _ = parts.port
    except ValueError as exc:
        raise FetchError(url, f"not a valid URL ({exc})") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(url, "not an http(s) URL")
    if not parts.netloc or not parts.hostname:
        raise FetchError(url, "the URL has no host")
    try:
        httpx.URL(url)
    except (httpx.InvalidURL, ValueError, UnicodeError) as exc:
        raise FetchError(url, f"not a valid URL ({exc})") from exc
