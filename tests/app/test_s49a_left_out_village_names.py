"""AppTest of 路线规划's left-out stops named by their village (walk S49a): two stops left out were both listed as
诏安县四都镇 (the visits' label, the place 选件 found) though their letters are at 溪东村 and 西山村. The 未安排的走访点
table, its suggestion buttons and the 必访点未排入 warning name each stop as 行程 does
(:func:`planner.field.stop_names.stop_places`): 诏安县四都镇溪东村, 诏安县四都镇西山村."""

from __future__ import annotations

import datetime as dt

from _ui_data import TODAY, add_case, db_url
from app_steps import MONDAY_7, planning_page
from sqlalchemy import update

from pages.common import Key
from planner.domain import Team, Visit
from planner.store.database import session_scope
from planner.store.models import CaseRow
from planner.store.teams import save_team

LATE = TODAY + dt.timedelta(days=14)  # after the plan's two days: neither stop can go in
VISITS = (
    Visit("V1", 117.17, 23.75, 45, label="诏安县四都镇", case_nos=("ZA1",), must=True, date=LATE),
    Visit("V2", 117.19, 23.77, 45, label="诏安县四都镇", case_nos=("ZA2",), must=True, date=LATE),
    Visit("V3", 117.33, 24.37, 45, label="平和县小溪镇", case_nos=("ZZ3",), must=True),
)


def test_left_out_stops_are_named_by_their_village(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_team(s, Team("A", "平和一组", 117.313, 24.363, base_name="平和县纪委监委"))
    for no, village in (("ZA1", "溪东村"), ("ZA2", "西山村")):
        add_case(engine, no, county_code="350624", county="诏安县", town="四都镇", lon=117.17, lat=23.75)
        with session_scope(engine) as s:
            s.execute(update(CaseRow).where(CaseRow.case_no == no).values(village=village))
    add_case(engine, "ZZ3", town="小溪镇")
    app = planning_page(TODAY, MONDAY_7)
    app.session_state[Key.VISITS] = VISITS
    app.run()
    app.date_input(key="pl_start").set_value(TODAY)
    app.number_input(key="pl_days").set_value(2)
    app.number_input(key="pl_limit").set_value(1)
    next(b for b in app.button if b.label == "开始规划").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert "未安排的走访点（2 个）" in [h.value for h in app.subheader], [h.value for h in app.subheader]
    (table,) = [d.value for d in app.dataframe if "原因与建议" in d.value.columns]
    assert dict(zip(table["走访点"], table["地点"], strict=True)) == {"V1": "诏安县四都镇溪东村",
                                                                     "V2": "诏安县四都镇西山村"}, table
    (warned,) = [w.value for w in app.warning if "必访点未排入" in w.value]
    assert "V1 诏安县四都镇溪东村" in warned and "V2 诏安县四都镇西山村" in warned, warned
    buttons = [b.label for b in app.button if "四都镇" in b.label]
    assert all("溪东村" in b or "西山村" in b for b in buttons), buttons
