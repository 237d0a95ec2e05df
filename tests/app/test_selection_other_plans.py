"""选件 must not offer again a letter that a live plan (草稿, 已下发, 执行中) already sends a team to.

Found in a browser walk: a leader's plan was issued and an officer recorded two visits; the coordinator then chose
the top 40 on 选件 for next week, and the new plan, once issued, sent other teams to the same villages for 40 letters
of which 2 had just been visited and 3 were on today's route (the same letters on two live plans).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.store.database import session_scope
from planner.store.models import CaseRow, PlanCase, PlanRow, TeamRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 3)


@pytest.fixture()
def app(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    with session_scope(engine) as s:
        for no, status in (("ROUTED", "planned"), ("VISITED", "visited"), ("LEFT-OUT", "selected"),
                           ("FREE", "registered"), ("OLD", "visited")):
            s.add(CaseRow(case_no=no, received_date=dt.date(2026, 10, 1), deadline=dt.date(2026, 11, 30),
                          content=f"{no} 村干部截留危房改造补助款", category="惠民资金", county="漳浦县",
                          county_code="350623", town="霞美镇", village="塔岭村", lon=117.58, lat=23.9,
                          precision="village", status=status))
        s.add(TeamRow(id="T1", name="第一检查组", base_lon=117.65, base_lat=24.51))
        s.flush()
        ids = {c.case_no: c.id for c in s.query(CaseRow)}
        live = PlanRow(name="本周", start_date=TODAY, days=2, status="in_progress", created_at=dt.datetime(2026, 12, 2),
                       created_by="lead1", solver_status="feasible", objective=0, runtime_s=1.0, problem={},
                       result={}, version=1)
        done = PlanRow(name="上月", start_date=dt.date(2026, 11, 2), days=1, status="done",
                       created_at=dt.datetime(2026, 11, 1), created_by="lead1", solver_status="feasible",
                       objective=0, runtime_s=1.0, problem={}, result={}, version=1)
        s.add_all([live, done])
        s.flush()
        s.add_all([
            PlanCase(plan_id=live.id, case_id=ids["ROUTED"], visit_id="V1", team_id="T1", visit_date=TODAY, seq=1),
            PlanCase(plan_id=live.id, case_id=ids["VISITED"], visit_id="V2", team_id="T1", visit_date=TODAY, seq=2),
            PlanCase(plan_id=live.id, case_id=ids["LEFT-OUT"], visit_id="V3", team_id="", visit_date=None, seq=0),
            PlanCase(plan_id=done.id, case_id=ids["OLD"], visit_id="V1", team_id="T1",
                     visit_date=dt.date(2026, 11, 2), seq=1),
        ])
    at = AppTest.from_file(str(ROOT / "pages" / "selection.py"), default_timeout=30)
    at.session_state["today"] = TODAY
    return at


def test_letters_on_a_live_plan_are_not_offered_again(app: AppTest) -> None:
    app.run()
    assert not app.exception
    listed = set(app.dataframe[0].value["编号"])
    assert listed == {"LEFT-OUT", "FREE", "OLD"}  # the live plan's route holds ROUTED and VISITED
    assert any("ROUTED" in c.value or "2 件" in c.value for c in app.caption)
    app.button(key="sel_build").click().run()
    assert not app.exception
    chosen = {no for v in app.session_state[Key.VISITS] for no in v.case_nos}
    assert chosen == {"LEFT-OUT", "FREE", "OLD"}


def test_letters_sent_from_the_related_complaints_page_are_chosen(app: AppTest) -> None:
    """关联分析's “将其中 N 件未办结信件加入选件清单” said they were added; 选件 must then choose them."""
    app.session_state[Key.SELECTED_CASES] = ["OLD"]
    app.run()
    app.number_input(key="sel_top").set_value(0).run()  # nothing from the ranking: only what was sent
    assert not app.exception
    assert "OLD" in app.multiselect(key="sel_drop").options  # chosen, and can be taken out
    assert any("加入 1 件" in i.value for i in app.info)
    app.button(key="sel_build").click().run()
    assert {no for v in app.session_state[Key.VISITS] for no in v.case_nos} == {"OLD"}


def test_the_same_petitioners_other_letter_on_a_live_plan_keeps_this_one_off(engine, app: AppTest) -> None:
    """Walk A: a second plan routed a later letter of a petitioner whom the first team's plan visits for the same
    matter; two teams went to one door on two days."""
    with session_scope(engine) as s:
        for no, day in (("AGAIN", dt.date(2026, 11, 5)), ("OTHER-P", dt.date(2026, 11, 6))):
            # AGAIN writes again about ROUTED's matter: one writer's letters are one chain when one matter.
            s.add(CaseRow(case_no=no, received_date=day, deadline=dt.date(2026, 12, 30),
                          content=f"{no} 再次反映补助款被截留", category="惠民资金", county="漳浦县",
                          county_code="350623", town="霞美镇", village="塔岭村",
                          lon=117.58, lat=23.9, precision="village", status="registered",
                          petitioner_key="p-shen" if no == "AGAIN" else "p-zhou"))
        s.query(CaseRow).filter(CaseRow.case_no == "ROUTED").update({"petitioner_key": "p-shen"})
    app.run()
    assert not app.exception
    listed = set(app.dataframe[0].value["编号"])
    assert "AGAIN" not in listed and "OTHER-P" in listed
    said = " ".join(c.value for c in app.caption)
    assert "同一信访人的 ROUTED 已在计划 #" in said and "AGAIN" in said


def test_a_leader_is_not_told_another_teams_letter_or_plan(engine, app: AppTest) -> None:
    """Walk H: 选件 told leader A 同一信访人的 ZH-001 已在计划 #1「…」（第二检查组，草稿）中 — team B's case number,
    draft plan and repeat link. A leader of another team reads only that the petitioner's other letter is planned."""
    from planner.office.security import Actor

    with session_scope(engine) as s:
        s.add(CaseRow(case_no="AGAIN", received_date=dt.date(2026, 11, 5), deadline=dt.date(2026, 12, 30),
                      content="AGAIN 再次反映补助款被截留", category="惠民资金", county="漳浦县", county_code="350623",
                      town="霞美镇", village="塔岭村", lon=117.58, lat=23.9, precision="village",
                      status="registered", petitioner_key="p-shen"))
        s.query(CaseRow).filter(CaseRow.case_no == "ROUTED").update({"petitioner_key": "p-shen"})
        s.add(TeamRow(id="T2", name="第二检查组", base_lon=117.65, base_lat=24.51))
    app.session_state["actor"] = Actor("lead2", "leader", team_ids=("T2",))
    app.run()
    assert not app.exception
    said = " ".join(c.value for c in app.caption)
    assert "AGAIN" in said and "另一封来信已在其他检查组的计划中" in said
    assert "ROUTED" not in said and "计划 #" not in said and "第一检查组" not in said
