"""`python -m clipper.gui`: the desktop app."""

import sys

from clipper.gui.app import main

sys.exit(main())
