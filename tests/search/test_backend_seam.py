"""Which backends the facade writes inside its own transactions."""

from __future__ import annotations

from clipper.search.backend import TransactionalIndex
from clipper.search.postgres.backend import PostgresSearch
from clipper.search.whoosh.index import SearchIndex


def test_only_the_database_index_is_written_in_the_clips_transaction() -> None:
    """PostgreSQL search rows change with the clips (every client sees both or neither);
    the local index is brought up to date after the commit (a derived cache)."""
    assert issubclass(PostgresSearch, TransactionalIndex)
    assert not issubclass(SearchIndex, TransactionalIndex)
