"""`clipper import` and the files `clipper clip` refuses, against a local web server."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from clipper.capture.imports import parse_url_list
from clipper.library import Library
from clipper.library.importing import ImportSummary, run_import, state_path
from tests.helpers.pages import LOREM, article_page
from tests.helpers.site import FixtureSite
from tests.test_cli import Cli

BOOKMARKS = Path(__file__).resolve().parent / "fixtures" / "bookmarks"


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Cli:
    return Cli(capsys, tmp_path / "lib")


def export_file(tmp_path: Path, name: str, site: FixtureSite) -> Path:
    base = site.url("/").rstrip("/")
    path = tmp_path / name
    path.write_text((BOOKMARKS / name).read_text("utf-8").replace("{BASE}", base), "utf-8")
    return path


def tags_by_title(library_path: Path) -> dict[str, tuple[str, ...]]:
    with Library.open(library_path) as library:
        return {s.title: s.tags for s in library.clips.page()}


def test_import_firefox_bookmarks(cli: Cli, site: FixtureSite, tmp_path: Path) -> None:
    code, out, err = cli("import", str(export_file(tmp_path, "firefox.html", site)))
    assert code == 1  # the FTP link is listed as a failure
    assert "Imported 3 of 3: 3 clipped, 1 already in the library, 1 failed" in out
    assert "An FTP file: not an http(s) URL: ftp://files.example.test/report.pdf" in err
    clips = tags_by_title(cli.library)
    assert clips["Morocco says it will boost military ties with Israel"] == (
        "defence", "maghreb", "Research",
    )  # fmt: skip
    assert clips["Libraries should stop apologizing for being quiet"] == (
        "Libraries & archives", "Research",
    )  # fmt: skip
    assert len(clips) == 3
    assert not any(r.startswith("/favicon") for r in site.requests)


def test_import_chrome_bookmarks_with_a_failure(
    cli: Cli, site: FixtureSite, tmp_path: Path
) -> None:
    code, out, err = cli("import", str(export_file(tmp_path, "chrome.html", site)), "-t", "chrome")
    assert code == 1
    assert "Imported 4 of 4: 3 clipped, 0 already in the library, 1 failed" in out
    failure = [line for line in err.splitlines() if "missing-page.html" in line]
    assert len(failure) == 1 and "404" in failure[0]
    clips = tags_by_title(cli.library)
    assert len(clips) == 3
    assert all("chrome" in tags for tags in clips.values())
    assert sorted(tags for tags in clips.values() if "Long reads" in tags) == [
        ("chrome", "Long reads", "Reading list")
    ]
    assert not (cli.library / "imports").exists() or not any((cli.library / "imports").iterdir())


def serve_articles(site: FixtureSite, count: int) -> list[str]:
    urls = []
    for n in range(count):
        path = f"/a/{n:03d}.html"
        site.pages[path] = article_page(f"Article number {n:03d}", [f"Story {n}.", *LOREM[:2]])
        urls.append(site.url(path))
    return urls


def test_interrupted_import_of_200_urls_resumes_where_it_stopped(
    cli: Cli, site: FixtureSite, tmp_path: Path
) -> None:
    urls = serve_articles(site, 200)
    listing = tmp_path / "urls.txt"
    listing.write_text("# to read\n" + "\n".join(urls) + "\n", "utf-8")

    def stop_after_80(summary: ImportSummary, _item: object) -> None:
        if summary.done == 80:
            raise KeyboardInterrupt  # Ctrl+C after the 80th page

    source = parse_url_list(listing.read_text("utf-8"))
    with Library.open(cli.library) as library:
        with pytest.raises(KeyboardInterrupt):
            run_import(library, source, progress=stop_after_80)
        assert library.clips.count() == 80
        assert state_path(library, source).is_file()
    fetched_first = [r for r in site.requests if r.startswith("/a/")]
    assert len(fetched_first) == 80

    code, out, err = cli("import", str(listing))
    assert code == 0, err
    assert "resumed after 80 of 200 pages" in err
    assert (
        "Imported 200 of 200: 200 clipped, 0 already in the library, 0 failed (resumed after 80)"
        in out
    )
    fetched = [r for r in site.requests if r.startswith("/a/")]
    assert len(fetched) == 200 and len(set(fetched)) == 200  # none fetched twice
    with Library.open(cli.library) as library:
        assert library.clips.count() == 200
        assert not state_path(library, source).exists()  # complete: the state is gone


def test_cli_interrupt_keeps_the_state(
    cli: Cli, site: FixtureSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    urls = serve_articles(site, 5)
    listing = tmp_path / "urls.txt"
    listing.write_text("\n".join(urls), "utf-8")
    import clipper.library.importing as importing

    real = importing._one
    calls = [0]

    def interrupted(*args: object) -> None:
        calls[0] += 1
        if calls[0] == 3:
            raise KeyboardInterrupt
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(importing, "_one", interrupted)
    code, _out, err = cli("import", str(listing))
    assert code == 130
    assert "interrupted; run the same command again to continue" in err
    monkeypatch.setattr(importing, "_one", real)
    code, out, err = cli("import", str(listing))
    assert code == 0, err
    assert "resumed after 2 of 5" in err and "5 clipped" in out


def test_duplicates_are_skipped_without_fetching(
    cli: Cli, site: FixtureSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    urls = serve_articles(site, 4)
    code, _out, err = cli("clip", urls[0], urls[1])
    assert code == 0, err
    site.requests.clear()
    # the same pages again, one under tracking parameters and another host spelling
    tracked = urls[0] + "?utm_source=newsletter"
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join([tracked, urls[1], *urls[2:], urls[3]])))
    code, out, err = cli("import", "-")
    assert code == 0, err
    assert "Imported 4 of 4: 2 clipped, 3 already in the library, 0 failed" in out
    assert sorted(r for r in site.requests if r.startswith("/a/")) == ["/a/002.html", "/a/003.html"]


def test_import_a_folder_of_saved_pages(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    folder.mkdir()
    for n in range(3):
        (folder / f"page{n}.html").write_bytes(
            article_page(f"Saved page {n}", [f"Saved {n}.", *LOREM[:2]])
        )
    (folder / "readme.txt").write_text("not a page")
    code, out, err = cli("import", str(folder))
    assert code == 0, err
    assert "Imported 3 of 3: 3 clipped" in out
    code, out, err = cli("import", str(folder))
    assert "Imported 3 of 3: 0 clipped, 3 already in the library" in out  # same text


def test_clip_dash_reads_urls_from_stdin(
    cli: Cli, site: FixtureSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    urls = serve_articles(site, 2)
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(urls) + "\n"))
    code, out, err = cli("clip", "-")
    assert code == 0, err
    assert "Clipped 1: Article number 000" in out and "Clipped 2: Article number 001" in out


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "bookmarks.html",
            "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p></DL>",
            "a bookmark file, not a page; use `clipper import",
        ),
        (
            "urls.txt",
            "https://a.example/1\nhttps://a.example/2\n",
            "a list of URLs, not a page; use `clipper import",
        ),
        ("hostname", "myhost\n", "not an HTML page"),
    ],
)
def test_clip_refuses_files_that_are_not_pages(
    cli: Cli, tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, "utf-8")
    code, out, err = cli("clip", str(path))
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and str(path) in lines[0]
    with Library.open(cli.library) as library:
        assert library.clips.count() == 0
