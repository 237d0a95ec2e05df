"""Two users editing the same record: the second save is refused, never silently overwrites (0 lost updates)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from planner.errors import ConflictError
from planner.store.database import session_factory, session_scope
from planner.store.models import CaseRow, PlanRow, SettingRow, TeamRow

from .seed import seed

# (model, key of the seeded row, attribute to edit, first value, second value)
EDITS = [
    (CaseRow, ("case_no", "ZZ2026-0101"), "status", "selected", "closed"),
    (PlanRow, ("name", "第二稿"), "status", "approved", "done"),
    (TeamRow, ("id", "T1"), "name", "甲组", "乙组"),
    (SettingRow, ("key", "travel"), "value", {"circuity": 1.3}, {"circuity": 1.5}),
]


@pytest.fixture()
def seeded(engine):
    with session_scope(engine) as s:
        seed(s)
    return engine


@pytest.mark.parametrize(("model", "key", "attr", "first", "second"), EDITS, ids=lambda v: getattr(v, "__name__", None))
def test_interleaved_sessions_second_save_refused(seeded, model, key, attr, first, second) -> None:
    make = session_factory(seeded)
    a, b = make(), make()
    try:
        stmt = select(model).where(getattr(model, key[0]) == key[1])
        row_a, row_b = a.scalars(stmt).one(), b.scalars(stmt).one()  # both read version 1
        setattr(row_a, attr, first)
        a.commit()
        setattr(row_b, attr, second)
        with pytest.raises(StaleDataError):
            b.commit()
        b.rollback()
    finally:
        a.close()
        b.close()
    with session_scope(seeded) as s:
        row = s.scalars(select(model).where(getattr(model, key[0]) == key[1])).one()
        assert getattr(row, attr) == first and row.version == 2  # the first save stands, nothing lost


def test_team_form_saved_after_someone_else_is_refused(seeded) -> None:
    from planner.store.teams import load_teams, save_team, team_version

    with session_scope(seeded) as s:
        team = load_teams(s, team_ids=("T1",))[0]
        version = team_version(s, "T1")
    with session_scope(seeded) as s:  # user A saves first
        save_team(s, team.__class__(**{**_fields(team), "name": "甲组"}), expected_version=version)
    with session_scope(seeded) as s, pytest.raises(ConflictError, match="已被他人修改"):
        save_team(s, team.__class__(**{**_fields(team), "name": "乙组"}), expected_version=version)
    with session_scope(seeded) as s:
        assert s.get(TeamRow, "T1").name == "甲组"


def test_case_deadline_edit_after_someone_else_is_refused(seeded) -> None:
    from planner.followup.deadlines import extend_deadline

    with session_scope(seeded) as s:
        version = s.scalars(select(CaseRow.version).where(CaseRow.case_no == "ZZ2026-0102")).one()
        s.execute(
            CaseRow.__table__.update()
            .where(CaseRow.case_no == "ZZ2026-0102")
            .values(title="别人改过", version=version + 1)
        )
    with session_scope(seeded) as s, pytest.raises(ConflictError, match=r"已被他人修改.*请刷新"):
        extend_deadline(s, "ZZ2026-0102", 30, who="lin", reason="需调取档案", expected_version=version)
    with session_scope(seeded) as s:
        assert s.scalars(select(CaseRow.extension_days).where(CaseRow.case_no == "ZZ2026-0102")).one() == 0


def _fields(obj) -> dict:
    return {name: getattr(obj, name) for name in obj.__dataclass_fields__}


def counter_race(engine, *, threads: int = 2, increments: int = 10) -> tuple[int, int, int]:
    """Threads increment one case's ``people_affected`` by read-modify-write, retrying on a refused save.

    Returns (expected total, stored total, refused saves). Lost updates = expected - stored.
    """
    make = session_factory(engine)
    refused = [0]
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def work() -> None:
        barrier.wait()
        for _ in range(increments):
            while True:
                s = make()
                try:
                    row = s.scalars(select(CaseRow).where(CaseRow.case_no == "ZZ2026-0103")).one()
                    row.people_affected = (row.people_affected or 0) + 1
                    s.commit()
                    break
                except StaleDataError:
                    s.rollback()
                    with lock:
                        refused[0] += 1
                except Exception as exc:  # SQLite "database is locked" / PG serialization: retry too
                    s.rollback()
                    if "locked" not in str(exc) and "serializ" not in str(exc).lower():
                        raise
                finally:
                    s.close()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    with session_scope(engine) as s:
        stored = s.scalars(select(CaseRow.people_affected).where(CaseRow.case_no == "ZZ2026-0103")).one()
    return threads * increments, stored, refused[0]


def test_no_lost_updates_under_contention(seeded) -> None:
    expected, stored, _refused = counter_race(seeded, threads=3, increments=10)
    assert stored == expected


def test_version_increments_each_save(seeded) -> None:
    with session_scope(seeded) as s:
        row = s.scalars(select(CaseRow).where(CaseRow.case_no == "ZZ2026-0104")).one()
        row.title = "一"
        s.flush()
        row.received_date = dt.date(2026, 10, 1)
    with session_scope(seeded) as s:
        assert s.scalars(select(CaseRow.version).where(CaseRow.case_no == "ZZ2026-0104")).one() == 3
