"""AppTest of 案件地图: filters narrow the cases on the map, picking a case shows its detail, adding it to the
selection clears stale plans."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "case_map.py")


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    add_case(engine, "PH-1", deadline=TODAY - dt.timedelta(days=2), content="平和县某村收取<桉树>砍伐保证金")
    add_case(engine, "PH-2", category="低保", received=dt.date(2026, 6, 1), deadline=TODAY + dt.timedelta(days=40))
    add_case(engine, "LH-1", county_code="350681", county="龙海市", lon=117.8, lat=24.45, status="resolved")
    add_case(engine, "NOPT", county_code="", county="", town="", lon=None, lat=None,
             geocode_message="未识别到漳州市的县区、乡镇或村")
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state[Key.TODAY] = TODAY
    return at


def _map_script(at: AppTest) -> str:
    """The Leaflet script the page hands to st_folium."""
    comp = next(el for el in at.get("component_instance") if "script" in el.proto.json_args)
    return json.loads(comp.proto.json_args)["script"]


def test_all_cases_on_map_by_default(app: AppTest) -> None:
    app.run()
    assert not app.exception
    assert any("共 4 件，筛选后 4 件" in c.value for c in app.caption)
    script = _map_script(app)
    assert "PH-1" in script and "LH-1" in script and "NOPT" not in script  # no coordinate: listed, not drawn
    assert "&lt;桉树&gt;" in script and "<桉树>" not in script  # user text reaches tooltips escaped
    assert any("没有坐标" in c.value for c in app.caption)
    assert app.session_state[Key.FILTERS]["deadline"] == "all"


def test_filters_narrow_the_map(app: AppTest) -> None:
    app.run()
    app.multiselect(key="cm_counties").select("350604").run()  # 龙海区 also catches the old code 350681
    assert any("筛选后 1 件" in c.value for c in app.caption)
    assert "LH-1" in _map_script(app) and "PH-1" not in _map_script(app)
    app.multiselect(key="cm_counties").unselect("350604")
    app.selectbox(key="cm_deadline").select("overdue").run()
    assert any("筛选后 1 件" in c.value for c in app.caption)
    assert "PH-1" in _map_script(app)
    app.selectbox(key="cm_deadline").select("all")
    app.multiselect(key="cm_categories").select("低保").run()
    assert "PH-2" in _map_script(app) and "PH-1" not in _map_script(app)
    assert app.session_state[Key.FILTERS]["categories"] == ["低保"]


def test_no_match_says_so(app: AppTest) -> None:
    app.run()
    app.multiselect(key="cm_counties").select("350629").run()
    assert any("没有符合筛选条件" in w.value for w in app.warning)


def test_pick_case_shows_detail_and_adds_to_selection(app: AppTest) -> None:
    app.session_state[Key.PLAN_ID] = 42
    app.run()
    app.selectbox(key="cm_pick").select("PH-1").run()
    assert not app.exception
    assert any("信访件 PH-1" in h.value for h in app.subheader)
    assert app.session_state[Key.SELECTED_CASE] == "PH-1"
    assert "<桉树>" in app.text_area[0].value
    app.button(key="cm_add_to_selection").click().run()
    assert app.session_state[Key.SELECTED_CASES] == ["PH-1"]
    assert app.session_state[Key.PLAN_ID] is None  # later stages cleared
    assert any("已在选件清单中" in s.value for s in app.success)


def test_colour_by_cluster_uses_the_saved_analysis(engine, app: AppTest) -> None:
    from planner.store.database import session_scope
    from planner.store.models import CaseRow, ClusterMember, ClusterRow

    app.run()
    app.selectbox(key="cm_color_by").select("cluster").run()
    assert any("尚未进行关联分析" in i.value for i in app.info)
    with session_scope(engine) as s:
        s.add(ClusterRow(id="I0001", kind="issue", label="桉树保证金", systemic=False))
        s.flush()
        for no in ("PH-1", "PH-2"):
            case_id = s.query(CaseRow.id).filter(CaseRow.case_no == no).scalar()
            s.add(ClusterMember(cluster_id="I0001", case_id=case_id))
    app.run()
    assert not any("尚未进行关联分析" in i.value for i in app.info)
    legend = " ".join(m.value for m in app.markdown)
    assert "桉树保证金 2" in legend and "未归入关联问题 1" in legend


def test_a_correction_shows_at_once_in_the_detail_and_on_the_map(engine, app: AppTest) -> None:
    from planner.store.database import session_scope
    from planner.store.models import CaseRow

    with session_scope(engine) as s:
        row = s.query(CaseRow).filter(CaseRow.case_no == "PH-1").one()
        row.point_source, row.precision_km = "town_seat", 6.0  # on the town seat: an estimate
    app.run()
    app.selectbox(key="cm_pick").select("PH-1").run()
    assert any("位置为估计" in c.value for c in app.caption)
    assert "117.4123" not in _map_script(app)
    app.number_input(key="cm_edit_PH-1_fix_lon_117.35").set_value(117.4123)
    app.number_input(key="cm_edit_PH-1_fix_lat_24.35").set_value(24.3712)
    app.button[[b.label for b in app.button].index("保存校准位置")].click().run()
    assert not app.exception
    assert any("已校准" in s.value for s in app.success)
    assert not any("位置为估计" in c.value for c in app.caption)
    assert any("位置已校准" in c.value and "117.412300" in c.value for c in app.caption)
    script = _map_script(app)  # the cached case list was read again: the dot is at the new point
    assert "24.3712" in script and "117.4123" in script


def test_cases_version_changes_when_a_place_is_corrected(session) -> None:
    from pages.common import cases_version
    from planner.store.models import PlaceRow

    before = cases_version(session)
    session.add(PlaceRow(level="village", name="土田村", source="corrected", county_code="350628", lon=117.4,
                         lat=24.37, precision_km=0.5, origin="测试"))
    session.flush()
    assert cases_version(session) != before


def test_the_basemap_draws_a_corrected_town_seat_where_the_office_put_it(engine, app: AppTest) -> None:
    import geodata
    from planner.store.database import session_scope
    from planner.store.models import PlaceRow

    town = next(t for t in geodata.towns() if t.source == "estimate")
    app.run()
    label = f"{town.county}{town.name}（驻地：人工校准）"
    assert label not in _map_script(app)
    with session_scope(engine) as s:  # as 地名校准 or a town correction on the map stores it
        s.add(PlaceRow(level="town", name=town.name, source="corrected", county_code=town.county_code,
                       town_code=town.code, county=town.county, town=town.name, lon=town.lon + 0.02,
                       lat=town.lat + 0.01, precision_km=0.5, origin="测试"))
    app.run()  # no case changed: the places table alone makes the page read the gazetteer again
    script = _map_script(app)
    assert f'[{round(town.lat + 0.01, 6)},{round(town.lon + 0.02, 6)},"{label}",0]' in script


def test_a_letter_without_a_point_says_why(app: AppTest) -> None:
    """A letter the resolver could not place is listed as 未定位 and its detail gives the resolver's reason and the
    way to place it; a placed letter says how it was placed instead."""
    app.run()
    table = next(df for df in app.dataframe if "位置" in df.value.columns).value
    assert table.set_index("编号").loc["NOPT", "位置"] == "未定位"
    assert table.set_index("编号").loc["PH-1", "位置"] == ""
    app.selectbox(key="cm_pick").select("NOPT").run()
    warning = " ".join(w.value for w in app.warning)
    assert "未定位" in warning and "未识别到漳州市的县区、乡镇或村" in warning and "校准位置" in warning
    app.selectbox(key="cm_pick").select("PH-1").run()
    assert not any("未定位" in w.value for w in app.warning)


def test_a_letter_whose_petitioner_asks_for_confidentiality_says_so(engine, app: AppTest) -> None:
    add_case(engine, "SECRET", content="村书记克扣补贴，请组织上为我保密。")
    app.run()
    app.selectbox(key="cm_pick").select("SECRET").run()
    assert any("信访人要求保密" in w.value and "来信中要求" in w.value for w in app.warning)
    app.selectbox(key="cm_pick").select("PH-2").run()
    assert not any("信访人要求保密" in w.value for w in app.warning)


def _map_view(at: AppTest) -> dict:
    comp = next(el for el in at.get("component_instance") if "script" in el.proto.json_args)
    return json.loads(comp.proto.json_args)


def test_a_letter_chosen_in_the_list_is_zoomed_to(app: AppTest) -> None:
    """Walk A: choosing a letter below the map showed its detail but left the map on the whole city."""
    app.run()
    assert _map_view(app).get("center") is None
    app.selectbox(key="cm_pick").select("LH-1").run()
    assert not app.exception
    view = _map_view(app)
    assert view["center"] == pytest.approx([24.45, 117.8], abs=1e-5) and view["zoom"] >= 14
    app.selectbox(key="cm_pick").select("NOPT").run()  # no coordinate: nothing to zoom to, the map stays put
    assert _map_view(app).get("center") is None


def test_a_letter_on_a_saved_plan_is_not_offered_for_selection_again(engine, app: AppTest) -> None:
    """Walk B: 加入选件清单 was offered for a letter already 已选件 on a saved plan."""
    add_case(engine, "SEL-1", status="selected")
    app.run()
    app.selectbox(key="cm_pick").select("SEL-1").run()
    assert not app.exception
    assert not [b for b in app.button if b.key == "cm_add_to_selection"]
    assert any("本件已选件（已在保存的下访计划中）" in c.value for c in app.caption)
    app.selectbox(key="cm_pick").select("PH-2").run()  # an open letter on no plan still can be added
    assert [b for b in app.button if b.key == "cm_add_to_selection"]
