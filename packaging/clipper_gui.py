"""The PyInstaller bundle's entry point: the desktop app (`clipper-gui`)."""

import sys

if __name__ == "__main__":
    from clipper.capture import worker

    if sys.argv[1:2] == [worker.WORKER_FLAG]:  # an extraction worker, not a window
        worker.main(sys.argv[2:])
        sys.exit(0)
    from clipper.gui.app import main

    sys.exit(main())
