"""AppTest of 行程: pick a team and day of the plan in session state; the itinerary and the downloads show."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.field import load_document

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "tests" / "data" / "plan_zhangzhou.json"


@pytest.fixture()
def app(tmp_path, monkeypatch) -> AppTest:
    # An empty SQLite file: no saved plans, so the page works from the plan in session state.
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    at = AppTest.from_file(str(ROOT / "pages" / "itinerary.py"), default_timeout=30)
    at.session_state["plan_doc"] = load_document(PLAN)
    return at


def _table(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_without_a_plan_the_page_points_to_planning(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'y.db'}")
    at = AppTest.from_file(str(ROOT / "pages" / "itinerary.py"), default_timeout=30)
    at.run()
    assert not at.exception
    assert any("路线规划" in i.value for i in at.info)
    assert not at.download_button


def test_first_team_day_is_shown_with_break_and_downloads(app: AppTest) -> None:
    app.run()
    assert not app.exception
    assert app.selectbox(key="it_team").value == "T1"
    assert app.selectbox(key="it_date").value == dt.date(2026, 12, 7)
    stops = _table(app, "地点")
    assert list(stops["序号"]) == [1, 2, 3, 4, 5, 6]
    assert list(stops["到达"]) == ["08:55", "09:56", "10:52", "13:15", "14:19", "15:20"]
    assert stops["高德导航"].str.startswith("https://uri.amap.com/navigation?").all()
    timeline = _table(app, "事项")
    items = list(timeline["事项"])
    stop3, lunch, stop4 = (items.index(t) for t in ("3. 平和县南胜镇法华村", "午休", "4. 平和县安厚镇龙头村"))
    assert stop3 < lunch < stop4
    assert "含午休" in items[lunch - 1]
    labels = {b.label for b in app.download_button}
    assert {"行程单 PDF", "离线地图 HTML", "日历 ICS", "GPX 航点", "KML", "GeoJSON", "整包 zip"} <= labels
    assert "Excel 汇总（全部组和日期）" in labels
    assert app.session_state["itinerary_team"] == "T1"


def test_choosing_another_team_shows_its_day(app: AppTest) -> None:
    app.run()
    app.selectbox(key="it_team").set_value("T2").run()
    assert not app.exception
    stops = _table(app, "地点")
    assert list(stops["地点"]) == ["南靖县靖城镇湖林村", "南靖县龙山镇涌口村"]
    assert app.session_state["itinerary_team"] == "T2"
    assert any("第二检查组" in h.value for h in app.subheader)


def test_days_follow_the_team(app: AppTest) -> None:
    app.run()
    assert app.selectbox(key="it_date").options == ["2026-12-07", "2026-12-08"]
    app.selectbox(key="it_date").set_value(dt.date(2026, 12, 8)).run()
    assert list(_table(app, "地点")["地点"]) == ["平和县小溪镇西林村"]


def test_unmask_is_offered_only_to_allowed_roles_and_needs_a_reason(app: AppTest) -> None:
    security = pytest.importorskip("planner.office.security")
    app.session_state["actor"] = security.Actor(username="li", role="officer", team_ids=("T1",))
    app.run()
    app.toggle(key="it_contacts").set_value(True).run()
    assert not app.exception
    assert not [t for t in app.toggle if t.key == "it_unmask"]
    assert not any(b.disabled for b in app.download_button)

    app.session_state["actor"] = security.Actor(username="boss", role="admin", can_unmask=True)
    app.run()
    app.toggle(key="it_unmask").set_value(True).run()
    assert any("理由" in w.value for w in app.warning)
    assert all(b.disabled for b in app.download_button)
    app.text_input(key="it_reason").input("联系信访人核实").run()
    assert not app.warning
    assert not any(b.disabled for b in app.download_button)


def test_saved_plan_is_listed_and_loaded(engine, monkeypatch) -> None:
    from planner.store.database import session_scope
    from planner.store.plans import save_plan

    with session_scope(engine) as s:
        plan_id = save_plan(s, load_document(PLAN), name="平和 12 月第一周", who="boss")
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    at = AppTest.from_file(str(ROOT / "pages" / "itinerary.py"), default_timeout=30)
    at.run()
    assert not at.exception
    assert at.selectbox(key="it_plan").value == plan_id
    assert "平和 12 月第一周" in at.selectbox(key="it_plan").format_func(plan_id)
    assert at.session_state["plan_id"] == plan_id
    assert list(_table(at, "地点")["序号"]) == [1, 2, 3, 4, 5, 6]


def test_unsaved_plan_in_session_stays_selectable(engine, monkeypatch) -> None:
    from planner.store.database import session_scope
    from planner.store.plans import save_plan

    with session_scope(engine) as s:
        save_plan(s, load_document(PLAN), name="旧计划", who="boss")
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    at = AppTest.from_file(str(ROOT / "pages" / "itinerary.py"), default_timeout=30)
    doc = load_document(PLAN)
    at.session_state["plan_doc"] = doc
    at.run()
    assert at.selectbox(key="it_plan").value is None
    assert at.session_state["plan_doc"] is doc
