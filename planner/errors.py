"""Errors and warnings a person can act on; every project error is a ValueError."""

from __future__ import annotations

from geodata.errors import GeodataError


class XiafangError(ValueError):
    """Base class of every error the user can fix (bad input, bad option, missing data)."""


class InputError(XiafangError):
    """A file, row or column of user input is invalid."""


class RecordHeldError(InputError):
    """A change refused because what others decided or issued rests on the record (a leader's correction, a 澄清函):
    the message names who and what, and whom to ask; retyping the input does not help."""


class NotFoundError(XiafangError):
    """A referenced record (case, plan, team ...) does not exist."""


class ConflictError(XiafangError):
    """A record was changed by someone else since it was read (optimistic locking)."""


class PermissionDenied(XiafangError):  # noqa: N818 -- public name raised and caught across ~37 modules and tests
    """The current role may not do this."""


class CaseHeldError(PermissionDenied):
    """Letters another team's issued or running plan holds: refused for that, the plan named (walk W32), not as a
    rights problem to take to the administrator."""


class InfeasibleError(XiafangError):
    """A planning problem cannot be solved as stated."""


USER_ERRORS: tuple[type[ValueError], ...] = (XiafangError, GeodataError)
"""What pages and the CLI catch and show as a message: the planner's errors and the geography's."""


class XiafangWarning(UserWarning):
    """A hazard that is not an error (point on a county border, coordinate that looks GCJ-02 ...)."""
