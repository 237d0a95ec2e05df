"""Walk W29 (检查组, admin): 平和组 went out with its accounts only (officer 黄干部, leader 林组长 in 用户管理);
adding one named member (陈明) made the two accounts silently stop being the team's people — the save warned that the
issued plan's 行程单 still listed them, 回避 no longer checked them — while the audit row said only 加入 陈明. The
accounts on a team stay its people beside its named members. And an 08:24 export's audit row read 平和组, the name
given at 08:25: a row names a team as it was called when the row was written."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from planner.domain import Team, TeamMember, Visit
from planner.field.model import enrich_cases
from planner.office import audit
from planner.office.security import Actor, create_user
from planner.office.teams import edit_team, taken_out_warnings
from planner.routing.planio import plan_to_json
from planner.routing.report import plan_document
from planner.selection.ranking import build_visits
from planner.store.cases import load_cases
from planner.store.database import session_scope
from planner.store.models import PlanRow
from planner.store.teams import load_teams, save_team, team_records, with_people
from tests.app._ui_data import add_case

ADMIN = Actor("adm", "admin", display_name="王管理")
TODAY, D8 = dt.date(2026, 12, 7), dt.date(2026, 12, 8)
BASE = (117.313, 24.363)
PASSWORD = "Xf-W29-team-2026!"


def _team(session) -> None:
    save_team(session, Team("T1", "第一检查组", *BASE, base_name="平和县纪委监委"))
    create_user(session, "huang", PASSWORD, role="officer", team_ids=("T1",), display_name="黄干部")
    create_user(session, "lin", PASSWORD, role="leader", team_ids=("T1",), display_name="林组长")
    session.flush()


def _add_member(session, *names: str) -> None:
    record = team_records(session, team_ids=("T1",))[0]
    added = tuple(TeamMember("", n) for n in names)
    edit_team(session, dataclasses.replace(record.team, members=record.team.members + added), actor=ADMIN,
              expected_version=record.version, today=TODAY)
    session.flush()


def test_adding_a_named_member_keeps_the_accounts_as_the_teams_people(session) -> None:
    _team(session)
    _add_member(session, "陈明")
    t1 = with_people(session, load_teams(session))[0]
    assert [m.name for m in t1.members] == ["陈明", "黄干部", "林组长"]
    # A person named both as a member and by an account is one person, not two.
    _add_member(session, "黄干部")
    t1 = with_people(session, load_teams(session))[0]
    assert sorted(m.name for m in t1.members) == sorted(["陈明", "黄干部", "林组长"])
    assert [m.member_id for m in t1.members if m.name == "黄干部"] != ["account:黄干部"]


def test_a_letter_naming_the_officer_still_keeps_the_team_away(engine) -> None:
    with session_scope(engine) as s:
        _team(s)
        _add_member(s, "陈明")
    add_case(engine, "PH-29", content="反映山格镇黄干部在低保评定中优亲厚友", deadline=TODAY + dt.timedelta(days=20))
    with session_scope(engine) as s:
        teams = with_people(s, load_teams(s))
        cases = load_cases(s)
    build = build_visits(cases, today=TODAY, teams=teams)
    excluded = {c: set(v.excluded_members) for v in build.visits for c in v.case_nos}
    assert "account:黄干部" in excluded["PH-29"]


@pytest.fixture()
def issued(session):
    """Plan #1, issued: 第一检查组 out on 12-08 with its accounts as its people (as 路线规划 saves it)."""
    _team(session)
    team = with_people(session, load_teams(session))[0]
    visits = (Visit("V1", BASE[0] + 0.01, BASE[1], 30, case_nos=("ZZ1",), label="山格镇一村", team_id="T1", date=D8),)
    doc = plan_document(list(visits), [team], start_date=D8, days=1, time_limit_s=1.0)
    row = PlanRow(name="平和线", start_date=D8, days=1, status="issued", created_by="lin",
                  result=plan_to_json(doc.plan, visits=visits, teams=[team]))
    session.add(row)
    session.flush()
    return session, row.id


def test_the_save_does_not_say_the_accounts_left_and_the_sheets_keep_them(issued) -> None:
    session, pid = issued
    _add_member(session, "陈明")
    assert taken_out_warnings(session, ["T1"], today=TODAY) == []
    doc = enrich_cases(session.get(PlanRow, pid).result, session)
    assert [m.name for m in doc.teams["T1"].members] == ["陈明", "黄干部", "林组长"]


def test_an_audit_row_names_the_team_as_it_was_then(session) -> None:
    _team(session)
    audit.record(session, ADMIN, "export", detail={"what": "itinerary", "format": "pdf", "team": "T1",
                                                   "day": "2026-12-08"})
    old = audit.record(session, ADMIN, "export", detail={"what": "itinerary", "format": "pdf", "team": "T1"})
    old.detail = {k: v for k, v in old.detail.items() if k != "team_names_then"}  # written before names were kept
    session.flush()
    record = team_records(session, team_ids=("T1",))[0]
    edit_team(session, dataclasses.replace(record.team, name="平和组"), actor=ADMIN, expected_version=record.version,
              today=TODAY)
    session.flush()
    rows = audit.recent(session, limit=10)
    texts = [audit.describe(r, team_names={"T1": "平和组"}) for r in rows]
    export_new = next(t for t in texts if "2026-12-08" in t)
    assert "PDF 行程单，第一检查组，2026-12-08" in export_new and "平和组" not in export_new
    assert any("PDF 行程单，平和组" in t for t in texts)  # an older row: as called now
    assert any("组名 第一检查组 → 平和组" in t and "「平和组」" in t for t in texts)
