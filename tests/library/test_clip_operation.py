"""Clipping is one operation of the facade (`Library.clip`): fetch, extract, store and
index, with progress and cancellation; the CLI, imports, the endpoint and the window's
queue all call it."""

from __future__ import annotations

import pytest

from clipper.library import Library
from clipper.library.clipping import Cancelled, ClipJob, ClipRequest
from tests.helpers.site import FixtureSite


def test_clip_stores_tags_and_reports_progress(library: Library, site: FixtureSite) -> None:
    said: list[str] = []
    request = ClipRequest(url=site.url("/seed-news.html"), tags=("Morocco",))
    done = library.clips.clip(request, progress=said.append)
    clip_id = done.result.clip_id
    assert done.result.status == "new" and done.added == {clip_id} and done.tags
    assert library.clips.get(clip_id).tags == ("Morocco",)
    assert said and said[0].startswith("Fetching ")
    assert [h.clip.id for h in library.search("Polisario").hits] == [clip_id]


def test_a_cancelled_clip_stores_nothing(library: Library, site: FixtureSite) -> None:
    url = site.url("/seed-news.html")
    with pytest.raises(Cancelled, match="cancelled"):
        library.clips.clip(ClipRequest(url=url), cancel=lambda: True)
    assert site.requests == [] and library.clips.count() == 0  # stopped before the fetch

    said: list[str] = []  # cancelled once the page is on its way
    with pytest.raises(Cancelled):
        library.clips.clip(ClipRequest(url=url), progress=said.append, cancel=lambda: bool(said))
    assert len(said) == 1 and library.clips.count() == 0

    job = ClipJob(library, ClipRequest(url=url))  # cancelled between the two halves
    captured = job.capture()
    job = ClipJob(library, ClipRequest(url=url), cancel=lambda: True)
    with pytest.raises(Cancelled):
        job.store(captured)
    assert library.clips.count() == 0 and not library.search("Polisario").hits
