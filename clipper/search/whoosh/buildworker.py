"""Building a rebuild's segments in worker processes: analysis is CPU-bound Python, so
two cores build twice as fast. The parent reads the clips and commits; each worker
turns a chunk of clips into a segment file under a temporary name.

Workers are `clipper.pipeworker` subprocesses (`python -m
clipper.search.whoosh.buildworker`).
"""

from __future__ import annotations

import itertools
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from multiprocessing.connection import Connection
from pathlib import Path

from clipper.pipeworker import PipeWorker, child_channels
from clipper.search.document import IndexDoc
from clipper.search.whoosh.builder import SegmentBuilder
from clipper.search.whoosh.segment import write_arrays


def build_file(path: Path, docs: Sequence[IndexDoc]) -> Path:
    """One segment of `docs`, written under a temporary name (returned)."""
    builder = SegmentBuilder()
    for doc in docs:
        builder.add(doc)
    return write_arrays(path, builder.arrays(), {"docs": len(builder)}, publish=False)


def _serve(conn_in: Connection, conn_out: Connection) -> None:
    while True:
        try:
            request = conn_in.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        path, docs = request
        try:
            reply: tuple[str, str] = ("ok", str(build_file(Path(path), docs)))
        except Exception as exc:  # noqa: BLE001 - reported by the parent as one line
            reply = ("error", f"{exc.__class__.__name__}: {exc}")
        conn_out.send(reply)


def main() -> None:
    _serve(*child_channels())


def _start() -> PipeWorker:
    return PipeWorker([sys.executable, "-m", "clipper.search.whoosh.buildworker"])


def build_parallel(
    jobs: Iterable[tuple[Path, list[IndexDoc]]], procs: int
) -> Iterator[tuple[Path, int]]:
    """(temporary file, clip count) per job, in job order, built by `procs` workers.

    A single job, one process, or a frozen app (no `python -m`): built here."""
    jobs = iter(jobs)
    first = next(jobs, None)
    second = next(jobs, None) if first is not None else None
    if first is None or second is None or procs <= 1 or getattr(sys, "frozen", False):
        for path, docs in (j for j in (first, second) if j is not None):
            yield build_file(path, docs), len(docs)
        for path, docs in jobs:
            yield build_file(path, docs), len(docs)
        return
    jobs = itertools.chain((first, second), jobs)
    workers = [_start() for _ in range(procs)]
    pending: deque[tuple[PipeWorker, int]] = deque()
    try:
        for turn, (path, docs) in enumerate(jobs):
            if len(pending) == procs:
                yield _result(*pending.popleft())
            worker = workers[turn % procs]
            worker.send((str(path), docs))
            pending.append((worker, len(docs)))
        while pending:
            yield _result(*pending.popleft())
    finally:
        for worker in workers:
            worker.stop(timeout=5)


def _result(worker: PipeWorker, count: int) -> tuple[Path, int]:
    try:
        status, value = worker.recv()
    except EOFError as exc:
        raise RuntimeError("an index build worker stopped unexpectedly") from exc
    if status != "ok":
        raise RuntimeError(f"building the search index failed: {value}")
    return Path(value), count


if __name__ == "__main__":
    main()
