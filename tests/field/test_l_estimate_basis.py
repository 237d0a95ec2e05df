"""Walk 2: "到镇后按村名问路（实际地点可能在 59.3 km 内）" told the officer a radius wider than the town without saying
why. A village has no point and a town no outline, so the bound of a village on its town's seat is the farthest point
of the county: the phone view and the downloads say so, in the words of ``planner.places.estimates``."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import update

import geodata
from planner.field import export_plan
from planner.field.day import day_view
from planner.field.model import build_itinerary, enrich_cases, estimate_note
from planner.places.estimates import COUNTY_WIDE, NO_TOWN_OUTLINE, WrittenVillage
from planner.store.database import session_scope
from planner.store.models import CaseRow
from tests.office import _seed

CASE = "ZZ2026-0104"  # T1's stop 3 on 12-07: 平和县南胜镇法华村


def _town_bound() -> float:
    town = next(t for t in geodata.towns() if t.name == "南胜镇" and t.county == "平和县")
    return geodata.territory_km(town.county_code, town.lon, town.lat)  # what the import states for its villages


def _village_on_its_town_seat(engine) -> float:
    km = _town_bound()
    _seed.seed(engine)
    with session_scope(engine) as s:
        s.execute(update(CaseRow).where(CaseRow.case_no == CASE).values(point_source="town_seat", precision_km=km))
    return km


def _basis(km: float) -> str:
    return f"（{NO_TOWN_OUTLINE}{COUNTY_WIDE}实际地点可能在 {km:g} km 内）"


def test_the_phone_view_says_the_village_radius_is_the_county_s(engine) -> None:
    km = _village_on_its_town_seat(engine)
    with session_scope(engine) as s:
        doc = enrich_cases(_seed.plan_doc(), s)
    notes = {c.seq: c.estimate for c in day_view(build_itinerary(doc, "T1", _seed.DAY)).stops if c.estimate}
    assert list(notes) == [3]
    assert "法华村的位置未入库，点为南胜镇驻地，到镇后按村名问路" + _basis(km) in notes[3]
    assert "乡镇无边界数据，按全县区范围计" in notes[3]


def test_the_excel_sheet_says_it_too(engine) -> None:
    km = _village_on_its_town_seat(engine)
    with session_scope(engine) as s:
        data = export_plan(_seed.plan_doc(), "xlsx", team_id="T1", date=_seed.DAY, session=s)
    cells = [str(c.value) for ws in load_workbook(io.BytesIO(data)).worksheets
             for r in ws.iter_rows() for c in r if c.value is not None]
    told = [c for c in cells if "实际地点可能在" in c]
    assert told and all(_basis(km) in c for c in told)


def test_the_reason_is_given_only_where_it_is_the_reason() -> None:
    # A village the import did not find in the town written: its town has no outline either.
    unlisted = estimate_note(62.6, written=WrittenVillage("后江村", "旧镇镇"))
    assert _basis(62.6) in unlisted
    # A letter naming a county and a village but no town: the county bounds it whatever towns' outlines.
    no_town = estimate_note(62.6, written=WrittenVillage("白石头村", "", county="云霄县"), seat="云霄县")
    assert f"（{COUNTY_WIDE}实际地点可能在 62.6 km 内）" in no_town and NO_TOWN_OUTLINE not in no_town
    # Every stated radius says on what it is computed.
    assert f"{COUNTY_WIDE}实际地点可能在 66 km 内" in estimate_note(66.0)
