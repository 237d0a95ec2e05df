"""plan.json: written plans validate against the schema and read back to the same plan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.errors import InputError
from planner.routing import solve
from planner.routing.planio import (
    plan_from_json,
    plan_to_json,
    read_plan_json,
    read_teams_csv,
    read_visits_csv,
    validate_plan_json,
    write_plan_json,
)
from tests.routing.conftest import make_pinghe_three, make_pinghe_week

DATA = Path(__file__).parent / "data"


@pytest.fixture
def pinghe_three():
    return make_pinghe_three()


@pytest.fixture
def pinghe_week():
    return make_pinghe_week()


def test_round_trip_validates(pinghe_week, tmp_path):
    plan = solve(pinghe_week, time_limit_s=1)
    cases = {"ZZ1": {"case_no": "ZZ1", "summary": "桉树砍伐保证金", "county": "平和县", "petitioner_name": "张三"}}
    d = plan_to_json(plan, visits=pinghe_week.visits, teams=pinghe_week.teams, cases=cases)
    validate_plan_json(d)
    assert "petitioner_name" not in json.dumps(d, ensure_ascii=False)
    write_plan_json(tmp_path / "plan.json", d)
    doc = read_plan_json(tmp_path / "plan.json")
    assert doc.plan == plan
    assert doc.visits == {v.visit_id: v for v in pinghe_week.visits}
    assert doc.teams == {t.team_id: t for t in pinghe_week.teams}


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda d: d["routes"][0].update(depart="8:30"), "routes/0/depart"),
        (lambda d: d.pop("unassigned"), "unassigned"),
        (lambda d: d["routes"][0]["stops"][0].update(visit="NOPE"), "'NOPE'"),
        (lambda d: d["cases"].update({"X": {"case_no": "X", "phone": "138"}}), "phone"),
    ],
)
def test_schema_rejects(pinghe_three, change, match):
    d = plan_to_json(solve(pinghe_three, time_limit_s=1), visits=pinghe_three.visits, teams=pinghe_three.teams)
    change(d)
    with pytest.raises(InputError, match=match):
        plan_from_json(d)


def test_shared_sample_plan_reads():
    sample = DATA / "plan_zhangzhou.json"
    if not sample.exists():
        pytest.skip("export area's sample plan not present")
    doc = read_plan_json(sample)
    assert doc.plan.routes and doc.visits


def test_csv_errors_name_row_and_column(tmp_path):
    f = tmp_path / "visits.csv"
    f.write_text("id,lon,lat,service_min,priority\nV1,117.3,24.3,45,must\nV2,117.3,x,45,3\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"第 3 行 lat.*'x'"):
        read_visits_csv(f)
    f.write_text("id,lon,lat,service_min\n", encoding="utf-8")
    with pytest.raises(InputError, match="priority"):
        read_visits_csv(f)
    t = tmp_path / "teams.csv"
    t.write_text("id,name,depot_lon,depot_lat,shift_start,shift_end,break_earliest,break_latest,break_min\n"
                 "A,甲,117.3,24.3,08:30,25:99,11:30,12:30,90\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"第 2 行 shift_end.*'25:99'"):
        read_teams_csv(t)
