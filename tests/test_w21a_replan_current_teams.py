"""Walk W21: the coordinator re-imported teams.csv with 12-09 taken out of 第一检查组's 可出行日期 while issued plan #1
sent it out that day; the import said nothing, and 重新规划其余走访点 planned with the plan's saved copy of the team,
so the new version still had stops on 12-09. A re-plan now uses the team as it is (the plan's locked and recorded
days kept), says before what changed, and a stop left out names the day taken out; the import and the 检查组 page
name the issued plan and the day (or the member) they took out."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from planner.domain import Team, TeamMember, Visit
from planner.office.security import Actor
from planner.office.teams import edit_team, import_teams, taken_out_warnings
from planner.routing.planio import plan_from_json, plan_to_json
from planner.routing.problem import PlanOptions
from planner.routing.replan import replan_document
from planner.routing.report import plan_document
from planner.store.models import PlanRow
from planner.store.plan_teams import day_out_reasons, plan_teams, replan_said
from planner.store.teams import save_team, team_records

COORD = Actor("coord", "coordinator", display_name="陈协调")
TODAY, D8, D9, D10, D11 = (dt.date(2026, 12, d) for d in (7, 8, 9, 10, 11))
CITY = (117.652, 24.512)
T1 = Team("T1", "第一检查组", *CITY, base_name="市区", available_dates=(D8, D9, D10),
          members=(TeamMember("m1", "林一"), TeamMember("m2", "王二")))
VISITS = tuple(Visit(f"V{k}", CITY[0] + 0.01 * k, CITY[1] - 0.01 * k, 30, case_nos=(f"ZZ{k}",), label=f"浦南镇{k}村")
               for k in range(1, 7))


@pytest.fixture()
def issued(session):
    """Plan #1 as issued: T1 out on 12-08 (2 stops), 12-09 (3 stops) and 12-10 (1 stop)."""
    save_team(session, T1)
    days = {"V1": D8, "V2": D8, "V3": D9, "V4": D9, "V5": D9, "V6": D10}
    doc = plan_document([dataclasses.replace(v, team_id="T1", date=days[v.visit_id]) for v in VISITS], [T1],
                        start_date=D8, days=3, time_limit_s=1.0)
    assert {s.visit_id for r in doc.plan.routes if r.date == D9 for s in r.stops} == {"V3", "V4", "V5"}
    row = PlanRow(name="东山线", start_date=D8, days=3, status="issued", created_by="lead1",
                  result=plan_to_json(doc.plan, visits=VISITS, teams=[T1]))
    session.add(row)
    session.flush()
    return session, row.id


def _reimport(session, **changes) -> None:
    import_teams(session, [dataclasses.replace(T1, **changes)], actor=COORD)
    session.flush()


def test_the_import_names_the_issued_plan_and_the_day_it_took_out(issued) -> None:
    session, pid = issued
    _reimport(session, available_dates=(D8, D10, D11))
    said = taken_out_warnings(session, ["T1"], today=TODAY)
    assert len(said) == 1 and f"已下发的计划 #{pid}「东山线」：在 12-09（3 个走访点）派第一检查组出行" in said[0]
    assert "可出行日期已不含 12-09" in said[0] and f"打开计划 #{pid}" in said[0]
    # A day gone, or a day still held, says nothing.
    assert taken_out_warnings(session, ["T1"], today=D10) == []
    _reimport(session, available_dates=())
    assert taken_out_warnings(session, ["T1"], today=TODAY) == []


def test_the_team_page_names_a_member_the_plan_still_lists(issued) -> None:
    session, pid = issued
    record = team_records(session, team_ids=("T1",))[0]
    edit_team(session, dataclasses.replace(record.team, members=record.team.members[:1]), actor=COORD,
              expected_version=record.version, today=TODAY)
    said = taken_out_warnings(session, ["T1"], today=TODAY)
    assert len(said) == 1 and f"计划 #{pid}「东山线」：行程单仍把 王二 列为第一检查组成员" in said[0]


def test_a_replan_uses_the_team_as_it_is_now(issued) -> None:
    session, pid = issued
    _reimport(session, available_dates=(D8, D10, D11), max_visits_per_day=2)
    doc = plan_from_json(session.get(PlanRow, pid).result)
    found = plan_teams(session, doc, today=TODAY)
    assert found.said() == ("检查组自本计划制定后有改动，重新规划将按检查组现在的设置：第一检查组的可出行日期已改为 "
                            "12-08、12-10、12-11（原 12-08、12-09、12-10），12-09 的 3 个走访点将重新安排；"
                            "每日最多走访点已改为 2。")
    assert [t.available_dates for t in found.teams] == [(D8, D10, D11)]
    new, _notes = replan_document(list(VISITS), list(found.teams), start_date=D8, days=3, previous=doc,
                                  options=PlanOptions(today=TODAY), time_limit_s=1.0)
    new = day_out_reasons(new, doc, found)
    assert not [r for r in new.plan.routes if r.date == D9 and r.stops]
    assert new.teams["T1"].available_dates == (D8, D10, D11)  # saved with the plan's new version
    # 12-08 and 12-10 take 2 each: two stops are left out; one that stood on 12-09 says that day is taken out.
    left = {u.visit_id: u.reason for u in new.plan.unassigned}
    assert len(left) == 2 and set(left) & {"V3", "V4", "V5"}
    for vid, reason in left.items():
        said = reason.startswith("原排在第一检查组 12-09：检查组不再在 12-09 出行（可出行日期已改）；")
        assert said == (vid in {"V3", "V4", "V5"}), reason
    assert replan_said(found) == ["按检查组现在的设置重新规划：" + found.changes[0].replace("将重新安排", "已重新安排")]


def test_a_locked_or_recorded_stop_keeps_its_day(issued) -> None:
    session, pid = issued
    _reimport(session, available_dates=(D8, D10, D11))
    doc = plan_from_json(session.get(PlanRow, pid).result)
    found = plan_teams(session, doc, today=TODAY, fixed={"V4"})
    assert found.teams[0].available_dates == (D8, D9, D10, D11) and found.days_out == {}
    assert "可出行日期已改为 12-08、12-10、12-11" in found.said() and "将重新安排" not in found.said()


def test_an_unchanged_team_says_nothing(issued) -> None:
    session, pid = issued
    found = plan_teams(session, plan_from_json(session.get(PlanRow, pid).result), today=TODAY)
    assert found.said() == "" and found.teams[0].available_dates == (D8, D9, D10)
