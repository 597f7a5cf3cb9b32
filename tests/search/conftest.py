"""A small hand-written library indexed in a real Whoosh index (no mocks)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from clipper.search.document import IndexDoc
from clipper.search.whoosh.index import SearchIndex

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


@pytest.fixture
def index(folder: Path) -> Iterator[SearchIndex]:
    ix = SearchIndex(folder)
    ix.upsert(DOCS)
    yield ix
    ix.close()


def ids(index: SearchIndex, query: str, **kwargs: object) -> set[int]:
    """The ids a query returns (all pages)."""
    result = index.search(query, limit=1000, **kwargs)  # type: ignore[arg-type]
    assert result.total == len(result.hits)
    return {hit.id for hit in result.hits}
