"""The PyInstaller bundle's entry point: the desktop app (`clipper-gui`)."""

import sys

from clipper.gui.app import main

if __name__ == "__main__":
    sys.exit(main())
