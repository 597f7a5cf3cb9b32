#!/usr/bin/env bash
# Set up everything Clipper needs on a fresh Debian/Ubuntu machine (idempotent):
# the system libraries Qt needs (plus a font: without one every letter is a box),
# PostgreSQL for the shared-library tests, and a virtualenv in .venv with the project.
# Usage: scripts/setup.sh [--test]
set -euo pipefail
cd "$(dirname "$0")/.."
WITH_TEST=0
[ "${1:-}" = "--test" ] && WITH_TEST=1

APT_PACKAGES=(libgl1 libegl1 libxkbcommon0 libfontconfig1 libfreetype6 libglib2.0-0
  libdbus-1-3 libx11-6 fonts-dejavu-core libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4
  libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0
  libxcb-xkb1 libx11-xcb1)
# The tests also validate the desktop file and the AppStream metainfo (packaging/),
# open pinpoint citations' text-fragment links in a headless Chromium, and load the
# browser extension in a full Chromium under Xvfb (extensions need the full browser).
[ $WITH_TEST = 1 ] && APT_PACKAGES+=(postgresql desktop-file-utils appstream chromium-headless-shell
  chromium chromium-driver xvfb)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" != 0 ] && SUDO="sudo"
  echo "Installing system packages: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Python part is redone only when pyproject.toml changed (an editable install follows
# the source by itself): a stamp holds pyproject's hash and what was installed.
STAMP=.venv/.clipper-setup
WANT="$(sha256sum pyproject.toml | cut -c1-16) $([ $WITH_TEST = 1 ] && echo test || echo app)"
if [ -x .venv/bin/clipper-gui ] && [ -f "$STAMP" ] && \
   { [ "$(cat "$STAMP")" = "$WANT" ] || [ "$(cat "$STAMP")" = "${WANT% *} test" ]; }; then
  exit 0
fi
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# The distribution was called "clipper" before (a name taken on PyPI): drop that install.
if .venv/bin/python -m pip show -q clipper >/dev/null 2>&1; then
  .venv/bin/python -m pip uninstall -q -y clipper
fi
if [ $WITH_TEST = 1 ]; then
  .venv/bin/python -m pip install -q -e ".[test]"
else
  .venv/bin/python -m pip install -q -e .
fi
echo "$WANT" > "$STAMP"
