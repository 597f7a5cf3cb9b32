"""Table blocks through the library: stored, searched, quoted, re-anchored and diffed on
a real SQLite library clipped from the local fixture site; and tables stored by older
releases (one paragraph of " | " text) still load with the same plain text."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest

from clipper.article import Article, Block, TableCell, plain_text, table_grid
from clipper.cli_output import Output
from clipper.library import Library
from clipper.library.models import Version
from clipper.library.store import upgrade_tables
from clipper.paths import DB_FILENAME
from clipper.textdiff import word_diff
from tests.helpers.site import PAGES, FixtureSite
from tests.library.test_postgres import pg_library  # noqa: F401 (a fixture)

PAGE = (PAGES / "data-tables.html").read_bytes()


@pytest.fixture(params=["library", pytest.param("pg_library", marks=pytest.mark.postgres)])
def any_library(request: pytest.FixtureRequest) -> Library:
    """A local library, then a team library on the real PostgreSQL server."""
    library: Library = request.getfixturevalue(request.param)
    return library


def tables(blocks: tuple[Block, ...]) -> list[Block]:
    return [b for b in blocks if b.kind == "table"]


def test_a_table_is_stored_searched_quoted_reanchored_and_diffed(
    any_library: Library, site: FixtureSite
) -> None:
    library = any_library
    site.pages["/gauges.html"] = PAGE
    clip_id = library.clips.clip_url(site.url("/gauges.html")).result.clip_id
    detail = library.clips.get(clip_id)
    [table] = tables(detail.blocks)
    assert table.rows[2][2] == TableCell("6.10", rowspan=2)
    assert "Town quay | 1871 | 6.42 | 1953\nFerry slip | 1902 | 6.10 | 1990" in detail.text

    hits = library.search('"lifeboat slip" 1931').hits
    assert [h.clip.id for h in hits] == [clip_id]
    assert "[[Lifeboat slip]] | [[1931]]" in hits[0].snippet

    passage = library.passages.add_quote(clip_id, "Lifeboat slip | 1931 | 2014").result
    assert detail.text[passage.start : passage.end] == "Lifeboat slip | 1931 | 2014"

    # The page changes a cell and gains a row above the quoted one.
    changed = PAGE.replace(b"<td>1902</td>", b"<td>1903</td>").replace(
        b'<tr><th scope="row">Lifeboat slip',
        b'<tr><th scope="row">Pilot steps</th><td>1925</td><td>5.90</td></tr>'
        b'<tr><th scope="row">Lifeboat slip',
    )
    site.pages["/gauges.html"] = changed
    assert library.clips.clip_url(site.url("/gauges.html")).result.status == "updated"
    new = library.clips.get(clip_id)
    [moved] = library.passages.find(clip_id)
    assert moved.state in {"anchored", "moved"} and moved.start is not None
    assert moved.start > passage.start
    assert new.text[moved.start : moved.end] == "Lifeboat slip | 1931 | 2014"

    old = library.clips.get(clip_id, detail.version_id)
    ops = [(kind, text.strip()) for kind, text in word_diff(old.text, new.text) if kind != "equal"]
    assert ("delete", "1902") in ops and ("insert", "1903") in ops
    assert any(kind == "insert" and "Pilot steps | 1925 | 5.90" in text for kind, text in ops)


def test_tables_stored_by_an_older_release_still_load(
    library: Library, site: FixtureSite, library_path: Path
) -> None:
    clip_id = library.clips.clip_url(site.url("data-tables.html")).result.clip_id
    detail = library.clips.get(clip_id)
    passage = library.passages.add_quote(clip_id, "Ferry slip | 1902").result
    [table] = tables(detail.blocks)
    # A new release writes "text" beside the rows: an older one reads that paragraph.
    stored = table.to_json()
    assert stored["text"] == table.text and Block.from_json(stored) == table
    library.close()

    # Rewrite the version as a release before table blocks stored it.
    with sqlite3.connect(library_path / DB_FILENAME) as conn:
        (version_id, raw) = conn.execute("select id, blocks from versions").fetchone()
        old = [
            {"kind": "paragraph", "text": b["text"]} if b["kind"] == "table" else b
            for b in json.loads(raw)
        ]
        conn.execute("update versions set blocks = ? where id = ?", (json.dumps(old), version_id))

    reopened = Library.open(library_path)
    try:
        loaded = reopened.clips.get(clip_id)
        assert not tables(loaded.blocks)
        assert Block("paragraph", table.text) in loaded.blocks
        assert loaded.text == detail.text  # the same plain text: passages keep their place
        [info] = reopened.passages.find(clip_id)
        assert (info.start, info.end) == (passage.start, passage.end)
        assert loaded.text[info.start : info.end] == "Ferry slip | 1902"
        assert [h.clip.id for h in reopened.search("1931").hits] == [clip_id]
        # Extracting the stored page again gives the same text, now with the table.
        assert reopened.clips.reextract(clip_id).result.status == "unchanged"
        upgraded = reopened.clips.get(clip_id)
        assert tables(upgraded.blocks) == [table]
        assert upgraded.text == detail.text and upgraded.version_id == loaded.version_id
        [again] = reopened.passages.find(clip_id)
        assert (again.start, again.end) == (passage.start, passage.end)
    finally:
        reopened.close()


def test_plain_text_of_a_table_equals_the_old_paragraph() -> None:
    rows = (
        (TableCell("Decade", header=True), TableCell("Launches", header=True)),
        (TableCell("1990s"), TableCell("")),
        (TableCell("  2000s \n"), TableCell("538")),
    )
    new = [Block("paragraph", "Before."), Block.table(rows), Block("paragraph", "After.")]
    old = [
        Block("paragraph", "Before."),
        Block("paragraph", "Decade | Launches\n1990s\n2000s | 538"),
        Block("paragraph", "After."),
    ]
    assert plain_text(new, []) == plain_text(old, [])
    assert Block.from_json({"kind": "table", "text": "kept", "rows": "broken"}) == Block(
        "paragraph", "kept"
    )


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_clipper_show_keeps_a_tables_rows_apart_on_a_terminal(
    library: Library, site: FixtureSite
) -> None:
    detail = library.clips.get(library.clips.clip_url(site.url("data-tables.html")).result.clip_id)
    screen = Terminal()
    Output(stdout=screen).clip_detail(detail)
    lines = screen.getvalue().splitlines()
    assert "Town quay | 1871 | 6.42 | 1953" in lines
    assert "Ferry slip | 1902 | 6.10 | 1990" in lines
    assert max(len(line) for line in lines) <= 88  # prose is still wrapped


def test_hostile_spans_cost_no_memory() -> None:
    cell = TableCell("x", colspan=10**9, rowspan=10**9)
    assert (cell.colspan, cell.rowspan) == (100, 100)
    rows = tuple((cell,) * 20 for _ in range(100))  # spans over 20 million places
    placed, columns = table_grid(rows)
    assert columns == 20 and {(g.rowspan, g.colspan) for g in placed} == {(1, 1)}
    fine = tuple((TableCell("x", colspan=2, rowspan=2), TableCell("y")) for _ in range(3))
    placed, columns = table_grid(fine)
    assert columns == 5 and placed[0].rowspan == 2


def test_only_tables_with_the_same_text_upgrade_a_stored_version() -> None:
    table = Block.table(((TableCell("a"), TableCell("b")), (TableCell("c"), TableCell("d"))))
    heading = Block("heading", "Gauges", level=2)
    stored = [heading.to_json(), Block("paragraph", "a | b\nc | d").to_json()]
    version = Version(blocks=list(stored))
    assert upgrade_tables(version, Article(url="u", blocks=[heading, table]))
    assert version.blocks == [heading.to_json(), table.to_json()]
    for other in (
        [Block("paragraph", "Gauges"), table],  # another block changed too
        [heading, Block.table(table.rows, "A caption")],  # not the same text
        [heading, table, Block("paragraph", "More.")],  # a block more
    ):
        version = Version(blocks=list(stored))
        assert not upgrade_tables(version, Article(url="u", blocks=other))
        assert version.blocks == stored
