"""A re-plan of a plan running today times a team with no recorded stop today from its base at now. Where the team
is nobody recorded (not left yet, late, or visits not yet entered), so the notes say that assumption for each team
the plan had out before now, and for no team with a record today or not yet out."""

from __future__ import annotations

import dataclasses
import datetime as dt

from planner.domain import Team, Visit, hhmm
from planner.routing.history import done_parts
from planner.routing.problem import PlanOptions
from planner.routing.replan import replan_document
from planner.routing.report import plan_document

MONDAY = dt.date(2026, 12, 7)
CITY, YUNXIAO = (117.652, 24.512), (117.34, 23.96)
T1 = Team("T1", "第一检查组", *CITY, base_name="市区")
T2 = Team("T2", "第二检查组", *YUNXIAO, base_name="云霄")
VISITS = tuple(Visit(f"C{k}", CITY[0] + 0.02 * k, CITY[1] - 0.015 * k, 45, case_nos=(f"ZC{k}",), label=f"浦南镇{k}村")
               for k in range(1, 4)) + \
    tuple(Visit(f"Y{k}", YUNXIAO[0] + 0.02 * k, YUNXIAO[1] + 0.01 * k, 45, case_nos=(f"ZY{k}",), label=f"东山{k}村")
          for k in range(1, 4))


def _previous():
    doc = plan_document([dataclasses.replace(v, team_id="T1" if v.visit_id[0] == "C" else "T2", date=MONDAY)
                         for v in VISITS], [T1, T2], start_date=MONDAY, days=2, time_limit_s=1.0)
    assert {r.team_id for r in doc.plan.routes if r.date == MONDAY and r.stops} == {"T1", "T2"}
    return dataclasses.replace(doc, visits={v.visit_id: v for v in VISITS})


def _notes(previous, at: int, visited=()):
    options = PlanOptions(not_before=((MONDAY, at),), today=MONDAY)
    kept = done_parts(previous, visited)
    _new, notes = replan_document(list(previous.visits.values()), [T1, T2], start_date=MONDAY, days=2,
                                  options=options, previous=previous, kept=kept, time_limit_s=1.0)
    return [n for n in notes if "尚无走访记录" in n]


def test_a_team_out_with_nothing_recorded_is_said_to_leave_its_base_at_now() -> None:
    previous = _previous()
    first = previous.plan.route_for("T1", MONDAY).visit_ids[0]
    at = previous.plan.route_for("T2", MONDAY).depart_min + 90
    assert _notes(previous, at, visited=[first]) == [
        f"第二检查组今天尚无走访记录，按 {hhmm(at)} 从驻地出发计算；如已在外走访，请先登记再重新规划"]


def test_nothing_is_said_before_the_teams_leave() -> None:
    previous = _previous()
    at = min(r.depart_min for r in previous.plan.routes if r.date == MONDAY)
    assert _notes(previous, at) == []
