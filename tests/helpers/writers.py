"""Writers run in child processes by the concurrency tests: each is a separate client
of one library (its own engine, its own index folder), as two machines would be."""

from __future__ import annotations

from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

ROUND_WRITES = 3
"""Writes per round and process: a shared new tag, an own tag, a passage."""


def tag_and_annotate(
    folder: str, url: str, who: str, clip_id: int, rounds: int, start: Event, out: Any
) -> None:
    """`rounds` times: add the round's shared new tag (the other process adds it at the
    same moment), an own tag, and a passage. Puts the one-line errors (none expected)."""
    from clipper.errors import describe_error
    from clipper.library import Library
    from clipper.paths import LibraryLocation

    errors: list[str] = []
    library = Library.open(LibraryLocation(folder=Path(folder), database_url=url))
    try:
        start.wait(60)
        for i in range(rounds):
            for step in range(ROUND_WRITES):
                try:
                    if step == 0:
                        library.tags.change([clip_id], add=[f"Shared {i}"])
                    elif step == 1:
                        library.tags.change([clip_id], add=[f"{who} {i}"])
                    else:
                        library.passages.add(clip_id, 0, 5, note=f"{who} note {i}")
                except Exception as exc:  # noqa: BLE001 - reported to the test
                    errors.append(describe_error(exc))
        errors.extend(library.index_warnings)
    finally:
        library.close()
        out.put((who, errors))
