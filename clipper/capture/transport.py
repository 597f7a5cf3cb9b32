"""The network layer under httpx: address checks at connect time and one deadline.

httpx's timeouts are per operation, so a server that trickles its headers one byte a
second never times out. Every socket operation here is bounded by the deadline of the
request in progress (a context variable set by `Fetcher`), which covers resolving,
connecting, TLS, headers and body together. Connections are made to the addresses the
resolver returned and checked against the address-space ceiling of the client (see
`netpolicy`), so the check and the connection use the very same address.
"""

from __future__ import annotations

import contextvars
import socket
import ssl
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx

from clipper.capture.netpolicy import AddressSpace, ResolveError, Resolver, refusal, resolve_within

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "clipper_fetch_deadline", default=None
)


@contextmanager
def deadline(at: float) -> Iterator[None]:
    """Every socket operation in this block ends by `at` (time.monotonic())."""
    token = _deadline.set(at)
    try:
        yield
    finally:
        _deadline.reset(token)


def _bounded(timeout: float | None, error: type[Exception]) -> float | None:
    """The smaller of httpx's per-operation timeout and what is left of the deadline."""
    at = _deadline.get()
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise error("the request's total time limit was reached")
    return left if timeout is None else min(timeout, left)


class BlockedAddress(httpcore.ConnectError):
    """The target address is more private than the page that asked for it."""


class _BoundedStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(
            ssl_context, server_hostname, _bounded(timeout, httpcore.ConnectTimeout)
        )
        return _BoundedStream(inner)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """Resolve with `resolver`, refuse addresses above `ceiling`, connect in time."""

    def __init__(self, resolver: Resolver, ceiling: AddressSpace) -> None:
        self._resolver = resolver
        self._ceiling = ceiling
        self._sync = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        limit = _bounded(timeout, httpcore.ConnectTimeout)
        try:
            addresses = resolve_within(self._resolver, host, port, limit or 30.0)
        except ResolveError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        for address in addresses:
            reason = refusal(address, self._ceiling)
            if reason:
                raise BlockedAddress(reason)
        last: Exception | None = None
        for address in addresses:
            try:
                stream = self._sync.connect_tcp(
                    address.ip,
                    port,
                    _bounded(timeout, httpcore.ConnectTimeout),
                    local_address,
                    socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
                continue
            return _BoundedStream(stream)
        assert last is not None
        raise last

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not used")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport with our network backend under its connection pool."""

    def __init__(self, resolver: Resolver, ceiling: AddressSpace) -> None:
        super().__init__(retries=0)
        ssl_context = httpx.create_ssl_context()
        limits = httpx.Limits(max_connections=20, max_keepalive_connections=10)
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(resolver, ceiling),
            socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)],
        )


__all__ = ["BlockedAddress", "GuardedBackend", "GuardedTransport", "deadline"]
