"""Walk finding M8: officer accounts assigned to a team in 用户管理 are not its member list. A sheet for a team with no
members names its active officer and leader accounts (by display name) instead of “成员：—”; 路线规划 warns when a
planned team has neither."""

from __future__ import annotations

import dataclasses
import io

from openpyxl import load_workbook
from sqlalchemy import update

from planner.field import export_plan
from planner.field.model import build_itinerary, enrich_cases
from planner.office import security
from planner.store.database import session_scope
from planner.store.models import UserRow
from planner.store.teams import team_people, teams_without_people
from tests.office import _seed


def _t2_without_members(engine, *, accounts: bool):
    _seed.seed(engine)
    doc = _seed.plan_doc()
    t2 = dataclasses.replace(doc.teams["T2"], members=())
    with session_scope(engine) as s:
        from planner.store.teams import save_team

        save_team(s, t2)  # the team's member list is empty, as on a fresh office's 第二检查组
        if accounts:
            security.create_user(s, "ganbu3", _seed.PASSWORD, role="officer", team_ids=["T2"], display_name="张丽")
            security.create_user(s, "zuzhang2", _seed.PASSWORD, role="leader", team_ids=["T2"], display_name="王强")
            security.create_user(s, "ganbu4", _seed.PASSWORD, role="officer", team_ids=["T2"], display_name="停用甲")
            s.flush()
            s.execute(update(UserRow).where(UserRow.username == "ganbu4").values(active=False))
            security.create_user(s, "xiezuo", _seed.PASSWORD, role="coordinator", display_name="协调员")
    return dataclasses.replace(doc, teams={**doc.teams, "T2": t2})


def test_sheets_name_the_team_accounts_when_it_has_no_members(engine) -> None:
    doc = _t2_without_members(engine, accounts=True)
    with session_scope(engine) as s:
        it = build_itinerary(enrich_cases(doc, s), "T2", _seed.DAY)
        data = export_plan(doc, "xlsx", team_id="T2", date=_seed.DAY, session=s)
        mine = build_itinerary(enrich_cases(doc, s), "T1", _seed.DAY)
    assert "张丽" in it.members_text() and "王强" in it.members_text()
    assert "协调员" not in it.members_text() and "停用甲" not in it.members_text()
    text = " ".join(str(c.value) for ws in load_workbook(io.BytesIO(data)).worksheets
                    for r in ws.iter_rows() for c in r if c.value is not None)
    assert "成员：张丽、王强" in text and "成员：—" not in text
    assert mine.members_text() == "林建国、陈晓华、黄志明"  # a team with members keeps them


def test_a_team_with_nobody_is_found_for_the_planning_warning(engine) -> None:
    doc = _t2_without_members(engine, accounts=False)
    with session_scope(engine) as s:
        teams = list(doc.teams.values())
        assert [t.team_id for t in teams_without_people(s, teams)] == ["T2"]
        assert set(team_people(s, teams)) == {"T1"}
        security.create_user(s, "ganbu3", _seed.PASSWORD, role="officer", team_ids=["T2"], display_name="张丽")
        assert teams_without_people(s, teams) == []


def test_the_planning_page_warns_about_a_team_with_nobody() -> None:
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "pages" / "planning.py").read_text(encoding="utf-8")
    assert "teams_without_people" in page and "没有成员，也没有分配到该组的干部或组长账号" in page
