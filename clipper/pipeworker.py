"""A helper process spoken to over its stdin/stdout pipes with pickled messages.

Used by the bounded extraction workers and the index build workers. A plain subprocess,
not multiprocessing's spawn: that re-imports the parent's main module, which breaks any
script without a `__main__` guard.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Sequence
from multiprocessing.connection import Connection
from typing import Any


def child_channels() -> tuple[Connection, Connection]:
    """In the child: (requests in, replies out). Stray prints go to stderr, never into
    the reply channel."""
    channel = os.dup(1)
    os.dup2(2, 1)
    return Connection(0, writable=False), Connection(channel, readable=False)


class PipeWorker:
    """The parent's end: start `command`, send requests, receive replies, stop it."""

    def __init__(self, command: Sequence[str], *, quiet: bool = False) -> None:
        self.process = subprocess.Popen(
            list(command),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL if quiet else None,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self._to = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self._from = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()

    def alive(self) -> bool:
        return self.process.poll() is None

    def send(self, request: object) -> None:
        self._to.send(request)

    def poll(self, seconds: float) -> bool:
        return self._from.poll(seconds)

    def recv(self) -> Any:
        return self._from.recv()

    def _close(self) -> None:
        self._to.close()
        self._from.close()

    def stop(self, timeout: float = 1.0) -> None:
        """Ask it to end (a `None` request), killing it after `timeout` seconds."""
        with contextlib.suppress(OSError):
            self._to.send(None)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self._close()

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=5)
        self._close()
