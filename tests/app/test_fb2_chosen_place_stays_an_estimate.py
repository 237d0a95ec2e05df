"""A place chosen among the candidates an address fits (按候选地点定位, 白石村: five villages) keeps the resolver's
point and what it is: 火田镇白石村 has no point of its own, so the letter stands at 火田镇's rough position, an estimate
34.3 km wide. It was written as a point set by hand (``case_corrected``), so the map drew a plain exact dot, the field
sheets dropped “到达时间仅供参考” and 案件地图's list said 已校准, while the detail said 实际地点可能在 34.3 km 以内.
Now it stays an estimate everywhere; the choice is still the person's: a gazetteer re-location reads the chosen place
again (a village calibrated since gives its own point), a re-import keeps it, and the place no longer waits for a
check."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from _ui_data import db_url
from sqlalchemy import select, update
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.field.day import day_view
from planner.field.map_layers import case_map
from planner.field.model import build_itinerary, enrich_cases
from planner.intake.correction_checks import corrections_preview
from planner.intake.register import import_register, read_register
from planner.office.security import Actor
from planner.places import resolver
from planner.store.cases import load_cases
from planner.store.database import session_scope
from planner.store.models import CaseRow
from planner.store.place_checks import letters_to_check
from planner.store.place_choice import choose_place
from planner.store.places import correct_point, load_gazetteer, relocate_open_cases
from tests.office import _seed

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "case_map.py")
TODAY = dt.date(2026, 12, 7)
CSV = ("编号,收件日期,问题类别,反映内容,地址\n"
       "W25-1,2026-11-02,林业,反映村里修路款被截留，路修一半停工。,白石村\n"
       "W25-3,2026-11-04,林业,反映收取桉树砍伐保证金。,平和县山格镇土田村\n").encode()
CHOICE = "云霄县火田镇白石村(350622105221)"
VILLAGE = "350622105221"
COORD = Actor("lin", "coordinator", display_name="林协调")


@pytest.fixture()
def chosen(engine):
    """W25-1 (白石村) placed at 云霄县火田镇白石村 by choice."""
    import_register(engine, CSV, filename="登记表.csv", today=TODAY, actor=COORD)
    with session_scope(engine) as s:
        choose_place(s, COORD, "W25-1", CHOICE)
    return engine


def _row(engine, no: str = "W25-1") -> CaseRow:
    with session_scope(engine) as s:
        row = s.scalars(select(CaseRow).where(CaseRow.case_no == no)).one()
        s.expunge(row)
        return row


def _location(engine, no: str = "W25-1"):
    with session_scope(engine) as s:
        return next(c for c in load_cases(s) if c.case_no == no)


def test_fb2_a_chosen_place_is_the_estimate_it_is(chosen) -> None:
    named = resolver.resolve("云霄县火田镇白石村")
    assert named.estimated and named.precision_km
    row = _row(chosen)
    assert (row.village_code, row.lon, row.point_source, row.precision_km) == (
        VILLAGE, named.lon, named.coord_source, named.precision_km)
    case = _location(chosen)
    assert case.location.estimated and case.location.seat_name() == "火田镇"
    # The map draws it as every estimate: the hollow ≈ marker with its dashed radius, not a plain dot.
    html = case_map([case], today=TODAY).map.get_root().render()
    assert "xf-approx" in html and ("≈1" in html or "\\u22481" in html)
    with session_scope(chosen) as s:  # chosen by a person: no longer waits for a check
        assert "W25-1" not in letters_to_check(s, ["W25-1"])


def test_fb2_the_case_map_lists_and_shows_it_as_an_estimate(chosen, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(chosen))
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.session_state["actor"] = COORD
    at.run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "位置" in d.value.columns)
    where = dict(zip(table["编号"], table["位置"], strict=True))
    assert where["W25-1"].startswith("≈ 估计"), where
    at.selectbox(key="cm_pick").select("W25-1").run()
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert any(c.startswith("位置为估计：") and "火田镇" in c for c in captions), captions
    assert any(c.startswith("定位说明：") and "林协调（lin）从候选地点中选定云霄县火田镇白石村" in c for c in captions)
    assert not any(c.startswith("位置已校准") for c in captions), captions


def test_fb2_a_relocation_keeps_the_choice_and_a_calibrated_village_gives_its_point(chosen) -> None:
    named = resolver.resolve("云霄县火田镇白石村")
    with session_scope(chosen) as s:  # a gazetteer re-location does not read the address (白石村: five places) again
        relocate_open_cases(s, load_gazetteer(s), who="system")
    row = _row(chosen)
    assert (row.village_code, row.lon, row.point_source) == (VILLAGE, named.lon, "town_seat")
    assert "从候选地点中选定云霄县火田镇白石村" in row.geocode_message
    # The village calibrated on 地名校准: the chosen letter goes to its own point, an estimate no more.
    lon, lat = round(named.lon + 0.01, 6), round(named.lat + 0.01, 6)
    with session_scope(chosen) as s:
        correct_point(s, COORD, lon=lon, lat=lat, village_code=VILLAGE)
    row = _row(chosen)
    assert (row.village_code, round(row.lon, 6), round(row.lat, 6)) == (VILLAGE, lon, lat)
    assert row.point_source == "corrected" and row.precision_km == 0.5
    assert row.geocode_message.startswith("林协调（lin）从候选地点中选定云霄县火田镇白石村")
    assert not _location(chosen).location.estimated


def test_fb2_a_reimport_keeps_the_chosen_place_as_an_estimate(chosen) -> None:
    named = resolver.resolve("云霄县火田镇白石村")
    again = CSV.replace("停工。".encode(), "停工。（补充）".encode())
    with session_scope(chosen) as s:
        found = corrections_preview(s, read_register(again, filename="登记表.csv", today=TODAY))
    assert [(c.case_no, c.field, c.taken) for c in found] == [("W25-1", "place", False)]
    assert found[0].who == "lin" and "火田镇白石村" in found[0].app_value
    import_register(chosen, again, filename="登记表.csv", today=TODAY, actor=COORD)
    row = _row(chosen)
    assert (row.village_code, row.lon, row.point_source) == (VILLAGE, named.lon, "town_seat")
    assert "（补充）" in row.content and "从候选地点中选定" in row.geocode_message
    assert _location(chosen).location.estimated


def test_fb2_the_field_sheets_say_a_chosen_place_is_an_estimate(engine) -> None:
    _seed.seed(engine)
    with session_scope(engine) as s:
        s.execute(update(CaseRow).where(CaseRow.case_no == "ZZ2026-0104")
                  .values(address_text="白石村", point_source="", precision_km=None))
    with session_scope(engine) as s:
        choose_place(s, COORD, "ZZ2026-0104", CHOICE)
    with session_scope(engine) as s:
        doc = enrich_cases(_seed.plan_doc(), s)
    assert doc.cases["ZZ2026-0104"].get("precision_km") == resolver.resolve("云霄县火田镇白石村").precision_km
    view = day_view(build_itinerary(doc, "T1", _seed.DAY))
    notes = [c.estimate for c in view.stops if c.estimate]
    assert any("位置为估计" in n and "火田镇" in n and "仅供参考" in n for n in notes), notes
