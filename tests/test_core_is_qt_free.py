"""The core never imports Qt (Anki's anki/aqt split)."""

import subprocess
import sys


def test_core_imports_without_qt() -> None:
    code = (
        "import sys, clipper.cli, clipper.library, clipper.capture.pipeline, clipper.search.whoosh.index;"
        "import clipper.cli_passages;"
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))], 'Qt imported'"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
