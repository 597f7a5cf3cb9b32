"""A shared team library on a real PostgreSQL server (CLIPPER_TEST_PG_URL; scripts/test
starts one). The same core code must work there: no SQLite-only SQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from clipper.library import Library
from clipper.paths import LibraryLocation
from tests.conftest import pg_url
from tests.helpers.pages import LOREM, article_page
from tests.helpers.site import FixtureSite

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_library(tmp_path: Path) -> Iterator[Library]:
    base = pg_url()
    if not base:
        pytest.skip("CLIPPER_TEST_PG_URL is not set (scripts/test sets it)")
    name = f"clipper_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.rsplit("/", 1)[0] + f"/{name}"
    library = Library.open(LibraryLocation(folder=tmp_path / "pg-local", database_url=url))
    try:
        yield library
    finally:
        library.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def test_postgres_clip_search_tag_version_delete(pg_library: Library, site: FixtureSite) -> None:
    seed = pg_library.clip_url(site.url("/seed-news.html"), tags=["Morocco"])
    detail = pg_library.get_clip(seed.clip_id)
    assert detail.figures[0].credit == "AP Photo/Mosa'ab Elshamy"
    assert detail.published_at is not None and detail.published_at.tzinfo is not None
    assert [h.clip.id for h in pg_library.search("Polisario").hits] == [seed.clip_id]

    site.pages["/s.html"] = article_page("Harbour", LOREM[:2])
    first = pg_library.clip_url(site.url("/s.html"))
    site.pages["/s.html"] = article_page("Harbour", LOREM)
    assert pg_library.clip_url(site.url("/s.html")).status == "updated"
    assert len(pg_library.versions(first.clip_id)) == 2

    pg_library.tag([first.clip_id], add=["morocco"])
    assert [(t.name, t.count) for t in pg_library.tags()] == [("Morocco", 2)]
    pg_library.delete([first.clip_id, seed.clip_id])
    assert pg_library.count() == 0


def test_postgres_index_is_rebuilt_locally(
    pg_library: Library, site: FixtureSite, tmp_path: Path
) -> None:
    """Each machine keeps its own index; a new machine fills it from the database."""
    seed = pg_library.clip_url(site.url("/seed-news.html"))
    other = Library.open(
        LibraryLocation(
            folder=tmp_path / "machine-2", database_url=pg_library.location.database_url
        )
    )
    try:
        assert [h.clip.id for h in other.search("Gantz").hits] == [seed.clip_id]
    finally:
        other.close()
