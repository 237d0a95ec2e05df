"""Walk W26: on the trip's second day (12-08) the officer's 行程 opened on today and said nothing of 12-07's stops
still without an outcome (待登记); 首页 and 回访跟踪's 今日与回访 left them out too. Now each earlier day of an issued
or running plan with stops still 待登记 is named on 行程 and 首页 with one tap to open it, and its letters are listed
in 今日与回访 — the own team's only, and nothing for stops recorded or taken off by a re-plan."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from planner.field import load_document
from planner.field.day import TeamDay, save_stop_outcome
from planner.field.late_days import late_days
from planner.office import security
from planner.office.security import Actor, SessionToken
from planner.store.database import session_scope
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.models import CaseRow, PlanRow, VisitOutcomeRow
from planner.store.plans import load_plan, resave_plan, save_plan

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "tests" / "data" / "plan_zhangzhou.json"
DAY1, DAY2 = dt.date(2026, 12, 7), dt.date(2026, 12, 8)  # T1: six stops on 12-07, one on 12-08; T2: two on 12-07
OFFICER_T1 = Actor(username="li", role="officer", team_ids=("T1",), display_name="李干部")
OFFICER_T2 = Actor(username="wang", role="officer", team_ids=("T2",), display_name="王干部")
LEADER_T1 = Actor(username="zhao", role="leader", team_ids=("T1",), display_name="赵组长")


def _saved(engine, monkeypatch) -> int:
    """The fixture plan saved with its letters and issued; T1's and T2's officers and T1's leader exist."""
    doc = load_document(PLAN)
    with session_scope(engine) as s:
        for no, c in doc.cases.items():
            s.add(CaseRow(case_no=no, received_date=dt.date.fromisoformat(c["received_date"]),
                          deadline=dt.date.fromisoformat(c["deadline"]), title=c["summary"], content=c["summary"],
                          category=c["category"], county=c["county"], town=c["town"], village=c["village"],
                          status="planned"))
        s.flush()
        plan_id = save_plan(s, doc, name="平和 12 月第一周", who="boss")
        set_plan_status(s, plan_id, PlanStatus.ISSUED, who="boss")
        for a in (OFFICER_T1, OFFICER_T2, LEADER_T1):
            security.create_user(s, a.username, "Xiafang-2026-pass", role=a.role, team_ids=a.team_ids,
                                 display_name=a.display_name)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    return plan_id


def _stops(plan_id: int, engine, team_id: str, day: dt.date) -> list[list[str]]:
    with session_scope(engine) as s:
        doc = load_plan(s, plan_id)
    route = next(r for r in doc.plan.routes if (r.team_id, r.date) == (team_id, day))
    return [list(doc.visits[st.visit_id].case_nos) for st in route.stops]


def _record(engine, plan_id: int, case_nos, *, day: dt.date = DAY1, result: str = "visited") -> None:
    with session_scope(engine) as s:
        for no in case_nos:
            save_stop_outcome(s, TeamDay(day, "T1", plan_id), no, result=result, findings="已入户核实",
                              who="li", actor=OFFICER_T1, today=DAY2)


def _page(name: str, actor: Actor, today: dt.date = DAY2) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=60)
    at.session_state["actor"] = actor
    at.session_state["session_token"] = SessionToken.issue(actor)
    at.session_state["today"] = today
    return at


def _warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


def test_the_officer_lands_on_today_and_is_told_of_yesterdays_stops_with_one_tap_to_open_them(
        engine, monkeypatch) -> None:
    plan_id = _saved(engine, monkeypatch)
    stops = _stops(plan_id, engine, "T1", DAY1)
    _record(engine, plan_id, [no for st in stops[:3] for no in st])  # three of six recorded on 12-07
    at = _page("itinerary.py", OFFICER_T1)
    at.run()
    assert not at.exception
    assert at.session_state["itinerary_date"] == DAY2  # today's route first, as before
    said = [w for w in _warnings(at) if "未登记结果" in w]
    assert said and said[0].startswith("昨天 12-07（周一）还有 3 个走访点未登记结果：4. "), _warnings(at)
    assert "1. " not in said[0].split("：", 1)[1]  # the recorded stops are not named
    opener = next(b for b in at.button if b.label == "打开 12-07 的行程登记结果")
    opener.click().run()
    assert not at.exception
    assert (at.session_state["plan_id"], at.session_state["itinerary_date"]) == (plan_id, DAY1)
    assert any(m.value.startswith("### 待登记：4. ") for m in at.markdown)  # the first stop still waiting, with a form
    assert [w for w in _warnings(at) if "未登记结果" in w] == said  # still said, with no button to open it again
    assert not [b for b in at.button if b.label == "打开 12-07 的行程登记结果"]
    # Every stop recorded: nothing more is said.
    _record(engine, plan_id, [no for st in stops[3:] for no in st], result="not_found")
    at = _page("itinerary.py", OFFICER_T1)
    at.run()
    assert not [w for w in _warnings(at) if "未登记结果" in w], _warnings(at)


def test_an_officer_without_a_route_today_is_still_told_and_only_of_the_own_team(engine, monkeypatch) -> None:
    _saved(engine, monkeypatch)
    at = _page("itinerary.py", OFFICER_T2)  # T2 went out on 12-07 only
    at.run()
    assert not at.exception
    said = [w for w in _warnings(at) if "未登记结果" in w]
    assert len(said) == 1 and said[0].startswith("昨天 12-07（周一）还有 2 个走访点未登记结果：1. "), said
    # Its one plan has that one day for T2: the page shows it (nothing to choose) and says what is left there.
    assert at.session_state["itinerary_date"] == DAY1
    assert any(m.value.startswith("### 待登记：1. ") for m in at.markdown)
    with session_scope(engine) as s:
        assert [(d.day.team_id, len(d.stops)) for d in late_days(s, OFFICER_T2, DAY2)] == [("T2", 2)]
        assert [(d.day.team_id, len(d.stops)) for d in late_days(s, OFFICER_T1, DAY2)] == [("T1", 6)]
        assert late_days(s, OFFICER_T1, DAY1) == []  # the day itself is today's, not an earlier one


def test_stops_a_replan_took_off_the_day_are_not_named(engine, monkeypatch) -> None:
    plan_id = _saved(engine, monkeypatch)
    with session_scope(engine) as s:
        doc = load_plan(s, plan_id)
        routes = tuple(dataclasses.replace(r, stops=r.stops[:2]) if (r.team_id, r.date) == ("T1", DAY1) else r
                       for r in doc.plan.routes)
        version = s.get(PlanRow, plan_id).version
        resave_plan(s, plan_id, dataclasses.replace(doc, plan=dataclasses.replace(doc.plan, routes=routes)),
                    who="boss", expected_version=version)
    with session_scope(engine) as s:
        late = late_days(s, OFFICER_T1, DAY2)
    assert [(d.day.date, [st.seq for st in d.stops]) for d in late] == [(DAY1, [1, 2])]


def test_a_finished_plan_waits_for_nothing(engine, monkeypatch) -> None:
    plan_id = _saved(engine, monkeypatch)
    with session_scope(engine) as s:
        set_plan_status(s, plan_id, PlanStatus.DONE, who="boss")
    with session_scope(engine) as s:
        assert late_days(s, OFFICER_T1, DAY2) == []


def test_the_leaders_home_page_names_the_day_and_opens_it(engine, monkeypatch) -> None:
    plan_id = _saved(engine, monkeypatch)
    at = _page("home.py", LEADER_T1)
    at.run()
    assert not at.exception
    said = [w for w in _warnings(at) if "未登记结果" in w]
    assert len(said) == 1 and said[0].startswith("昨天 12-07（周一）还有 6 个走访点未登记结果"), _warnings(at)
    went: list[tuple[str, dict]] = []
    monkeypatch.setattr(st, "switch_page", lambda page, query_params=None: went.append((page, query_params)))
    at.session_state["plan_doc"] = load_document(PLAN)  # 行程 was open on another plan before
    next(b for b in at.button if b.label == "打开 12-07 的行程登记结果").click().run()
    assert went == [("pages/itinerary.py", {"plan": str(plan_id), "team": "T1", "day": "2026-12-07"})]
    assert at.session_state["plan_doc"] is None  # so 行程 opens the day the address names
    it = _page("itinerary.py", LEADER_T1)
    it.query_params.update(went[0][1])
    it.run()
    assert not it.exception
    assert (it.session_state["plan_id"], it.session_state["itinerary_date"]) == (plan_id, DAY1)
    assert any(m.value.startswith("### 待登记：1. ") for m in it.markdown)


@pytest.mark.parametrize("actor", [OFFICER_T1, LEADER_T1])
def test_followup_today_lists_yesterdays_letters_still_waiting(engine, monkeypatch, actor) -> None:
    plan_id = _saved(engine, monkeypatch)
    stops = _stops(plan_id, engine, "T1", DAY1)
    _record(engine, plan_id, [no for st in stops[:3] for no in st])
    at = _page("followup.py", actor)
    at.session_state["fu_scope"] = "today"
    at.run()
    assert not at.exception
    box = at.selectbox(key="fu_case")
    labels = list(box.options)
    waiting = [no for st in stops[3:] for no in st]
    for no in waiting:
        assert any(f"[待登记 12-07] {no} · " in lb for lb in labels), labels
    for no in (no for stop in stops[:3] for no in stop):  # recorded: not work due
        assert not any(f"] {no} · " in lb for lb in labels), labels
    t2 = [no for st in _stops(plan_id, engine, "T2", DAY1) for no in st]
    assert not any(no in lb for no in t2 for lb in labels)  # the own team's only
    first = next(lb for lb in labels if "[待登记 12-07]" in lb)
    at.selectbox(key="fu_case").set_value(first).run()
    assert not at.exception
    assert any("12-07 计划走访，尚未登记结果" in c.value for c in at.caption)
    assert [d.value for d in at.date_input if d.label == "走访日期"] == [DAY1]  # recorded against that day



def test_a_stop_recorded_later_in_followup_is_not_named(engine, monkeypatch) -> None:
    """Its visit entered in 回访跟踪 with the day it was really made (12-08): nothing waits on 12-07 for it."""
    plan_id = _saved(engine, monkeypatch)
    stops = _stops(plan_id, engine, "T1", DAY1)
    with session_scope(engine) as s:
        for no in stops[0]:
            case_id = s.scalars(select(CaseRow.id).where(CaseRow.case_no == no)).one()
            s.add(VisitOutcomeRow(case_id=case_id, visit_date=DAY2, result="visited", team_id="T1",
                                  findings="补走访", recorded_by="li"))
    with session_scope(engine) as s:
        (late,) = late_days(s, OFFICER_T1, DAY2)
    assert [st.seq for st in late.stops] == [2, 3, 4, 5, 6]
