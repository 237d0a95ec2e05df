"""authorise(actor, action, obj), the team scopes, and one test per failure of issues 13.1, 13.2 and 14.2.

Each failure test drives the path the attacker or the walk used (page, download library call, CLI) and would have
passed the attack on the old main.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, update
from streamlit.testing.v1 import AppTest

from planner.domain import mask_phone
from planner.errors import InputError, PermissionDenied
from planner.field import export_plan
from planner.office import authorisation as authz
from planner.office.authorisation import CaseRef, DocumentRef, PlanRef, TeamRef, authorise
from planner.office.security import SYSTEM, Actor
from planner.store.cases import load_cases
from planner.store.database import make_engine, session_scope, upgrade
from planner.store.models import PlanRow
from planner.store.plans import list_plans, load_plan, save_plan

from ._seed import (
    ACCOUNTS,
    DAY,
    PASSWORD,
    PLAN,
    ROOT,
    foreign_cases,
    names_of,
    own_cases,
    petitioner,
    plan_doc,
    seed,
    texts,
)

OFFICER, LEADER, STRANGER = ACCOUNTS["officer"], ACCOUNTS["leader"], ACCOUNTS["stranger"]


# --- the function itself ----------------------------------------------------------------------------------------------


def test_nobody_signed_in_is_refused_everything() -> None:
    for action in authz.ACTIONS:
        with pytest.raises(PermissionDenied, match="未登录"):
            authorise(None, action)


def test_an_unknown_action_is_an_error_not_a_refusal() -> None:
    with pytest.raises(InputError, match="不认识的权限"):
        authorise(OFFICER, "plan_routes")


def test_roles_by_action() -> None:
    assert authz.is_allowed(OFFICER, "download_itinerary")
    assert not authz.is_allowed(OFFICER, "plan")
    assert not authz.is_allowed(OFFICER, "export")
    assert authz.is_allowed(LEADER, "plan") and authz.is_allowed(LEADER, "unmask")
    assert not authz.is_allowed(replace(LEADER, can_unmask=False), "unmask")
    assert not authz.is_allowed(SYSTEM, "unmask")  # revealing identity needs a person
    with pytest.raises(PermissionDenied, match="无权规划路线"):
        authorise(OFFICER, "plan")


def test_teams_in_scope() -> None:
    authorise(OFFICER, "download_itinerary", TeamRef("T1"))
    with pytest.raises(PermissionDenied, match="'T2' 不是本人所在或负责的组"):
        authorise(OFFICER, "download_itinerary", TeamRef("T2"))
    authorise(ACCOUNTS["coordinator"], "download_itinerary", TeamRef("T2"))
    assert authz.team_scope(STRANGER) == frozenset({"T9"})
    assert authz.team_scope(ACCOUNTS["admin"]) is None
    assert authz.team_scope(Actor("nobody", "officer")) == frozenset()


def test_cases_documents_and_saved_plans_in_scope(engine: Engine) -> None:
    team_of = seed(engine)
    t1 = next(no for no, t in team_of.items() if t == "T1")
    t2 = next(no for no, t in team_of.items() if t == "T2")
    pool = next(no for no, t in team_of.items() if not t)
    with session_scope(engine) as s:
        pid = list_plans(s)[0].plan_id
        authorise(OFFICER, "record_outcome", CaseRef(t1), session=s)
        authorise(OFFICER, "record_outcome", DocumentRef("clarification", t1), session=s)
        # T2's letter is on T2's issued route (said so); the pool's is no team's.
        for no, said in ((t2, "已排入第二检查组的计划"), (pool, "不属于本组")):
            with pytest.raises(PermissionDenied, match=said):
                authorise(OFFICER, "record_outcome", CaseRef(no), session=s)
        authorise(LEADER, "plan", CaseRef(pool), session=s)  # the pool is a leader's to plan from
        with pytest.raises(PermissionDenied):
            authorise(LEADER, "plan", CaseRef(t2), session=s)
        authorise(OFFICER, "view_cases", PlanRef(plan_id=pid), session=s)
        with pytest.raises(PermissionDenied, match="不含本组的线路"):
            authorise(STRANGER, "view_cases", PlanRef(plan_id=pid), session=s)
        # issuing or finishing a saved plan acts on all its teams: a T1 leader may not move T2's routes
        authorise(LEADER, "view_cases", PlanRef(plan_id=pid), session=s)
        with pytest.raises(PermissionDenied, match="T2"):
            authorise(LEADER, "plan", PlanRef(plan_id=pid), session=s)
        s.get(PlanRow, pid).status = "done"  # its letters free again: a letter is on one unfinished plan at a time
        own = save_plan(s, authz.filter_plan_for(LEADER, plan_doc()), name="一组", who="a_lead", actor=LEADER)
        authorise(LEADER, "plan", PlanRef(plan_id=own), session=s)
        assert authz.visible_team_codes(STRANGER, s) == []
        assert authz.visible_team_codes(OFFICER, s) == ["T1"]
        assert authz.visible_case_nos(STRANGER, s) == frozenset()
        assert authz.visible_case_nos(OFFICER, s) == own_cases("officer", team_of)
        with pytest.raises(InputError, match="需要数据库会话"):
            authorise(OFFICER, "record_outcome", CaseRef(t1))


def test_filter_plan_for_keeps_only_the_actors_teams() -> None:
    doc = plan_doc()
    mine = authz.filter_plan_for(OFFICER, doc)
    assert {r.team_id for r in mine.plan.routes} == {"T1"}
    assert set(mine.teams) == {"T1"} and mine.plan.unassigned == ()
    assert set(mine.visits) == {s.visit_id for r in mine.plan.routes for s in r.stops}
    assert set(mine.cases) == {c for v in mine.visits.values() for c in v.case_nos}
    assert authz.filter_plan_for(ACCOUNTS["coordinator"], doc) is doc
    assert authz.filter_plan_for(STRANGER, doc).plan.routes == ()


# --- 13.1: an officer can take any case ------------------------------------------------------------------------------


def _forged_visits(team_of: dict[str, str]):
    """A visits.csv as the attacker wrote it: T2's and unplanned cases, all pinned to team T1."""
    doc = plan_doc()
    wanted = {no for no, t in team_of.items() if t != "T1"}
    return [replace(v, team_id="T1") for v in doc.visits.values() if set(v.case_nos) & wanted]


def test_13_1_saving_other_teams_cases_as_ones_own_is_refused(engine: Engine) -> None:
    team_of = seed(engine)
    doc = plan_doc()
    forged = replace(doc, plan=replace(doc.plan, routes=tuple(replace(r, team_id="T1") for r in doc.plan.routes)),
                     teams={"T1": doc.teams["T1"]})
    with session_scope(engine) as s:
        before = {a: authz.visible_case_nos(ACCOUNTS[a], s) for a in ("officer", "leader")}
        for who in (OFFICER, LEADER):
            with pytest.raises(PermissionDenied):
                save_plan(s, forged, name="改派", who=who.username, actor=who)
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(PlanRow)) == 1
        after = {a: authz.visible_case_nos(ACCOUNTS[a], s) for a in ("officer", "leader")}
        assert after == before
        assert len(load_cases(s, actor=OFFICER)) == len(own_cases("officer", team_of))
        # 回访跟踪 offers only the officer's own cases
        from planner.followup.worklist import visit_choices

        offered = {c.case_no for c in visit_choices(s, DAY, team_ids=OFFICER.team_ids, actor=OFFICER)}
        assert offered <= own_cases("officer", team_of)
        assert not offered & foreign_cases("officer", team_of)


def test_13_1_a_leader_may_plan_the_pool_for_their_team(engine: Engine) -> None:
    seed(engine)
    doc = plan_doc()
    t1_only = authz.filter_plan_for(LEADER, doc)
    with session_scope(engine) as s:
        s.execute(update(PlanRow).values(status="done"))  # the seed's plan of these letters is finished
        save_plan(s, t1_only, name="一组", who=LEADER.username, actor=LEADER)


@pytest.fixture(scope="module")
def app_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('authz') / 'x.db'}"
    eng = make_engine(url)
    upgrade(eng)
    team_of = seed(eng)
    eng.dispose()
    return url, team_of


def _planning(url: str, actor: Actor, visits, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(str(ROOT / "pages" / "planning.py"), default_timeout=60)
    at.session_state["actor"] = actor
    at.session_state["today"] = DAY
    at.session_state["visits"] = list(visits)
    at.run()
    assert not at.exception
    return at


def test_13_1_planning_page_refuses_an_officer(app_db, monkeypatch: pytest.MonkeyPatch) -> None:
    url, team_of = app_db
    at = _planning(url, OFFICER, _forged_visits(team_of), monkeypatch)
    assert any("无权规划路线" in e.value for e in at.error)
    assert not at.button  # nothing to plan, save or issue


def test_13_1_planning_page_refuses_a_leader_other_teams_cases(app_db, monkeypatch: pytest.MonkeyPatch) -> None:
    url, team_of = app_db
    at = _planning(url, LEADER, _forged_visits(team_of), monkeypatch)
    t2 = sorted(no for no, t in team_of.items() if t == "T2")
    # refused; letters another team's issued plan holds are named with that plan, not as 无权 (walk W32)
    assert any("规划路线" in e.value and t2[0] in e.value for e in at.error), [e.value for e in at.error]
    assert not [b for b in at.button if b.label in ("开始规划", "保存方案")]
    # the leader's own and pool cases are fine, and only the leader's team is offered
    doc = plan_doc()
    ok = [v for v in doc.visits.values() if not set(v.case_nos) & foreign_cases("leader", team_of)]
    at = _planning(url, LEADER, ok, monkeypatch)
    assert not at.error
    assert at.multiselect(key="pl_teams").options == ["第一检查组"] or at.multiselect(key="pl_teams").value == ["T1"]


# --- 13.2 and 14.2: other teams' itineraries ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "zip"])
def test_14_2_whole_plan_downloads_hold_only_the_officers_team(engine: Engine, fmt: str) -> None:
    team_of = seed(engine)
    with session_scope(engine) as s:
        doc = load_plan(s, list_plans(s)[0].plan_id)  # as a coordinator saved it: both teams
        text = texts(export_plan(doc, fmt, actor=OFFICER))
        with pytest.raises(PermissionDenied):
            export_plan(doc, fmt, actor=STRANGER)
        with pytest.raises(PermissionDenied):
            export_plan(doc, "pdf", team_id="T2", date=dt.date(2026, 12, 7), actor=OFFICER)
    assert not [no for no in foreign_cases("officer", team_of) if no in text]
    assert [no for no in own_cases("officer", team_of) if no in text]


def test_14_2_itinerary_page_offers_an_officer_only_their_team(app_db, monkeypatch: pytest.MonkeyPatch) -> None:
    url, _team_of = app_db
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(str(ROOT / "pages" / "itinerary.py"), default_timeout=60)
    at.session_state["actor"] = OFFICER
    at.session_state["plan_doc"] = plan_doc()  # even a whole plan left in the session
    at.run()
    assert not at.exception
    assert at.selectbox(key="it_team").options == ["第一检查组"]
    assert not [b for b in at.download_button if "全部组和日期" in b.label]


def test_14_2_an_officer_of_no_team_reads_nothing(app_db, monkeypatch: pytest.MonkeyPatch) -> None:
    url, _team_of = app_db
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(str(ROOT / "pages" / "itinerary.py"), default_timeout=60)
    at.session_state["actor"] = STRANGER
    at.run()
    assert not at.exception
    assert not at.download_button
    assert any("还没有可查看的计划" in i.value for i in at.info)
    with session_scope(make_engine(url)) as s:
        assert list_plans(s, actor=STRANGER) == []
        assert load_cases(s, actor=STRANGER) == []


def test_13_2_leader_cli_unmasked_export_holds_only_their_team(engine: Engine, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from planner.cli import main

    team_of = seed(engine, users=True)
    url = engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("XIAFANG_PASSWORD", PASSWORD)
    out = tmp_path / "plan.xlsx"
    code = main(["export", str(PLAN), "--format", "xlsx", "--contacts", "--unmask", "--user", LEADER.username,
                 "--reason", "核实走访情况", "--db", url, "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    text = texts(out.read_bytes())
    assert names_of(own_cases("leader", team_of), team_of) <= {n for n in names_of(set(team_of), team_of)
                                                               if n in text}  # unmasked: their own cases
    assert not [n for n in names_of(foreign_cases("leader", team_of), team_of) if n in text]
    assert not [no for no in foreign_cases("leader", team_of) if no in text]
    # an officer's account cannot unmask at all
    code = main(["export", str(PLAN), "--format", "xlsx", "--contacts", "--unmask", "--user", OFFICER.username,
                 "--reason", "核实走访情况", "--db", url, "--out", str(tmp_path / "o.xlsx")])
    assert code == 2 and "无权查看信访人身份" in capsys.readouterr().err


def test_13_2_a_forged_plan_json_gets_no_contacts_of_other_teams(engine: Engine) -> None:
    """A plan.json naming T2's cases on a route labelled T1 gets T1's scope, and no contact of T2's petitioners.

    The leader of T1 attaches masked contacts; an officer may attach none at all."""
    team_of = seed(engine)
    doc = plan_doc()
    forged = replace(doc, plan=replace(doc.plan, routes=tuple(replace(r, team_id="T1") for r in doc.plan.routes)))
    with session_scope(engine) as s:
        text = texts(export_plan(forged, "xlsx", actor=LEADER, session=s, contacts=True))
        with pytest.raises(PermissionDenied, match="无权在行程单中附信访人联系方式"):
            export_plan(forged, "xlsx", actor=OFFICER, session=s, contacts=True)
    order = list(team_of)
    phones = {no: mask_phone(petitioner(order.index(no)).phone) for no in team_of}
    assert [no for no in own_cases("leader", team_of) if phones[no] in text]  # contacts are there, masked
    assert not [no for no in foreign_cases("leader", team_of) if phones[no] in text]



def test_13_1_followup_never_opens_another_teams_case(app_db, monkeypatch: pytest.MonkeyPatch) -> None:
    """回访跟踪 asked (by another page, or an old session) to open another team's case opens one of the officer's."""
    url, team_of = app_db
    t2 = next(no for no, t in team_of.items() if t == "T2")
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(str(ROOT / "pages" / "followup.py"), default_timeout=60)
    at.session_state["actor"] = OFFICER
    at.session_state["today"] = DAY
    at.session_state["followup_case"] = t2
    at.run()
    assert not at.exception
    options = at.selectbox(key="fu_case").options
    assert options and not [o for o in options if t2 in o]
    assert at.selectbox(key="fu_case").value in own_cases("officer", team_of)
