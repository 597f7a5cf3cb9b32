"""`clipper check`, `check --repair` and `backup`: damage is found, the index is repaired
from the database, and a backup made while another process writes restores whole."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from clipper.cli import main
from clipper.errors import LibraryError
from clipper.library import Library
from tests.helpers.pages import LOREM, article_page
from tests.helpers.site import FixtureSite


def fill(library: Library, site: FixtureSite, count: int, prefix: str = "Story") -> None:
    for i in range(count):
        path = f"/{prefix.lower()}-{i}.html"
        site.pages[path] = article_page(
            f"{prefix} {i}",
            [*LOREM, f"This is story number {i} of the series."],
            figures=[(f"/img-{prefix}-{i}-800x600.jpg", "Cap", "")],
        )
        library.clips.clip_url(site.url(path))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_sound_library_checks_clean(
    library: Library, site: FixtureSite, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(library, site, 3)
    report = library.maintenance.check()
    assert report.ok and report.counts == {"blobs": 3, "clips": 3}
    code, out, _ = run(capsys, "check", "--library", str(library.location.folder))
    assert code == 0 and "The library is sound (3 blobs, 3 clips)." in out


def test_check_finds_an_index_that_disagrees_and_repair_rebuilds_it(
    library: Library, site: FixtureSite, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(library, site, 3)
    library.index.delete([2])
    folder = str(library.location.folder)
    code, _, err = run(capsys, "check", "--library", folder)
    assert code == 1 and "search index: 1 clip(s) missing" in err
    code, out, err = run(capsys, "check", "--repair", "--library", folder)
    assert code == 0, err
    assert "repaired: search index rebuilt from the database (3 clips)" in out
    assert library.maintenance.check().ok
    library.index.delete([3])
    changes = library.maintenance.repair()  # a write of the index only: no clip named
    assert changes.result.ok and changes.result.repaired and not changes.touched
    assert library.maintenance.check().ok


def test_check_finds_a_blob_whose_bytes_changed(library: Library, site: FixtureSite) -> None:
    fill(library, site, 2)
    with sqlite3.connect(library.location.folder / "library.sqlite") as conn:
        sha = conn.execute("select sha256 from blobs limit 1").fetchone()[0]
        conn.execute("update blobs set data = x'00112233' where sha256 = ?", (sha,))
    report = library.maintenance.repair().result
    assert f"blob {sha[:12]}: its bytes do not match its SHA-256" in report.problems
    assert any("restore a backup" in p for p in report.problems)


def test_backup_while_another_process_writes_and_restore_it(
    library: Library, site: FixtureSite, tmp_path: Path
) -> None:
    fill(library, site, 4)
    writer = Library.open(library.location.folder)
    stop = threading.Event()
    errors: list[BaseException] = []

    def keep_writing() -> None:
        try:
            n = 0
            while not stop.is_set():
                writer.tags.change([1 + n % 4], [f"t{n}"])
                n += 1
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        target = library.maintenance.backup(tmp_path / "copy.sqlite")
    finally:
        stop.set()
        thread.join()
        writer.close()
    assert not errors
    with sqlite3.connect(target) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    with pytest.raises(LibraryError, match="already exists"):
        library.maintenance.backup(target)
    # Restore: the copy is a library of its own; the index is rebuilt on open.
    restored = tmp_path / "restored"
    restored.mkdir()
    target.replace(restored / "library.sqlite")
    with Library.open(restored) as copy:
        assert sorted(c.title for c in copy.clips.page()) == [f"Story {i}" for i in range(4)]
        assert copy.search("harbour").total == 4
        assert copy.maintenance.check().ok
        assert copy.clips.blob(copy.clips.get(1).figures[0].blob_sha256 or "") is not None


def test_backup_command_into_a_folder(
    library: Library, site: FixtureSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(library, site, 1)
    folder = tmp_path / "backups"
    folder.mkdir()
    code, out, err = run(capsys, "backup", str(folder), "--library", str(library.location.folder))
    assert code == 0, err
    written = list(folder.glob("clipper-backup-*.sqlite"))
    assert len(written) == 1 and str(written[0]) in out


def test_a_clip_without_its_version_is_found_and_named(
    library: Library, site: FixtureSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Damage that leaves a clip without its current version: `show` and `export` say
    which clip is damaged in one line, `check` lists it."""
    fill(library, site, 2)
    with sqlite3.connect(library.location.folder / "library.sqlite") as conn:
        conn.execute("update clips set current_version_id = null where id = 2")
    assert (
        "database: 1 clip(s) without a current version (2)" in library.maintenance.check().problems
    )
    folder = str(library.location.folder)
    for args in (["show", "2"], ["export", "markdown", "--out", str(tmp_path / "vault")]):
        code, _, err = run(capsys, *args, "--library", folder)
        assert code == 1
        lines = err.strip().splitlines()
        assert lines[-1] == (
            "clipper: error: clip 2 is damaged: it has no current version; run `clipper check`"
        )
