"""Walk W13, 路线规划 › 锁定: one stop had two names, 「V001 云霄县陈岱镇」 in the lock list (the visit's label, written
by 选件 from the place the import found) and 「云霄县陈岱镇陈岱村（村表无此村，待核对）」 on 行程; two stops both read
「云霄县陈岱镇」 in the list. The page now names each stop as 行程 does (:func:`planner.field.model.stop_place`) in the
lock list and in the stops table."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from _ui_data import TODAY, add_case, db_url
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.domain import Team, Visit
from planner.field.model import build_itinerary, enrich_cases
from planner.places.letters import locate_letters
from planner.store.database import session_scope
from planner.store.models import CaseRow
from planner.store.teams import save_team

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "planning.py")
ADDRESSES = {"C1": "云霄县陈岱镇", "C2": "云霄县陈岱镇陈岱村"}  # 陈岱村: not in 陈岱镇's village table


def _planned(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_team(s, Team("A", "云霄一组", 117.34, 23.95, base_name="云霄县纪委监委"))
    fields = locate_letters([SimpleNamespace(values={"address_text": a, "content": ""}) for a in ADDRESSES.values()])
    visits = []
    for i, (no, loc) in enumerate(zip(ADDRESSES, fields, strict=True)):
        add_case(engine, no, county_code="350622", county="云霄县", town="陈岱镇")
        with session_scope(engine) as s:
            s.execute(update(CaseRow).where(CaseRow.case_no == no).values(address_text=ADDRESSES[no], **loc))
        # As 选件 labels them: the place the import found, the same for both.
        visits.append(Visit(f"V00{i + 1}", loc["lon"], loc["lat"], 45, label=f"{loc['county']}{loc['town']}",
                            case_nos=(no,)))
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.session_state[Key.VISITS] = visits
    at.run()
    at.number_input(key="pl_days").set_value(1)
    next(b for b in at.button if b.label == "开始规划").click().run()
    assert not at.exception and not at.error
    return at


def test_the_lock_list_and_the_table_name_each_stop_as_the_itinerary_does(engine, monkeypatch) -> None:
    at = _planned(engine, monkeypatch)
    doc = at.session_state[Key.PLAN_DOC]
    route = next(r for r in doc.plan.routes if r.stops)
    with session_scope(engine) as s:
        it = build_itinerary(enrich_cases(doc, s), route.team_id, route.date)
    on_itinerary = {stop.visit.visit_id: stop.place() for stop in it.stops}
    assert len(on_itinerary) == 2 and len(set(on_itinerary.values())) == 2  # told apart on 行程
    assert any("陈岱村" in name for name in on_itinerary.values())
    options = at.multiselect(key="pl_locked").options
    assert sorted(options) == sorted(f"{vid} {name}" for vid, name in on_itinerary.items())
    table = at.dataframe[-1].value
    shown = {r["编号"]: r["走访点"] for r in table.to_dict("records") if r["编号"] in on_itinerary}
    assert shown == on_itinerary


def test_the_not_met_note_under_the_lock_list_names_the_stop_the_same_way(engine, monkeypatch) -> None:
    from planner.field.stop_names import stop_places
    from planner.store.lifecycle import PlanStatus
    from planner.store.plans import OpenedPlan

    doc = _planned(engine, monkeypatch).session_state[Key.PLAN_DOC]
    with session_scope(engine) as s:
        names = stop_places(s, doc)
    vid = next(v for v, x in doc.visits.items() if x.case_nos == ("C2",))
    opened = OpenedPlan(1, "试排", PlanStatus.ISSUED, 1, doc, not_met=((vid, TODAY),))
    assert "陈岱村" in names[vid] and names[vid] != doc.visits[vid].label
    assert opened.not_met_notice(names).startswith(f"{vid} {names[vid]}（{TODAY:%m-%d} 未找到）")
