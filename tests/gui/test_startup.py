"""Start-up: the window shows before the library opens; heavy modules load lazily.

Which modules a fresh process has loaded is checked in a subprocess (this test process
imported everything long ago). How fast it is is measured by benchmarks/startup.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from clipper.gui.mainwindow import MainWindow
from clipper.library import Library
from clipper.paths import resolve_location
from tests.gui.conftest import close_window, window_state
from tests.gui.util import titles, wait_idle
from tests.helpers.site import FixtureSite

HEAVY = ("sqlalchemy", "alembic", "trafilatura", "whoosh", "lxml", "PIL", "httpx")

PROBE = """
import json, sys
from clipper.gui.app import make_app
from clipper.gui.mainwindow import MainWindow
from clipper.paths import resolve_location
heavy = {heavy!r}
loaded = lambda: sorted(m for m in heavy if m in sys.modules)
app = make_app()
window = MainWindow(None, location=resolve_location({path!r}))
window.show()
app.processEvents()
shown = loaded()
done = []
window.open_library({path!r}, on_done=lambda lib: (window.attach(lib), done.append(lib)),
                    on_error=lambda e: done.append(e))
while not done or window.busy:
    app.processEvents()
assert not isinstance(done[0], BaseException), done[0]
opened = loaded()
window.close()
done[0].close()
print(json.dumps({{"shown": shown, "opened": opened}}))
"""


def _probe(path: Path) -> dict[str, list[str]]:
    code = PROBE.format(heavy=HEAVY, path=str(path))
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def open_and_attach(qtbot: QtBot, window: MainWindow, path: Path) -> list[Library]:
    """What `app.main` does once the window is shown; [the library] once attached."""
    opened: list[Library] = []
    with qtbot.waitSignal(window.library_opened, timeout=20_000):
        window.open_library(
            str(path),
            on_done=lambda lib: (opened.append(lib), window.attach(lib)),
            on_error=lambda e: pytest.fail(str(e)),
        )
    return opened


def test_window_shows_before_any_heavy_module_loads(tmp_path: Path) -> None:
    path = tmp_path / "library"
    first = _probe(path)  # a new library: the schema is created (Alembic runs)
    assert first["shown"] == []
    assert "alembic" in first["opened"]
    again = _probe(path)  # up to date: no Alembic, and no extraction until a clip is made
    assert again["shown"] == []
    assert "sqlalchemy" in again["opened"] and "whoosh" in again["opened"]
    for lazy in ("alembic", "trafilatura", "PIL", "httpx"):
        assert lazy not in again["opened"], again


def test_window_opens_the_library_after_showing(
    qtbot: QtBot, library_path: Path, settings_path: Path
) -> None:
    with Library.open(library_path) as library:
        from tests.gui.util import store_clips

        store_clips(library, 3)
    window = MainWindow(
        None, location=resolve_location(library_path), state=window_state(settings_path)
    )
    window.show()
    qtbot.waitExposed(window)
    assert not window.has_library
    assert window.library_label.text().startswith("Opening ")
    opened = open_and_attach(qtbot, window, library_path)
    wait_idle(qtbot, window)
    assert isinstance(opened[0], Library)
    assert titles(window) == ["Article 002", "Article 001", "Article 000"]
    assert "3 clips" in window.library_label.text()
    close_window(qtbot, window)
    opened[0].close()


def test_links_dropped_while_the_library_opens_are_clipped_once_it_is(
    qtbot: QtBot, library_path: Path, settings_path: Path, site: FixtureSite
) -> None:
    from clipper.gui.mime import sources_from_formats

    window = MainWindow(
        None, location=resolve_location(library_path), state=window_state(settings_path)
    )
    window.show()
    url = site.url("no-images.html")
    sources = sources_from_formats({"text/uri-list": url.encode()})
    assert window.clip_sources(sources) == 1
    assert window.queue.items == {}  # nothing runs before there is a library
    opened = open_and_attach(qtbot, window, library_path)
    qtbot.waitUntil(lambda: opened[0].clips.count() == 1, timeout=20_000)
    wait_idle(qtbot, window)
    assert titles(window) == ["Libraries should stop apologizing for being quiet"]
    close_window(qtbot, window)
    opened[0].close()


def test_a_locked_library_closes_the_window_with_a_message(
    qtbot: QtBot, library_path: Path, settings_path: Path
) -> None:
    from clipper.errors import LibraryLockedError

    holder = Library.open(library_path, exclusive=True)
    try:
        window = MainWindow(
            None, location=resolve_location(library_path), state=window_state(settings_path)
        )
        window.show()
        errors: list[BaseException] = []
        window.open_library(str(library_path), on_done=lambda _lib: None, on_error=errors.append)
        qtbot.waitUntil(lambda: bool(errors), timeout=20_000)
        assert isinstance(errors[0], LibraryLockedError)
        close_window(qtbot, window)
    finally:
        holder.close()


def test_reader_highlights_load_no_search_engine() -> None:
    """The reader marks search words by the snippet's rule (`clipper.search.snippet`,
    engine-neutral) and the tag dialogs use the rule book: neither loads Whoosh or the
    database layer."""
    code = (
        "import json, sys\n"
        "from clipper.gui.highlight import term_spans\n"
        "from clipper.gui.tagging import split_tags\n"
        "spans = term_spans('Le Café du port', ['cafe'])\n"
        "tags = split_tags('Café, cafe')\n"
        f"print(json.dumps([spans, tags, sorted(m for m in {HEAVY!r} if m in sys.modules)]))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    spans, tags, heavy = json.loads(result.stdout)
    assert spans == [[3, 7]] and tags == ["Café"]
    assert heavy == []
