"""`python -m clipper`: the command-line interface."""

import sys

from clipper.cli import main

sys.exit(main())
