"""The browser extension's packaging: one zip per browser, every file it names inside."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_build_makes_a_zip_per_browser_with_every_referenced_file(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, str(REPO / "extension" / "build.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.split() == [
        str(tmp_path / "clipper-chromium.zip"),
        str(tmp_path / "clipper-firefox.zip"),
    ]
    for browser in ("chromium", "firefox"):
        with zipfile.ZipFile(tmp_path / f"clipper-{browser}.zip") as archive:
            names = set(archive.namelist())
            manifest = json.loads(archive.read("manifest.json"))
            assert manifest["manifest_version"] == 3
            background = manifest["background"]
            scripts = background.get("scripts") or [background["service_worker"]]
            named = [*scripts, manifest["action"]["default_popup"], *manifest["icons"].values()]
            popup = archive.read("popup.html").decode()
            named += re.findall(r'(?:src|href)="([^"]+)"', popup)
            missing = [name for name in named if name not in names]
            assert not missing, (browser, missing)
            if browser == "firefox":
                assert "service_worker" not in background
                assert manifest["browser_specific_settings"]["gecko"]["id"]
            else:
                worker = archive.read("background.js").decode()
                for imported in re.findall(r'"([\w.]+\.js)"', worker.split("importScripts(", 1)[1]):
                    assert imported in names
    # The same sources give the same bytes (no dates inside).
    first = (tmp_path / "clipper-chromium.zip").read_bytes()
    subprocess.run(
        [sys.executable, str(REPO / "extension" / "build.py"), "--out", str(tmp_path)], check=True
    )
    assert (tmp_path / "clipper-chromium.zip").read_bytes() == first
