"""AppTest of 地名校准: places listed by how far off they may be and how many cases they move; a correction
moves the village's open cases and is refused to officers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from planner.intake import register as intake
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "places.py")
HEADER = ("编号,收件日期,办理期限,来源,问题类别,信访人,联系电话,身份证号,反映内容,被反映人,被反映单位,"
          "地址,经度,纬度,坐标系,办理状态\n")


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    rows = [("P1", "平和县山格镇土田村"), ("P2", "平和县山格镇土田村5组"), ("P3", "芗城区新桥街道浦州社区")]
    data = HEADER + "".join(f"{n},2026-11-02,2026-12-31,来信,惠农补贴,匿名,,,反映问题。,林某,村委会,{a},,,,待办\n"
                            for n, a in rows)
    intake.import_register(engine, data.encode("utf-8"), filename="r.csv", today=dt.date(2026, 11, 26))
    return AppTest.from_file(PAGE, default_timeout=30)


def test_places_are_listed_by_precision_and_cases(app: AppTest) -> None:
    app.run()
    assert not app.exception
    table = app.dataframe[0].value
    # 平和 is far larger than 芗城: its town and village points may be farther off, and two cases sit there.
    top = table.iloc[:2].set_index("名称")
    assert set(top.index) == {"山格镇", "土田村"}
    assert (top.loc["土田村", "未办结信访件"], top.loc["土田村", "坐标来源"]) == (2, "内置估计")
    assert (top["可能偏差(km)"] > 40).all()
    assert set(table["名称"]) >= {"土田村", "山格镇", "浦州社区", "新桥街道"}


def test_correction_moves_open_cases(app: AppTest, engine) -> None:
    app.run()
    app.selectbox(key="pl_code").select("350628101210")
    app.run()
    app.number_input(key="pl_lon_350628101210").set_value(117.412345)
    app.number_input(key="pl_lat_350628101210").set_value(24.381234)
    app.button[0].click()
    app.run()
    assert not app.exception
    assert any("2 件信访件（未办结的和有回访、整改待办的）已移到新位置" in s.value for s in app.success)
    with session_scope(engine) as s:
        pts = {r.case_no: (r.lon, r.lat, r.point_source) for r in s.scalars(select(CaseRow))}
    assert pts["P1"] == (pytest.approx(117.412345), pytest.approx(24.381234), "corrected")
    assert pts["P3"][2] == "town_seat"


def test_officers_see_but_do_not_correct(app: AppTest) -> None:
    app.session_state["actor"] = Actor("off1", "officer", team_ids=("T9",))
    app.run()
    assert not app.exception
    assert any("需要规划权限" in i.value for i in app.info) or not app.dataframe
