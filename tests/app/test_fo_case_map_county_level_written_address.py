"""AppTest of 案件地图 (walk W29): a letter whose address is a village name several places hold (白石村), in a register
whose file name names a county without such a village (南靖县…登记表), is placed at 南靖县's seat and to be checked —
查看信访件 named it only 南靖县, so typing 白石村 found other letters, and the detail never said what the address
wrote. The picker now names the address as written beside any place that is not that address (a county or town
only, 待核对), the detail shows it (masked), and 按候选地点定位 offers the five 白石村 and places the letter."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from _ui_data import db_url
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.intake.register import import_register
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "case_map.py")
TODAY = dt.date(2026, 12, 7)
CSV = ("编号,收件日期,问题类别,反映内容,地址,信访人,联系电话\n"
       "W29-1,2026-11-02,林业,反映村里修路款被截留，路修一半停工。,白石村,张三丰,13800001111\n"
       "W29-2,2026-11-03,低保,反映低保名额优亲厚友。,书洋镇,李四,13800002222\n"
       "W29-3,2026-11-04,林业,反映收取桉树砍伐保证金。,山城镇下魏村王老五家 13800003333,王老五,13800003333\n"
       "W29-4,2026-11-05,林业,反映收取桉树砍伐保证金。,南靖县书洋镇塔下村,赵六,13800004444\n").encode()
FILE = "南靖县2026年11月信访件登记表.csv"
COORD = Actor("lin", "coordinator", display_name="林协调")


@pytest.fixture()
def app(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    import_register(engine, CSV, filename=FILE, today=TODAY)
    with session_scope(engine) as s:  # the walk's letter: placed at the county's seat, to be checked
        row = s.scalars(select(CaseRow).where(CaseRow.case_no == "W29-1")).one()
        assert (row.county, row.town, row.precision, row.point_source) == ("南靖县", "", "county", "county_seat")
        assert "请核对" in row.geocode_message
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.session_state["actor"] = COORD
    return at


def _labels(at: AppTest) -> dict[str, str]:
    return {lab.split("｜", 1)[0]: lab for lab in at.selectbox(key="cm_pick").options if "｜" in lab}


def test_fo_the_picker_finds_a_county_level_letter_by_its_written_address(app: AppTest) -> None:
    app.run()
    assert not app.exception
    labels = _labels(app)
    # Typing 白石村 finds the letter placed at 南靖县's seat: its option names the county and what the address wrote.
    assert "南靖县（登记表写：白石村）" in labels["W29-1"], labels
    # A town-level letter whose village the table gives elsewhere: the written village is found too, masked.
    assert "下魏村" in labels["W29-3"] and "王老五" not in labels["W29-3"], labels
    assert "13800003333" not in labels["W29-3"], labels
    # A place that already says what the address wrote is not repeated; a village placed as written neither.
    assert labels["W29-2"].split("｜")[1] == "南靖县书洋镇", labels
    assert "登记表写" not in labels["W29-4"], labels


def test_fo_the_detail_shows_the_written_address_and_offers_the_candidates(engine, app: AppTest) -> None:
    app.run()
    app.selectbox(key="cm_pick").select("W29-1").run()
    assert not app.exception
    place = next(m.value for m in app.markdown if m.value.startswith("**地点**"))
    assert "南靖县" in place and "**登记表写**：白石村" in place, place
    assert any(c.value.startswith("定位说明：") and "按候选地点定位" in c.value and "5 处" in c.value
               for c in app.caption), [c.value for c in app.caption]
    pick = app.radio(key="cm_edit_W29-1_choose_pick")
    # A 南靖县 register: none of the five is in its county, each marked so (all still offered).
    assert len(pick.options) == 5 and "平和县安厚镇白石村（其他区县）" in pick.options
    pick.set_value("平和县安厚镇白石村(350628105203)")
    next(b for b in app.button if b.label == "按所选地点定位").click().run()
    assert not app.exception
    assert any("已按所选地点定位：平和县安厚镇白石村" in s.value for s in app.success), [s.value for s in app.success]
    with session_scope(engine) as s:
        row = s.scalars(select(CaseRow).where(CaseRow.case_no == "W29-1")).one()
        assert (row.county, row.town, row.village) == ("平和县", "安厚镇", "白石村")
    # Placed at the village its address names: the place shown is the address, not repeated.
    place = next(m.value for m in app.markdown if m.value.startswith("**地点**"))
    assert "平和县安厚镇白石村" in place and "登记表写" not in place, place
    assert _labels(app)["W29-1"].split("｜")[1] == "平和县安厚镇白石村"


def test_fo_the_detail_masks_the_written_address(app: AppTest) -> None:
    app.run()
    app.selectbox(key="cm_pick").select("W29-3").run()
    assert not app.exception
    place = next(m.value for m in app.markdown if m.value.startswith("**地点**"))
    assert "**登记表写**：" in place and "下魏村" in place, place
    assert "王老五" not in place and "13800003333" not in place, place
