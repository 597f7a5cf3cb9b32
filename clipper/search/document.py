"""What the library hands the search index for one clip.

The index is a derived cache: everything here is rebuilt from the database. Only the
id (and a revision counter for reconciliation) is stored in Whoosh; snippets are made
from the database text of the hits shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class IndexDoc:
    id: int
    revision: int
    """Bumped by the library on every change of the clip; reconciliation compares it."""
    title: str = ""
    subtitle: str = ""
    body: str = ""
    captions: str = ""
    """Figure captions and credits, one per line."""
    notes: str = ""
    """Passage notes and the passages' quotes (exact), one per line."""
    tags: tuple[str, ...] = ()
    """Clip tags and passage tags, normalized (lower case)."""
    site: str = ""
    authors: tuple[str, ...] = ()
    url: str = ""
    published: datetime | None = None
    clipped: datetime | None = None
    has_note: bool = False
    extra: dict[str, str] = field(default_factory=dict)
