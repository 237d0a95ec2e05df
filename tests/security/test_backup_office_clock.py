"""A backup's created_at was on the server's real clock while every other office time (its own 备份数据库 audit row,
the restore row) follows the office clock (XIAFANG_CLOCK, for training and demos): the restore row then said
“备份于” a time years away from the rows around it. It now follows the office clock too."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.office import audit, clock
from planner.office import backup as bk
from planner.office.clock import CLOCK_ENV, show_time
from planner.store.database import session_scope

from .seed import seed


@pytest.mark.parametrize("pinned", ["2026-01-05T09:00", "2031-06-01T09:00"], ids=["clock-behind", "clock-ahead"])
def test_the_backup_time_is_on_the_office_clock(engine, tmp_path, monkeypatch, pinned) -> None:
    monkeypatch.setattr(clock, "_clock_offset", None)
    monkeypatch.setenv(CLOCK_ENV, pinned)
    with session_scope(engine) as s:
        seed(s)
    info = bk.backup(engine, tmp_path / "b.zip")
    created = dt.datetime.fromisoformat(info.created_at)
    assert created.tzinfo is not None
    office = dt.datetime.fromisoformat(pinned).replace(tzinfo=clock.LOCAL_TZ)
    assert abs(created - office) < dt.timedelta(minutes=5)
    assert show_time(info.created_at).startswith(pinned.replace("T", " ")[:13])

    bk.restore(engine, tmp_path / "b.zip", replace=True, who="zhang")
    with session_scope(engine) as s:
        entry = audit.recent(s, limit=1)[0]
    assert entry["action"] == "restore"
    assert f"（备份于 {show_time(info.created_at)}）" in audit.describe(entry)
    assert show_time(info.created_at)[:13] == show_time(entry["at"])[:13]  # the restore row's own clock
