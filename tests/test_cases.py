"""Case repository: domain conversion, filters, status history; team repository with optimistic locking."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain import CaseStatus, Team, TeamMember
from planner.errors import ConflictError, InputError, NotFoundError
from planner.store.cases import case_history, get_case, load_cases, set_status
from planner.store.models import CaseRow, PetitionerRow
from planner.store.teams import load_teams, save_team, team_version


@pytest.fixture()
def three_cases(session):
    rows = [
        CaseRow(case_no="C1", received_date=dt.date(2026, 1, 10), deadline=dt.date(2026, 3, 11),
                content="林业站收保证金", category="林业", status="registered",
                county="平和县", county_code="350628"),
        CaseRow(case_no="C2", received_date=dt.date(2026, 2, 1), deadline=dt.date(2026, 4, 2),
                content="低保优亲厚友", category="低保", status="resolved",
                county="漳浦县", county_code="350623"),
        CaseRow(case_no="C3", received_date=dt.date(2026, 3, 5), deadline=dt.date(2026, 5, 4),
                content="征地补偿未到位", category="征地拆迁", status="selected",
                county="平和县", county_code="350628"),
    ]
    rows[0].petitioner = PetitionerRow(name="张三", phone="13812341234")
    session.add_all(rows)
    session.commit()
    return rows


def test_load_cases_filters(session, three_cases) -> None:
    assert [c.case_no for c in load_cases(session)] == ["C1", "C2", "C3"]
    assert [c.case_no for c in load_cases(session, open_only=True)] == ["C1", "C3"]
    assert [c.case_no for c in load_cases(session, county_codes=["350628"], categories=["林业"])] == ["C1"]
    assert [c.case_no for c in load_cases(session, since=dt.date(2026, 2, 1), until=dt.date(2026, 3, 1))] == ["C2"]


def test_domain_case_carries_no_identity(session, three_cases) -> None:
    case = get_case(session, "C1")
    assert "张三" not in repr(case) and "13812341234" not in repr(case)
    assert case.location.county == "平和县"
    assert case.days_left(dt.date(2026, 3, 1)) == 10


def test_set_status_records_history(session, three_cases) -> None:
    set_status(session, "C1", CaseStatus.SELECTED, who="leader1", note="列入下访")
    session.commit()
    hist = case_history(session, "C1")
    assert [(h.who, h.detail["from"], h.detail["to"]) for h in hist] == [("leader1", "registered", "selected")]
    with pytest.raises(InputError, match="不认识的信访件状态"):
        set_status(session, "C1", "lost", who="x")
    with pytest.raises(NotFoundError, match="C9"):
        get_case(session, "C9")


def test_save_team_round_trip_and_conflict(session) -> None:
    team = Team(team_id="T9", name="测试组", base_lon=117.65, base_lat=24.51,
                members=(TeamMember("M1", "甲", skills=("forestry",)), TeamMember("M2", "乙")))
    save_team(session, team)
    session.commit()
    (got,) = load_teams(session)
    assert got == team
    v = team_version(session, "T9")
    save_team(session, team, expected_version=v)
    session.commit()
    with pytest.raises(ConflictError, match="已被他人修改"):
        save_team(session, team, expected_version=v)


def test_default_teams_sit_at_commission_offices() -> None:
    from planner.store.teams import default_teams

    teams = default_teams()
    assert [t.team_id for t in teams] == ["T1", "T2", "T3", "T4", "T5"]
    assert all(t.base_name.endswith("纪委监委") for t in teams)
    assert len({t.base_name for t in teams}) == 4  # two teams share the city office
    ids = [m.member_id for t in teams for m in t.members]
    assert len(ids) == len(set(ids))


def test_teams_csv_round_trips_through_the_planner_reader(tmp_path, session) -> None:
    from planner.routing.planio import read_teams_csv
    from planner.store.teams import ensure_default_teams, write_teams_csv

    teams = ensure_default_teams(session)
    session.commit()
    assert len(teams) == 5 and ensure_default_teams(session) == teams  # second call creates nothing
    write_teams_csv(teams, tmp_path / "teams.csv")
    back = read_teams_csv(tmp_path / "teams.csv")
    assert [t.team_id for t in back] == [t.team_id for t in teams]
    for a, b in zip(teams, back, strict=True):
        assert (a.base_lon, a.base_lat, a.shift_start_min, a.break_min) == (b.base_lon, b.base_lat,
                                                                             b.shift_start_min, b.break_min)
        assert b.all_skills() == a.all_skills()
        assert b.member_ids() == a.member_ids()


def test_set_status_refuses_a_stale_form(session, three_cases) -> None:
    from planner.store.cases import get_case_row

    seen = get_case_row(session, "C1").version
    set_status(session, "C1", "selected", who="a", expected_version=seen)
    session.commit()
    with pytest.raises(ConflictError, match="已被他人修改"):
        set_status(session, "C1", "planned", who="b", expected_version=seen)
    assert get_case(session, "C1").status == "selected"
