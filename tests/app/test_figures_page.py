"""AppTest of 统计: totals from recorded outcomes, grouping and period widgets, trend, Excel download."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from planner.store.database import session_scope
from planner.store.models import CaseRow, ClarificationRow, TeamRow, VisitOutcomeRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 7)


@pytest.fixture()
def app(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        s.add(TeamRow(id="T1", name="第五纪检监察室", base_lon=117.6, base_lat=24.5))
        rows = {}
        for no, code, county in (("A", "350628", "平和县"), ("B", "350629", "华安县"), ("C", "350628", "平和县")):
            rows[no] = CaseRow(case_no=no, received_date=dt.date(2026, 1, 5), deadline=dt.date(2026, 3, 6),
                               content=no, county_code=code, county=county, category="林业")
            s.add(rows[no])
        s.flush()
        s.add_all([
            VisitOutcomeRow(case_id=rows["A"].id, visit_date=dt.date(2026, 3, 3), result="visited", team_id="T1",
                            problem_resolved=True, households_visited=40, leads_collected=3, problems_solved=5),
            VisitOutcomeRow(case_id=rows["B"].id, visit_date=dt.date(2026, 7, 9), result="visited", team_id="T1",
                            households_visited=2),
            VisitOutcomeRow(case_id=rows["C"].id, visit_date=dt.date(2025, 11, 9), result="visited", team_id="T1",
                            households_visited=9),
            ClarificationRow(case_id=rows["B"].id, cadre="李某某", issued_date=dt.date(2026, 8, 1)),
        ])
    at = AppTest.from_file(str(ROOT / "pages" / "figures.py"), default_timeout=30)
    at.session_state["today"] = TODAY
    return at


def _metric(app: AppTest, label: str) -> str:
    return next(m.value for m in app.metric if m.label == label)


def test_totals_and_county_table_for_this_year(app: AppTest) -> None:
    app.run()
    assert not app.exception
    assert _metric(app, "带信下访件数") == "2"  # C was visited in 2025
    assert _metric(app, "入户走访（户次）") == "42"
    assert _metric(app, "澄清（人次）") == "1"
    table = app.table[0].value
    # All 11 counties in the official order, zeros included, then 合计.
    assert list(table["县区"]) == ["芗城区", "龙文区", "龙海区", "长泰区", "云霄县", "漳浦县", "诏安县", "东山县",
                                 "南靖县", "平和县", "华安县", "合计"]
    shown = table[table["带信下访件数"] + table["入户走访（户次）"] > 0]
    assert list(shown["县区"]) == ["平和县", "华安县", "合计"]
    assert list(shown["推动解决问题（件）"]) == [1, 0, 1]
    assert app.session_state["stats"].totals["leads_collected"] == 3


def test_widgets_change_range_grouping_and_period(app: AppTest) -> None:
    app.run()
    app.date_input(key="st_from").set_value(dt.date(2025, 1, 1))
    app.multiselect(key="st_by").set_value(["team"])
    app.selectbox(key="st_period").set_value("quarter").run()
    assert _metric(app, "带信下访件数") == "3"
    table = app.table[0].value
    assert list(table["检查组"]) == ["第五纪检监察室", "合计"]
    trend = [r.keys[0] for r in app.session_state["stats"].trend]
    assert trend[0] == "2025-Q1" and trend[-1] == "2026-Q4" and len(trend) == 8


def test_bad_range_shows_error(app: AppTest) -> None:
    app.run()
    app.date_input(key="st_from").set_value(dt.date(2027, 1, 1)).run()
    assert app.error and "晚于结束日期" in app.error[0].value


def test_excel_download_matches_figures(app: AppTest) -> None:
    app.run()
    button = app.get("download_button")[0]
    assert button.label == "下载 Excel"
    data = app.session_state["stats"]
    from planner.followup.stats import stats_to_excel

    wb = load_workbook(io.BytesIO(stats_to_excel(data)))
    last = [c.value for c in wb["汇总"][wb["汇总"].max_row]]
    assert last[:2] == ["合计", 2]


def test_county_filter(app: AppTest) -> None:
    app.run()
    app.multiselect(key="st_county").set_value(["350629"]).run()
    assert _metric(app, "带信下访件数") == "1"
    assert list(app.table[0].value["县区"]) == ["华安县", "合计"]


def _chart_specs(app: AppTest) -> list[dict]:
    import json

    return [json.loads(c.proto.spec) for c in app.get("vega_lite_chart")]


def test_every_chart_has_a_chinese_title(app: AppTest) -> None:
    """Issue 17: every chart on 统计 is titled, and its axes are named in Chinese."""
    app.run()
    specs = _chart_specs(app)
    assert len(specs) == 3  # trend, household visits, per county (grouped by county by default)
    titles = [s.get("title") if isinstance(s.get("title"), str) else (s.get("title") or {}).get("text")
              for s in specs]
    assert [t.split("（按")[1] for t in titles] == ["月）", "月）", "县区）"], titles
    assert all(len(t.split("（按")[0]) >= 4 for t in titles), titles
    for spec in specs:
        for channel in ("x", "y"):
            title = spec["encoding"][channel].get("title")
            assert title and not any(ch.isascii() and ch.isalpha() for ch in title), (channel, title)
    # The county chart follows the table's (official) order: 平和县 before 华安县.
    county = specs[2]["encoding"]["x"]["sort"]
    assert county.index("平和县") < county.index("华安县")


def test_count_axes_tick_whole_numbers(app: AppTest) -> None:
    """The walk saw a "0.000000" tick on a chart with no data: counts get integer ticks."""
    app.run()
    for spec in _chart_specs(app):
        axis = spec["encoding"]["y"].get("axis") or {}
        assert axis.get("format") == "d" and axis.get("tickMinStep") == 1, spec["encoding"]["y"]


def test_a_leader_is_told_the_figures_are_their_teams_only(app: AppTest) -> None:
    """Walk D: a leader's 统计 read 带信下访 2 under 全部县区 while the office had 4; nothing said 本组."""
    from planner.office.security import Actor

    app.session_state["actor"] = Actor(username="lead1", role="leader", team_ids=("T1",))
    app.run()
    assert not app.exception
    said = [i.value for i in app.info if "统计范围" in i.value]
    assert said and "第五纪检监察室" in said[0] and "不是全单位的数字" in said[0]
    coordinator = AppTest.from_file(str(ROOT / "pages" / "figures.py"), default_timeout=30)
    coordinator.session_state["today"] = TODAY
    coordinator.session_state["actor"] = Actor(username="coord", role="coordinator")
    coordinator.run()
    assert not coordinator.exception and not [i for i in coordinator.info if "统计范围" in i.value]
    assert _metric(coordinator, "带信下访件数") == _metric(app, "带信下访件数")  # every letter here is T1's
