"""Walk U: a repeat chain at one stop of the itinerary Excel is listed by date and said once, no nested brackets."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from planner.domain import Route, Stop, Team, Visit
from planner.field.model import CaseInfo, Itinerary, StopSheet
from planner.field.xlsx import to_xlsx

# As the walk's plan held them: 006 first, its later letters 007, 008, 068 (oldest first), listed 006, 008, 007, 068.
LATER = {"ZZX-006": "ZZX-007、ZZX-008、ZZX-068", "ZZX-007": "ZZX-008、ZZX-068", "ZZX-008": "ZZX-068", "ZZX-068": ""}
ORDER = ("ZZX-006", "ZZX-008", "ZZX-007", "ZZX-068", "ZZX-050")


def _itinerary() -> Itinerary:
    cases = tuple(CaseInfo(case_no=no, summary=f"反映{no[-3:]}", repeats=LATER.get(no, "")) for no in ORDER)
    visit = Visit(visit_id="V1", lon=117.3, lat=24.3, service_min=60, case_nos=ORDER, label="平和县文峰镇三平村")
    stop = Stop(visit_id="V1", arrive_min=600, start_min=600, end_min=660, travel_s=600, distance_m=5000)
    route = Route(
        team_id="T1",
        date=dt.date(2026, 12, 8),
        depart_min=540,
        return_min=720,
        stops=(stop,),
        travel_s=1200,
        distance_m=10000,
    )
    team = Team(team_id="T1", name="第一检查组", base_lon=117.6, base_lat=24.5)
    return Itinerary(team=team, route=route, stops=(StopSheet(seq=1, visit=visit, stop=stop, cases=cases),))


def _stop_row() -> dict[str, str]:
    ws = load_workbook(io.BytesIO(to_xlsx(_itinerary())), read_only=True).worksheets[1]
    rows = list(ws.iter_rows(values_only=True))
    header = next(r for r in rows if r and "案件编号" in r)
    row = next(r for r in rows if r and r[header.index("案件编号")] and "ZZX-006" in str(r[header.index("案件编号")]))
    return {str(h): str(v or "") for h, v in zip(header, row, strict=False)}


def _depth(text: str) -> int:
    depth = most = 0
    for ch in text:
        depth += {"（": 1, "）": -1}.get(ch, 0)
        most = max(most, depth)
    return most


def test_the_chain_is_listed_by_date_and_said_once():
    row = _stop_row()
    nos = row["案件编号"].split("\n")
    assert nos[:4] == ["ZZX-006", "ZZX-007", "ZZX-008", "ZZX-068"] and "ZZX-050" in nos
    summaries = row["案件摘要"]
    assert summaries.count("此后又来信") == 1
    assert all(_depth(line) <= 1 for line in summaries.split("\n"))
    # Each later letter says whose chain it is handled with, in one line of its own.
    lines = dict(zip(nos, summaries.split("\n"), strict=True))
    assert all("ZZX-006" in lines[no] for no in ("ZZX-007", "ZZX-008", "ZZX-068"))
    assert "ZZX-006" not in lines["ZZX-050"]
