"""The installable app: desktop file, AppStream metainfo, icon, licence, the wheel.

The validators are Debian 12's own (`desktop-file-validate`, `appstreamcli`; installed by
`scripts/setup.sh --test`). The wheel is built offline from a copy of the project and
installed into a temp folder, then run from there: the icon must come from the installed
package, not from the source tree.
"""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from clipper.gui.appinfo import APP_ID, APP_NAME, ICON_SIZES, icon_files

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"


def _entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_file_passes_debians_validator() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "", result.stdout  # not even a hint


def test_desktop_file_matches_the_window() -> None:
    entry = _entry()
    assert entry["StartupWMClass"] == APP_NAME  # Qt's WM_CLASS class is the app name
    assert entry["Icon"] == APP_ID
    assert entry["Exec"].split()[0] == "clipper-gui"
    assert DESKTOP.stem == APP_ID  # QGuiApplication.desktopFileName (the Wayland app id)


def test_app_names_itself_as_the_desktop_file_says(qapp: object) -> None:
    from clipper.gui.app import make_app

    app = make_app()
    assert app.applicationName() == _entry()["StartupWMClass"]
    assert app.desktopFileName() == DESKTOP.stem


def test_metainfo_passes_appstream_validation() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    text = METAINFO.read_text(encoding="utf-8")
    assert f"<id>{APP_ID}</id>" in text
    assert f'<launchable type="desktop-id">{DESKTOP.name}</launchable>' in text


def test_licence_file_matches_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "GPL-3.0-or-later"
    assert project["license-files"] == ["LICENSE"]
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "GNU GENERAL PUBLIC LICENSE" in licence and "Version 3, 29 June 2007" in licence
    assert "<project_license>GPL-3.0-or-later</project_license>" in METAINFO.read_text("utf-8")


def test_distribution_name_is_not_the_taken_one() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "clipper-research"  # "clipper" belongs to someone else on PyPI
    assert project["scripts"] == {"clipper": "clipper.cli:main"}
    assert project["gui-scripts"] == {"clipper-gui": "clipper.gui.app:main"}


def test_icon_is_found_through_importlib_resources(qapp: object) -> None:
    from PySide6.QtGui import QImage

    files = icon_files()
    names = [f.name for f in files]
    assert names[0] == f"{APP_ID}.svg"
    assert len(files) == 1 + len(ICON_SIZES)
    for size, resource in zip(ICON_SIZES, files[1:], strict=True):
        image = QImage(str(resource))
        assert (image.width(), image.height()) == (size, size)
        # the icon, not an empty square: the middle is opaque
        assert image.pixelColor(size // 2, size // 2).alpha() == 255


def _build_wheel(tmp_path: Path) -> Path:
    """Build from a copy (the source tree gets no build/ or egg-info), offline."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "clipper", src / "clipper", ignore=ignore)
    shutil.copytree(PACKAGING, src / "packaging", ignore=ignore)
    out = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-index", "-q", "-w", str(out), str(src)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    (wheel,) = out.glob("*.whl")
    return wheel


def test_wheel_installs_icon_launcher_and_metainfo(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path)
    assert wheel.name.startswith("clipper_research-0.1.0-")
    names = set(zipfile.ZipFile(wheel).namelist())
    data = "clipper_research-0.1.0.data/data/share/"
    assert data + f"applications/{APP_ID}.desktop" in names
    assert data + f"metainfo/{APP_ID}.metainfo.xml" in names
    assert data + f"icons/hicolor/scalable/apps/{APP_ID}.svg" in names
    assert data + f"icons/hicolor/256x256/apps/{APP_ID}.png" in names
    assert f"clipper/resources/icons/hicolor/scalable/apps/{APP_ID}.svg" in names
    assert "clipper/library/migrations/versions/0001_initial_schema.py" in names
    assert "clipper/export/csl/apa.csl" in names  # Copy as APA/Chicago needs the styles
    assert "clipper_research-0.1.0.dist-info/licenses/LICENSE" in names

    # Installed (without dependencies: those of this venv serve) and run from elsewhere.
    target = tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q",
         "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(target), "QT_QPA_PLATFORM": "offscreen"}
    probe = (
        "import clipper, sys; from clipper.gui.appinfo import icon_files; "
        "print(clipper.__file__); print(len(icon_files()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    where, count = result.stdout.split()
    assert Path(where).is_relative_to(target)
    assert int(count) == 1 + len(ICON_SIZES)

    shot = tmp_path / "shot.png"
    result = subprocess.run(
        [sys.executable, "-m", "clipper.gui", "--library", str(tmp_path / "lib"),
         "--screenshot", str(shot), "--size", "800x600"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert shot.stat().st_size > 5000


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "no display found"),
        ({"QT_QPA_PLATFORM": "xcb"}, "no display found"),
        ({"QT_QPA_PLATFORM": "wayland"}, "no Wayland display"),
        ({"DISPLAY": ":987"}, "no X server on display :987"),
        ({"QT_QPA_PLATFORM": "offscreen"}, ""),
        ({"WAYLAND_DISPLAY": "wayland-0"}, ""),
        ({"DISPLAY": "remote:10.0"}, ""),
    ],
)
def test_display_problem(env: dict[str, str], expected: str) -> None:
    from clipper.gui.appinfo import display_problem

    problem = display_problem(env, "linux")
    if expected:
        assert problem.startswith(expected) and "QT_QPA_PLATFORM" in problem
    else:
        assert problem == ""


def test_gui_without_a_display_says_so_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    result = subprocess.run(
        [sys.executable, "-m", "clipper.gui", "--library", str(tmp_path / "lib")],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("clipper-gui: no display found")
    assert "QT_QPA_PLATFORM=offscreen" in lines[0]
    assert not (tmp_path / "lib").exists()  # nothing was opened or created


def test_gui_version() -> None:
    from clipper import __version__

    result = subprocess.run(
        [sys.executable, "-m", "clipper.gui", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"clipper-gui {__version__}"


def test_scripts_app_starts_the_installed_app_without_setting_up() -> None:
    """Set up once (the stamp of pyproject's hash): then no pip, no network, no apt."""
    stamp = (ROOT / ".venv" / ".clipper-setup").read_text().split()
    digest = subprocess.run(
        ["sha256sum", str(ROOT / "pyproject.toml")], capture_output=True, text=True, check=True
    ).stdout[:16]
    assert stamp[0] == digest
    env = {
        **os.environ,
        "PIP_NO_INDEX": "1",
        "PIP_INDEX_URL": "http://127.0.0.1:9/",  # any use of an index would fail loudly
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "app"), "--version"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith("clipper-gui ")
    assert result.stderr == ""  # no pip or apt output: setup.sh did not run
