"""Which addresses a fetch may reach: Chromium's private network access rule.

A web page is untrusted input. The page the user asked for may be anywhere (a local
development server is fine: the user chose it), but what that page makes Clipper fetch
next (its images, its redirects) may not reach an address more private than the page's
own: a page on a public address cannot make Clipper talk to the router, the cloud
metadata service or a database on localhost. The check is made on the addresses a host
name resolves to, at connect time, so DNS rebinding cannot slip past it.

Resolution goes through a `Resolver` so tests can map a public-looking host name to the
local test server (a resolver seam, as the issue asks), the rest being the real code.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from enum import IntEnum


class AddressSpace(IntEnum):
    """Ordered from least to most private (Chromium: public < private < local)."""

    PUBLIC = 0
    PRIVATE = 1
    LOCAL = 2

    @property
    def label(self) -> str:
        return {0: "public", 1: "private", 2: "loopback"}[int(self)]


@dataclass(frozen=True)
class Address:
    ip: str
    space: AddressSpace


Resolver = Callable[[str, int], list[Address]]
"""(host, port) -> the addresses to connect to, each with its address space."""


class ResolveError(OSError):
    """The host name does not resolve (or not in time)."""


def address_space(ip: str) -> AddressSpace:
    """Loopback and unspecified are local; anything not globally routable is private
    (RFC 1918, link-local such as 169.254.169.254, CGNAT, ULA, reserved ranges)."""
    try:
        addr = ipaddress.ip_address(ip.split("%", 1)[0])
    except ValueError:
        return AddressSpace.PRIVATE
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    if addr.is_loopback or addr.is_unspecified:
        return AddressSpace.LOCAL
    if not addr.is_global or addr.is_multicast:
        return AddressSpace.PRIVATE
    return AddressSpace.PUBLIC


def system_resolver(host: str, port: int) -> list[Address]:
    """The operating system's resolver (getaddrinfo), classified."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ResolveError(f"host not found ({host})") from exc
    seen: list[Address] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        ip = str(sockaddr[0])
        if all(a.ip != ip for a in seen):
            seen.append(Address(ip, address_space(ip)))
    return seen


_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="clipper-dns")


def resolve_within(resolver: Resolver, host: str, port: int, timeout: float) -> list[Address]:
    """`resolver(host, port)` with a time limit: getaddrinfo itself has none."""
    future = _POOL.submit(resolver, host, port)
    try:
        addresses = future.result(timeout=max(0.01, timeout))
    except FutureTimeout as exc:
        raise ResolveError(f"timed out resolving {host}") from exc
    if not addresses:
        raise ResolveError(f"host not found ({host})")
    return addresses


def refusal(target: Address, ceiling: AddressSpace) -> str | None:
    """Why `target` may not be reached from a context of `ceiling`, or None if it may."""
    if target.space <= ceiling:
        return None
    return (
        f"blocked: a page on a {ceiling.label} address may not make Clipper fetch "
        f"a {target.space.label} address ({target.ip})"
    )


__all__ = [
    "Address",
    "AddressSpace",
    "ResolveError",
    "Resolver",
    "address_space",
    "refusal",
    "resolve_within",
    "system_resolver",
]
