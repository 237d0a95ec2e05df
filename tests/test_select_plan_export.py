"""End to end on the demo register: import -> rank -> visits -> plan -> field packet; 回避 reaches the plan."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from planner.field import itineraries, load_document, render
from planner.intake.demo import generate_letters, register_xlsx_bytes
from planner.intake.register import import_register
from planner.routing import build_problem, solve
from planner.routing.planio import plan_from_json, plan_to_json, validate_plan_json
from planner.selection.ranking import build_visits, rank_cases, signals_from_db
from planner.store.cases import case_details, load_cases
from planner.store.database import session_scope
from planner.store.teams import ensure_default_teams

TODAY = dt.date(2026, 12, 1)
START = dt.date(2026, 12, 7)


@pytest.fixture()
def demo_db(engine):
    data = register_xlsx_bytes(generate_letters(seed=11, letters=160))
    summary = import_register(engine, data, filename="register.xlsx", who="test")
    assert summary.imported > 150
    return engine


def test_select_plan_export_round_trip(demo_db) -> None:
    with session_scope(demo_db) as s:
        cases = load_cases(s)
        ranked = rank_cases(cases, today=TODAY, signals=signals_from_db(s))
        teams = ensure_default_teams(s)
    chosen = ranked[:14]
    build = build_visits(chosen, today=TODAY, teams=teams)
    assert build.visits, "the demo register resolves to points, so visits exist"
    in_visits = {c for v in build.visits for c in v.case_nos} | {c for c, _ in build.skipped}
    assert in_visits == {r.case.case_no for r in chosen}

    problem = build_problem(build.visits, teams, start_date=START, days=3)
    plan = solve(problem, time_limit_s=3, seed=0)
    by_case = {c.case_no: c for c in cases}
    doc_json = plan_to_json(plan, visits=build.visits, teams=teams,
                            cases={n: case_details(by_case[n]) for v in build.visits for n in v.case_nos})
    validate_plan_json(doc_json)
    doc = plan_from_json(doc_json)

    # Every visit planned once or unassigned with a reason.
    planned = [s.visit_id for r in plan.routes for s in r.stops]
    assert len(planned) == len(set(planned))
    assert set(planned) | {u.visit_id for u in plan.unassigned} == {v.visit_id for v in build.visits}
    assert all(u.reason for u in plan.unassigned)

    # 回避: a team with an excluded member never takes that visit.
    assert any(v.excluded_members for v in build.visits), "demo officers' home counties must trigger 回避"
    members = {t.team_id: t.member_ids() for t in teams}
    visits = {v.visit_id: v for v in build.visits}
    for r in plan.routes:
        for stop in r.stops:
            assert not set(visits[stop.visit_id].excluded_members) & members[r.team_id]

    # The field packet lists the same stops in the same order with the same times.
    its = itineraries(load_document(doc))
    assert len(its) == len(plan.routes)
    wb = openpyxl.load_workbook(io.BytesIO(render("xlsx", its)))
    assert len(wb.sheetnames) == len(plan.routes) + 1
    packet = zipfile.ZipFile(io.BytesIO(render("zip", its)))
    assert sum(n.endswith(".pdf") for n in packet.namelist()) == len(plan.routes)
    first = plan.routes[0]
    sheet_text = " ".join(str(c.value) for row in wb.worksheets[1].iter_rows() for c in row if c.value is not None)
    for stop in first.stops:
        assert f"{stop.arrive_min // 60:02d}:{stop.arrive_min % 60:02d}" in sheet_text
    for no in visits[first.stops[0].visit_id].case_nos:
        assert no in sheet_text
