"""Build the browser extension as one zip per browser: `python extension/build.py`.

The folder itself is the Chromium extension (load it unpacked); Firefox gets the same
files with its own background entry (an event page, not a service worker) and an add-on
id. Writes dist/extension/clipper-chromium.zip and clipper-firefox.zip.
"""

from __future__ import annotations

import argparse
import json
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FILES = (
    "background.js",
    "clip.js",
    "collect.js",
    "popup.html",
    "popup.css",
    "popup.js",
    "icons/clipper-16.png",
    "icons/clipper-32.png",
    "icons/clipper-48.png",
    "icons/clipper-128.png",
)
GECKO_ID = "clipper@clipperapp.github.io"


def manifest_for(browser: str) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((HERE / "manifest.json").read_text(encoding="utf-8"))
    if browser == "firefox":
        manifest["background"] = {"scripts": ["collect.js", "clip.js", "background.js"]}
        manifest["browser_specific_settings"] = {
            "gecko": {"id": GECKO_ID, "strict_min_version": "121.0"}
        }
    return manifest


def build(out: Path) -> list[Path]:
    """One zip per browser in `out`; the same bytes for the same sources (fixed dates)."""
    out.mkdir(parents=True, exist_ok=True)
    built = []
    for browser in ("chromium", "firefox"):
        path = out / f"clipper-{browser}.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            entries = {"manifest.json": json.dumps(manifest_for(browser), indent=2).encode()}
            entries.update({name: (HERE / name).read_bytes() for name in FILES})
            for name, data in sorted(entries.items()):
                info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
        built.append(path)
    return built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE.parent / "dist" / "extension")
    args = parser.parse_args()
    for path in build(args.out):
        print(path)


if __name__ == "__main__":
    main()
