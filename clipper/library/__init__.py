"""The library: the only place that writes the database (see `facade.Library`)."""

from clipper.library.facade import Library

__all__ = ["Library"]
