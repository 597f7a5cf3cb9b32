"""Every failure is one line naming the input and a non-zero exit; a batch goes on.

Real libraries in temp folders and a real local server; the damage is real too (bytes
overwritten, a schema id from the future, a database that cannot grow, immutable files).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from clipper.errors import LibraryError
from clipper.library import Library
from tests.helpers.pages import LOREM, article_page
from tests.helpers.site import FixtureSite
from tests.test_cli import Cli


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Cli:
    return Cli(capsys, tmp_path / "lib")


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_malformed_urls_are_one_line_each_and_the_batch_goes_on(
    cli: Cli, site: FixtureSite
) -> None:
    site.pages["/ok.html"] = article_page("Fine story", LOREM)
    code, out, err = cli("clip", "http://[::1/x", "http://xn--/", site.url("/ok.html"))
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 2, err
    assert lines[0].startswith("clipper: error: http://[::1/x: not a valid URL")
    assert lines[1].startswith("clipper: error: http://xn--/: ")
    assert "Traceback" not in err
    assert "Clipped 1: Fine story" in out


@pytest.mark.parametrize(
    "args",
    [("show", str(2**63)), ("rm", "99999999999999999999999"), ("tag", str(2**64), "+x")],
)
def test_ids_beyond_the_database_range_are_usage_errors(cli: Cli, args: tuple[str, ...]) -> None:
    try:
        code, _, err = cli(*args)
    except SystemExit as exit_:  # argparse's usage error
        code, err = int(str(exit_.code)), cli.capsys.readouterr().err
    assert code == 2
    assert "no such id" in err and "Traceback" not in err


def test_a_thousand_word_query_is_capped_with_a_warning(cli: Cli, site: FixtureSite) -> None:
    site.pages["/ok.html"] = article_page("Harbour plan", LOREM)
    cli("clip", site.url("/ok.html"))
    words = " ".join(f"word{i}" for i in range(1000))
    code, _, err = cli("search", f"harbour {words}")
    assert code == 0, err
    assert "only its first" in err
    with Library.open(cli.library) as library:
        results = library.search('"' + words + '" OR ' + " OR ".join(words.split()))
    assert any("only its first" in w for w in results.warnings)


def test_newer_schema_says_upgrade_clipper(cli: Cli, site: FixtureSite) -> None:
    site.pages["/ok.html"] = article_page("Harbour plan", LOREM)
    cli("clip", site.url("/ok.html"))
    with sqlite3.connect(cli.library / "library.sqlite") as conn:
        conn.execute("update alembic_version set version_num = 'ffff_future'")
    code, _, err = cli("list")
    assert code == 1
    assert one_line(err) == (
        "clipper: error: the library was made by a newer Clipper (schema ffff_future); "
        "upgrade Clipper"
    )


def test_full_disk_is_said_and_nothing_is_half_written(library: Library, site: FixtureSite) -> None:
    site.pages["/a.html"] = article_page("First", LOREM)
    site.pages["/b.html"] = article_page("Second", [p + " More words." * 200 for p in LOREM])
    library.clips.clip_url(site.url("/a.html"))
    with sqlite3.connect(library.location.folder / "library.sqlite") as conn:
        pages = conn.execute("pragma page_count").fetchone()[0]

    def cap(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")  # type: ignore[attr-defined]

    event.listen(library.engine, "connect", cap)
    library.engine.dispose()  # pooled connections: the next write connects anew, capped
    with pytest.raises(LibraryError, match="the disk is full: nothing was changed"):
        library.clips.clip_url(site.url("/b.html"))
    event.remove(library.engine, "connect", cap)
    library.engine.dispose()
    assert [c.title for c in library.clips.page()] == ["First"]
    assert library.clips.clip_url(site.url("/b.html")).result.status == "new"


@pytest.fixture
def damaged(cli: Cli, site: FixtureSite) -> Path:
    for i in range(30):
        site.pages[f"/p{i}.html"] = article_page(f"Story {i}", [p * 3 for p in LOREM])
    code, _, err = cli("clip", *[site.url(f"/p{i}.html") for i in range(30)])
    assert code == 0, err
    db = cli.library / "library.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("pragma wal_checkpoint(truncate)")
    size = db.stat().st_size
    assert size > 64 * 1024
    with open(db, "r+b") as handle:
        handle.seek(size // 2 // 4096 * 4096)
        handle.write(os.urandom(4096))
    (cli.library / "last-check.json").unlink(missing_ok=True)
    return db


def test_random_bytes_in_the_database_are_detected_on_open_and_by_check(
    cli: Cli, damaged: Path
) -> None:
    code, _, err = cli("list")
    assert "clipper: warning: the library database is damaged" in err
    assert "Traceback" not in err
    code, _, err = cli("check")
    assert code == 1
    assert "clipper: error: database:" in err and "Traceback" not in err


def test_a_damaged_database_is_one_line_and_debug_shows_the_traceback(
    cli: Cli, damaged: Path
) -> None:
    with open(damaged, "r+b") as handle:
        handle.write(os.urandom(100))  # the header too: nothing can be read
    code, _, err = cli("list")
    assert code == 1
    assert "the library database is damaged (file is not a database)" in one_line(err)
    code, _, err = cli("list", "--debug")
    assert code == 1 and "Traceback" in err


@pytest.fixture
def read_only(cli: Cli, site: FixtureSite) -> Iterator[Path]:
    site.pages["/ok.html"] = article_page("Harbour plan", LOREM)
    code, _, err = cli("clip", site.url("/ok.html"), "--tag", "harbour")
    assert code == 0, err
    files = [p for p in cli.library.rglob("*")] + [cli.library]
    if os.geteuid() == 0:
        made = subprocess.run(["chattr", "+i", *map(str, files)], capture_output=True)
        if made.returncode != 0:
            pytest.skip("chattr +i is not available here")
    else:
        for path in files:
            path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield cli.library
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", *map(str, files)], check=True)
        else:
            for path in files:
                path.chmod(0o755 if path.is_dir() else 0o644)


def test_read_only_library_reads_and_refuses_writes(
    cli: Cli, read_only: Path, tmp_path: Path
) -> None:
    code, out, err = cli("list")
    assert code == 0, err
    assert "Harbour plan" in out
    assert "read-only" in err
    assert cli("show", "1")[0] == 0
    code, out, _ = cli("search", "harbour")
    assert code == 0 and "Harbour plan" in out
    code, _, err = cli("export", "markdown", "--out", str(tmp_path / "vault"))
    assert code == 0, err
    code, _, err = cli("tag", "1", "+more")
    assert code == 1
    assert "is read-only: nothing can be changed" in err.strip().splitlines()[-1]
    # The app opens it too (no lock file can be made, and none is needed).
    with Library.open(read_only, exclusive=True) as library:
        assert library.read_only and library.clips.count() == 1
        with pytest.raises(LibraryError, match="read-only"):
            library.clips.delete([1])


def test_import_goes_on_past_malformed_urls(cli: Cli, site: FixtureSite, tmp_path: Path) -> None:
    site.pages["/ok.html"] = article_page("Fine story", LOREM)
    listing = tmp_path / "urls.txt"
    listing.write_text(f"http://[::1/x\nhttp://xn--/\n{site.url('/ok.html')}\n", encoding="utf-8")
    code, out, err = cli("import", str(listing))
    assert code == 1
    assert "Traceback" not in err
    assert "1 clipped" in out and "2 failed" in out
