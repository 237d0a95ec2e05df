"""Errors of the geography package; it is a leaf and never imports the planner."""

from __future__ import annotations


class GeodataError(ValueError):
    """Base class of every geography error a person can act on (a bad code, name or coordinate)."""


class UnknownPlaceError(GeodataError):
    """A county or town code, or a name, that is not a Zhangzhou place."""


class BadCoordinateError(GeodataError):
    """A coordinate or datum name that cannot be used (not a number, out of range, unknown datum)."""
