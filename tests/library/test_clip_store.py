"""Clipping into a real library (SQLite file, Whoosh index) from a real local server."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from clipper.errors import ClipperError, FetchError, NotFoundError
from clipper.library import Library
from clipper.library.types import ClipFilter
from tests.helpers.pages import LOREM, article_page
from tests.helpers.site import FixtureSite

SEED_CAPTION = (
    "Illustrative: A helicopter flies over at the end of the African Lion military exercise, "
    "in Tantan, south of Agadir, Morocco, June 18, 2021."
)


def table_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {
            t: conn.execute(f"select count(*) from {t}").fetchone()[0]
            for t in ("clips", "versions", "figures", "blobs", "tags", "clip_tags")
        }


def test_seed_clip_stores_article_figure_and_image(library: Library, site: FixtureSite) -> None:
    with site.publisher_fetcher() as fetcher:
        result = library.clips.clip_url(
            site.publisher_url("/seed-news.html"), tags=["Morocco"], fetcher=fetcher
        ).result
    assert result.status == "new"
    detail = library.clips.get(result.clip_id)
    assert detail.title == "Morocco says it will boost military ties with Israel"
    assert detail.subtitle.startswith("Rabat and Jerusalem will strengthen cooperation")
    assert detail.site_name == "The Times of Israel"
    assert detail.canonical_url.endswith("/morocco-says-it-will-boost-military-ties-with-israel/")
    assert detail.published_at is not None and detail.published_at.year == 2022
    assert detail.tags == ("Morocco",)
    assert len(detail.figures) == 1
    figure = detail.figures[0]
    assert figure.caption == SEED_CAPTION
    assert figure.credit == "AP Photo/Mosa'ab Elshamy"
    assert figure.blob_sha256 and figure.media_type == "image/jpeg"
    image = library.clips.blob(figure.blob_sha256)
    thumb = library.clips.blob(figure.blob_sha256, thumbnail=True)
    assert image and thumb and len(thumb) < len(image)
    body = detail.body_text
    assert body.count("\n\n") == 8  # nine paragraphs
    assert body.startswith("Morocco’s army said Tuesday")
    assert body.endswith("outlining security relations with Morocco.")
    assert SEED_CAPTION not in body
    lowered = body.lower()
    for junk in (
        "read more",
        "never miss breaking news",
        "register for free",
        "email protected",
        "log in to continue",
        "check your email",
        "search",
    ):
        assert junk not in lowered
    # The plain text (what passages anchor in) has the caption as its own block.
    assert SEED_CAPTION in detail.text


def test_reclip_same_url_is_unchanged(library: Library, site: FixtureSite) -> None:
    first = library.clips.clip_url(site.url("/seed-news.html")).result
    again = library.clips.clip_url(site.url("/seed-news.html")).result
    assert again.status == "unchanged"
    assert again.clip_id == first.clip_id
    assert library.clips.count() == 1
    assert len(library.clips.versions(first.clip_id)) == 1


def test_changed_article_adds_a_version(library: Library, site: FixtureSite) -> None:
    site.pages["/story.html"] = article_page(
        "Harbour plan vote", LOREM, canonical="https://daily.test/harbour"
    )
    first = library.clips.clip_url(site.url("/story.html")).result
    site.pages["/story.html"] = article_page(
        "Harbour plan vote",
        [*LOREM, "Update: the vote was postponed until the autumn."],
        canonical="https://daily.test/harbour",
    )
    second = library.clips.clip_url(site.url("/story.html?utm_source=newsletter")).result
    assert second.status == "updated"
    assert second.clip_id == first.clip_id
    versions = library.clips.versions(first.clip_id)
    assert [v.is_current for v in versions] == [False, True]
    assert "postponed" in library.clips.get(first.clip_id).body_text
    assert "postponed" not in library.clips.get(first.clip_id, versions[0].id).body_text
    assert library.clips.count() == 1


def test_same_text_under_another_url_is_a_new_clip_linked_to_the_first(
    library: Library, site: FixtureSite
) -> None:
    site.pages["/a.html"] = article_page("Same story", LOREM)
    site.pages["/b.html"] = article_page("Copied story", LOREM)
    a = library.clips.clip_url(site.url("/a.html")).result
    b = library.clips.clip_url(site.url("/b.html")).result
    assert b.status == "new" and b.clip_id != a.clip_id and b.duplicate_of == a.clip_id
    assert library.clips.get(b.clip_id).duplicate_of == a.clip_id
    assert library.clips.get(a.clip_id).title == "Same story"  # the first is untouched
    assert library.clips.clip_url(site.url("/b.html")).result.status == "unchanged"
    library.clips.delete([a.clip_id])
    assert library.clips.get(b.clip_id).duplicate_of is None


def test_identical_images_are_stored_once(library: Library, site: FixtureSite) -> None:
    figs = [("/img/harbour-1200x800.jpg", "The quay at dawn.", "Photo: Ann Lee")]
    site.pages["/one.html"] = article_page("One", LOREM[:2], figures=figs)
    site.pages["/two.html"] = article_page("Two", LOREM[2:], figures=figs)
    library.clips.clip_url(site.url("/one.html"))
    library.clips.clip_url(site.url("/two.html"))
    counts = table_counts(library.location.folder / "library.sqlite")
    assert counts["figures"] == 2
    assert counts["blobs"] == 1


def test_failure_halfway_leaves_nothing(
    library: Library, site: FixtureSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash after the clip and version rows are written rolls all of it back."""
    import clipper.library.store as store

    def broken(*_args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_add_figures", broken)
    db = library.location.folder / "library.sqlite"
    before = table_counts(db)
    with pytest.raises(RuntimeError):
        library.clips.clip_url(site.url("/seed-news.html"), tags=["x"])
    assert table_counts(db) == before


def test_bad_image_costs_the_image_not_the_clip(library: Library, site: FixtureSite) -> None:
    """By default the clip is stored, the figure keeps its caption and credit and records
    why its image is missing; `strict_images` fails the whole clip, storing nothing."""
    from clipper.capture.pipeline import CaptureOptions

    figs = [
        ("/broken/photo.jpg", "A photo that is not one.", "Photo: Nobody"),
        ("/gone/photo-missing", "A photo that is gone.", "Photo: Somebody"),
        ("/fine-800x600.jpg", "A real photo.", "Photo: Ann"),
    ]
    site.pages["/broken.html"] = article_page("Broken image", LOREM, figures=figs)
    site.pages["/broken/photo.jpg"] = b"<html>not an image</html>"
    with pytest.raises(ClipperError, match=r"image .*/broken/photo\.jpg: not an image"):
        library.clips.clip_url(site.url("/broken.html"), options=CaptureOptions(strict_images=True))
    assert library.clips.count() == 0

    result = library.clips.clip_url(site.url("/broken.html")).result
    assert result.status == "new"
    assert any("not an image" in w for w in result.warnings)
    detail = library.clips.get(result.clip_id)
    broken, gone, fine = detail.figures
    assert (broken.caption, broken.credit) == ("A photo that is not one.", "Nobody")
    assert broken.blob_sha256 is None and broken.image_error.startswith("not an image")
    assert gone.blob_sha256 is None and gone.image_error == "HTTP 404 NOT FOUND"
    assert fine.blob_sha256 is not None and fine.image_error == ""


def test_show_says_which_image_was_dropped_and_why(
    site: FixtureSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from clipper.cli import main

    figs = [("/gone/photo-missing", "A photo that is gone.", "Photo: Somebody")]
    site.pages["/gone.html"] = article_page("Gone image", LOREM, figures=figs)
    lib = str(tmp_path / "lib")
    assert main(["clip", site.url("/gone.html"), "--library", lib]) == 0
    assert main(["show", "1", "--library", lib]) == 0
    out = capsys.readouterr().out
    assert "Caption: A photo that is gone." in out
    assert "Image not stored: HTTP 404 NOT FOUND" in out
    assert main(["clip", site.url("/gone.html"), "--strict-images", "--library", lib]) == 1


def test_fetch_error_stores_nothing(library: Library, site: FixtureSite) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        library.clips.clip_url(site.url("/missing.html"))
    assert library.clips.count() == 0


def test_tags_are_case_insensitive_and_counted(library: Library, site: FixtureSite) -> None:
    site.pages["/a.html"] = article_page("Alpha", LOREM[:2])
    site.pages["/b.html"] = article_page("Beta", LOREM[2:])
    a = library.clips.clip_url(site.url("/a.html"), tags=["Defense"]).result
    b = library.clips.clip_url(site.url("/b.html")).result
    library.tags.change([b.clip_id], add=["defense", "  Middle   East "])
    assert [(t.name, t.count) for t in library.tags.counts()] == [
        ("Defense", 2),
        ("Middle East", 1),
    ]
    library.tags.change([a.clip_id, b.clip_id], remove=["DEFENSE"])
    assert library.clips.count(ClipFilter(tag="defense")) == 0
    assert library.clips.count(ClipFilter(untagged=True)) == 1
    library.tags.rename("middle east", "MENA")
    assert library.clips.get(b.clip_id).tags == ("MENA",)
    library.tags.delete("mena")
    assert library.clips.get(b.clip_id).tags == ()


def test_delete_removes_rows_blobs_and_hits(library: Library, site: FixtureSite) -> None:
    result = library.clips.clip_url(site.url("/seed-news.html")).result
    assert library.search("Polisario").hits
    library.clips.delete([result.clip_id])
    assert library.clips.count() == 0
    assert not library.search("Polisario").hits
    counts = table_counts(library.location.folder / "library.sqlite")
    assert counts["versions"] == counts["figures"] == counts["blobs"] == 0
    with pytest.raises(NotFoundError):
        library.clips.get(result.clip_id)


def test_trash_and_restore(library: Library, site: FixtureSite) -> None:
    result = library.clips.clip_url(site.url("/seed-news.html")).result
    library.clips.delete([result.clip_id], permanent=False)
    assert library.clips.count() == 0 and not library.search("Polisario").hits
    library.clips.restore([result.clip_id])
    assert library.clips.count() == 1 and library.search("Polisario").hits
    library.clips.delete([result.clip_id], permanent=False)
    assert library.clips.empty_trash().result == 1


def test_clip_saved_file_offline(library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "saved"
    (folder / "story_files").mkdir(parents=True)
    from tests.helpers.site import make_image

    (folder / "story_files" / "quay.jpg").write_bytes(make_image(900, 600, seed="quay"))
    html = article_page(
        "Saved story", LOREM, figures=[("story_files/quay.jpg", "The quay.", "Photo: Ann Lee")]
    )
    page = folder / "story.html"
    page.write_bytes(html)
    result = library.clips.clip_file(page, fetcher=None).result
    detail = library.clips.get(result.clip_id)
    assert detail.title == "Saved story"
    assert detail.figures[0].blob_sha256 is not None
