"""Walk W27 (defect 1): restoring a backup into a brand-new database with ``XIAFANG_CLOCK`` set was refused —
«数据库中已有 1 行数据» — the one row being the office clock's anchor the restore itself had just written. An anchor
is no data; the restored database then runs the backup's office clock (its rows were stamped on it), the restore
row included, and so does every process started on it afterwards."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from planner.errors import InputError
from planner.office import backup as bk
from planner.office import clock, clock_anchor, security
from planner.office.security import SYSTEM
from planner.store.database import session_scope
from planner.store.models import AuditRow, Base, SettingRow

from .seed import seed

START = "2026-12-07T08:00"
KEY = b"k" * 32


@pytest.fixture()
def real(monkeypatch) -> list[dt.datetime]:
    """The machine's real time, moved by the test."""
    now = [dt.datetime(2026, 12, 5, 10, 0, tzinfo=clock.LOCAL_TZ)]
    monkeypatch.setattr(clock, "_real_now", lambda: now[0])
    return now


def _new_process(monkeypatch) -> None:
    monkeypatch.setattr(clock, "_clock_offset", None)
    monkeypatch.setattr(clock_anchor, "_shared", None)


def _office(at: dt.datetime) -> dt.datetime:
    return clock.to_local(at).replace(tzinfo=None)


def _empty(engine) -> None:
    """The database as ``createdb`` + the schema leave it: no rows at all."""
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


def _anchors(engine) -> dict[str, str]:
    with session_scope(engine) as s:
        return {k: v["started_utc"] for k, v in s.execute(select(SettingRow.key, SettingRow.value))
                if k.startswith(clock_anchor.ANCHOR_KEY)}


def test_a_new_database_takes_the_backup_and_runs_its_office_clock(engine, monkeypatch, real, tmp_path) -> None:
    monkeypatch.setenv(clock.CLOCK_ENV, START)
    _new_process(monkeypatch)  # the office's server, started at real 10:00: office 08:00
    with session_scope(engine) as s:
        seed(s)
        security.create_user(s, "admin1", "Walk-W-pass-2026!", role="admin", actor=SYSTEM)
    real[0] += dt.timedelta(hours=2)
    bk.backup(engine, tmp_path / "bk1.zip", key=KEY)  # office 10:00
    source_anchor = _anchors(engine)
    assert list(source_anchor) == [clock_anchor.ANCHOR_KEY + START]

    _empty(engine)  # `createdb walk27r`
    real[0] += dt.timedelta(minutes=30)
    _new_process(monkeypatch)  # `python -m planner restore bk1.zip` with XIAFANG_CLOCK: a new process
    info = bk.restore(engine, tmp_path / "bk1.zip", who="admin", key=KEY)
    assert info.total_rows > 0

    assert _anchors(engine) == source_anchor  # one clock: the backup's, not the one the command started
    with session_scope(engine) as s:
        rows = s.execute(select(AuditRow.action, AuditRow.at, AuditRow.detail).order_by(AuditRow.id)).all()
    assert rows[-1].action == "restore"
    assert rows[-1].detail["rows_before"] == 0
    assert _office(rows[-1].at) == dt.datetime(2026, 12, 7, 10, 30)  # on the backup's clock, after its rows
    assert [r.at for r in rows] == sorted(r.at for r in rows)

    real[0] += dt.timedelta(minutes=5)
    _new_process(monkeypatch)  # the app server started on the restored database
    with session_scope(engine) as s:
        security.create_user(s, "off1", "Walk-W-pass-2026!", role="officer", actor=SYSTEM)
    assert clock.local_now().replace(tzinfo=None) == dt.datetime(2026, 12, 7, 10, 35)


def test_a_backup_without_the_anchor_keeps_the_clock_the_restore_ran_on(engine, monkeypatch, real, tmp_path) -> None:
    monkeypatch.delenv(clock.CLOCK_ENV, raising=False)
    _new_process(monkeypatch)
    with session_scope(engine) as s:
        seed(s)
    bk.backup(engine, tmp_path / "plain.zip", key=KEY)  # made on the real clock: no anchor in it
    _empty(engine)
    monkeypatch.setenv(clock.CLOCK_ENV, START)
    _new_process(monkeypatch)
    bk.restore(engine, tmp_path / "plain.zip", who="admin", key=KEY)
    assert list(_anchors(engine)) == [clock_anchor.ANCHOR_KEY + START]
    with session_scope(engine) as s:
        at = s.scalar(select(AuditRow.at).where(AuditRow.action == "restore"))
    assert _office(at) == dt.datetime(2026, 12, 7, 8, 0)


def test_a_database_with_data_is_still_refused(engine, monkeypatch, real, tmp_path) -> None:
    monkeypatch.setenv(clock.CLOCK_ENV, START)
    _new_process(monkeypatch)
    with session_scope(engine) as s:
        seed(s)
    bk.backup(engine, tmp_path / "b.zip", key=KEY)
    with pytest.raises(InputError, match=r"已有 .* 行数据"):
        bk.restore(engine, tmp_path / "b.zip", who="admin", key=KEY)
