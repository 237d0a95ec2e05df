"""A re-plan of a running plan keeps each team's unvisited stops of today on that team today (walk S: at 08:20
team 2's day became four other places and team 1's next stop went to team 2 at 08:51): they may be re-ordered and
re-timed from now, later days change freely, and a stop leaves its team's today only when the team cannot take it,
which the re-plan says. A saved version that changes a team's route tells that team's officers, and no other team.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from planner.domain import Team, Visit
from planner.routing.history import done_parts, replan_notes, route_changes
from planner.routing.problem import PlanOptions
from planner.routing.report import plan_document
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.models import CaseRow
from planner.store.plans import open_plan, resave_plan, route_notices, save_plan
from planner.store.teams import save_team

MONDAY = dt.date(2026, 12, 7)
TUESDAY = MONDAY + dt.timedelta(days=1)
#: 漳州市区 and 云霄: about 70 km apart.
CITY, YUNXIAO = (117.652, 24.512), (117.34, 23.96)
T1 = Team("T1", "第一检查组", *CITY, base_name="市区")
T2 = Team("T2", "第二检查组", *YUNXIAO, base_name="云霄")
NEAR_CITY = tuple(Visit(f"C{k}", CITY[0] + 0.02 * k, CITY[1] - 0.015 * k, 45, case_nos=(f"ZC{k}",),
                        label=f"浦南镇{k}村") for k in range(1, 4))
NEAR_YUNXIAO = tuple(Visit(f"Y{k}", YUNXIAO[0] + 0.02 * k, YUNXIAO[1] + 0.01 * k, 45, case_nos=(f"ZY{k}",),
                           label=f"东山{k}村") for k in range(1, 4))
LATER = tuple(Visit(f"L{k}", CITY[0] - 0.03 * k, CITY[1] + 0.01 * k, 45, case_nos=(f"ZL{k}",), label=f"丰山{k}村")
              for k in range(1, 3))


def _previous() -> object:
    """The plan as issued: team 1 goes to the places near 云霄 today, team 2 to those near the city (the office
    pinned them so; a fresh plan would swap them), and the L stops wait for a later day."""
    pinned = [dataclasses.replace(v, team_id="T1", date=MONDAY) for v in NEAR_YUNXIAO] + \
        [dataclasses.replace(v, team_id="T2", date=MONDAY) for v in NEAR_CITY] + \
        [dataclasses.replace(v, earliest_date=TUESDAY) for v in LATER]
    doc = plan_document(pinned, [T1, T2], start_date=MONDAY, days=3, time_limit_s=1.0)
    assert not doc.plan.unassigned, doc.plan.unassigned
    assert set(doc.plan.route_for("T1", MONDAY).visit_ids) == {v.visit_id for v in NEAR_YUNXIAO}
    # The pins were the office's reasons of the day; the visits to plan again carry none.
    return dataclasses.replace(doc, visits={**doc.visits, **{v.visit_id: v for v in (*NEAR_CITY, *NEAR_YUNXIAO)}})


def _today(doc, team: str) -> list[str]:
    r = doc.plan.route_for(team, MONDAY)
    return list(r.visit_ids) if r is not None else []


def _replan(previous, at: dt.time, visited=()):
    options = PlanOptions(not_before=((MONDAY, at.hour * 60 + at.minute),), today=MONDAY)
    kept = done_parts(previous, visited)
    new = plan_document(list(previous.visits.values()), [T1, T2], start_date=MONDAY, days=3, time_limit_s=1.0,
                        previous=previous, locked=visited, kept=kept, options=options)
    return new, replan_notes(new, {}, previous=previous, locked=visited, options=options, kept=kept)


def test_a_replan_at_0820_keeps_each_teams_stops_of_today_on_that_team_today() -> None:
    previous = _previous()
    first = _today(previous, "T1")[0]
    new, notes = _replan(previous, dt.time(8, 20), visited=[first])
    assert set(_today(new, "T1")) >= set(_today(previous, "T1")), (_today(previous, "T1"), _today(new, "T1"))
    assert set(_today(new, "T2")) >= set(_today(previous, "T2")), (_today(previous, "T2"), _today(new, "T2"))
    assert _today(new, "T1")[0] == first
    visited = new.plan.route_for("T1", MONDAY).stops[0]
    assert visited == previous.plan.route_for("T1", MONDAY).stops[0]  # the visited stop as it was
    for r in new.plan.routes:  # nothing before now
        assert r.date >= MONDAY
        for s in r.stops:
            if s.visit_id != first and r.date == MONDAY:
                assert s.arrive_min >= 8 * 60 + 20, (s, r.team_id)
    assert {v.visit_id for v in LATER} <= new.plan.planned_visit_ids()
    assert not notes, notes
    assert not new.visits["C1"].team_id and new.visits["C1"].date is None  # the document keeps no solver pin


def test_a_stop_its_team_cannot_take_today_moves_and_the_replan_says_where() -> None:
    """Re-planned at 16:30: team 2 has an hour left, not three stops 70 km from 云霄; what it cannot take goes
    elsewhere (another day, or left out with a reason) and each such stop is named."""
    previous = _previous()
    new, notes = _replan(previous, dt.time(16, 30))
    moved = [v for v in _today(previous, "T2") if v not in _today(new, "T2")]
    assert moved
    for vid in moved:
        (note,) = [n for n in notes if n.startswith(f"{vid} ")]
        assert "原在第二检查组今天（12-07）的线路上，该组今天排不下" in note
    left = {u.visit_id: u.reason for u in new.plan.unassigned}
    assert all(left[v].strip() for v in moved if v in left)
    assert len(notes) == len([v for v in (*_today(previous, "T1"), *_today(previous, "T2"))
                              if (v in _today(previous, "T1") and v not in _today(new, "T1"))
                              or (v in _today(previous, "T2") and v not in _today(new, "T2"))])


def test_route_changes_name_places_only_per_team_day() -> None:
    previous = _previous()
    (y1, *_rest) = _today(previous, "T1")
    r1 = previous.plan.route_for("T1", MONDAY)
    r1_new = dataclasses.replace(r1, stops=tuple(s for s in r1.stops if s.visit_id != y1))
    new = dataclasses.replace(previous, plan=dataclasses.replace(
        previous.plan, routes=tuple(r1_new if r is r1 else r for r in previous.plan.routes)))
    changes = route_changes(previous, new, since=MONDAY)
    assert changes == [{"team": "T1", "date": "2026-12-07", "added": [], "removed": [[y1, previous.visits[y1].label,
                                                                                      "", ""]], "reordered": False}]


@pytest.fixture()
def running(session):
    """The plan of :func:`_previous` saved and issued, its cases registered."""
    for t in (T1, T2):
        save_team(session, t)
    for v in (*NEAR_CITY, *NEAR_YUNXIAO, *LATER):
        session.add(CaseRow(case_no=v.case_nos[0], received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                            status="registered"))
    session.flush()
    doc = _previous()
    pid = save_plan(session, doc, name="一二组", who="coord")
    set_plan_status(session, pid, PlanStatus.ISSUED, who="coord")
    return pid, doc


def test_a_saved_version_that_changes_team_1s_today_tells_team_1_only(session, running, monkeypatch) -> None:
    monkeypatch.setenv("XIAFANG_CLOCK", "2026-12-07T08:20")
    pid, doc = running
    opened = open_plan(session, pid)
    y_first, *_ = _today(doc, "T1")
    # Team 1's first stop goes to team 2 tomorrow, team 2's first stop comes to team 1 today.
    r1, r2 = doc.plan.route_for("T1", MONDAY), doc.plan.route_for("T2", MONDAY)
    c_first = r2.stops[0]
    routes = []
    for r in doc.plan.routes:
        if r is r1:
            r = dataclasses.replace(r, stops=(*r.stops[1:], dataclasses.replace(c_first, arrive_min=16 * 60,
                                                                                start_min=16 * 60,
                                                                                end_min=16 * 60 + 45)))
        elif r is r2:
            r = dataclasses.replace(r, stops=r.stops[1:])
        routes.append(r)
    routes.append(dataclasses.replace(r1, team_id="T2", date=TUESDAY, stops=(r1.stops[0],)))
    new = dataclasses.replace(doc, plan=dataclasses.replace(doc.plan, routes=tuple(routes)))
    resave_plan(session, pid, new, who="coord", expected_version=opened.version)
    one = route_notices(session, pid, "T1", {MONDAY}, MONDAY)
    assert len(one) == 1, one
    text = one[0]
    assert re.match(r"计划已于 12-07 08:2\d 调整（第 2 版）：本组今天新增 ", text), text  # the clock runs on
    assert f"{c_first.visit_id} {doc.visits[c_first.visit_id].label}" in text
    assert f"移出 {y_first} {doc.visits[y_first].label}（改由第二检查组 12-08 走访）" in text
    assert "ZC" not in text and "ZY" not in text  # places and stop numbers, not the letters
    two = route_notices(session, pid, "T2", {MONDAY}, MONDAY)
    assert len(two) == 1 and "本组今天移出 " in two[0] and "（改由第一检查组 12-07 走访）" in two[0]
    assert re.match(r"计划已于 12-07 08:2\d 调整（第 2 版）：本组 12-08 新增",
                    route_notices(session, pid, "T2", {TUESDAY}, MONDAY)[0])
    assert route_notices(session, pid, "T1", {TUESDAY}, MONDAY) == []  # nothing changed of team 1's Tuesday


def test_a_version_that_changes_only_team_1_says_nothing_to_team_2(session, running, monkeypatch) -> None:
    monkeypatch.setenv("XIAFANG_CLOCK", "2026-12-07T08:20")
    pid, doc = running
    opened = open_plan(session, pid)
    r1 = doc.plan.route_for("T1", MONDAY)
    new = dataclasses.replace(doc, plan=dataclasses.replace(doc.plan, routes=tuple(
        dataclasses.replace(r, stops=tuple(reversed(r.stops))) if r is r1 else r for r in doc.plan.routes)))
    resave_plan(session, pid, new, who="coord", expected_version=opened.version)
    assert route_notices(session, pid, "T2", {MONDAY, TUESDAY}, MONDAY) == []
    (one,) = route_notices(session, pid, "T1", {MONDAY}, MONDAY)
    assert one.endswith("本组今天的走访点不变，先后顺序有变动。请按下面的行程走访。")
