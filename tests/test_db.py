"""Storage: migrations on both backends, personal fields apart from cases, optimistic locking."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.orm.exc import StaleDataError

from planner.store.database import downgrade, make_engine, session_factory, upgrade
from planner.store.models import CaseRow, PetitionerRow


def test_upgrade_creates_schema_and_round_trips(db_url: str) -> None:
    eng = make_engine(db_url)
    downgrade(eng)
    assert not inspect(eng).has_table("cases")
    upgrade(eng)
    tables = set(inspect(eng).get_table_names())
    assert {"cases", "petitioners", "plans", "visit_outcomes", "audit_log", "users"} <= tables
    downgrade(eng)
    assert not inspect(eng).has_table("cases")
    upgrade(eng)
    assert inspect(eng).has_table("cases")
    eng.dispose()


def test_cases_table_has_no_personal_columns(engine) -> None:
    case_cols = {c["name"] for c in inspect(engine).get_columns("cases")}
    assert not case_cols & {"name", "phone", "id_number", "petitioner_name"}
    pet_cols = {c["name"] for c in inspect(engine).get_columns("petitioners")}
    assert {"name", "phone", "id_number"} <= pet_cols


def test_case_with_petitioner_persists(session) -> None:
    case = CaseRow(case_no="ZZ-2026-0001", received_date=dt.date(2026, 3, 2), deadline=dt.date(2026, 5, 1),
                   content="反映林业站收取桉树砍伐保证金", county="平和县", county_code="350628")
    case.petitioner = PetitionerRow(name="张三", phone="13812341234")
    session.add(case)
    session.commit()
    got = session.scalars(select(CaseRow).where(CaseRow.case_no == "ZZ-2026-0001")).one()
    assert got.petitioner.name == "张三"
    assert got.version == 1


def test_second_stale_save_is_refused(engine) -> None:
    factory = session_factory(engine)
    with factory() as s:
        s.add(CaseRow(case_no="A1", received_date=dt.date(2026, 1, 5), deadline=dt.date(2026, 3, 6), content="x"))
        s.commit()
    s1, s2 = factory(), factory()
    c1 = s1.scalars(select(CaseRow)).one()
    c2 = s2.scalars(select(CaseRow)).one()
    c1.status = "selected"
    s1.commit()
    c2.status = "closed"
    with pytest.raises(StaleDataError):
        s2.commit()
    s1.close()
    s2.close()
    with factory() as s:
        assert s.scalars(select(CaseRow)).one().status == "selected"


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("postgresql://walk:Sekret-77@127.0.0.1:1/test", "无法连接数据库 127.0.0.1:1/test：连接被拒绝"),
        ("postgresql://walk:Sekret-77@127.0.0.1:54x2/test", "数据库地址 DATABASE_URL 无法解析"),
        ("postgresql+nosuchdriver://walk:Sekret-77@127.0.0.1/test", "指定的驱动不可用"),
    ],
)
def test_a_database_that_cannot_be_reached_is_one_line_without_the_password(url, said, monkeypatch, capsys) -> None:
    # Walk P: `users list` printed a 100-line traceback; the README promises one line.
    from planner.cli import main

    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["users", "list"]) == 2
    err = capsys.readouterr().err
    assert said in err and "Sekret" not in err and len(err.strip().splitlines()) == 1
