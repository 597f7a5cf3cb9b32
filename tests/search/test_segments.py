"""The segment machinery: commits that never merge inline, background merges that
keep writes made meanwhile, Whoosh's own reader over our codec, damage detection."""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as windex
from whoosh import query as wq

from clipper.search.document import IndexDoc
from clipper.search.whoosh import vocab, where
from clipper.search.whoosh.builder import SegmentBuilder
from clipper.search.whoosh.compact import compact_segments
from clipper.search.whoosh.engine import Engine
from clipper.search.whoosh.index import IndexOptions, SearchIndex
from clipper.search.whoosh.segment import MAGIC, SegmentData, write_arrays
from tests.search.conftest import DOCS


def _doc(i: int, word: str = "harbour") -> IndexDoc:
    return IndexDoc(id=i, revision=1, title=f"clip {i}", body=f"the {word} plan number{i}")


def test_single_clip_commits_add_small_segments_and_merge_by_tier(tmp_path: Path) -> None:
    options = IndexOptions(background_merge=False, merge_factor=4)
    with SearchIndex(tmp_path / "ix", options) as ix:
        for i in range(1, 4):
            ix.upsert([_doc(i)])
        assert ix.segment_count() == 3  # no merge below the factor
        ix.upsert([_doc(4)])
        assert ix.segment_count() == 1  # four one-clip segments became one
        for i in range(5, 17):
            ix.upsert([_doc(i)])
        assert ix.search("harbour", prefix_last=False).total == 16
        assert ix.segment_count() < 8
        assert ix.revisions() == {i: 1 for i in range(1, 17)}


def test_background_merge_keeps_writes_made_while_it_ran(tmp_path: Path) -> None:
    folder = tmp_path / "ix"
    with SearchIndex(folder, IndexOptions(background_merge=False, merge_factor=100)) as ix:
        for i in range(1, 7):
            ix.upsert([_doc(i)])
        other = SearchIndex(folder)  # another process, say the CLI

        def meanwhile() -> None:
            other.delete([2])
            other.upsert([replace(_doc(3, "quay"), revision=2), _doc(50, "quay")])

        assert ix.merge(everything=True, before_swap=meanwhile)
        other.close()
        assert ix.segment_count() == 2  # the merged one and the one written meanwhile
        assert ix.revisions() == {1: 1, 3: 2, 4: 1, 5: 1, 6: 1, 50: 1}
        assert {h.id for h in ix.search("harbour", prefix_last=False, limit=50).hits} == {
            1,
            4,
            5,
            6,
        }
        assert {h.id for h in ix.search("quay", prefix_last=False).hits} == {3, 50}


def test_whoosh_reads_our_segments_through_the_codec(tmp_path: Path) -> None:
    with SearchIndex(tmp_path / "ix") as ix:
        ix.upsert(DOCS)
        ix.delete([6])
    whoosh_ix = windex.open_dir(str(tmp_path / "ix"), indexname="clipper")
    with whoosh_ix.searcher() as s:
        ids = s.reader().column_reader("id")
        found = {ids[hit.docnum] for hit in s.search(wq.Term("content", "climate"), limit=None)}
        assert found == {2}  # 6 is deleted
        assert s.doc_frequency("content", "cafe") == 1
        assert "naive" in {t.decode() for t in s.reader().lexicon("content")}


def test_a_truncated_segment_is_detected_on_open_and_rebuilt(tmp_path: Path) -> None:
    folder = tmp_path / "ix"
    with SearchIndex(folder) as ix:
        ix.upsert(DOCS)
    (segment,) = folder.glob("clipper_*.arr")
    segment.write_bytes(segment.read_bytes()[:-100])
    with SearchIndex(folder) as ix:
        assert ix.needs_rebuild and ix.doc_count() == 0


def test_rebuild_in_worker_processes_equals_one_process(tmp_path: Path) -> None:
    """Several segments built by two worker processes: the same index, in clip order;
    compacted into one segment at the end, still the same answers."""
    many = [_doc(i, "quay" if i % 3 else "harbour") for i in range(1, 301)]
    many[7] = replace(many[7], captions="the harbour master", notes="quay wall")
    queries = ["quay", '"the quay plan"', "harb", "plan -harbour", "number2*", "wall"]
    results = []
    for procs, compact in ((1, False), (2, False), (2, True)):
        options = IndexOptions(rebuild_words=400, rebuild_procs=procs, rebuild_compact=compact)
        with SearchIndex(tmp_path / f"ix{procs}{compact}", options) as ix:
            ix.rebuild(iter(many), total=len(many))
            assert ix.segment_count() == 1 if compact else ix.segment_count() > 2
            answers = []
            for q in queries:
                found = ix.search(q, limit=500)
                answers.append((found.total, [(h.id, h.score, h.where) for h in found.hits]))
            results.append((answers, ix.revisions()))
    assert results[0] == results[1] == results[2]
    assert results[0][0][0][0] == 200
    assert not list(tmp_path.glob("*/.*.tmp"))


def test_compaction_keeps_deletions_and_writes_made_meanwhile(tmp_path: Path) -> None:
    options = IndexOptions(rebuild_words=200, rebuild_compact=False, background_merge=False)
    with SearchIndex(tmp_path / "ix", options) as ix:
        ix.rebuild(iter([_doc(i) for i in range(1, 101)]), total=100)
        ix.delete([5, 60])
        ix.upsert([_doc(7, "quay")])
        assert ix.segment_count() > 2

        def meanwhile() -> None:
            ix.delete([10])
            ix.upsert([_doc(11, "quay")])

        assert ix.compact(before_swap=meanwhile)
        assert ix.segment_count() == 2  # everything compacted, then the upsert made meanwhile
        assert ix.search("harbour", limit=200).total == 95
        assert sorted(h.id for h in ix.search("quay").hits) == [7, 11]
        assert set(ix.revisions()) == set(range(1, 101)) - {5, 10, 60}
        seg = windex.open_dir(str(tmp_path / "ix"), indexname="clipper")
        with seg.searcher() as searcher:  # Whoosh's own reader reads the big segment
            found = searcher.search(wq.Term("content", "harbour"), limit=None)
            assert len(found) == 95


def test_a_header_whose_size_gains_a_digit_still_matches_the_file(tmp_path: Path) -> None:
    """The header records the file size; near 10,000 bytes writing that number moves the
    data start by 8 bytes, which once left a file 8 bytes longer than its header said
    (found by the model test: a valid segment refused as truncated)."""
    path = tmp_path / "seg.arr"
    for n, note in itertools.product(range(1220, 1250), range(8)):  # ~10,000 bytes
        write_arrays(path, {"a": np.arange(n, dtype="<u8")}, {"note": "x" * note})
        raw = path.read_bytes()
        hlen = int.from_bytes(raw[len(MAGIC) : len(MAGIC) + 8], "little")
        header = json.loads(raw[len(MAGIC) + 8 : len(MAGIC) + 8 + hlen])
        assert header["size"] == len(raw), n


def test_broad_prefixes_summed_in_slices_score_as_in_one_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broad prefix is read a slice of postings at a time (memory); the answers, scores
    and `where` are those of one pass."""
    docs = [
        replace(_doc(i, f"harb{i % 7}our"), captions=f"harb{i % 3} view", notes="harbinger")
        for i in range(1, 200)
    ]
    with SearchIndex(tmp_path / "ix", IndexOptions(background_merge=False)) as ix:
        ix.upsert(docs)
        queries = ["harb", "harbo", "plan harb", "harb -harb3our"]
        whole = [ix.search(q, limit=300) for q in queries]
        monkeypatch.setattr(Engine, "prefix_slice", 5)
        monkeypatch.setattr(where, "SMALL_RANGE", 0)
        sliced = [ix.search(q, limit=300) for q in queries]
    assert whole[0].total == 199
    for a, b in zip(whole, sliced, strict=True):
        assert a.total == b.total
        assert [(h.id, h.where) for h in a.hits] == [(h.id, h.where) for h in b.hits]
        assert [h.score for h in a.hits] == pytest.approx([h.score for h in b.hits])


def test_where_is_the_same_over_several_segments(tmp_path: Path) -> None:
    """`where` (which parts of a hit matched) looks hits up segment by segment."""
    queries = ["climate", "cafe", "harb", '"climate change"', "note:draft", "the"]
    answers = []
    for name, batches in (("one", [DOCS]), ("many", [DOCS[:2], DOCS[2:4], DOCS[4:]])):
        with SearchIndex(tmp_path / name, IndexOptions(background_merge=False)) as ix:
            for batch in batches:
                ix.upsert(batch)
            assert ix.segment_count() == len(batches)
            answers.append(
                [sorted((h.id, h.where) for h in ix.search(q, limit=50).hits) for q in queries]
            )
    assert answers[0] == answers[1]
    assert any(len(hits) > 1 for hits in answers[0])
    assert any(h[1] != ("text",) for hits in answers[0] for h in hits)


def test_a_merge_equals_a_fresh_build_of_the_surviving_clips(tmp_path: Path) -> None:
    """Laying segments end to end without their deleted clips must give, array for
    array, the segment a build of the survivors gives: dictionary, postings, positions
    shifted down past the dropped words, document lengths."""
    docs = [replace(d, id=i + 1) for i, d in enumerate(DOCS * 3)]
    chunks = [docs[0:5], docs[5:11], docs[11:]]
    dropped = {2, 5, 6, len(docs)}  # clip ids: inside, at a segment's start, the last
    sources, keeps = [], []
    for k, chunk in enumerate(chunks):
        builder = SegmentBuilder()
        for d in chunk:
            builder.add(d)
        path = write_arrays(tmp_path / f"s{k}.arr", builder.arrays(), {"docs": len(builder)})
        sources.append(SegmentData(path))
        keeps.append(np.array([d.id not in dropped for d in chunk]))
    merged = SegmentData(compact_segments(sources, tmp_path / "m.arr", keeps))
    fresh = SegmentBuilder()
    for d in docs:
        if d.id not in dropped:
            fresh.add(d)
    expected = SegmentData(write_arrays(tmp_path / "f.arr", fresh.arrays(), {"docs": len(fresh)}))
    assert merged.doc_count == expected.doc_count == len(docs) - len(dropped)
    assert merged.ids.tolist() == expected.ids.tolist()
    assert set(merged.fields) == set(expected.fields)
    for name, fd in expected.fields.items():
        got = merged.fields[name]
        assert got.terms() == fd.terms(), name
        for attr in ("toff", "df", "pstart", "xstart", "docs", "freqs", "pos", "base"):
            want = getattr(fd, attr)
            have = getattr(got, attr)
            assert (want is None) == (have is None), (name, attr)
            if want is not None:
                assert have.tolist() == want.tolist(), (name, attr)


@pytest.mark.parametrize("odd", [b"", b"nul\x00"])
def test_dictionary_union_is_sorted_and_maps_every_term(odd: bytes) -> None:
    """The union in C (`S` arrays) and, for a term ending in NUL, in Python."""

    def stored(*terms: bytes) -> tuple[np.ndarray, np.ndarray]:
        blob = np.frombuffer(b"".join(terms), dtype=np.uint8)
        return blob, np.cumsum([0, *(len(t) for t in terms)])

    first = sorted({b"apple", b"caf\xc3\xa9", b"nul", *([odd] if odd else [])})
    second = [b"banana", b"caf\xc3\xa9", b"\xe2\x82\xac"]
    union = vocab.Union([stored(*first), stored(*second)])
    everything = sorted(set(first) | set(second))
    blob, toff = union.encode(np.arange(len(union)))
    got = [bytes(blob[a:b]) for a, b in itertools.pairwise(toff.tolist())]
    assert got == everything
    for terms, mids in zip((first, second), union.mids, strict=True):
        assert [everything[m] for m in mids.tolist()] == list(terms)


def test_a_background_merge_waits_while_a_foreground_write_runs(tmp_path: Path) -> None:
    """Writes someone waits for come first: a merge started meanwhile holds off (it
    would share the interpreter's lock with the write) and finishes after."""
    with SearchIndex(tmp_path / "ix", IndexOptions(merge_factor=3)) as ix:
        ix.upsert([_doc(1)])
        ix.upsert([_doc(2)])
        with ix._foreground():  # a long write in progress (a batch, say)
            ix.upsert([_doc(3)])  # its own commit: three segments, a merge starts
            time.sleep(0.3)
            assert ix._merging is not None and ix._merging.is_alive()
            assert ix.segment_count() == 3  # not swapped in while the write runs
        ix.wait_for_merges()
        assert ix.segment_count() == 1
        assert ix.search("harbour", prefix_last=False).total == 3
