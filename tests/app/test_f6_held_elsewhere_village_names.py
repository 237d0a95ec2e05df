"""AppTest of 路线规划's 其他计划中 warning (walk): a stop whose letter another plan holds was named by the visit's
label (``V1 诏安县四都镇``, the place 选件 found) while the 未安排的走访点 table below and 行程 call it
``诏安县四都镇溪东村``. The warning now names each stop as the rest of the page does
(:func:`planner.field.stop_names.stop_places`)."""

from __future__ import annotations

from _ui_data import TODAY, add_case, db_url
from app_steps import MONDAY_7, planning_page
from sqlalchemy import select, update

from pages.common import Key
from planner.domain import Team, Visit
from planner.store.database import session_scope
from planner.store.models import CaseRow, PlanCase, PlanRow
from planner.store.teams import save_team

VISITS = (
    Visit("V1", 117.17, 23.75, 45, label="诏安县四都镇", case_nos=("ZA1",)),
    Visit("V2", 117.19, 23.77, 45, label="诏安县四都镇", case_nos=("ZA2",)),
    Visit("V3", 117.33, 24.37, 45, label="平和县小溪镇", case_nos=("ZZ3",)),
)


def test_stops_held_by_another_plan_are_named_by_their_village(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_team(s, Team("A", "平和一组", 117.313, 24.363, base_name="平和县纪委监委"))
    for no, village in (("ZA1", "溪东村"), ("ZA2", "西山村")):
        add_case(engine, no, county_code="350624", county="诏安县", town="四都镇", lon=117.17, lat=23.75)
        with session_scope(engine) as s:
            s.execute(update(CaseRow).where(CaseRow.case_no == no).values(village=village))
    add_case(engine, "ZZ3", town="小溪镇")
    with session_scope(engine) as s:  # another live plan already sends a team to both 四都镇 letters
        plan = PlanRow(name="第50周", start_date=TODAY, days=5, status="issued")
        s.add(plan)
        s.flush()
        for seq, no in enumerate(("ZA1", "ZA2"), 1):
            cid = s.scalar(select(CaseRow.id).where(CaseRow.case_no == no))
            s.add(PlanCase(plan_id=plan.id, case_id=cid, visit_id=f"X{seq}", team_id="A", visit_date=TODAY, seq=seq))
    app = planning_page(TODAY, MONDAY_7)
    app.session_state[Key.VISITS] = VISITS
    app.run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    (warned,) = [w.value for w in app.warning if "已在其他计划中" in w.value]
    assert warned.startswith("2 个走访点的信访件已在其他计划中"), warned
    assert "V1 诏安县四都镇溪东村（" in warned and "V2 诏安县四都镇西山村（" in warned, warned
    assert "第50周" in warned and "V3" not in warned, warned
