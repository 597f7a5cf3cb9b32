"""Two clients writing one library at the same moment, on SQLite and on a real
PostgreSQL: every write is kept, revisions count every change, a concurrent new tag is
no error, and an edit based on an outdated passage is refused, not overwritten."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from clipper.errors import ConflictError
from clipper.library import Library
from clipper.paths import LibraryLocation
from tests.conftest import pg_database
from tests.helpers.pages import LOREM, article_page
from tests.helpers.site import FixtureSite
from tests.helpers.writers import ROUND_WRITES, tag_and_annotate

ROUNDS = 50


@contextmanager
def _database(kind: str, tmp_path: Path) -> Iterator[str]:
    if kind == "postgres":
        with pg_database() as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'shared.sqlite'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def shared_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with _database(request.param, tmp_path) as url:
        yield url


def _open(tmp_path: Path, url: str, machine: str) -> Library:
    return Library.open(LibraryLocation(folder=tmp_path / machine, database_url=url))


def test_two_processes_tag_and_annotate_one_clip(
    shared_url: str, tmp_path: Path, site: FixtureSite
) -> None:
    site.pages["/a.html"] = article_page("Harbour", LOREM)
    with _open(tmp_path, shared_url, "machine-0") as library:
        clip_id = library.clips.clip_url(site.url("/a.html")).result.clip_id
        start_revision = library.index.revisions()[clip_id]
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    out = ctx.Queue()
    workers = [
        ctx.Process(
            target=tag_and_annotate,
            args=(str(tmp_path / f"machine-{who}"), shared_url, who, clip_id, ROUNDS, start, out),
        )
        for who in ("A", "B")
    ]
    for worker in workers:
        worker.start()
    start.set()
    reports = dict(out.get(timeout=300) for _ in workers)
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert reports == {"A": [], "B": []}  # no error, no index left behind

    with _open(tmp_path, shared_url, "machine-A") as library:
        detail = library.clips.get(clip_id)
        names = set(detail.tags)
        assert {f"Shared {i}" for i in range(ROUNDS)} <= names
        assert {f"{who} {i}" for who in "AB" for i in range(ROUNDS)} <= names
        assert len(library.tags.counts()) == 3 * ROUNDS  # the shared tag was made once
        notes = {a.note for a in library.passages.find(clip_id)}
        assert notes == {f"{who} note {i}" for who in "AB" for i in range(ROUNDS)}
        # Each shared tag changed the clip once (the second add found it there).
        changes = ROUNDS * (1 + 2 * (ROUND_WRITES - 1))
        revision = library.index.revisions()[clip_id]
        assert revision == start_revision + changes
        # This machine's index caught up on open and finds every tag.
        for i in (0, ROUNDS // 2, ROUNDS - 1):
            assert [h.clip.id for h in library.search(f'tag:"Shared {i}"').hits] == [clip_id]
            assert [h.clip.id for h in library.search(f'tag:"B {i}"').hits] == [clip_id]


def test_outdated_passage_edit_is_refused(
    shared_url: str, tmp_path: Path, site: FixtureSite
) -> None:
    site.pages["/a.html"] = article_page("Harbour", LOREM)
    first = _open(tmp_path, shared_url, "machine-A")
    second = _open(tmp_path, shared_url, "machine-B")
    try:
        clip_id = first.clips.clip_url(site.url("/a.html")).result.clip_id
        info = first.passages.add(clip_id, 0, 5, note="first words").result
        seen_by_b = second.passages.find(clip_id)[0]
        edited = first.passages.update(
            info.id, note="edited by A", expected_version=info.edit_version
        ).result
        assert edited.edit_version == info.edit_version + 1
        with pytest.raises(ConflictError, match="changed by someone else"):
            second.passages.update(
                info.id, note="edited by B", expected_version=seen_by_b.edit_version
            )
        assert second.passages.find(clip_id)[0].note == "edited by A"
        fresh = second.passages.find(clip_id)[0]
        second.passages.update(info.id, note="B again", expected_version=fresh.edit_version)
        assert first.passages.find(clip_id)[0].note == "B again"
    finally:
        first.close()
        second.close()


def test_missing_postgres_driver_is_one_line(tmp_path: Path) -> None:
    """Without the `postgres` extra (psycopg not importable), one line and exit 1."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['psycopg'] = None\n"
        "from clipper.cli import main\n"
        "sys.exit(main(['list', '--library', 'postgresql+psycopg://u@127.0.0.1:9/db']))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == [
        "clipper: error: PostgreSQL libraries need `pip install clipper-research[postgres]`"
    ]
