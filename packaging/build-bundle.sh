#!/usr/bin/env bash
# Build the one-folder app with PyInstaller (dist/clipper/) and smoke-test it: `--version`
# and an offscreen screenshot of a new library from the bundle, checked for size.
# Usage: packaging/build-bundle.sh [--smoke-only]   (needs `scripts/setup.sh --test` first)
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
if [ "${1:-}" != "--smoke-only" ]; then
  .venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/clipper.spec
fi
app=dist/clipper/clipper-gui
version=$("$app" --version)
echo "bundle: $version"
[ "$version" = "clipper-gui $(.venv/bin/python -c 'import clipper; print(clipper.__version__)')" ]
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
QT_QPA_PLATFORM=offscreen "$app" --library "$work/library" --screenshot "$work/shot.png" --size 1000x700
.venv/bin/python - "$work/shot.png" <<'PY'
import sys
with open(sys.argv[1], "rb") as f:
    head = f.read(24)
assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
assert (width, height) == (1000, 700), (width, height)
print(f"bundle screenshot: {width}x{height}")
PY
echo "bundle: $(du -sh dist/clipper | cut -f1), built and checked in $(( $(date +%s) - start )) s"
