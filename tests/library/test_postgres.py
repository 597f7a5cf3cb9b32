"""A shared team library on a real PostgreSQL server (CLIPPER_TEST_PG_URL; scripts/test
starts one). The same core code must work there: no SQLite-only SQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from clipper.library import Library
from clipper.paths import LibraryLocation
from tests.conftest import pg_database
from tests.helpers.pages import LOREM, article_page
from tests.helpers.site import FixtureSite

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_library(tmp_path: Path) -> Iterator[Library]:
    with pg_database() as url:
        library = Library.open(LibraryLocation(folder=tmp_path / "pg-local", database_url=url))
        try:
            yield library
        finally:
            library.close()


def test_postgres_clip_search_tag_version_delete(pg_library: Library, site: FixtureSite) -> None:
    seed = pg_library.clips.clip_url(site.url("/seed-news.html"), tags=["Morocco"]).result
    detail = pg_library.clips.get(seed.clip_id)
    assert detail.figures[0].credit == "AP Photo/Mosa'ab Elshamy"
    assert detail.published_at is not None and detail.published_at.tzinfo is not None
    assert [h.clip.id for h in pg_library.search("Polisario").hits] == [seed.clip_id]

    site.pages["/s.html"] = article_page("Harbour", LOREM[:2])
    first = pg_library.clips.clip_url(site.url("/s.html")).result
    site.pages["/s.html"] = article_page("Harbour", LOREM)
    assert pg_library.clips.clip_url(site.url("/s.html")).result.status == "updated"
    assert len(pg_library.clips.versions(first.clip_id)) == 2

    pg_library.tags.change([first.clip_id], add=["morocco"])
    assert [(t.name, t.count) for t in pg_library.tags.counts()] == [("Morocco", 2)]
    pg_library.clips.delete([first.clip_id, seed.clip_id])
    assert pg_library.clips.count() == 0


def test_postgres_search_is_in_the_server(
    pg_library: Library, site: FixtureSite, tmp_path: Path
) -> None:
    """No index per machine: a second client searches what the first wrote, at once,
    without building anything (its folder gets no index)."""
    from clipper.search.postgres.backend import PostgresSearch

    seed = pg_library.clips.clip_url(site.url("/seed-news.html")).result
    assert isinstance(pg_library.index, PostgresSearch)
    other = Library.open(
        LibraryLocation(
            folder=tmp_path / "machine-2", database_url=pg_library.location.database_url
        )
    )
    try:
        assert [h.clip.id for h in other.search("Gantz").hits] == [seed.clip_id]
        pg_library.tags.change([seed.clip_id], add=["Sahara desk"])
        note = pg_library.passages.add(seed.clip_id, 0, 4, note="ask the desk about this").result
        hits = other.search('tag:"sahara desk" note:desk').hits
        assert [(h.clip.id, h.where) for h in hits] == [(seed.clip_id, ("note", "tag"))]
        pg_library.passages.delete(note.id)
        assert other.search("note:desk").total == 0
        pg_library.clips.delete([seed.clip_id], permanent=False)
        assert other.search("Gantz").total == 0
        pg_library.clips.restore([seed.clip_id])
        assert other.search("Gantz").total == 1
        assert not other.location.index_dir.exists()
        assert other.maintenance.check().ok
    finally:
        other.close()


def test_postgres_new_machine_searches_1000_clips_without_building(
    pg_library: Library, tmp_path: Path
) -> None:
    from tests.gui.util import store_clips

    ids = store_clips(pg_library, 1000)
    calls: list[tuple[int, int | None]] = []
    other = Library.open(
        LibraryLocation(
            folder=tmp_path / "new-machine", database_url=pg_library.location.database_url
        ),
        progress=lambda done, total: calls.append((done, total)),
    )
    try:
        assert calls == []  # nothing indexed on opening
        assert other.index.doc_count() == 1000
        result = other.search('"topic number 517"')
        assert [h.clip.id for h in result.hits] == [ids[517]]
        assert other.search("paragraph").total == 1000
    finally:
        other.close()


def test_postgres_citable_records(pg_library: Library, site: FixtureSite) -> None:
    """Immutable quotes, metadata edits with provenance, stored keys, local dates on PG."""
    from datetime import timedelta

    site.pages["/r.html"] = article_page("Harbour", LOREM, canonical="https://pg.test/r")
    first = pg_library.clips.clip_url(site.url("/r.html")).result
    quote = "keeps the historic warehouses and adds a protected cycle lane"
    info = pg_library.passages.add_quote(first.clip_id, quote).result
    pg_library.clips.edit_metadata(
        first.clip_id, {"authors": ["Ana Ruiz"], "published": None, "site_name": "Daily"}
    )
    edited = [p.replace("historic warehouses", "old warehouses") for p in LOREM]
    site.pages["/r.html"] = article_page("Harbour", edited, canonical="https://pg.test/r")
    assert pg_library.clips.clip_url(site.url("/r.html")).result.status == "updated"
    after = pg_library.passages.find(first.clip_id)[0]
    assert (after.id, after.state, after.exact) == (info.id, "changed", quote)
    assert after.current_exact == quote.replace("historic", "old")
    detail = pg_library.clips.get(first.clip_id)
    assert detail.authors == ("Ana Ruiz",) and detail.published_at is None
    assert detail.sources["authors"] == "user" and detail.sources["title"] == "headline"
    assert detail.citation_key == "fixture2024harbour"  # made once, at the first clip
    site.pages["/s.html"] = article_page("Harbour", LOREM[:1], canonical="https://pg.test/s")
    second = pg_library.clips.get(pg_library.clips.clip_url(site.url("/s.html")).result.clip_id)
    assert second.citation_key == "fixture2024harboura"
    assert second.published_at is not None
    assert second.published_at.utcoffset() == timedelta(0)


def test_postgres_check_and_backup_hint(pg_library: Library, site: FixtureSite) -> None:
    """`check` works on a shared library (blobs, index); `backup` points to pg_dump."""
    from clipper.errors import LibraryError

    pg_library.clips.clip_url(site.url("/seed-news.html"))
    report = pg_library.maintenance.check()
    assert report.ok and report.counts == {"blobs": 1, "clips": 1}
    with pytest.raises(LibraryError, match="pg_dump"):
        pg_library.maintenance.backup(Path("/tmp/never-written.sqlite"))
