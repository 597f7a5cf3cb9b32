"""Opening a library reconciles the search index with the database: a crash between
the two never leaves a clip unfindable or a ghost hit."""

from __future__ import annotations

import shutil
from pathlib import Path

from clipper.library import Library
from clipper.search.document import IndexDoc
from clipper.search.whoosh.index import SearchIndex
from tests.helpers.pages import LOREM, article_page
from tests.helpers.site import FixtureSite


def ids(library: Library, query: str) -> list[int]:
    return sorted(hit.clip.id for hit in library.search(query).hits)


def test_missing_clip_is_indexed_on_open(library_path: Path, site: FixtureSite) -> None:
    with Library.open(library_path) as library:
        clip_id = library.clips.clip_url(site.url("/seed-news.html")).result.clip_id
    with SearchIndex(library_path / "index") as index:  # a crash lost the index write
        index.delete([clip_id])
        assert index.doc_count() == 0
    with Library.open(library_path) as library:
        assert ids(library, "Polisario") == [clip_id]


def test_ghost_entry_is_removed_on_open(library_path: Path) -> None:
    with Library.open(library_path) as library:
        assert library.clips.count() == 0
    with SearchIndex(library_path / "index") as index:
        index.upsert([IndexDoc(id=77, revision=1, title="Ghost", body="phantom words")])
    with Library.open(library_path) as library:
        assert library.search("phantom").hits == ()
        assert 77 not in library.index.revisions()


def test_stale_entry_is_refreshed_on_open(library_path: Path, site: FixtureSite) -> None:
    site.pages["/s.html"] = article_page("Harbour", LOREM)
    with Library.open(library_path) as library:
        clip_id = library.clips.clip_url(site.url("/s.html")).result.clip_id
    with SearchIndex(library_path / "index") as index:  # an older revision survived a crash
        index.upsert([IndexDoc(id=clip_id, revision=0, title="Harbour", body=LOREM[0])])
    with Library.open(library_path) as library:
        assert ids(library, "warehouses") == [clip_id]


def test_deleted_or_corrupt_index_is_rebuilt(library_path: Path, site: FixtureSite) -> None:
    with Library.open(library_path) as library:
        clip_id = library.clips.clip_url(
            site.url("/seed-news.html"), tags=["morocco"]
        ).result.clip_id
    shutil.rmtree(library_path / "index")
    with Library.open(library_path) as library:
        assert ids(library, "tag:morocco Gantz") == [clip_id]
    for path in (library_path / "index").iterdir():
        if path.is_file():
            path.write_bytes(b"garbage")
    with Library.open(library_path) as library:
        assert ids(library, "Gantz") == [clip_id]


def test_reindex_rebuilds_everything(library: Library, site: FixtureSite) -> None:
    site.pages["/a.html"] = article_page("Alpha", LOREM[:2])
    a = library.clips.clip_url(site.url("/a.html")).result.clip_id
    b = library.clips.clip_url(site.url("/seed-news.html")).result.clip_id
    seen: list[tuple[int, int | None]] = []
    changes = library.maintenance.reindex(lambda done, total: seen.append((done, total)))
    assert changes.result == 2 and not changes.touched  # the index only: no clip changed
    assert seen[-1] == (2, 2)
    assert ids(library, "engineers") == [a] and ids(library, "Rabat") == [b]


_OLD_WHOOSH_INDEX = """
import sys
from whoosh import fields, index
schema = fields.Schema(id=fields.NUMERIC(int, bits=64, signed=False, unique=True, stored=True),
                       content=fields.TEXT(phrase=True))
ix = index.create_in(sys.argv[1], schema, indexname="clipper")
w = ix.writer()
w.add_document(id=1, content="stale words of an old release")
w.commit()
"""


def test_an_index_of_an_earlier_release_is_rebuilt_once_with_progress(
    library_path: Path, site: FixtureSite
) -> None:
    """Whoosh's own postings (what releases before the array segments wrote): detected
    by the format marker, recreated, refilled from the database with progress."""
    import json
    import subprocess
    import sys

    with Library.open(library_path) as library:
        clip_id = library.clips.clip_url(site.url("/seed-news.html")).result.clip_id
    index_dir = library_path / "index"
    shutil.rmtree(index_dir)
    index_dir.mkdir()
    subprocess.run([sys.executable, "-c", _OLD_WHOOSH_INDEX, str(index_dir)], check=True)
    (index_dir / "clipper-index.json").write_text(json.dumps({"schema": 1}))
    calls: list[tuple[int, int | None]] = []
    with Library.open(
        library_path, progress=lambda done, total: calls.append((done, total))
    ) as lib:
        assert ids(lib, "Polisario") == [clip_id]
        assert lib.search("stale").hits == ()
    assert calls and calls[-1] == (1, 1)
    calls.clear()
    with Library.open(library_path, progress=lambda done, total: calls.append((done, total))):
        pass
    assert calls == []  # rebuilt once: the next open finds it current
