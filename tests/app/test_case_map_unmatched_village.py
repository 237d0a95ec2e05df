"""Browser walk: a letter naming a village the village table lacks (漳浦县旧镇镇后江村) read on the field sheets
漳浦县旧镇镇后江村（村表无此村，待核对） and 信中写的后江村不在旧镇镇的村表中…按村名后江村问路, but 案件地图 — the
letter's tooltip, the ≈ marker of its estimated point and the detail's 地点 and 位置为估计 caption — said only
漳浦县旧镇镇 and 信中只写到乡镇, and 行程's day map named the stop by the visit's label. They now say the same as the
sheets, escaped in HTML."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace

import folium
from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.domain import Location, PetitionCase
from planner.field.map_layers import case_map, case_tooltip, written_place, written_villages
from planner.places.estimates import same_named_note, written_village
from planner.places.letters import locate_letters
from planner.store.database import session_scope
from planner.store.models import CaseRow

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "case_map.py")
HEADING = "漳浦县旧镇镇后江村（村表无此村，待核对）"


def _located(address: str) -> dict:
    return locate_letters([SimpleNamespace(values={"address_text": address, "content": ""})])[0]


def _case(no: str, loc: dict) -> PetitionCase:
    fields = {k: loc[k] for k in ("county", "county_code", "town", "town_code", "village", "village_code", "lon",
                                  "lat", "precision", "point_source", "precision_km")}
    return PetitionCase(case_no=no, received_date=dt.date(2026, 11, 1), content="反映收取保证金",
                        location=Location(**fields))


def _script(m: folium.Map) -> str:
    return m.get_root().render()


def test_the_tooltips_name_the_village_written_and_escape_it() -> None:
    loc = _located("漳浦县旧镇镇后江村")
    odd = {**loc, "geocode_message": same_named_note("东<美>", "旧镇镇", ("东美社区", "东美村"))}
    cases = [_case("ZP-1", loc), _case("ZP-2", odd), _case("ZP-3", _located("漳浦县旧镇镇"))]
    written = {"ZP-1": written_village(loc["geocode_message"]), "ZP-2": written_village(odd["geocode_message"])}
    html = _script(case_map(cases, today=TODAY, written=written).map)
    assert HEADING in html  # the letter's own tooltip
    # The ≈ marker of the shared town seat names both villages written, escaped.
    assert "信中写的村：后江村（村表无此村，待核对）、东&lt;美&gt;（旧镇镇有东美社区、东美村，待核对）" in html
    assert "东<美>" not in html
    assert "漳浦县旧镇镇" in html  # the letter naming only the town keeps its place
    tip = case_tooltip(cases[1], "摘要", written["ZP-2"])
    assert "东&lt;美&gt;（旧镇镇有东美社区、东美村，待核对）" in tip and "<美>" not in tip
    assert written_place(cases[2].location, None) == "漳浦县旧镇镇"


def test_written_villages_are_read_from_the_place_notes(engine) -> None:
    loc = _located("漳浦县旧镇镇后江村")
    add_case(engine, "ZP-1", geocode_message=loc["geocode_message"])
    add_case(engine, "ZP-2", geocode_message="按村定位")
    with session_scope(engine) as s:
        found = written_villages(s, ["ZP-1", "ZP-2", "NONE"])
    assert set(found) == {"ZP-1"} and found["ZP-1"].name == "后江村"


def test_the_case_map_page_names_the_village_in_the_tooltip_and_the_detail(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    loc = _located("漳浦县旧镇镇后江村")
    add_case(engine, "ZP-1", county=loc["county"], county_code=loc["county_code"], town=loc["town"],
             lon=loc["lon"], lat=loc["lat"], geocode_message=loc["geocode_message"])
    with session_scope(engine) as s:  # the estimate as the import stores it
        row = s.query(CaseRow).filter_by(case_no="ZP-1").one()
        row.point_source, row.precision, row.precision_km = loc["point_source"], loc["precision"], loc["precision_km"]
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state[Key.TODAY] = TODAY
    at.run()
    assert not at.exception
    comp = next(el for el in at.get("component_instance") if "script" in el.proto.json_args)
    script = json.loads(comp.proto.json_args)["script"]
    assert HEADING in script and "信中写的村：后江村（村表无此村，待核对）" in script
    at.selectbox(key="cm_pick").select("ZP-1").run()
    assert not at.exception
    assert any(HEADING in m.value for m in at.markdown if "地点" in m.value), [m.value for m in at.markdown]
    caption = next(c.value for c in at.caption if c.value.startswith("位置为估计"))
    assert "信中写的后江村不在旧镇镇的村表中" in caption and "到镇后按村名后江村问路" in caption
    assert "信中只写到乡镇" not in caption


def test_the_officers_day_map_names_the_stop_as_its_card_does(engine, monkeypatch) -> None:
    """行程: the day map's stop tooltip read the visit's label (漳浦县旧镇镇) beside the card's heading."""
    from dataclasses import replace

    from tests.field.test_unmatched_village_on_sheets import ADDRESSES, _imported
    from tests.office import _seed

    _imported(engine)  # the seed's letters, three of them placed as the import places these addresses
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    doc = _seed.plan_doc()
    at = AppTest.from_file(str(Path(PAGE).with_name("itinerary.py")), default_timeout=30)
    at.session_state[Key.TODAY] = _seed.DAY
    at.session_state["actor"] = _seed.ACCOUNTS["coordinator"]
    at.session_state["plan_doc"] = replace(doc, cases={n: c for n, c in doc.cases.items() if n not in ADDRESSES})
    at.run()
    assert not at.exception
    assert any(m.value.startswith("### ") and HEADING in m.value for m in at.markdown)  # the card
    comp = next(el for el in at.get("component_instance") if "script" in el.proto.json_args)
    script = json.loads(comp.proto.json_args)["script"]
    assert f"3. {HEADING}" in script
