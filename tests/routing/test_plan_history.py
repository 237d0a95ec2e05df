"""A saved plan's life in words: who saved, issued, started, re-planned and finished it, and when."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from planner.errors import NotFoundError
from planner.routing import solve
from planner.routing.planio import PlanDocument
from planner.routing.reorder import reorder
from planner.store.lifecycle import PlanStatus, plan_history, set_plan_status
from planner.store.models import CaseHistory, CaseRow, PlanRow, UserRow
from planner.store.plans import save_plan, update_plan

CODES = ("draft", "issued", "in_progress", "done", "replanned", "created", "status", "cases_moved", "{", "lead")


def _saved(session, problem) -> tuple[int, PlanDocument]:
    session.add(CaseRow(case_no="ZZ1", received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                        status="registered"))
    session.add(UserRow(username="lead", display_name="张组长", role="leader", password_hash="x"))
    session.flush()
    visits = {v.visit_id: dataclasses.replace(v, case_nos=("ZZ1",)) if v.visit_id == "山格" else v
              for v in problem.visits}
    plan = solve(problem, time_limit_s=1)
    doc = PlanDocument(plan, visits, {t.team_id: t for t in problem.teams}, {"ZZ1": {"case_no": "ZZ1"}})
    return save_plan(session, doc, name="平和第一周", who="lead"), doc


def test_every_step_of_a_plan_is_told_in_order_in_chinese(session, pinghe_three) -> None:
    pid, doc = _saved(session, pinghe_three)
    set_plan_status(session, pid, PlanStatus.ISSUED, who="lead")
    set_plan_status(session, pid, PlanStatus.IN_PROGRESS, who="lin", note="已开始登记走访结果")
    r = doc.plan.routes[0]
    moved = reorder(pinghe_three, doc.plan, r.team_id, r.date, list(reversed(r.visit_ids))).plan
    update_plan(session, pid, dataclasses.replace(doc, plan=moved))  # a batch re-plan: 系统
    set_plan_status(session, pid, PlanStatus.DONE, who="lead")
    session.commit()

    sentences = [e.sentence() for e in plan_history(session, pid)]
    assert len(sentences) == 5, sentences
    saved, issued, started, replanned, done = sentences
    assert "张组长（lead）保存了计划「平和第一周」（草稿），1 件信访件列入走访清单（已选件）" in saved
    assert "张组长（lead）下发了计划（草稿 → 已下发），信访件随之变更：1 件改为已排程" in issued
    assert "lin开始执行计划（已下发 → 执行中）：已开始登记走访结果" in started
    # Issuing and starting made no new 版: the first re-plan is 第 1 版 → 第 2 版.
    assert f"系统重新排程（第 1 版 → 第 2 版），现为 1 条线路，{len(moved.planned_visit_ids())} 个走访点" in replanned
    assert "张组长（lead）完成了计划（执行中 → 已完成）" in done
    # The case's own 办理记录 names the team, never its code.
    team = next(t for t in pinghe_three.teams if t.team_id == r.team_id)
    notes = " ".join(str(h.detail) for h in session.scalars(select(CaseHistory)) if "已下发" in str(h.detail))
    assert team.name in notes and f" {team.team_id}" not in notes, notes
    for text in sentences:
        assert text.endswith("。") and dt.datetime.strptime(text[:17], "%Y-%m-%d %H:%M，")
        assert not any(code in text.replace("（lead）", "") for code in CODES), text


def test_a_withdrawn_plan_says_so_and_a_plan_without_history_starts_with_its_saving(session) -> None:
    row = PlanRow(name="旧计划", start_date=dt.date(2026, 12, 7), days=5, status="issued", created_by="system",
                  created_at=dt.datetime(2026, 11, 30, 1, 0))  # UTC
    session.add(row)
    session.flush()
    set_plan_status(session, row.id, PlanStatus.DRAFT, who="system", note="改期")
    session.commit()
    first, withdrawn = (e.sentence() for e in plan_history(session, row.id))
    assert first == "2026-11-30 09:00，系统保存了计划「旧计划」。"
    assert withdrawn.endswith("，系统撤回了计划（已下发 → 草稿）：改期。")
    with pytest.raises(NotFoundError, match="999"):
        plan_history(session, 999)


def test_issuing_and_finishing_a_plan_are_in_the_audit_log(session, pinghe_three) -> None:
    """Carried from walk review: 下发 and 标记完成 (teams sent to people's doors) were only in the plan's own history,
    not in 审计日志 where an administrator reviews what accounts did."""
    from planner.office.audit import describe, recent
    from planner.office.security import Actor

    pid, _doc = _saved(session, pinghe_three)
    lead = Actor(username="lead", role="leader", team_ids=tuple(t.team_id for t in pinghe_three.teams))
    set_plan_status(session, pid, PlanStatus.ISSUED, who="lead", actor=lead)
    set_plan_status(session, pid, PlanStatus.DRAFT, who="lead", actor=lead)
    entries = recent(session, action="plan_status")
    assert [(e["username"], e["detail"]["to"]) for e in reversed(entries)] == [("lead", "issued"), ("lead", "draft")]
    texts = [describe(e) for e in reversed(entries)]
    assert f"下发了计划 #{pid}「平和第一周」（草稿 → 已下发）" in texts[0]
    assert f"撤回了计划 #{pid}「平和第一周」（已下发 → 草稿）" in texts[1]
