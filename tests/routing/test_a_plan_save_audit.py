"""审计日志 of plan saves: a new plan, another version of a saved plan and 下发 each leave a row naming the plan, its
teams and how many stops and letters it routes (the exact detail: no case numbers, nothing of the petitioners)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from planner.domain import Team, Visit
from planner.office import audit
from planner.office.security import Actor
from planner.routing.report import plan_document
from planner.store.lifecycle import PlanStatus, plan_status, set_plan_status
from planner.store.models import CaseRow
from planner.store.plans import resave_plan, save_plan
from planner.store.teams import save_team

MONDAY = dt.date(2026, 12, 7)
T1 = Team("T1", "第一检查组", 117.313, 24.363)
LEADER = Actor("zuzhang1", "leader", team_ids=("T1",), display_name="林组长")
VISITS = (
    Visit("V1", 117.43, 24.37, 60, label="山格镇隆庆村", case_nos=("ZZ1", "ZZ2")),
    Visit("V2", 117.375, 24.325, 45, label="文峰镇三坪村", case_nos=("ZZ3",)),
)


def _rows(session, action: str) -> list[dict]:
    return audit.recent(session, action=action)


def test_saving_resaving_and_issuing_a_plan_are_in_the_audit_log(session) -> None:
    save_team(session, T1)
    for no in ("ZZ1", "ZZ2", "ZZ3"):
        session.add(CaseRow(case_no=no, received_date=MONDAY, deadline=MONDAY + dt.timedelta(days=60)))
    session.flush()
    doc = plan_document(list(VISITS), [T1], start_date=MONDAY, days=1, time_limit_s=1.0)
    stops = sum(len(r.stops) for r in doc.plan.routes)
    assert stops == 2
    pid = save_plan(session, doc, name="一组方案", who="zuzhang1", actor=LEADER)
    (saved,) = _rows(session, "plan_save")
    assert saved["username"] == "zuzhang1" and saved["case_nos"] == []
    assert saved["detail"] == {"plan": pid, "plan_name": "一组方案", "teams": ["T1"], "stops": 2, "cases": 3,
                              "listed": 3, "team_names_then": {"T1": "第一检查组"}}
    text = audit.describe(saved, names={"zuzhang1": "林组长"}, team_names={"T1": "第一检查组"})
    assert f"林组长（zuzhang1）保存了新计划 #{pid}「一组方案」（第一检查组，2 个走访点，3 件，草稿）" in text

    fewer = dataclasses.replace(doc, plan=dataclasses.replace(doc.plan, routes=tuple(
        dataclasses.replace(r, stops=r.stops[:1]) for r in doc.plan.routes)))
    _, version = plan_status(session, pid)
    resave_plan(session, pid, fewer, who="zuzhang1", expected_version=version, actor=LEADER)
    (resaved,) = _rows(session, "plan_resave")
    routed = len(fewer.visits[fewer.plan.routes[0].stops[0].visit_id].case_nos)
    assert resaved["detail"] == {"plan": pid, "plan_name": "一组方案", "teams": ["T1"], "stops": 1, "cases": routed,
                                 "listed": 3, "revision": 2, "status": "draft",
                                 "team_names_then": {"T1": "第一检查组"}}
    # The letter left off every day is still listed (已选件): said beside those routed (walk W20).
    assert (f"保存了计划 #{pid}「一组方案」的第 2 版（第一检查组，3 件列入走访清单，其中 {routed} 件已排入 1 个走访点，"
            f"{3 - routed} 件未安排，草稿）") in audit.describe(resaved, team_names={"T1": "第一检查组"})

    _, version = plan_status(session, pid)
    set_plan_status(session, pid, PlanStatus.ISSUED, who="zuzhang1", expected_version=version, actor=LEADER)
    (issued,) = _rows(session, "plan_status")
    assert issued["detail"]["plan"] == pid and issued["detail"]["to"] == "issued"
    assert f"下发了计划 #{pid}「一组方案」" in audit.describe(issued)

    labels = {row["操作"] for row in audit.log_table([saved, resaved, issued])}
    assert labels == {"保存计划", "保存计划新版本", "计划状态变更"}
