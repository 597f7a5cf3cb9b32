"""A small hand-written library indexed in every search backend (no mocks).

The `index` fixture runs each query test against every engine behind the
`SearchBackend` seam; a test of one engine's internals uses that engine directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from clipper.search.backend import IndexResults, SearchBackend
from clipper.search.document import IndexDoc
from clipper.search.query import parse_query
from clipper.search.whoosh.index import SearchIndex
from tests.conftest import pg_database

DOCS = (
    IndexDoc(
        id=1,
        revision=1,
        title="Military parade in Paris",
        body="The army marched on the Champs-Élysées. Soldiers said the co-operation "
        "was excellent.",
        captions="Photo: Reuters. Tanks near the Arc de Triomphe.",
        notes="Parade note: great photos",
        tags=("France", "military history"),
        site="Le Monde",
        authors=("Jeanne Dupont",),
        url="https://www.lemonde.fr/a",
        published=datetime(2023, 7, 14),
        has_note=True,
    ),
    IndexDoc(
        id=2,
        revision=1,
        title="Climate change talks stall",
        body="Delegates said climate change requires cooperation. The talks in Bonn ended.",
        captions="Credit: AP",
        tags=("climate change",),
        site="The Guardian",
        authors=("John Smith",),
        url="https://www.theguardian.com/env/b",
        published=datetime(2024, 1, 31, 12, 0),
    ),
    IndexDoc(
        id=3,
        revision=1,
        title="Café culture in Vienna",
        body="Coffee houses, naïve tourists and the change of seasons.",
        tags=("travel",),
        url="https://blog.example.com/vienna",
        clipped=datetime(2022, 3, 5),
    ),
    IndexDoc(
        id=4,
        revision=2,
        title="Militia movements",
        body="Historians study militia groups; change is slow.",
        tags=("history",),
        url="https://news.example.com/m",
        published=datetime(2019, 5, 1),
    ),
    IndexDoc(
        id=5,
        revision=7,
        title="Kitchen notes",
        body="Recipes.",
        notes="Change the recipe: more salt",
        has_note=True,
        url="https://cook.example.org/k",
        clipped=datetime(2024, 6, 1),
    ),
    IndexDoc(
        id=6,
        revision=1,
        title="Weather report",
        body="The climate is warm this year. Change comes slowly to the valley.",
        url="https://weather.example.net/w",
        published=datetime(2025, 2, 2),
    ),
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "index"


class Searchable:
    """A backend seen as the tests use it: queries typed as text, parsed as the library
    parses them, everything else passed through."""

    def __init__(self, backend: SearchBackend) -> None:
        self.backend = backend

    def search(self, text: str, *, prefix_last: bool = True, **kwargs: Any) -> IndexResults:
        return self.backend.search(parse_query(text, prefix_last=prefix_last), **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.backend, name)


@pytest.fixture(scope="session")
def pg_search_url() -> Iterator[str]:
    """One PostgreSQL database with the library's schema for the session's search
    tests (each test starts from an empty `search_docs`)."""
    from clipper.library.db import make_engine, upgrade

    with pg_database() as url:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url


def _postgres(request: pytest.FixtureRequest, _folder: Path) -> SearchBackend:
    from clipper.search.postgres.backend import PostgresSearch

    backend = PostgresSearch(request.getfixturevalue("pg_search_url"))
    backend.rebuild([])
    return backend


BACKENDS: dict[str, Callable[[pytest.FixtureRequest, Path], SearchBackend]] = {
    "whoosh": lambda _request, folder: SearchIndex(folder),
    "postgres": _postgres,
}
"""Every engine behind the seam; "postgres" runs where CLIPPER_TEST_PG_URL is set."""


@pytest.fixture(
    params=[
        pytest.param(name, marks=pytest.mark.postgres) if name == "postgres" else name
        for name in sorted(BACKENDS)
    ]
)
def index(request: pytest.FixtureRequest, folder: Path) -> Iterator[SearchIndex]:
    backend = BACKENDS[request.param](request, folder)
    backend.upsert(DOCS)
    yield Searchable(backend)  # type: ignore[misc]
    backend.close()


def ids(index: SearchIndex, query: str, **kwargs: object) -> set[int]:
    """The ids a query returns (all pages)."""
    result = index.search(query, limit=1000, **kwargs)  # type: ignore[arg-type]
    assert result.total == len(result.hits)
    return {hit.id for hit in result.hits}
