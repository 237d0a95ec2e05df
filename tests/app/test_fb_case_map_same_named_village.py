"""AppTest of 案件地图 (walk W25): a letter whose address is a village name five places hold (白石村) stayed 未定位 —
the clerk had to click the map or type coordinates although the import's note named the five places — and 查看信访件
found it only by its number (地点不详). The detail now offers the resolver's candidates; the one chosen gives the letter
its county, town, village, point and precision as if the address had named it, says who chose it among which places,
is audited, refused when the letter changed meanwhile, and kept by a re-import. The picker and the list carry the
address as written."""

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
from planner.places import resolver
from planner.store.database import session_scope
from planner.store.models import AuditRow, CaseHistory, CaseRow
from planner.store.register_fields import set_category

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "case_map.py")
TODAY = dt.date(2026, 12, 7)
CSV = ("编号,收件日期,问题类别,反映内容,地址\n"
       "W25-1,2026-11-02,林业,反映村里修路款被截留，路修一半停工。,白石村\n"
       "W25-2,2026-11-03,低保,反映低保名额优亲厚友。,水头村\n"
       "W25-3,2026-11-04,林业,反映收取桉树砍伐保证金。,平和县山格镇土田村\n").encode()
CHOICE = "云霄县火田镇白石村(350622105221)"
COORD = Actor("lin", "coordinator", display_name="林协调")


@pytest.fixture()
def app(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    import_register(engine, CSV, filename="登记表.csv", today=TODAY)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.session_state["actor"] = COORD
    return at


def _row(engine, no: str) -> CaseRow:
    with session_scope(engine) as s:
        row = s.scalars(select(CaseRow).where(CaseRow.case_no == no)).one()
        s.expunge(row)
        return row


def _open(at: AppTest, no: str) -> AppTest:
    at.run()
    assert not at.exception
    at.selectbox(key="cm_pick").select(no).run()
    assert not at.exception
    return at


def test_fb_the_picker_and_the_list_carry_the_written_address(app: AppTest) -> None:
    app.run()
    assert not app.exception
    labels = app.selectbox(key="cm_pick").options
    # Typing 白石村 or 水头村 finds the letter: its option carries the address as written, not 地点不详.
    assert any(lab.startswith("W25-1｜") and "白石村" in lab for lab in labels), labels
    assert any(lab.startswith("W25-2｜") and "水头村" in lab for lab in labels), labels
    assert not any(lab.startswith(("W25-1｜", "W25-2｜")) and "地点不详" in lab for lab in labels)
    table = next(d.value for d in app.dataframe if "位置" in d.value.columns)
    where = dict(zip(table["编号"], table["位置"], strict=True))
    assert "白石村" in where["W25-1"] and where["W25-1"].startswith("未定位"), where
    assert "水头村" in where["W25-2"], where


def test_fb_a_candidate_chosen_places_the_letter_as_if_the_address_named_it(engine, app: AppTest) -> None:
    _open(app, "W25-1")
    assert any("未定位" in w.value and "按候选地点定位" in w.value for w in app.warning), [w.value for w in app.warning]
    pick = app.radio(key="cm_edit_W25-1_choose_pick")
    assert len(pick.options) == 5 and "云霄县火田镇白石村" in pick.options
    pick.set_value(CHOICE)
    next(b for b in app.button if b.label == "按所选地点定位").click().run()
    assert not app.exception
    assert any("已按所选地点定位：云霄县火田镇白石村" in s.value for s in app.success), [s.value for s in app.success]
    named = resolver.resolve("云霄县火田镇白石村")
    row = _row(engine, "W25-1")
    assert (row.county, row.town, row.village, row.village_code) == ("云霄县", "火田镇", "白石村", "350622105221")
    assert (row.lon, row.lat, row.precision, row.precision_km) == (named.lon, named.lat, "village",
                                                                    named.precision_km)
    # The point is the resolver's estimate (火田镇's seat), kept as one: not a point set by hand (FB2).
    assert row.point_source == named.coord_source == "town_seat"
    assert "林协调（lin）从候选地点中选定云霄县火田镇白石村" in row.geocode_message
    assert "漳浦县佛昙镇白石村" in row.geocode_message and "平和县安厚镇白石村" in row.geocode_message
    assert any("地点" in m.value and "云霄县火田镇白石村" in m.value for m in app.markdown)
    assert any(c.value.startswith("定位说明：") and "林协调（lin）从候选地点中选定" in c.value for c in app.caption)
    assert any(c.value.startswith("位置为估计：") for c in app.caption)
    with session_scope(engine) as s:
        audit = s.scalars(select(AuditRow).where(AuditRow.action == "place_correct")).all()
        assert [a.detail["chosen"] for a in audit] == [CHOICE]
        assert len(audit[0].detail["candidates"]) == 5
        assert s.scalars(select(CaseHistory.action).where(CaseHistory.case_id == row.id,
                                                          CaseHistory.action == "relocate")).all() == ["relocate"]
    # The same register imported again keeps the place chosen in the app (README: 再导入不改回系统中的更正).
    import_register(engine, CSV.replace("停工。".encode(), "停工。（补充）".encode()), filename="登记表.csv",
                    today=TODAY)
    again = _row(engine, "W25-1")
    assert (again.village_code, again.lon, again.point_source) == ("350622105221", named.lon, "town_seat")
    assert "（补充）" in again.content


def test_fb_a_choice_on_a_letter_changed_meanwhile_is_refused(engine, app: AppTest) -> None:
    _open(app, "W25-2")
    app.radio(key="cm_edit_W25-2_choose_pick").set_value("诏安县建设乡水头村(350624203204)")
    with session_scope(engine) as s:  # someone else corrects the letter while the form is open
        set_category(s, "W25-2", "征地拆迁", who="other")
    next(b for b in app.button if b.label == "按所选地点定位").click().run()
    assert not app.exception
    assert any("已由他人修改" in e.value for e in app.error), [e.value for e in app.error]
    row = _row(engine, "W25-2")
    assert row.lon is None and row.village == "" and row.point_source != "case_corrected"

