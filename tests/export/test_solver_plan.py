"""End to end with a real solver plan (1 s): every route exports, breaks sit where OR-Tools put them."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from planner.cli import main
from planner.domain import parse_hhmm
from planner.field import itineraries, render

VISITS = (
    "id,lon,lat,service_min,priority,earliest_date,latest_date,window_start,window_end,skills,team,date,group,"
    "label,case_nos\n"
    """V1,117.43,24.37,60,5,,,,,,,,,山格镇,ZZ1;ZZ2
V2,117.375,24.325,45,must,,,14:00,16:00,,,,,文峰镇,
V3,117.27,24.45,45,2,2026-12-08,,,,,,,,坂仔镇,
V4,117.30,24.40,45,3,,,,,水利,,,,,
V5,117.25,24.30,30,1,,,,,,B,2026-12-07,g,五寨乡,
V6,117.255,24.305,30,1,,,,,,,,g,五寨乡埔坪村,
V7,117.38,24.26,40,3,,,,,,,,,南胜镇,
V8,117.355,24.43,40,3,,,,,,,,,坂仔镇心田村,
"""
)
TEAMS = (
    "id,name,depot_lon,depot_lat,shift_start,shift_end,break_earliest,break_latest,break_min,skills,"
    "max_visits_per_day,max_drive_min,dates\n"
    """A,第一组,117.313,24.363,08:30,17:30,11:30,12:30,90,,,,
B,第二组,117.36,24.34,08:30,17:30,11:30,12:30,90,,4,300,2026-12-07;2026-12-08
"""
)


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    d = tmp_path_factory.mktemp("solved")
    (d / "visits.csv").write_text(VISITS, encoding="utf-8")
    (d / "teams.csv").write_text(TEAMS, encoding="utf-8")
    out = d / "plan.json"
    code = main(["plan", "--visits", str(d / "visits.csv"), "--teams", str(d / "teams.csv"), "--start", "2026-12-07",
                 "--days", "2", "--time-limit", "1", "--out", str(out)])
    assert code == 0
    return out


def test_every_route_becomes_an_itinerary_with_ordered_timeline(solved):
    raw = json.loads(solved.read_text(encoding="utf-8"))
    its = itineraries(solved)
    assert len(its) == len(raw["routes"]) > 0
    for it in its:
        r = next(x for x in raw["routes"] if x["team"] == it.team.team_id and x["date"] == it.date.isoformat())
        assert [s.visit.visit_id for s in it.stops] == [s["visit"] for s in r["stops"]]
        starts = [parse_hhmm(row.start) for row in it.timeline()]
        assert starts == sorted(starts)
        if r["break"] and it.has_break():
            b0, b1 = parse_hhmm(r["break"]["start"]), parse_hhmm(r["break"]["end"])
            # The break lies between the end of the previous visit and the start of the next (or the return).
            before = it.stops[it.break_leg - 1].stop.end_min if it.break_leg > 0 else it.route.depart_min
            after = it.stops[it.break_leg].stop.start_min if it.break_leg < len(it.stops) else it.route.return_min
            assert before <= b0 and b1 <= after
        elif r["break"]:
            assert parse_hhmm(r["break"]["start"]) >= it.route.return_min or not it.stops


def test_whole_plan_packet_from_solver_output(solved):
    raw = json.loads(solved.read_text(encoding="utf-8"))
    z = zipfile.ZipFile(io.BytesIO(render("zip", itineraries(solved))))
    m = json.loads(z.read("manifest.json"))
    planned = sorted(s["visit"] for r in raw["routes"] for s in r["stops"])
    assert sorted(v for e in m["itineraries"] for v in e["stops"]) == planned
