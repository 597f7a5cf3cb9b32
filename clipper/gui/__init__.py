"""The Qt desktop app. The only package that imports Qt (see DESIGN.md, "Layers")."""

from clipper.gui import qtcompat

qtcompat.install()  # before anything else calls Qt: see qtcompat for the PySide6 bug
