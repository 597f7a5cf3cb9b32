"""The library: the only place that writes the database (see `facade.Library`).

`Library` is imported on first use: `clipper.library.types` (plain values) must not
load SQLAlchemy and the search index, so the window shows before they are needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clipper.library.facade import Library

__all__ = ["Library"]


def __getattr__(name: str) -> type[Library]:
    if name == "Library":
        from clipper.library.facade import Library

        return Library
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
