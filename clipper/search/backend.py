"""The seam between the library and a full-text engine.

`Library` talks to a `SearchBackend` and to nothing else of search: the local Whoosh
index (`clipper.search.whoosh`) for SQLite libraries, PostgreSQL's own text search for
team libraries. The query language (`clipper.search.query`) and the snippets
(`clipper.search.snippet`) are engine-neutral; a backend receives a `ParsedQuery`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from clipper.errors import ClipperError
from clipper.search.document import IndexDoc
from clipper.search.query import ParsedQuery

if TYPE_CHECKING:
    from sqlalchemy import Connection

Progress = Callable[[int, int | None], None]


class SearchIndexError(ClipperError):
    """The search index cannot be used (its folder is unwritable, or similar)."""


class IndexLockedError(SearchIndexError):
    """Another process is writing to the search index."""


@dataclass(frozen=True)
class IndexHit:
    id: int
    score: float
    where: tuple[str, ...]
    """Parts that matched, a subset of ("title", "text", "caption", "note", "tag")."""


@dataclass(frozen=True)
class IndexResults:
    total: int
    hits: tuple[IndexHit, ...]
    terms: tuple[str, ...]
    """Folded words to highlight; "word*" is a prefix, "two words" a phrase."""
    warnings: tuple[str, ...] = ()


class SearchBackend(Protocol):
    """What the library needs of a full-text engine."""

    needs_rebuild: bool
    """True when the engine holds nothing yet (new, or recreated after damage)."""

    def upsert(self, docs: Sequence[IndexDoc]) -> None:
        """Add or replace clips by id; searchable when this returns (one commit)."""

    def delete(self, ids: Iterable[int]) -> None: ...

    def rebuild(
        self, docs: Iterable[IndexDoc], total: int | None = None, progress: Progress | None = None
    ) -> None:
        """Replace everything with `docs`, reporting (done, total)."""

    def search(
        self,
        query: ParsedQuery,
        *,
        limit: int = 20,
        offset: int = 0,
        restrict_ids: Collection[int] | None = None,
    ) -> IndexResults: ...

    def revisions(self) -> dict[int, int]:
        """id -> revision of every indexed clip, to reconcile with the database."""

    def doc_count(self) -> int: ...

    def close(self) -> None: ...


@runtime_checkable
class TransactionalIndex(Protocol):
    """A backend kept in the library's own database (PostgreSQL search): the facade
    writes it in the transaction that changes the clips, so every client sees both or
    neither, instead of bringing it up to date after the commit."""

    def write(self, conn: Connection, docs: Sequence[IndexDoc], gone: Iterable[int] = ()) -> None:
        """Write `docs` and drop the clips `gone`, in the caller's transaction."""
