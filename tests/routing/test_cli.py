"""``python -m planner plan`` and ``solve-vrptw``: the CLI contracts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.cli import main
from planner.routing.planio import read_plan_json

SOLOMON = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "solomon"

VISITS = """\
id,lon,lat,service_min,priority,earliest_date,latest_date,window_start,window_end,skills,team,date,group,label,\
case_nos
V1,117.43,24.37,60,5,,,,,,,,,山格镇,ZZ1;ZZ2
V2,117.375,24.325,45,must,,,14:00,16:00,,,,,文峰镇,
V3,117.27,24.45,45,2,2026-12-08,,,,,,,,坂仔镇,
V4,117.30,24.40,45,3,,,,,水利,,,,,
V5,117.25,24.30,30,1,,,,,,B,2026-12-07,g,,
V6,117.255,24.305,30,1,,,,,,,,g,,
"""
TEAMS = """\
id,name,depot_lon,depot_lat,shift_start,shift_end,break_earliest,break_latest,break_min,skills,\
max_visits_per_day,max_drive_min,dates
A,第一组,117.313,24.363,08:30,17:30,11:30,12:30,90,,,,
B,第二组,117.36,24.34,08:30,17:30,11:30,12:30,90,,4,300,2026-12-07;2026-12-08
"""


def test_plan_cli_writes_valid_plan(tmp_path, capsys):
    (tmp_path / "visits.csv").write_text(VISITS, encoding="utf-8")
    (tmp_path / "teams.csv").write_text(TEAMS, encoding="utf-8")
    out = tmp_path / "plan.json"
    code = main(["plan", "--visits", str(tmp_path / "visits.csv"), "--teams", str(tmp_path / "teams.csv"),
                 "--start", "2026-12-07", "--days", "2", "--time-limit", "1", "--out", str(out)])
    assert code == 0
    doc = read_plan_json(out)  # validates against the schema
    assert {u.visit_id: u.reason_code for u in doc.plan.unassigned} == {"V4": "no_skill"}
    where = {s.visit_id: (r.team_id, r.date.isoformat()) for r in doc.plan.routes for s in r.stops}
    assert where["V5"] == where["V6"] == ("B", "2026-12-07")
    assert where["V3"][1] == "2026-12-08"
    assert doc.visits["V1"].case_nos == ("ZZ1", "ZZ2") and doc.visits["V2"].must
    assert "未安排" in capsys.readouterr().err


def test_plan_cli_bad_input_exits_2(tmp_path, capsys):
    (tmp_path / "visits.csv").write_text(VISITS.replace("117.43", "abc"), encoding="utf-8")
    (tmp_path / "teams.csv").write_text(TEAMS, encoding="utf-8")
    code = main(["plan", "--visits", str(tmp_path / "visits.csv"), "--teams", str(tmp_path / "teams.csv"),
                 "--start", "2026-12-07", "--out", str(tmp_path / "p.json")])
    assert code == 2
    err = capsys.readouterr().err
    assert "第 2 行 lon" in err and "'abc'" in err and len(err.strip().splitlines()) == 1


@pytest.mark.skipif(not (SOLOMON / "C101.vrp").exists(), reason="Solomon instances not present")
def test_solve_vrptw_cli(capsys):
    code = main(["solve-vrptw", str(SOLOMON / "C101.vrp"), "--time-limit", "1"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["feasible"]
    clients = sorted(c for r in out["routes"] for c in r)
    assert clients == list(range(1, 101))
    assert out["vehicles"] == len(out["routes"]) and out["distance"] >= 827.3  # DIMACS best known


@pytest.mark.skipif(not (SOLOMON / "solomon_txt" / "C101.txt").exists(), reason="Solomon text files not present")
def test_solve_vrptw_reads_solomon_text(capsys):
    assert main(["solve-vrptw", str(SOLOMON / "solomon_txt" / "C101.txt"), "--time-limit", "0.5"]) == 0
    assert json.loads(capsys.readouterr().out)["feasible"]


def test_plan_cli_holidays_skip_days(tmp_path):
    (tmp_path / "visits.csv").write_text(VISITS, encoding="utf-8")
    (tmp_path / "teams.csv").write_text(TEAMS.replace(",2026-12-07;2026-12-08", ","), encoding="utf-8")
    out = tmp_path / "plan.json"
    code = main(["plan", "--visits", str(tmp_path / "visits.csv"), "--teams", str(tmp_path / "teams.csv"),
                 "--start", "2026-12-07", "--days", "2", "--holidays", "2026-12-08", "--time-limit", "1",
                 "--out", str(out)])
    assert code == 0
    dates = {r.date.isoformat() for r in read_plan_json(out).plan.routes}
    assert dates <= {"2026-12-07", "2026-12-09"} and "2026-12-09" in dates
