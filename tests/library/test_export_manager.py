"""`library.export`: the export formats over a real library, the one door the CLI and
File > Export use (the clips, their passages and images read through the facade)."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import pytest

from clipper.errors import ClipperError
from clipper.export.registry import EXPORTERS
from clipper.library import Library
from tests.helpers.pages import LOREM, article_page
from tests.helpers.site import FixtureSite


@pytest.fixture
def clips(library: Library, site: FixtureSite) -> list[int]:
    """Two clips (the seed page has a stored image), one tagged, a passage on the first."""
    seed = library.clips.clip_url(site.url("/seed-news.html"), tags=["Morocco"]).result
    site.pages["/s.html"] = article_page("Harbour plan delayed", LOREM[:2])
    other = library.clips.clip_url(site.url("/s.html")).result
    library.passages.add(seed.clip_id, 0, 20, note="Key claim")
    return [seed.clip_id, other.clip_id]


def test_the_formats_are_the_registry(library: Library) -> None:
    assert library.export.formats() == list(EXPORTERS.values())
    assert library.export.format("ris") is EXPORTERS["ris"]
    with pytest.raises(ClipperError, match=r"unknown export format 'docx' \(use: markdown,"):
        library.export.format("docx")


def test_scopes_bundles_and_files(library: Library, clips: list[int], tmp_path: Path) -> None:
    assert sorted(library.export.clip_ids()) == sorted(clips)
    assert library.export.clip_ids("morocco") == [clips[0]]

    seen: list[tuple[int, int]] = []
    bundle = library.export.bundle(
        clips, images=True, creator="researcher", progress=lambda d, t: seen.append((d, t))
    )
    assert seen == [(1, 2), (2, 2)]
    assert [item.detail.id for item in bundle.items] == clips
    assert [len(item.passages) for item in bundle.items] == [1, 0]
    first = bundle.items[0]
    figure = first.detail.figures[0]
    assert figure.blob_sha256 and first.images[figure.blob_sha256][:2] == b"\xff\xd8"  # JPEG
    assert library.export.bundle(clips).items[0].images == {}  # images only when asked

    jsonld = json.loads(str(library.export.render("jsonld", clips, creator="researcher")))
    assert jsonld["total"] == 1
    assert jsonld["first"]["items"][0]["creator"]["name"] == "researcher"
    written = library.export.write("bibtex", clips, tmp_path / "refs.bib")
    assert written == [tmp_path / "refs.bib"]
    entries = bibtexparser.parse_string(written[0].read_text(encoding="utf-8")).entries
    assert len(entries) == 2
    notes = library.export.write("markdown", [clips[0]], tmp_path / "vault")
    assert sorted(p.parent.name for p in notes) == ["assets", "vault"]


def test_an_unwritable_target_is_one_line(
    library: Library, clips: list[int], tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ClipperError, match="cannot write") as caught:
        library.export.write("csl", clips, blocker / "out.json")
    assert "\n" not in str(caught.value)
