"""Extraction in a separate, bounded process: a hostile page costs one error, not the app.

lxml and trafilatura can take minutes and gigabytes on a crafted page (one tag with
200,000 attributes, a 40 MB file), and neither can be interrupted from Python. So pages
are extracted by worker processes with an address-space limit (`RLIMIT_AS`) and a time
limit enforced by the parent, which kills a worker that overruns and starts a fresh one
next time. Workers are started once and reused (a page costs one pickled round trip;
see docs/benchmarks.md), one per thread that extracts at the same time.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from clipper.article import Article
from clipper.errors import ExtractionError
from clipper.pipeworker import PipeWorker, child_channels


@dataclass(frozen=True)
class ExtractionLimits:
    seconds: float = 30.0
    memory_mb: int = 320
    """Address space a worker may add to what it uses once started."""

    @classmethod
    def from_env(cls) -> ExtractionLimits:
        """Defaults, overridable by `CLIPPER_EXTRACT_SECONDS` and `CLIPPER_EXTRACT_MB`."""
        limits = cls()
        try:
            seconds = float(os.environ.get("CLIPPER_EXTRACT_SECONDS") or limits.seconds)
            memory = int(os.environ.get("CLIPPER_EXTRACT_MB") or limits.memory_mb)
        except ValueError:
            return limits
        return cls(seconds=seconds, memory_mb=memory)


class ExtractionLimitError(ExtractionError):
    """The page exceeded the extraction limits (time or memory)."""


def _vm_bytes() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _serve(conn_in: Connection, conn_out: Connection, memory_mb: int) -> None:
    """The worker's loop: (html, url, content_type) in, ("ok", Article) or ("error", str) out."""
    from clipper.capture.extract import extract_article

    try:
        import resource

        limit = _vm_bytes() + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not Linux
        pass
    while True:
        try:
            request = conn_in.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        html, url, content_type = request
        try:
            reply: tuple[str, Any] = ("ok", extract_article(html, url, content_type=content_type))
        except ExtractionError as exc:
            reply = ("error", str(exc))
        except MemoryError:
            reply = ("memory", "")
        except RecursionError:
            reply = ("error", "the page is nested too deeply to read")
        except Exception as exc:  # noqa: BLE001 - reported as one line by the parent
            reply = ("error", f"extraction failed ({exc.__class__.__name__}: {exc})")
        try:
            conn_out.send(reply)
        except (OSError, MemoryError):
            return


def main(argv: list[str]) -> None:
    """Entry point of a worker process (`python -m clipper.capture.worker MB`)."""
    _serve(*child_channels(), int(argv[0]))


WORKER_FLAG = "--clipper-extraction-worker"
"""How a frozen app (PyInstaller) is asked to be a worker: see packaging/clipper_gui.py."""


def _worker_command() -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, WORKER_FLAG]
    return [sys.executable, "-m", "clipper.capture.worker"]


class _Worker(PipeWorker):
    def __init__(self, memory_mb: int) -> None:
        super().__init__([*_worker_command(), str(memory_mb)], quiet=True)
        self.memory_mb = memory_mb


class _Pool:
    def __init__(self) -> None:
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()

    def take(self, memory_mb: int) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.alive() and worker.memory_mb == memory_mb:
                    return worker
                worker.kill()
        return _Worker(memory_mb)

    def give_back(self, worker: _Worker) -> None:
        with self._lock:
            self._idle.append(worker)

    def prestart(self, memory_mb: int) -> None:
        with self._lock:
            if not self._idle:
                self._idle.append(_Worker(memory_mb))

    def shutdown(self) -> None:
        with self._lock:
            workers, self._idle = self._idle, []
        for worker in workers:
            worker.stop()


_POOL = _Pool()
atexit.register(_POOL.shutdown)


def prestart(limits: ExtractionLimits | None = None) -> None:
    """Start a worker now (while the page downloads), so the first page does not wait."""
    _POOL.prestart((limits or ExtractionLimits.from_env()).memory_mb)


def extract_bounded(
    html: bytes, url: str, content_type: str | None, limits: ExtractionLimits | None = None
) -> Article:
    """`extract_article` in a worker process, within `limits`; raises ExtractionError."""
    limits = limits or ExtractionLimits.from_env()
    worker = _POOL.take(limits.memory_mb)
    try:
        worker.send((html, url, content_type))
        if not worker.poll(limits.seconds):
            worker.kill()
            raise ExtractionLimitError(
                f"extraction took longer than {limits.seconds:g} s (a hostile or broken page?)"
            )
        status, value = worker.recv()
    except (EOFError, OSError) as exc:
        worker.kill()
        raise ExtractionLimitError(
            f"extraction needed more than {limits.memory_mb} MB of memory"
        ) from exc
    if status == "memory":
        worker.kill()
        raise ExtractionLimitError(f"extraction needed more than {limits.memory_mb} MB of memory")
    _POOL.give_back(worker)
    if status == "error":
        raise ExtractionError(str(value))
    assert isinstance(value, Article)
    return value


__all__ = ["ExtractionLimitError", "ExtractionLimits", "extract_bounded", "prestart"]


if __name__ == "__main__":  # pragma: no cover - the worker process
    main(sys.argv[1:])
