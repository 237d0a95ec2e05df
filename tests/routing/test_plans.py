"""Saved plans in the database: round trip, case index, list, update, missing id."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from planner.errors import NotFoundError
from planner.routing import solve
from planner.routing.planio import PlanDocument
from planner.routing.reorder import reorder
from planner.store.models import CaseRow, PlanCase
from planner.store.plans import list_plans, load_plan, save_plan, update_plan


def test_save_load_list_update(session, pinghe_three):
    session.add(CaseRow(case_no="ZZ1", received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31)))
    session.flush()
    visits = [dataclasses.replace(v, case_nos=("ZZ1", "外部件")) if v.visit_id == "山格" else v
              for v in pinghe_three.visits]
    plan = solve(pinghe_three, time_limit_s=1)
    doc = PlanDocument(plan, {v.visit_id: v for v in visits}, {t.team_id: t for t in pinghe_three.teams},
                       {"ZZ1": {"case_no": "ZZ1", "summary": "保证金"}})
    pid = save_plan(session, doc, name="平和第一周", who="tester")
    session.commit()
    again = load_plan(session, pid)
    assert again.plan == plan and again.cases["ZZ1"]["summary"] == "保证金"
    (pc,) = session.execute(select(PlanCase)).scalars()
    assert (pc.visit_id, pc.team_id, pc.visit_date) == ("山格", "A", plan.routes[0].date)
    (info,) = list_plans(session)
    assert (info.plan_id, info.name, info.visits) == (pid, "平和第一周", 3)
    r = plan.routes[0]
    moved = reorder(pinghe_three, plan, r.team_id, r.date, list(reversed(r.visit_ids))).plan
    update_plan(session, pid, dataclasses.replace(doc, plan=moved))
    session.commit()
    assert load_plan(session, pid).plan.routes[0].visit_ids == tuple(reversed(r.visit_ids))
    with pytest.raises(NotFoundError, match="999"):
        load_plan(session, 999)
