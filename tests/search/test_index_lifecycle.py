"""Opening, reopening, recreating, writing, locking: the index as a derived cache."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from clipper.search.backend import IndexLockedError, SearchIndexError
from clipper.search.document import IndexDoc
from clipper.search.whoosh.index import MARKER, IndexOptions, SearchIndex
from tests.search.conftest import DOCS, ids


def test_new_index_is_empty_and_asks_for_a_rebuild(folder: Path) -> None:
    with SearchIndex(folder) as ix:
        assert ix.needs_rebuild
        assert ix.doc_count() == 0
        assert ix.revisions() == {}
        assert ix.search("anything").total == 0


def test_revisions_upsert_replace_and_delete(index: SearchIndex) -> None:
    assert index.revisions() == {d.id: d.revision for d in DOCS}
    assert index.doc_count() == len(DOCS)
    index.upsert([replace(DOCS[1], revision=9, title="Ocean talks", body="Nothing.", tags=())])
    assert index.revisions()[2] == 9
    assert index.doc_count() == len(DOCS)
    assert 2 not in ids(index, "climate", prefix_last=False)
    assert ids(index, "ocean", prefix_last=False) == {2}
    index.delete([2, 4, 404])
    assert set(index.revisions()) == {1, 3, 5, 6}
    assert ids(index, "ocean", prefix_last=False) == set()
    assert ids(index, "tag:history") == set()
    index.delete([])
    index.upsert([])


def test_reopen_after_close(folder: Path) -> None:
    with SearchIndex(folder) as ix:
        ix.upsert(DOCS)
    with SearchIndex(folder) as ix:
        assert not ix.needs_rebuild
        assert ix.revisions() == {d.id: d.revision for d in DOCS}
        assert ids(ix, "cafe", prefix_last=False) == {3}


def test_closed_index_refuses_work(folder: Path) -> None:
    ix = SearchIndex(folder)
    ix.close()
    ix.close()  # twice is fine
    with pytest.raises(SearchIndexError):
        ix.search("x")
    with pytest.raises(SearchIndexError):
        ix.upsert(DOCS)


@pytest.mark.parametrize("segment_words", [10_000_000, 3000])
def test_rebuild_replaces_everything_and_reports_progress(folder: Path, segment_words: int) -> None:
    many = [
        IndexDoc(id=i, revision=1, title=f"clip number {i}", body="bulk text")
        for i in range(1, 1201)
    ]
    calls: list[tuple[int, int | None]] = []
    with SearchIndex(folder, IndexOptions(rebuild_words=segment_words)) as ix:
        ix.upsert(DOCS)
        ix.rebuild(iter(many), total=len(many), progress=lambda d, t: calls.append((d, t)))
        assert not ix.needs_rebuild
        assert ix.doc_count() == 1200
        assert ids(ix, "cafe", prefix_last=False) == set()
        assert ix.search("bulk", prefix_last=False).total == 1200
        assert ids(ix, "1117", prefix_last=False) == {1117}
        assert ix.revisions() == {d.id: 1 for d in many}
        # 6 words a clip (with the gap between clips): 500 + 500 + 200, compacted at the end
        assert ix.segment_count() == 1
    assert calls[0] == (500, 1200)
    assert calls[-1] == (1200, 1200)


def test_rebuild_failure_keeps_the_old_index(folder: Path) -> None:
    def broken() -> object:
        yield DOCS[0]
        raise RuntimeError("database went away")

    with SearchIndex(folder) as ix:
        ix.upsert(DOCS)
        with pytest.raises(RuntimeError):
            ix.rebuild(broken())  # type: ignore[arg-type]
        assert ix.doc_count() == len(DOCS)
        ix.upsert([IndexDoc(id=50, revision=1, title="still writable")])
        assert ix.doc_count() == len(DOCS) + 1


def test_other_schema_version_is_recreated_empty(folder: Path) -> None:
    with SearchIndex(folder) as ix:
        ix.upsert(DOCS)
    marker = folder / MARKER
    meta = json.loads(marker.read_text())
    marker.write_text(json.dumps({**meta, "schema": meta["schema"] - 1}))
    with SearchIndex(folder) as ix:
        assert ix.needs_rebuild
        assert ix.doc_count() == 0
        ix.upsert(DOCS[:1])
        assert ix.doc_count() == 1
    with SearchIndex(folder) as ix:
        assert not ix.needs_rebuild


def test_scoring_option_needs_no_rebuild(folder: Path) -> None:
    with SearchIndex(folder) as ix:
        ix.upsert(DOCS)
    with SearchIndex(folder, IndexOptions(weighting="bm25f")) as ix:
        assert not ix.needs_rebuild
        assert ids(ix, "climate change", prefix_last=False) == {2, 6}


@pytest.mark.parametrize("damage", ["garbage", "truncate", "delete_toc_keep_segments"])
def test_corrupt_folder_is_recreated(folder: Path, damage: str) -> None:
    with SearchIndex(folder) as ix:
        ix.upsert(DOCS)
    (folder / "keep-me.txt").write_text("not ours")
    files = [p for p in folder.iterdir() if p.name.startswith(("clipper_", "_clipper_"))]
    for path in files:
        if damage == "garbage":
            path.write_bytes(b"\x00garbage" * 7)
        elif damage == "truncate":
            path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 3])
        elif path.suffix == ".toc":
            path.write_bytes(b"")
    with SearchIndex(folder) as ix:
        assert ix.needs_rebuild
        assert ix.doc_count() == 0
        ix.upsert(DOCS)
        assert ids(ix, "cafe", prefix_last=False) == {3}
    assert (folder / "keep-me.txt").read_text() == "not ours"


def test_unusable_folder_raises_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(SearchIndexError):
        SearchIndex(blocker / "index")


_HOLD_LOCK = """
import sys, time
from whoosh import index
ix = index.open_dir(sys.argv[1], indexname="clipper")
lock = ix.lock("WRITELOCK")
assert lock.acquire()
print("locked", flush=True)
sys.stdin.readline()
lock.release()
"""


def test_write_lock_held_by_another_process(folder: Path) -> None:
    ix = SearchIndex(folder, IndexOptions(lock_timeout=0.3))
    ix.upsert(DOCS[:1])
    with subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdin is not None and proc.stdout is not None
        try:
            assert proc.stdout.readline().strip() == "locked"
            started = time.monotonic()
            with pytest.raises(IndexLockedError, match="another Clipper process"):
                ix.upsert(DOCS[1:2])
            assert time.monotonic() - started >= 0.3
            assert ix.search("parade", prefix_last=False).total == 1  # reading works
        finally:
            proc.stdin.write("\n")
            proc.stdin.flush()
            proc.wait(timeout=10)
    ix.upsert(DOCS[1:2])
    assert ix.doc_count() == 2
    ix.close()


def test_sees_commits_from_another_index_object(folder: Path) -> None:
    """A second process (here: a second object) writes; our searcher notices."""
    gui = SearchIndex(folder)
    cli = SearchIndex(folder)
    cli.upsert(DOCS)
    assert ids(gui, "cafe", prefix_last=False) == {3}
    cli.close()
    gui.close()


def test_search_while_another_thread_writes(folder: Path) -> None:
    ix = SearchIndex(folder)
    ix.upsert(DOCS)
    errors: list[BaseException] = []
    stop = threading.Event()

    def writer() -> None:
        try:
            for batch in range(12):
                docs = [
                    IndexDoc(
                        id=100 + batch * 5 + k,
                        revision=1,
                        title=f"fresh {batch}",
                        body="concurrent clip text",
                    )
                    for k in range(5)
                ]
                ix.upsert(docs)
                ix.delete([100 + batch * 5])
        except BaseException as exc:  # noqa: BLE001 (re-raised in the main thread)
            errors.append(exc)
        finally:
            stop.set()

    def reader() -> None:
        try:
            while not stop.is_set():
                result = ix.search("concurrent OR cafe", limit=50)
                assert 3 in {h.id for h in result.hits}
                assert result.total == len(result.hits)
                ix.revisions()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [
        threading.Thread(target=writer),
        threading.Thread(target=reader),
        threading.Thread(target=reader),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert ix.search("concurrent", prefix_last=False).total == 12 * 4
    ix.close()


def test_totals_are_exact_when_whoosh_would_prune(folder: Path) -> None:
    """Whoosh's top-N collector drops OR branches that can no longer reach the top
    (and their documents from the count); our totals must count every match."""
    docs = [IndexDoc(id=i, revision=1, body="fimonxyz filler") for i in range(1, 1501)]
    docs += [IndexDoc(id=i, revision=1, body="fimo " * 10 + "filler") for i in range(1501, 1601)]
    with SearchIndex(folder, IndexOptions(result_cache=0)) as ix:
        ix.rebuild(docs)
        for weighting in ("tfidf", "bm25f"):
            with SearchIndex(folder, IndexOptions(weighting=weighting, result_cache=0)) as other:
                result = other.search("fimo", limit=5)
                assert result.total == 1600, weighting
                assert {h.id for h in result.hits} <= set(range(1501, 1601))
        assert ix.search("fimo -filler", limit=5).total == 0
        assert ix.search("fimo", limit=5, restrict_ids=range(1, 11)).total == 10
