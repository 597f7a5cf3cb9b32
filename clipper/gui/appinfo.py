"""Who the app is to the desktop: its id, name and icon, and whether there is a display.

The id names the `.desktop` file and the AppStream entry (`packaging/`), the icon files
and, on Wayland, the window's app id; the application name is the X11 window class
(`StartupWMClass`). The icon ships inside the package, so a wheel, an editable install
and the PyInstaller bundle all find it through `importlib.resources`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

APP_ID = "io.github.clipperapp.Clipper"
APP_NAME = "Clipper"
"""`QApplication.applicationName()`: the WM_CLASS class, so `StartupWMClass=Clipper`."""
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def icon_files() -> list[Traversable]:
    """The packaged icon: the SVG first, then the PNG sizes (those present)."""
    hicolor = resources.files("clipper") / "resources" / "icons" / "hicolor"
    files = [hicolor / "scalable" / "apps" / f"{APP_ID}.svg"]
    files += [hicolor / f"{s}x{s}" / "apps" / f"{APP_ID}.png" for s in ICON_SIZES]
    return [f for f in files if f.is_file()]


def display_problem(env: Mapping[str, str] | None = None, platform: str = sys.platform) -> str:
    """Why Qt could not show a window here, or "" (Qt itself aborts with a misleading
    message about xcb-cursor0 when there is simply no display)."""
    env = os.environ if env is None else env
    if not platform.startswith("linux"):
        return ""
    wanted = env.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip()
    if wanted and wanted not in ("xcb", "wayland", "wayland-egl"):
        return ""  # offscreen, vnc, eglfs...: Qt needs no X or Wayland server
    wayland = env.get("WAYLAND_DISPLAY", "")
    display = env.get("DISPLAY", "")
    if wanted.startswith("wayland"):
        if wayland:
            return ""
        return "no Wayland display (WAYLAND_DISPLAY is not set)" + _HINT
    if wanted != "xcb" and wayland:
        return ""
    if not display:
        return "no display found (DISPLAY and WAYLAND_DISPLAY are not set)" + _HINT
    if display.startswith(":"):
        number = display[1:].split(".")[0]
        socket = Path("/tmp/.X11-unix") / f"X{number}"
        if number.isdigit() and not socket.exists():
            return f"no X server on display {display} ({socket} does not exist)" + _HINT
    return ""


_HINT = (
    "; start Clipper from a desktop session, or set QT_QPA_PLATFORM=offscreen"
    " to render without a screen (e.g. clipper-gui --screenshot out.png)"
)
