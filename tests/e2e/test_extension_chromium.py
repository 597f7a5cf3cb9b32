"""End to end: the real extension in a real Chromium (under Xvfb) clips a page whose
article is built by JavaScript into a real library through the capture endpoint.

Chromium only: Firefox needs geckodriver, which no package registry we use ships.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from pytest_httpserver import HTTPServer

from clipper.endpoint.clipping import PageClipped, clip_page
from clipper.endpoint.pairing import pairing_code
from clipper.endpoint.payload import BrowserPage
from clipper.endpoint.server import CaptureEndpoint
from clipper.library import Library
from tests.helpers.extension import png_bytes

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = next(
    (p for p in ("/usr/lib/chromium/chromium", shutil.which("chromium")) if p and Path(p).exists()),
    None,
)
DRIVER = shutil.which("chromedriver")
XVFB = shutil.which("Xvfb")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER and XVFB),
    reason="needs chromium, chromium-driver and xvfb (scripts/setup.sh --test installs them)",
)

JS_BUILT = "The tide gauge readings were rebuilt by the page's own script after it loaded."
# The server sends no article at all: the script writes it (its first paragraph is not
# even in the page's source, only its letters reversed).
PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Tide gauges rebuilt | The Script Gazette</title>
<meta property="og:site_name" content="The Script Gazette">
</head><body><header><nav><a href="/">Home</a></nav></header><main id="app">Loading…</main>
<script>
window.addEventListener("load", () => setTimeout(() => {
  const paragraphs = [
    "@FIRST@".split("").reverse().join(""),
    "Engineers compared the new sensors with the harbour's century-old brass gauge and "
    + "found the readings agreed to within two millimetres over a full spring tide.",
    "The council will publish the rebuilt series next month, together with the raw "
    + "logs, so that independent researchers can check the corrections themselves.",
    "Residents of the lower quay, whose cellars flooded twice last winter, asked for "
    + "the warning thresholds to be reviewed as soon as the data is out.",
  ];
  const article = document.createElement("article");
  article.innerHTML = "<h1>Tide gauges rebuilt</h1><p class='byline'>By Ola Nordmann</p>"
    + "<figure><img src='/img/gauge.png' width='640' height='400' alt=''>"
    + "<figcaption>The brass gauge on the quay. Photo: Kari Nordmann</figcaption></figure>"
    + paragraphs.map((p) => "<p>" + p + "</p>").join("");
  const app = document.getElementById("app");
  app.replaceChildren(article);
  document.body.dataset.built = "yes";
}, 100));
</script></body></html>""".replace("@FIRST@", JS_BUILT[::-1])


@pytest.fixture
def display() -> Iterator[str]:
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        [XVFB, "-displayfd", str(write), "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    try:
        assert number.isdigit(), "Xvfb did not start"
        yield f":{number}"
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)


def _driver(display: str, profile: Path, extension: Path):  # type: ignore[no-untyped-def]
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM  # type: ignore[assignment]
    for arg in (
        f"--user-data-dir={profile}",
        f"--load-extension={extension}",
        f"--disable-extensions-except={extension}",
        "--no-sandbox",  # root in CI
        "--disable-gpu",
        "--disable-dev-shm-usage",  # a small /dev/shm in containers
        "--no-first-run",
        "--window-size=1100,850",
    ):
        options.add_argument(arg)
    service = Service(executable_path=DRIVER, env={**os.environ, "DISPLAY": display})
    return webdriver.Chrome(options=options, service=service)


def _extension_id(driver) -> str:  # type: ignore[no-untyped-def]
    from selenium.webdriver.support.ui import WebDriverWait

    def find(_driver: object) -> str | None:
        targets = driver.execute_cdp_cmd("Target.getTargets", {})["targetInfos"]
        for target in targets:
            url = target.get("url", "")
            if url.startswith("chrome-extension://") and url.endswith("/background.js"):
                return str(url.split("/")[2])
        return None

    return str(WebDriverWait(driver, 20).until(find))


def test_extension_clips_the_javascript_built_page(
    display: str, httpserver: HTTPServer, library: Library, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    shots = Path(os.environ.get("CLIPPER_SHOTS", tmp_path))
    httpserver.expect_request("/news/tide-gauges").respond_with_data(
        PAGE, content_type="text/html; charset=utf-8"
    )
    httpserver.expect_request("/img/gauge.png").respond_with_data(
        png_bytes((640, 400)), content_type="image/png"
    )
    httpserver.expect_request("/favicon.ico").respond_with_data(b"", status=404)
    page_url = httpserver.url_for("/news/tide-gauges")
    assert JS_BUILT not in PAGE

    code = pairing_code(library.location.folder)
    received: list[BrowserPage] = []

    def clip(page: BrowserPage) -> PageClipped:
        received.append(page)
        return clip_page(library, page, None)  # offline: the image must come from the browser

    endpoint = CaptureEndpoint(code, clip, port=0)
    endpoint.start()
    extension = tmp_path / "extension"
    shutil.copytree(REPO / "extension", extension)
    driver = _driver(display, tmp_path / "profile", extension)
    try:
        wait = WebDriverWait(driver, 30)
        ext_id = _extension_id(driver)
        driver.get(page_url)
        wait.until(lambda d: d.execute_script("return document.body.dataset.built") == "yes")
        # The page itself tries to post to the endpoint, even with the code: refused.
        attempts = driver.execute_async_script(
            """const [url, code, done] = arguments; const body = JSON.stringify(
              {url: location.href, html: document.documentElement.outerHTML});
            const results = [];
            fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json',
                Authorization: 'Bearer ' + code}, body})
              .then((r) => results.push('cors ' + r.status), (e) => results.push('cors blocked'))
              .then(() => fetch(url, {method: 'POST', mode: 'no-cors', body}))
              .then((r) => results.push('no-cors ' + r.type), (e) => results.push('no-cors blocked'))
              .then(() => done(results));""",
            f"{endpoint.address}/v1/clip",
            code,
        )
        assert attempts == ["cors blocked", "no-cors opaque"], attempts
        assert received == [] and library.clips.count() == 0
        driver.execute_script(
            """const p = document.querySelector('article p:not(.byline)');
            const text = p.firstChild; const start = text.data.indexOf('rebuilt by');
            const range = document.createRange();
            range.setStart(text, start); range.setEnd(text, start + 'rebuilt by the page'.length);
            const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);"""
        )
        # Pair in the popup (opened as a page), then clip the article's tab from it.
        driver.switch_to.new_window("tab")
        driver.set_window_size(420, 520)
        driver.get(f"chrome-extension://{ext_id}/popup.html")
        wait.until(lambda d: "Pair with Clipper" in d.find_element(By.ID, "outcome").text)
        driver.find_element(By.ID, "code").send_keys(code)
        port = driver.find_element(By.ID, "port")
        port.clear()
        port.send_keys(str(endpoint.port))
        driver.find_element(By.ID, "save").click()
        wait.until(lambda d: "Paired with Clipper" in d.find_element(By.ID, "pair-status").text)
        driver.get(f"chrome-extension://{ext_id}/popup.html?url={page_url}")
        outcome = wait.until(
            lambda d: (
                (el := d.find_element(By.ID, "outcome")).get_attribute("class")
                in ("outcome ok", "outcome failed")
                and el
            )
        )
        popup_png = shots / "extension-popup.png"
        driver.save_screenshot(str(popup_png))
        assert outcome.get_attribute("class") == "outcome ok", outcome.text
        assert outcome.text == "Clipped: Tide gauges rebuilt"
        assert "first passage" in driver.find_element(By.ID, "detail").text
    finally:
        driver.quit()
        endpoint.stop()

    (page,) = received
    assert page.url == page_url and page.html is not None
    assert page.images, "the extension sent no image data"
    detail = library.clips.get(library.clips.ids()[0])
    assert detail.title == "Tide gauges rebuilt"
    assert JS_BUILT in detail.text
    (figure,) = detail.figures
    assert figure.src_url == httpserver.url_for("/img/gauge.png")
    assert figure.blob_sha256 and (figure.width, figure.height) == (640, 400)
    assert [a.exact for a in library.passages.find(detail.id)] == ["rebuilt by the page"]

    with Image.open(popup_png) as shot:
        assert shot.size[0] >= 300
    # The clip as the app shows it: the reader, offline, from the library.
    clip_png = shots / "extension-clip.png"
    library.close()
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "clipper.gui",
            "--library",
            str(library.location.folder),
            "--screenshot",
            str(clip_png),
            "--with-reader",
            "--size",
            "1100x760",
        ],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    with Image.open(clip_png) as shot:
        assert shot.size == (1100, 760)
        assert len(shot.convert("RGB").getcolors(1 << 20) or []) > 50  # not a blank window
