"""CLI subcommands: each module defines ``register(subparsers)``; ``planner.cli`` discovers them.

A command that reads the office's cases either runs as a batch job of the server (SYSTEM), or, given ``--user``,
acts as that account: :func:`signed_in` checks its password (``XIAFANG_PASSWORD``) and the account's rights and
team scope then apply (``planner.office.authorisation``).
"""

from __future__ import annotations

import os

PASSWORD_ENV = "XIAFANG_PASSWORD"


def signed_in(session, username: str):
    """The account ``username`` after checking its password from ``XIAFANG_PASSWORD`` (commits the session).

    Raises
    ------
    planner.office.security.AuthenticationError
        Wrong or missing password, unknown, inactive or locked account (one message for all).
    """
    from planner.office.security import authenticate

    return authenticate(session, username, os.environ.get(PASSWORD_ENV, ""))
