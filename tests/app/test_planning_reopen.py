"""AppTest of 路线规划 reopening a saved plan in a new session: routes, KPIs and reasons as saved; re-plan and save
as the same plan (new version, history); a leader opens only plans of teams they lead."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.domain import Team, Visit
from planner.errors import PermissionDenied
from planner.field.stop_names import stop_places
from planner.office.security import Actor
from planner.routing.report import kpis, route_rows
from planner.selection.labels import group_names, readable
from planner.store.database import session_scope
from planner.store.history import record_history
from planner.store.lifecycle import plan_status
from planner.store.models import CaseRow
from planner.store.plans import list_plans, load_plan, open_plan
from planner.store.teams import save_team

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "planning.py")
VISITS = (
    Visit("V1", 117.43, 24.37, 60, priority=5, label="山格镇隆庆村", case_nos=("ZZ1",)),
    Visit("V2", 117.375, 24.325, 45, label="文峰镇三坪村", case_nos=("ZZ2",)),
    Visit("V3", 117.27, 24.45, 45, label="坂仔镇"),
    Visit("V4", 117.30, 24.40, 45, skills=("水利",), label="无人能去"),
)


def _new_app() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    return at


def _plan_and_save(engine, monkeypatch) -> AppTest:
    """Plan VISITS on the page for team A over one day and save it as 平和试排; return the page."""
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_team(s, Team("A", "平和一组", 117.313, 24.363, base_name="平和县纪委监委"))
    add_case(engine, "ZZ1")
    add_case(engine, "ZZ2")
    app = _new_app()
    app.session_state[Key.VISITS] = VISITS
    app.run()
    app.number_input(key="pl_days").set_value(1)
    app.number_input(key="pl_limit").set_value(1)
    next(b for b in app.button if b.label == "开始规划").click().run()
    app.text_input(key="pl_name").input("平和试排")
    next(b for b in app.button if b.label == "保存方案").click().run()
    assert not app.exception and not app.error
    return app


@pytest.fixture()
def saved(engine, monkeypatch) -> int:
    """The id of the plan :func:`_plan_and_save` saved (that session then ends)."""
    return _plan_and_save(engine, monkeypatch).session_state[Key.PLAN_ID]


def _texts(app: AppTest) -> str:
    return " ".join(str(x.value) for x in (*app.markdown, *app.caption, *app.success, *app.info, *app.text))


def test_a_saved_plan_reopens_in_a_new_session_and_saves_as_a_new_version(saved: int, engine) -> None:
    with session_scope(engine) as s:
        stored = load_plan(s, saved)
        _, version = plan_status(s, saved)
    assert stored.plan.unassigned  # V4 (水利) has nobody to visit it: its reason must come back too
    app = _new_app()  # signed in again: nothing chosen on 选件
    app.run()
    assert not app.exception
    assert any("还没有要走访的点" in i.value for i in app.info)
    assert app.selectbox(key="pl_life_plan").value == saved
    app.button(key=f"pl_open_{saved}").click().run()
    assert not app.exception and not app.error
    assert f"已打开计划 #{saved}「平和试排」" in _texts(app)
    doc = app.session_state[Key.PLAN_DOC]
    assert route_rows(doc) == route_rows(stored)
    shown = app.dataframe[-1].value  # the stops table under the map
    with session_scope(engine) as s:  # each stop by its name on 行程 (walk W13), here the letters' places
        expected = pd.DataFrame(route_rows(stored, stop_places(s, stored)))
    assert shown.astype(str).to_dict("records") == expected.astype(str).to_dict("records")
    k = kpis(stored)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["已安排走访点"] == f"{k['visits']} / {k['total']}"
    assert metrics["总里程"] == f"{k['km']} km"
    assert metrics["未安排"] == str(k["unassigned"])
    reasons = app.dataframe[0].value
    assert list(reasons["走访点"]) == [u.visit_id for u in stored.plan.unassigned]
    assert list(reasons["原因与建议"]) == [readable(u.reason, group_names(stored.visits.values()))
                                       for u in stored.plan.unassigned]
    # Lock V1, re-plan the rest, save as the same plan.
    app.multiselect(key="pl_locked").select("V1")
    app.button(key="FormSubmitter:pl_replan-重新规划其余走访点").click().run()
    assert not app.exception and not app.error
    assert app.session_state[Key.PLAN_DOC].visits["V1"].locked
    app.button(key=f"FormSubmitter:pl_save-保存为计划 #{saved} 的新版本").click().run()
    assert not app.exception and not app.error
    assert app.session_state[Key.PLAN_ID] == saved
    assert f"已保存计划 #{saved} 的第 {version + 1} 版" in _texts(app)
    with session_scope(engine) as s:
        assert [p.plan_id for p in list_plans(s)] == [saved]  # no second plan
        assert plan_status(s, saved)[1] == version + 1
        assert load_plan(s, saved).visits["V1"].locked
        actions = [c.action for c in record_history(s, "plan", saved)]
    assert actions == ["created", "replanned"]
    assert any("重新排程" in t.value for t in app.text)  # 计划经过 tells it


def test_replanning_an_issued_plan_is_recorded_and_a_stale_version_is_refused(saved: int, engine) -> None:
    from planner.store.lifecycle import plan_history, set_plan_status
    from planner.store.plans import resave_plan

    with session_scope(engine) as s:
        set_plan_status(s, saved, "issued", who="admin")
    app = _new_app()
    app.run()
    app.button(key=f"pl_open_{saved}").click().run()
    assert "已下发" in _texts(app)
    with session_scope(engine) as s:  # someone else saves it meanwhile
        opened = open_plan(s, saved)
        resave_plan(s, saved, opened.doc, who="other", expected_version=opened.version)
    app.button(key=f"FormSubmitter:pl_save-保存为计划 #{saved} 的新版本").click().run()
    refused = " ".join(e.value for e in app.error)
    assert "在你打开之后有了变化" in refused and "other重新规划已下发的计划" in refused, refused
    with session_scope(engine) as s:
        changes = [c.changes for c in record_history(s, "plan", saved) if c.action == "replanned"]
        assert changes == [changes[0]] and changes[0]["note"] == "重新规划已下发的计划"
        assert {c.status for c in s.query(CaseRow)} == {"planned"}
        told = [e.sentence() for e in plan_history(s, saved)]
    assert any("重新规划已下发的计划（第 " in t for t in told), told  # 计划经过 says so, with the versions


def test_a_leader_of_t1_cannot_open_a_t4_plan(engine, monkeypatch) -> None:
    from planner.routing.report import plan_document
    from planner.store.plans import save_plan

    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    t1 = Team("T1", "第一检查组", 117.313, 24.363)
    t4 = Team("T4", "第四检查组", 117.313, 24.363)
    with session_scope(engine) as s:
        save_team(s, t1)
        save_team(s, t4)
        doc = plan_document(list(VISITS[2:3]), [t4], start_date=dt.date(2026, 12, 14), days=1, time_limit_s=1.0)
        pid = save_plan(s, doc, name="四组计划", who="admin")
    leader = Actor("lead1", "leader", team_ids=("T1",))
    with session_scope(engine) as s, pytest.raises(PermissionDenied):
        open_plan(s, pid, actor=leader)
    app = _new_app()
    app.session_state["actor"] = leader
    app.run()
    assert not app.exception
    assert not [b for b in app.button if b.key == f"pl_open_{pid}"]
    assert f"#{pid}" not in " ".join(str(e.label) for e in app.expander)
    # The office's leader of T4 does open it.
    app = _new_app()
    app.session_state["actor"] = Actor("lead4", "leader", team_ids=("T4",))
    app.run()
    app.button(key=f"pl_open_{pid}").click().run()
    assert not app.exception and not app.error
    assert app.session_state[Key.PLAN_ID] == pid


# --- a left-out case another team took meanwhile (walk H: plan #1 of leader 1, cases 27 and 3 on plan #2 of T3)

T1 = Team("T1", "第一检查组", 117.313, 24.363)
T3 = Team("T3", "第三检查组", 117.313, 24.363, skills=("水利",))
LEADER1 = Actor("zuzhang1", "leader", team_ids=("T1",), display_name="组长陈平")
TAKEN = (Visit("V1", 117.43, 24.37, 60, label="山格镇隆庆村", case_nos=("1",)),
         Visit("V4", 117.30, 24.40, 45, skills=("水利",), label="旧镇镇浯江村", case_nos=("27", "3")))


@pytest.fixture()
def taken_over(engine, monkeypatch) -> tuple[int, int]:
    """Plan #1 (T1) issued with V4 (cases 27, 3) left out; plan #2 (T3) issued with cases 27 and 3."""
    from planner.routing.report import plan_document
    from planner.store.lifecycle import set_plan_status
    from planner.store.plans import save_plan

    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    for no in ("1", "27", "3"):
        add_case(engine, no)
    with session_scope(engine) as s:
        save_team(s, T1)
        save_team(s, T3)
        doc1 = plan_document(list(TAKEN), [T1], start_date=TODAY, days=1, time_limit_s=1.0)
        assert [u.visit_id for u in doc1.plan.unassigned] == ["V4"]
        p1 = save_plan(s, doc1, name="", who="zuzhang1", actor=LEADER1)
        set_plan_status(s, p1, "issued", who="zuzhang1", actor=LEADER1)
        doc2 = plan_document([Visit("W", 117.30, 24.40, 45, label="旧镇镇浯江村", case_nos=("27", "3"))], [T3],
                             start_date=TODAY, days=1, time_limit_s=1.0)
        p2 = save_plan(s, doc2, name="三组计划", who="zuzhang3")
        set_plan_status(s, p2, "issued", who="zuzhang3")
    return p1, p2


def test_a_leader_opens_their_plan_after_another_team_took_its_left_out_cases(taken_over, engine) -> None:
    p1, p2 = taken_over
    app = _new_app()
    app.session_state["actor"] = LEADER1
    app.run()
    assert any("第 1 版" in c.value for c in app.caption)  # issuing made no new 版
    app.button(key=f"pl_open_{p1}").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert f"已打开计划 #{p1}「2026-12-07 起 1 天」（已下发，第 1 版）" in _texts(app)
    (notice,) = [i.value for i in app.info]
    assert "信访件 27、3（旧镇镇浯江村）" in notice and f"已在计划 #{p2}「三组计划」（第三检查组，已下发）中" in notice
    assert set(app.session_state[Key.PLAN_DOC].visits) == {"V1"}
    app.button(key=f"FormSubmitter:pl_save-保存为计划 #{p1} 的新版本").click().run()
    assert not app.exception and not app.error
    assert f"已保存计划 #{p1} 的第 2 版" in _texts(app)


def test_no_suggestion_adds_the_team_whose_plan_holds_the_case(taken_over, engine) -> None:
    _, p2 = taken_over
    app = _new_app()  # the coordinator plans 1, 27 and 3 afresh with T1 alone
    app.session_state[Key.VISITS] = TAKEN
    app.run()
    app.multiselect(key="pl_teams").set_value(["T1"])
    app.number_input(key="pl_days").set_value(1)
    app.number_input(key="pl_limit").set_value(1)
    app.button(key="FormSubmitter:pl_form-开始规划").click().run()
    assert not app.exception and not app.error
    assert not [b for b in app.button if "第三检查组" in str(b.label)]  # T3 holds 27 and 3 on plan #2
    reasons = app.dataframe[0].value
    # V1 (case 1) is routed by issued plan #1 and is not planned twice (walk G); V4's cases are on plan #2.
    assert list(reasons["走访点"]) == ["V1", "V4"]
    p1, _ = taken_over
    assert f"已在计划 #{p1}" in reasons["原因与建议"][0]
    assert f"已在计划 #{p2}「三组计划」" in reasons["原因与建议"][1]


def test_a_plan_named_by_its_dates_is_renamed_when_replanned_to_other_dates(taken_over, engine) -> None:
    from planner.store.models import PlanRow

    p1, _ = taken_over
    app = _new_app()
    app.run()
    app.selectbox(key="pl_life_plan").set_value(p1).run()
    app.button(key=f"pl_open_{p1}").click().run()
    assert app.text_input(key="pl_name").value == "2026-12-07 起 1 天"
    app.date_input(key="pl_start").set_value(dt.date(2026, 12, 8))
    app.number_input(key="pl_limit").set_value(1)
    app.button(key="FormSubmitter:pl_form-开始规划").click().run()
    assert not app.exception and not app.error
    assert app.text_input(key="pl_name").value == "2026-12-08 起 1 天"
    app.button(key=f"FormSubmitter:pl_save-保存为计划 #{p1} 的新版本").click().run()
    assert not app.exception and not app.error
    assert f"已保存计划 #{p1} 的第 2 版（「2026-12-08 起 1 天」）" in _texts(app)
    with session_scope(engine) as s:
        assert s.get(PlanRow, p1).name == "2026-12-08 起 1 天"
    # The box's label is the plan's name (its dates, once), its 版, teams, who saved it and when, and its status.
    label = next(o for o in app.selectbox(key="pl_life_plan").options if o.startswith(f"#{p1} "))
    assert label.startswith(f"#{p1} 第2版 · 2026-12-08 起 1 天 · ") and label.endswith(" · 已下发"), label


def test_a_visit_whose_cases_another_plan_routes_is_not_planned_again(saved, engine) -> None:
    """Walk G: a letter already routed by a saved plan was planned again without a word (下发 refused it later)."""
    with session_scope(engine) as s:
        routed = {c for p in [load_plan(s, saved)] for r in p.plan.routes for st_ in r.stops
                  for c in p.visits[st_.visit_id].case_nos}
    assert "ZZ1" in routed
    app = _new_app()
    app.session_state[Key.VISITS] = VISITS
    app.run()
    assert not app.exception
    # Each stop named as 行程 and the 未安排 table name it: the register's place of its letter (town only here).
    assert any("不排入本计划" in w.value and "V1 平和县山格镇（" in w.value and f"计划 #{saved}" in w.value
               for w in app.warning)
    app.number_input(key="pl_days").set_value(1)
    app.number_input(key="pl_limit").set_value(1)
    next(b for b in app.button if b.label == "开始规划").click().run()
    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    doc = app.session_state[Key.PLAN_DOC]
    assert "V1" not in doc.plan.planned_visit_ids()
    (left,) = [u for u in doc.plan.unassigned if u.visit_id == "V1"]
    assert left.reason_code == "held_elsewhere"
    reasons = app.dataframe[0].value
    row = list(reasons["走访点"]).index("V1")
    assert f"已在计划 #{saved}" in reasons["原因与建议"][row] and "不再排入本计划" in reasons["原因与建议"][row]
    assert "V3" in doc.plan.planned_visit_ids() | {u.visit_id for u in doc.plan.unassigned}


def test_held_visits_stay_listed_after_a_suggestion_is_adopted(saved, engine) -> None:
    """Re-walk H: after a suggestion click the held visits vanished (no warning, no row, the total shrank)."""
    app = _new_app()
    app.session_state[Key.VISITS] = VISITS
    app.run()
    app.number_input(key="pl_days").set_value(1)
    app.number_input(key="pl_limit").set_value(1)
    next(b for b in app.button if b.label == "开始规划").click().run()
    adopt = next(b for b in app.button if str(b.label).startswith("不要求"))  # V4's 水利, which no team has
    adopt.click().run()
    app.run()  # the adopted suggestion re-plans on the next run
    assert not app.exception, app.exception
    assert any("不排入本计划" in w.value and "V1" in w.value for w in app.warning)
    doc = app.session_state[Key.PLAN_DOC]
    assert "V1" in {u.visit_id for u in doc.plan.unassigned if u.reason_code == "held_elsewhere"}
    assert set(doc.visits) == {v.visit_id for v in VISITS}


def test_the_plan_just_saved_is_not_called_another_plan(engine, monkeypatch) -> None:
    """Walk I: right after 保存方案 (and again after 下发) a 20-line warning said every visit was 已在其他计划中 —
    naming the very plan just saved. One line now says they are in that plan and how to adjust it; planning
    again still keeps them out."""
    app = _plan_and_save(engine, monkeypatch)
    pid = app.session_state[Key.PLAN_ID]
    assert not any("其他计划" in w.value for w in app.warning)
    assert any(f"已在刚保存的计划 #{pid} 中" in c.value for c in app.caption)
    next(b for b in app.button if b.label == "开始规划").click().run()  # another plan of the same letters
    assert not app.exception
    doc = app.session_state[Key.PLAN_DOC]
    assert "V1" in {u.visit_id for u in doc.plan.unassigned if u.reason_code == "held_elsewhere"}


def test_a_visit_with_a_recorded_result_is_never_moved_or_dropped_by_a_new_version(saved: int, engine) -> None:
    """Walk D: re-planning an issued plan at 15:00 moved a resolved letter's stop to 12-09 and dropped another
    visited one, with the lock box empty; one click on 保存 would have sent it to the officer."""

    from planner.errors import InputError
    from planner.store.lifecycle import set_plan_status
    from planner.store.models import VisitOutcomeRow
    from planner.store.plans import done_visits, resave_plan

    with session_scope(engine) as s:
        set_plan_status(s, saved, "issued", who="admin")
        doc = load_plan(s, saved)
        route = next(r for r in doc.plan.routes if "V1" in r.visit_ids)
        case = s.query(CaseRow).filter_by(case_no="ZZ1").one()
        s.add(VisitOutcomeRow(case_id=case.id, plan_id=saved, team_id=route.team_id, visit_date=route.date,
                              result="visited", recorded_by="offA"))
    with session_scope(engine) as s:
        assert done_visits(s, saved) == ("V1",)
        opened = open_plan(s, saved)
        assert opened.doc.visits["V1"].locked
        assert not opened.doc.visits["V2"].locked
        dropped = dataclasses.replace(opened.doc, plan=dataclasses.replace(
            opened.doc.plan, routes=tuple(r for r in opened.doc.plan.routes if "V1" not in r.visit_ids)))
        with pytest.raises(InputError, match=r"已记录结果的走访点.*V1（ZZ1，"):
            resave_plan(s, saved, dropped, who="lead", expected_version=opened.version)
        resave_plan(s, saved, opened.doc, who="lead", expected_version=opened.version)  # kept where it was: fine
    # On the page: the leader clears the lock box and re-plans; V1 stays on its team and day all the same.
    app = _new_app()
    app.run()
    app.button(key=f"pl_open_{saved}").click().run()
    assert app.multiselect(key="pl_locked").value == ["V1"]
    app.multiselect(key="pl_locked").set_value([])
    app.button(key="FormSubmitter:pl_replan-重新规划其余走访点").click().run()
    assert not app.exception and not app.error
    new = app.session_state[Key.PLAN_DOC]
    assert [(r.team_id, r.date) for r in new.plan.routes if "V1" in r.visit_ids] == [(route.team_id, route.date)]
    assert new.visits["V1"].locked
    # The box shows what the new plan holds locked, not the cleared selection (stop 32: it stayed empty).
    assert app.multiselect(key="pl_locked").value == ["V1"]


def test_a_stale_resave_names_who_changed_the_plan_and_how(saved: int, engine) -> None:
    """Walk D: an officer's first result started the plan, and the leader's re-plan was refused as
    “已被他人修改或改变了状态” with nobody named; the refusal now says who did what, and when."""
    from planner.errors import ConflictError
    from planner.store.lifecycle import PlanStatus, set_plan_status
    from planner.store.plans import resave_plan

    with session_scope(engine) as s:
        set_plan_status(s, saved, PlanStatus.ISSUED, who="zuzhang1")
        _, seen = plan_status(s, saved)  # the leader opens the issued plan
        doc = load_plan(s, saved)
    with session_scope(engine) as s:  # an officer records the first result: the plan starts
        set_plan_status(s, saved, PlanStatus.IN_PROGRESS, who="waiqin1", note="已开始登记走访结果")
    with session_scope(engine) as s, pytest.raises(ConflictError) as refused:
        resave_plan(s, saved, doc, who="zuzhang1", expected_version=seen)
    text = str(refused.value)
    assert "waiqin1开始执行计划（已下发 → 执行中）：已开始登记走访结果" in text
    assert "没有保存" in text and text.endswith("请重新打开后再调整。")
    with session_scope(engine) as s:  # nothing of the stale copy was saved
        assert plan_status(s, saved)[0] is PlanStatus.IN_PROGRESS
        assert [c.action for c in record_history(s, "plan", saved)].count("replanned") == 0


def test_a_replanned_saved_plan_is_compared_with_its_saved_version(saved: int, engine) -> None:
    """Walk G: after two re-plans 与上一方案比较 said +0 everywhere (it compares the last two) just before the leader
    saved over a version that had 3 more visits. A saved plan opened for adjustment is also compared with the version
    opened."""
    app = _new_app()
    app.run()
    app.button(key=f"pl_open_{saved}").click().run()
    assert not [e for e in app.expander if "比较" in e.label]  # nothing to compare yet
    opened = app.session_state[Key.PLAN_DOC]
    planned = sum(len(r.stops) for r in opened.plan.routes)
    fewer = dataclasses.replace(opened, plan=dataclasses.replace(opened.plan, routes=opened.plan.routes[:0]))
    app.session_state[Key.PLAN_DOC] = fewer  # as a re-plan that dropped every stop would leave it …
    app.session_state["planning_previous_doc"] = fewer  # … after a second, identical re-plan
    app.run()
    boxes = {e.label: " ".join(m.value for m in e.markdown) for e in app.expander if "比较" in e.label}
    # The two identical re-plans say so in one line (walk 1: a box of +0 read as a comparison with nothing).
    assert set(boxes) == {f"与已保存的计划 #{saved} 第 1 版比较"}, boxes
    assert "与上一方案比较：相同（走访点、组日、里程都没有变化）。" in [c.value for c in app.caption]
    assert boxes[f"与已保存的计划 #{saved} 第 1 版比较"].startswith(f"走访点 -{planned}")
    assert f"移出：{planned} 个" in boxes[f"与已保存的计划 #{saved} 第 1 版比较"]
