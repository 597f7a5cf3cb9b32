"""Network helpers for hostile-page tests: a resolver seam and a raw socket server.

`mapped_resolver` maps public-looking host names to the local test server while keeping
the address space a real resolution would give (the only thing replaced is DNS).
`TrickleServer` sends its response a byte at a time, which no HTTP framework does.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from clipper.capture.netpolicy import Address, AddressSpace, Resolver, system_resolver


def mapped_resolver(mapping: dict[str, AddressSpace]) -> Resolver:
    """Host names in `mapping` resolve to 127.0.0.1 but count as the given space."""

    def resolve(host: str, port: int) -> list[Address]:
        if host in mapping:
            return [Address("127.0.0.1", mapping[host])]
        return system_resolver(host, port)

    return resolve


@contextmanager
def trickle_server(response: bytes, delay: float) -> Iterator[int]:
    """A server on 127.0.0.1 that sends `response` one byte per `delay` seconds."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                try:
                    conn.recv(65536)
                    for byte in response:
                        if stop.is_set():
                            break
                        conn.sendall(bytes([byte]))
                        time.sleep(delay)
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def hosts_file(monkeypatch: pytest.MonkeyPatch, *hosts: str) -> None:
    """Like lines in /etc/hosts: `hosts` resolve to 127.0.0.1 for every `Fetcher` (the
    CLI's too). Pages then come from their own site, so their canonical URL counts."""
    resolver = mapped_resolver(dict.fromkeys(hosts, AddressSpace.LOCAL))
    monkeypatch.setattr("clipper.capture.fetch.system_resolver", resolver)
