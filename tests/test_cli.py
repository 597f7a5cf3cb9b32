"""The `clipper` command line, run in-process on a real library and a local server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from clipper.cli import main, parse_tag_args
from tests.helpers.pages import LOREM, article_page
from tests.helpers.site import PAGES, FixtureSite

EXTRACT_KEYS = [
    "title",
    "subtitle",
    "authors",
    "published",
    "site_name",
    "url",
    "canonical_url",
    "language",
    "text",
    "figures",
]


class Cli:
    def __init__(self, capsys: pytest.CaptureFixture[str], library: Path) -> None:
        self.capsys = capsys
        self.library = library

    def __call__(self, *args: str) -> tuple[int, str, str]:
        code = main([*args, "--library", str(self.library)])
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *args: str) -> list[dict]:
        code, out, err = self(*args, "--json")
        assert code == 0, err
        return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Cli:
    return Cli(capsys, tmp_path / "lib")


def test_clip_list_show_search_tag_rm(cli: Cli, site: FixtureSite) -> None:
    site.pages["/harbour.html"] = article_page("Harbour plan vote", LOREM)
    code, out, err = cli(
        "clip", site.url("/seed-news.html"), site.url("/harbour.html"), "--tag", "research"
    )
    assert code == 0, err
    assert "Clipped 1: Morocco says it will boost military ties with Israel" in out
    assert "Clipped 2: Harbour plan vote" in out

    rows = cli.json("list")
    assert [r["title"] for r in rows] == [
        "Harbour plan vote",
        "Morocco says it will boost military ties with Israel",
    ]
    assert rows[0]["tags"] == ["research"]

    code, out, _ = cli("show", "1")
    assert "Caption: Illustrative: A helicopter flies over" in out
    assert "Credit:  AP Photo/Mosa'ab Elshamy" in out
    assert "Benny Gantz signed a memorandum" in out
    shown = cli.json("show", "1")[0]
    assert shown["figures"][0]["credit"] == "AP Photo/Mosa'ab Elshamy"

    hits = cli.json("search", "Polisario")
    assert [h["id"] for h in hits] == [1]
    assert "[[Polisario]]" in hits[0]["snippet"]
    code, out, _ = cli("search", "harbour", "warehouses")
    assert "Harbour plan vote" in out and "Morocco" not in out

    code, out, err = cli("tag", "1", "2", "+Defense", "-research")
    assert code == 0, err
    assert cli.json("tags") == [{"name": "Defense", "count": 2}, {"name": "research", "count": 0}]
    assert sorted(h["id"] for h in cli.json("search", "tag:defense")) == [1, 2]

    code, out, _ = cli("rm", "2")
    assert code == 0
    assert [r["id"] for r in cli.json("list")] == [1]
    code, _, err = cli("show", "2")
    assert code == 1 and "no clip with id 2" in err


def test_reclip_reports_unchanged_and_updated(cli: Cli, site: FixtureSite) -> None:
    site.pages["/s.html"] = article_page("Story", LOREM[:3])
    assert cli.json("clip", site.url("/s.html"))[0]["status"] == "new"
    assert cli.json("clip", site.url("/s.html"))[0]["status"] == "unchanged"
    site.pages["/s.html"] = article_page("Story", LOREM)
    code, out, _ = cli("clip", site.url("/s.html"))
    assert code == 0 and "Updated (new version) 1: Story" in out


def test_extract_json_has_exact_keys(cli: Cli, site: FixtureSite) -> None:
    code, out, err = cli(
        "extract", site.url("/seed-news.html"), str(PAGES / "seed-news.html"), "--json"
    )
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 2
    for record in records:
        assert list(record) == EXTRACT_KEYS
        assert record["title"] == "Morocco says it will boost military ties with Israel"
        assert [list(f) for f in record["figures"]] == [["src", "caption", "credit", "alt"]]
        assert "1200" in record["figures"][0]["src"]  # the largest srcset rendition
    # extract stores nothing
    assert not (cli.library / "library.sqlite").exists() or cli.json("list") == []


def test_extract_base_url_resolves_file_links(cli: Cli) -> None:
    code, out, _ = cli(
        "extract",
        str(PAGES / "seed-news.html"),
        "--base-url",
        "https://www.timesofisrael.test/x/",
        "--json",
    )
    assert code == 0
    figure = json.loads(out)["figures"][0]
    assert figure["src"].startswith("https://www.timesofisrael.test/")


def test_batch_goes_on_after_a_failure(cli: Cli, site: FixtureSite) -> None:
    site.pages["/ok.html"] = article_page("Fine story", LOREM)
    code, out, err = cli("clip", site.url("/nope.html"), site.url("/ok.html"))
    assert code == 1
    assert "/nope.html: HTTP 404" in err and len(err.strip().splitlines()) == 1
    assert "Clipped 1: Fine story" in out


def test_missing_file_and_bad_usage(cli: Cli) -> None:
    code, _, err = cli("clip", "/no/such/page.html")
    assert code == 1 and "no such file" in err
    code, _, err = cli("tag", "1")
    assert code == 2 and "+tag or -tag" in err


def test_parse_tag_args() -> None:
    assert parse_tag_args(["3", "4", "+a b", "-old"]) == ([3, 4], ["a b"], ["old"])
    with pytest.raises(ValueError):
        parse_tag_args(["x"])


def test_library_from_environment(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    site: FixtureSite,
) -> None:
    monkeypatch.setenv("CLIPPER_LIBRARY", str(tmp_path / "envlib"))
    assert main(["clip", site.url("/seed-news.html")]) == 0
    assert (tmp_path / "envlib" / "library.sqlite").is_file()


def test_default_library_is_in_user_data_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    data = Path(os.environ["XDG_DATA_HOME"])
    assert (data / "Clipper" / "library.sqlite").is_file()


def test_python_dash_m_and_entry_point(tmp_path: Path) -> None:
    env = {**os.environ, "CLIPPER_LIBRARY": str(tmp_path / "l")}
    proc = subprocess.run(
        [sys.executable, "-m", "clipper", "list", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0 and proc.stdout == ""
    exe = Path(sys.executable).parent / "clipper"
    if exe.exists():
        proc = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60)
        assert proc.stdout.startswith("clipper ")
