""" "Café" and "Cafe" are one tag everywhere: the library's tag list and filter, passages,
`tag:` in search and the CLI all key tags by the rule book's `tag_key`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clipper.cli import main
from clipper.library import Library
from clipper.library.types import ClipFilter
from tests.gui.util import make_capture


@pytest.fixture
def cafes(library: Library) -> list[int]:
    """Three clips: "Café" on the first, "Cafe" on the second, "CAFÈ" on a passage of
    the third."""
    ids = [
        library.clips.store(
            make_capture(title, [f"{title} opens on the harbour front."])
        ).result.clip_id
        for title in ("Harbour café", "Corner cafe", "Old mill")
    ]
    library.tags.change([ids[0]], add=["Café"])
    library.tags.change([ids[1]], add=["Cafe"])
    library.passages.add(ids[2], 0, 8, tags=["CAFÈ"])
    return ids


def test_one_tag_in_the_library_and_its_search(library: Library, cafes: list[int]) -> None:
    assert [(t.name, t.count) for t in library.tags.counts()] == [("Café", 3)]
    for spelling in ("Café", "cafe", "CAFE", "#cafè"):
        assert sorted(library.clips.ids(ClipFilter(tag=spelling))) == cafes, spelling
        found = library.search(f"tag:{spelling.lstrip('#')}")
        assert sorted(h.clip.id for h in found.hits) == cafes, spelling
    assert [a.clip_id for a in library.passages.find(tag="cafe")] == [cafes[2]]
    assert library.clips.get(cafes[1]).tags == ("Café",)  # the name first typed

    library.tags.change([cafes[0]], remove=["CAFE"])  # removing any spelling removes the tag
    assert library.clips.get(cafes[0]).tags == ()


def test_renaming_into_an_existing_tag_keeps_passage_tags(
    library: Library, cafes: list[int]
) -> None:
    library.tags.change([cafes[0]], add=["coffee"])
    changes = library.tags.rename("café", "Coffee")
    assert [(t.name, t.count) for t in library.tags.counts()] == [("coffee", 3)]
    assert [a.clip_id for a in library.passages.find(tag="coffee")] == [cafes[2]]
    assert set(changes.clips) == set(cafes)  # the passage's clip is re-indexed too
    found = library.search("tag:coffee")
    assert sorted(h.clip.id for h in found.hits) == cafes


def test_one_tag_in_the_cli(
    library_path: Path, cafes: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    def run(*args: str) -> str:
        capsys.readouterr()
        assert main([*args, "--library", str(library_path)]) == 0
        return capsys.readouterr().out

    assert run("tags").splitlines() == ["     3  Café"]
    listed = [
        json.loads(line)["id"] for line in run("list", "--tag", "CAFE", "--json").splitlines()
    ]
    assert sorted(listed) == cafes
    hits = [json.loads(line)["id"] for line in run("search", "tag:café", "--json").splitlines()]
    assert sorted(hits) == cafes
    run("tag", str(cafes[0]), "+cafe")  # already tagged: no second tag
    assert run("tags").splitlines() == ["     3  Café"]
