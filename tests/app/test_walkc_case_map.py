"""案件地图 after walk C: a letter chosen below the map is zoomed to as close as its point is precise (an estimate
within 52.1 km is not shown at street level), the picker finds letters by place and words, and a row chosen in the
list selects its letter like the picker."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.store.database import session_scope
from planner.store.models import CaseRow

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "case_map.py")


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    add_case(engine, "PH-1", content="平和县某村收取桉树砍伐保证金", received=dt.date(2026, 11, 3))
    add_case(engine, "HA-1", county_code="350629", county="华安县", town="仙都镇", lon=117.6, lat=24.9,
             content="仙都镇中心小学食堂采购价格虚高", received=dt.date(2026, 11, 2))
    add_case(engine, "LH-1", county_code="350681", county="龙海市", lon=117.8, lat=24.45,
             received=dt.date(2026, 11, 1))
    with session_scope(engine) as s:
        rows = {r.case_no: r for r in s.query(CaseRow)}
        rows["PH-1"].point_source, rows["PH-1"].precision_km = "county_seat", 52.1  # 实际地点可能在 52.1 km 以内
        rows["HA-1"].point_source, rows["HA-1"].precision_km = "town_seat", 4.0
        rows["LH-1"].point_source = "register"  # the register's own coordinates
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state[Key.TODAY] = TODAY
    return at


def _view(at: AppTest) -> dict:
    comp = next(el for el in at.get("component_instance") if "script" in el.proto.json_args)
    return json.loads(comp.proto.json_args)


def test_the_zoom_follows_the_points_precision(app: AppTest) -> None:
    app.run()
    zooms = {}
    for no in ("PH-1", "HA-1", "LH-1"):
        app.selectbox(key="cm_pick").set_value(no).run()
        assert not app.exception
        assert _view(app)["center"] is not None
        zooms[no] = _view(app)["zoom"]
    assert zooms["LH-1"] == 15  # an exact point: street level
    assert zooms["HA-1"] == 13  # a town seat a few km from the place
    assert zooms["PH-1"] <= 10  # a county seat standing for 52 km around: the area, not a flat fill


def test_the_picker_shows_place_and_words_and_keeps_the_number(app: AppTest) -> None:
    app.run()
    options = app.selectbox(key="cm_pick").options
    ha = next(o for o in options if o.startswith("HA-1"))
    assert "华安县仙都镇" in ha and "食堂采购" in ha  # typing 华安 or 食堂 finds it
    app.selectbox(key="cm_pick").set_value("HA-1").run()
    assert app.selectbox(key="cm_pick").value == "HA-1"
    assert app.session_state[Key.SELECTED_CASE] == "HA-1"
    assert any("信访件 HA-1" in h.value for h in app.subheader)


def test_a_row_chosen_in_the_list_selects_and_zooms_to_its_letter(app: AppTest) -> None:
    app.run()
    assert list(app.dataframe[-1].value["编号"]) == ["PH-1", "HA-1", "LH-1"]  # newest first
    app.session_state["cm_table"] = {"selection": {"rows": [2], "columns": [], "cells": []}}
    app.run()
    assert not app.exception
    assert app.session_state[Key.SELECTED_CASE] == "LH-1"
    assert any("信访件 LH-1" in h.value for h in app.subheader)
    assert _view(app)["center"] == pytest.approx([24.45, 117.8], abs=1e-5)
    # Another letter chosen in the picker wins over the row still selected in the list.
    app.selectbox(key="cm_pick").set_value("HA-1").run()
    assert app.session_state[Key.SELECTED_CASE] == "HA-1"
    app.run()
    assert app.session_state[Key.SELECTED_CASE] == "HA-1"
