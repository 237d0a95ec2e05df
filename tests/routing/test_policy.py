"""Plan policies move the KPIs they promise: 集中出行 fewer team-days, 均衡 spread, 最少里程 the least km."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.errors import InputError
from planner.routing import PlanOptions, build_problem, solve
from planner.routing.planio import PlanDocument
from planner.routing.report import kpis
from tests.routing.conftest import CITY_BASE, MONDAY, PLAIN, check_plan, team, visit


def _kpis(problem, plan):
    doc = PlanDocument(plan, {v.visit_id: v for v in problem.visits}, {t.team_id: t for t in problem.teams}, {})
    return kpis(doc)


def _solve_all(visits, teams, days, limit):
    out = {}
    for policy in ("compact", "balanced", "distance"):
        problem = build_problem(visits, teams, start_date=MONDAY, days=days, travel=PLAIN,
                                options=PlanOptions(policy=policy))
        plan = solve(problem, time_limit_s=limit, seed=0)
        check_plan(problem, plan)
        out[policy] = (plan, _kpis(problem, plan))
    return out


def test_policy_kpi_directions_on_a_pinghe_week():
    # Twelve one-hour visits around 平和 for two teams over three days: two full days do it.
    pts = [(117.43, 24.37), (117.375, 24.325), (117.27, 24.45), (117.25, 24.28), (117.33, 24.40), (117.40, 24.30),
           (117.29, 24.33), (117.45, 24.42), (117.35, 24.46), (117.31, 24.25), (117.38, 24.39), (117.30, 24.42)]
    visits = [visit(f"V{i}", lon, lat, 60, priority=1 + i % 5) for i, (lon, lat) in enumerate(pts)]
    teams = [team("A"), team("B", base=(117.36, 24.34))]
    res = _solve_all(visits, teams, 3, 2)
    for plan, k in res.values():
        assert k["visits"] == 12 and not plan.unassigned
    compact, balanced, distance = (res[p][1] for p in ("compact", "balanced", "distance"))
    assert compact["team_days"] < balanced["team_days"]
    assert compact["visits_per_day"] > balanced["visits_per_day"]
    assert compact["idle_h"] < balanced["idle_h"]
    assert distance["km"] <= min(compact["km"], balanced["km"])
    # 集中出行 fills the first days: no team-day is used after a day that some team left unused.
    used_dates = sorted({r.date for r in res["compact"][0].routes})
    dates = [MONDAY + dt.timedelta(days=d) for d in range(3)]
    assert used_dates == dates[:len(used_dates)]


def test_kpis_count_team_days_visits_per_day_and_idle_hours():
    problem = build_problem([visit("A1", 117.33, 24.37, 120)], [team("A")], start_date=MONDAY, days=1, travel=PLAIN)
    plan = solve(problem, time_limit_s=1, seed=0)
    k = _kpis(problem, plan)
    (r,) = plan.routes
    assert k["team_days"] == 1 and k["visits_per_day"] == 1.0
    # Shift 08:30-17:30 less a 90-minute break is 7.5 hours; 2 hours at the visit and the drive are not idle.
    assert k["idle_h"] == round((7.5 * 60 - 120 - r.travel_s / 60) / 60, 1)


def test_unknown_policy_is_refused():
    with pytest.raises(InputError, match="规划方式"):
        PlanOptions(policy="fast")


@pytest.fixture(scope="module")
def demo_top40():
    """The demo register (planner/intake/demo.py) as the app loads it, ranked on 2026-12-02, top 40 -> visits."""
    import tempfile
    from pathlib import Path

    from planner.followup.demo_history import demo_history
    from planner.intake.demo import generate_letters, register_xlsx_bytes
    from planner.intake.demo_seed import _ensure_teams
    from planner.intake.register import import_register
    from planner.selection.ranking import VisitOptions, build_visits, rank_cases, signals_from_db
    from planner.store.cases import load_cases
    from planner.store.database import make_engine, session_scope, upgrade
    from planner.store.teams import load_teams

    today = dt.date(2026, 12, 2)
    with tempfile.TemporaryDirectory() as tmp:
        eng = make_engine(f"sqlite:///{Path(tmp) / 'demo.db'}")
        upgrade(eng)
        with session_scope(eng) as s:
            import_register(s, register_xlsx_bytes(generate_letters(7, 600)), filename="演示.xlsx", who="demo")
            _ensure_teams(s)
            s.flush()
            demo_history(s, today=today, seed=7)
        with session_scope(eng) as s:
            ranked = rank_cases(load_cases(s), today=today, signals=signals_from_db(s))
            teams = load_teams(s)
        eng.dispose()
    build = build_visits(ranked[:40], today=today, teams=teams,
                         options=VisitOptions())
    return build.visits, teams


def test_demo_top40_compact_fills_days_and_balanced_spreads(demo_top40):
    visits, teams = demo_top40
    assert 20 <= len(visits) <= 40 and len(teams) == 5  # the top 40 cases merge into fewer visits (26 before)
    res = {}
    for policy in ("compact", "balanced", "distance"):
        problem = build_problem(visits, teams, start_date=dt.date(2026, 12, 7), days=5,
                                options=PlanOptions(policy=policy))
        plan = solve(problem, time_limit_s=5, seed=0)
        check_plan(problem, plan)
        res[policy] = _kpis(problem, plan)
        assert not plan.unassigned, f"{policy}: no visit dropped"
    # 集中出行 fills days: the bound, at most 8 team-days (the iterated search takes 8 for the current
    # demo's 30 visits; guided local search took 9).
    assert res["compact"]["team_days"] <= 8
    assert res["compact"]["team_days"] * 1.5 <= res["balanced"]["team_days"]
    assert res["balanced"]["team_days"] >= 15, "均衡 spreads the visits over most of the 25 team-days"
    # a 5-second heuristic search: 最少里程 is the shortest within 3 % (the Pinghe week test checks it strictly)
    assert res["distance"]["km"] <= 1.03 * min(res["compact"]["km"], res["balanced"]["km"])


def test_city_teams_far_visit_compact_uses_one_day():
    # Three visits in 漳浦 from the city: one day does them all under 集中出行, while 均衡 may split them.
    visits = [visit(f"Z{i}", 117.61 + 0.01 * i, 24.12, 45) for i in range(3)]
    problem = build_problem(visits, [team("A", base=CITY_BASE)], start_date=MONDAY, days=3, travel=PLAIN)
    plan = solve(problem, time_limit_s=1, seed=0)
    check_plan(problem, plan)
    assert [r.date for r in plan.routes] == [MONDAY]


def test_idle_hours_of_a_day_planned_in_the_afternoon_count_only_the_rest_of_the_shift():
    """Walk F: a plan made at 14:50 for today read 工作 2.8 小时, 空闲 4.7 小时 — a full 08:30–17:30 day less lunch,
    though only 14:50–17:30 was left. The hours that had passed are not idle, and there is no lunch to leave out."""
    late = ((MONDAY, 14 * 60 + 50),)
    problem = build_problem([visit("A1", 117.33, 24.37, 60)], [team("A")], start_date=MONDAY, days=1, travel=PLAIN,
                            options=PlanOptions(not_before=late))
    plan = solve(problem, time_limit_s=1, seed=0)
    (r,) = plan.routes
    assert r.depart_min >= late[0][1] and r.break_start_min is None
    doc = PlanDocument(plan, {v.visit_id: v for v in problem.visits}, {t.team_id: t for t in problem.teams}, {})
    busy = r.travel_s / 60 + 60
    assert kpis(doc, not_before=late)["idle_h"] == round((17.5 * 60 - late[0][1] - busy) / 60, 1)
    # Without the start it reads as a whole day (what the page showed).
    assert kpis(doc)["idle_h"] == round((7.5 * 60 - busy) / 60, 1)
    # Another day's start changes nothing.
    other = ((MONDAY + dt.timedelta(days=1), 14 * 60 + 50),)
    assert kpis(doc, not_before=other)["idle_h"] == kpis(doc)["idle_h"]
