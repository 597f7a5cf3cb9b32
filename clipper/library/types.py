"""Plain values the `Library` facade returns: views and the CLI never see ORM objects.

These are detached snapshots, safe to hand to another thread (a GUI worker returns them
through a signal) and cheap to compare in tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Generic, Literal

from clipper.article import Block

if TYPE_CHECKING:  # a default for the type parameter (PEP 696): `Changes` is `Changes[None]`
    from typing_extensions import TypeVar

    R = TypeVar("R", covariant=True, default=None)
else:
    from typing import TypeVar

    R = TypeVar("R", covariant=True)
T = TypeVar("T")

ClipStatus = Literal["new", "updated", "unchanged"]
PassageState = Literal["anchored", "moved", "changed", "orphaned"]
"""Same text at the same place; same text elsewhere; reworded (both kept); not found."""
SortKey = Literal["title", "site", "published", "clipped"]


@dataclass(frozen=True)
class ClipSummary:
    """One row of the clip list."""

    id: int
    title: str
    site_name: str
    url: str
    published_at: datetime | None
    clipped_at: datetime
    tags: tuple[str, ...] = ()
    canonical_url: str = ""
    """The address to cite and share (Copy Link); `url` is the one fetched."""


@dataclass(frozen=True)
class StoredFigure:
    """A figure of a stored version; the image bytes are fetched by `blob_sha256`."""

    id: int
    position: int
    caption: str
    credit: str
    alt: str
    src_url: str
    blob_sha256: str | None
    media_type: str | None
    width: int | None
    height: int | None
    image_error: str = ""
    """Why the image was not stored, when it was dropped at capture."""


@dataclass(frozen=True)
class ClipDetail:
    """Everything the reader and `clipper show` need, without network access."""

    id: int
    url: str
    canonical_url: str
    title: str
    subtitle: str
    authors: tuple[str, ...]
    site_name: str
    published_at: datetime | None
    clipped_at: datetime
    language: str
    tags: tuple[str, ...]
    version_id: int
    version_count: int
    blocks: tuple[Block, ...]
    figures: tuple[StoredFigure, ...]
    text: str
    """The plain text (see `clipper.article.plain_text`): passage offsets refer to it."""
    citation_key: str = ""
    """Stored once per clip (`clipper.export.citekeys`); empty only for hand-made values."""
    sources: Mapping[str, str] = field(default_factory=dict)
    """Where each metadata field came from: field -> "json-ld", "open-graph", "user", ..."""
    fetched_at: datetime | None = None
    """When the shown version was fetched."""
    duplicate_of: int | None = None
    """The earlier clip with the same text under another URL, if any."""

    @property
    def body_text(self) -> str:
        from clipper.article import body_text

        return body_text(list(self.blocks))


@dataclass(frozen=True)
class VersionInfo:
    id: int
    clip_id: int
    fetched_at: datetime
    http_status: int | None
    content_type: str
    html_sha256: str
    text_sha256: str
    is_current: bool


@dataclass(frozen=True)
class ClipResult:
    """What `Library.clip` did with one input."""

    clip_id: int
    status: ClipStatus
    version_id: int
    title: str
    url: str
    warnings: tuple[str, ...] = ()
    reanchored: tuple[tuple[int, str], ...] = ()
    """(passage id, new state) for passages re-anchored on a new version."""
    duplicate_of: int | None = None
    """A new clip whose text is identical to this earlier clip's (under another URL)."""
    passage_id: int | None = None
    """The passage made of a browser page's selection (`ClipRequest.page`)."""
    passage_problem: str = ""
    """Why that selection did not become a passage (the clip is stored all the same)."""


@dataclass(frozen=True)
class TagCount:
    name: str
    count: int


@dataclass(frozen=True)
class SiteCount:
    name: str
    count: int


@dataclass(frozen=True)
class ClipFilter:
    """Which clips a list shows (sidebar selection); None/False means no restriction."""

    tag: str | None = None
    untagged: bool = False
    site: str | None = None
    ids: tuple[int, ...] | None = None


@dataclass(frozen=True)
class SearchHit:
    """One search result: the clip row, a snippet with the matched words marked."""

    clip: ClipSummary
    score: float
    snippet: str
    """Plain text with matches wrapped in `[[` and `]]` (views render them their way)."""
    where: tuple[str, ...] = ()
    """Which parts matched: "text", "title", "caption", "note", "tag"."""
    terms: tuple[str, ...] = ()
    """The words to highlight in the reader."""


@dataclass(frozen=True)
class SearchResults:
    query: str
    total: int
    hits: tuple[SearchHit, ...]
    warnings: tuple[str, ...] = ()
    """e.g. "malformed query, searched for the words" - never an exception."""


@dataclass(frozen=True)
class Changes(Generic[R]):
    """What a write changed, and what it returned (Anki's `OpChanges`).

    Every write of the `Library` facade returns one, so the GUI broadcasts it once
    (`gui/operations.py`) and each view refreshes only what it names. `result` is the
    write's own answer (a `ClipResult`, a `PassageInfo`, a count); `Changes` alone
    is `Changes[None]`.
    """

    clips: frozenset[int] = frozenset()
    """Clips whose row or text changed (the list row and the reader read them again)."""
    added: frozenset[int] = frozenset()
    removed: frozenset[int] = frozenset()
    tags: bool = False
    """The tag list or its counts may have changed (the sidebar reads them again)."""
    passages: frozenset[int] = frozenset()
    """Clips whose passages changed (the passages panel and all-passages view)."""
    sites: bool = False
    """The site list or its counts may have changed."""
    result: R = None  # type: ignore[assignment] # None for `Changes[None]`

    @property
    def touched(self) -> frozenset[int]:
        """Every clip this names (changed, added, removed or its passages)."""
        return self.clips | self.added | self.removed | self.passages

    def merged(self, other: Changes[object]) -> Changes[R]:
        """Both changes, this one's result (a write made of several steps)."""
        return Changes(
            clips=self.clips | other.clips,
            added=self.added | other.added,
            removed=self.removed | other.removed,
            tags=self.tags or other.tags,
            passages=self.passages | other.passages,
            sites=self.sites or other.sites,
            result=self.result,
        )

    def with_result(self, result: T) -> Changes[T]:
        """The same changes with another result (a step's answer turned into the op's)."""
        return Changes(
            clips=self.clips,
            added=self.added,
            removed=self.removed,
            tags=self.tags,
            passages=self.passages,
            sites=self.sites,
            result=result,
        )


@dataclass(frozen=True)
class PassageInfo:
    id: int
    clip_id: int
    version_id: int
    exact: str
    prefix: str
    suffix: str
    start: int | None
    end: int | None
    color: str
    note: str
    tags: tuple[str, ...]
    state: PassageState
    created_at: datetime
    updated_at: datetime
    clip_title: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    current_exact: str = ""
    """The current version's wording when it differs from the quote (state "changed")."""
    quote_version_id: int | None = None
    """The version the quote was made on (`exact` is its text there, forever)."""
    quote_start: int | None = None
    quote_end: int | None = None
    quote_fetched_at: datetime | None = None
    """When that version was fetched: citations say which version a quote comes from."""
    edit_version: int = 1
    """Counts edits of note, tags and colour: an edit based on an older one is refused."""

    @property
    def current_text(self) -> str:
        """What the passage reads in the current version (the quote unless it changed)."""
        return self.current_exact or self.exact
