"""One training clock per database: every process on a database runs ``XIAFANG_CLOCK`` from the same start.

``XIAFANG_CLOCK`` (:data:`planner.office.clock.CLOCK_ENV`) makes the office clock start at a given moment and run on.
Each process used to start it when it first read the setting, so two app servers on one database, started a couple
of minutes apart, stamped the same moment two minutes apart, and a CLI ``backup``/``restore`` (a new process) was
stamped at the start time while the servers were half an hour on (walk V: an account's password changed before the
account was created).

Design: the clock's start is anchored in the database. The first process that writes to a database with a setting
stores, in the ``settings`` table under ``office_clock:<setting>``, the real time (UTC) at which that clock started
at the setting's moment; every later process — another server, the CLI, a restart — reads that anchor and runs its
clock at ``setting + (real now − anchor)``, so all of them show the same office time (as far as their machines'
real clocks agree). Consequences, by choice:

- the clock of a database never runs back: a server restarted the next day with the same setting continues the
  clock (it is the next day there too); to start a training day afresh give another setting (another moment);
- the anchor is written in the caller's transaction with ``INSERT … ON CONFLICT DO NOTHING`` (two processes
  starting at once keep the first one's) and counts as shared once that transaction commits; until then, and in a
  process that has not written yet, the clock runs from the process's own start (the same moment for the first
  process of a database);
- a restore brings the backup's anchors with it: the restored database continues the clock of the database the
  backup was taken from (its audit rows were stamped on it), and the restore row is stamped on that clock
  (:func:`follow_restored`); a backup without an anchor for the setting keeps the clock the restore ran on. Anchors
  are no data: a database holding nothing else is empty to a restore. Running processes keep the clock they follow.

:func:`share` is called where a process first stamps something for the office — each audit row, each sign-in, each
resumed browser sign-in, backup and restore. Without ``XIAFANG_CLOCK`` (the ordinary case, the real time) it returns
at once and touches no table.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, Engine, event, select
from sqlalchemy.orm import Session

from planner.office import clock
from planner.store.models import SettingRow

#: The ``settings`` key of a setting's anchor (the setting itself follows the colon).
ANCHOR_KEY = "office_clock:"
#: ``(setting, database)`` whose anchor this process follows and has seen committed: no more reads for it.
_shared: tuple[str, str] | None = None


def _database(session: Session) -> str:
    """The session's database, by its address: a session bound to a connection (the demo loader's, a test's) too."""
    bind = session.get_bind()
    return getattr(bind, "engine", bind).url.render_as_string(hide_password=True)


def _anchor_value(value: object) -> dt.datetime | None:
    """The stored anchor (naive UTC) of a settings value, None when it holds none."""
    try:
        return dt.datetime.fromisoformat(str(dict(value or {}).get("started_utc")))
    except (TypeError, ValueError):
        return None


def _insert_anchor(session: Session | Connection, key: str, value: dict) -> None:
    """Store ``value`` under ``key`` unless some process stored one first (kept: the clock is theirs too)."""
    table = SettingRow.__table__
    bind = session if isinstance(session, Connection) else session.get_bind()
    if bind.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(insert(table).values(key=key, value=value, version=1).on_conflict_do_nothing(
        index_elements=[table.c.key]))


def share(session: Session) -> None:
    """Have this process run the database's office clock for the current ``XIAFANG_CLOCK`` setting.

    Reads the setting's anchor from ``session``'s database, storing one (now) when there is none, and sets the
    process's clock from it (:func:`planner.office.clock.follow`). Nothing happens without the setting, with a
    setting that names no moment, or once the anchor has been seen committed.
    """
    global _shared
    setting = clock.clock_setting()
    if not setting:
        return
    database = _database(session)
    if _shared == (setting, database):
        return
    start = clock.clock_start(setting)
    if start is None:
        return
    key = ANCHOR_KEY + setting
    stored = session.execute(select(SettingRow.value).where(SettingRow.key == key)).scalar_one_or_none()
    anchor = _anchor_value(stored)
    if anchor is None:
        # This process's clock reached the setting's moment at real time start − offset: that is the anchor.
        anchor = (start - clock.clock_offset()).astimezone(dt.UTC).replace(tzinfo=None)
        _insert_anchor(session, key, {"setting": setting, "started_utc": anchor.isoformat()})
        stored = session.execute(select(SettingRow.value).where(SettingRow.key == key)).scalar_one_or_none()
        anchor = _anchor_value(stored) or anchor  # another process's, when it stored one first
        _share_on_commit(session, (setting, database))
    else:
        _shared = (setting, database)
    clock.follow(setting, start - anchor.replace(tzinfo=dt.UTC))


def follow_restored(conn: Connection) -> None:
    """Within a restore's transaction, once the backup's rows are in: run this process's clock on the anchor they
    hold for the current setting — the restored database continues the clock its rows were stamped on, and the
    restore row is stamped on it too — or, when they hold none, store the anchor of the clock this process runs on.

    Walk W27: restoring into a new database wrote an anchor first; the backup's replaces it. Nothing happens without
    ``XIAFANG_CLOCK``; the anchor counts as shared once :func:`share_engine` reads it again after the commit.
    """
    global _shared
    setting = clock.clock_setting()
    start = clock.clock_start(setting) if setting else None
    if start is None:
        return
    _shared = None
    key = ANCHOR_KEY + setting
    table = SettingRow.__table__
    anchor = _anchor_value(conn.execute(select(table.c.value).where(table.c.key == key)).scalar_one_or_none())
    if anchor is None:
        anchor = (start - clock.clock_offset()).astimezone(dt.UTC).replace(tzinfo=None)
        _insert_anchor(conn, key, {"setting": setting, "started_utc": anchor.isoformat()})
    clock.follow(setting, start - anchor.replace(tzinfo=dt.UTC))


def _share_on_commit(session: Session, shared: tuple[str, str]) -> None:
    """Count the anchor as shared once the transaction that stored it commits (a rollback loses it: read again)."""
    live = [True]

    def _lost(_session: Session) -> None:
        live[0] = False

    def _committed(_session: Session) -> None:
        global _shared
        if live[0]:
            _shared = shared

    event.listen(session, "after_rollback", _lost, once=True)
    event.listen(session, "after_commit", _committed, once=True)


def share_engine(engine: Engine, *, again: bool = False) -> None:
    """:func:`share` in a transaction of its own on ``engine`` (backup and restore, which use no session).

    ``again``: read the anchor even if already shared — after a restore replaced the ``settings`` table, so an
    anchor the backup lacked is stored again and the processes running on keep one clock with the later ones.
    """
    global _shared
    if not clock.clock_setting():
        return
    if again:
        _shared = None
    with Session(engine) as session:
        share(session)
        session.commit()


def reset() -> None:
    """Forget what this process has shared (tests; a process starts with nothing shared)."""
    global _shared
    _shared = None
