"""Walk W36: two tabs of one leader planned the same stops; tab B saved and issued first, tab A's save was refused
(rightly, nothing saved twice) — and tab A read the refusal plus a 其他计划中 warning, each naming every stop with
its case number and the plan's name in one paragraph (40 stops: a wall of text). Now each notice is short (how many,
which plan, nothing saved, what to do) and the stops are listed in a collapsed table per plan."""

from __future__ import annotations

from _ui_data import TODAY, add_case, db_url
from app_steps import MONDAY_7, planning_page
from sqlalchemy import select, update

from pages.common import Key
from planner.domain import Team, Visit
from planner.store.database import session_scope
from planner.store.models import CaseRow, PlanCase, PlanRow
from planner.store.plans import list_plans
from planner.store.teams import save_team

#: Eight stops around 平和县城, one letter each (ZZ13-1 …), two at V8.
VISITS = tuple(
    Visit(
        f"V{i}",
        117.30 + 0.01 * i,
        24.36 + 0.004 * i,
        20,
        label=f"平和县小溪镇{i}村",
        case_nos=(f"ZZ13-{i}",) + ((f"ZZ13-{i}b",) if i == 8 else ()),
    )
    for i in range(1, 9)
)
CASES = [no for v in VISITS for no in v.case_nos]


def _setup(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_team(s, Team("A", "平和一组", 117.313, 24.363, base_name="平和县纪委监委"))
    for no in CASES:
        add_case(engine, no, town="小溪镇")


def _planned(name: str):
    app = planning_page(TODAY, MONDAY_7)
    app.session_state[Key.VISITS] = VISITS
    app.run()
    app.number_input(key="pl_days").set_value(2)
    app.number_input(key="pl_limit").set_value(1)
    next(b for b in app.button if b.label == "开始规划").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    app.text_input(key="pl_name").input(name)
    return app


def _routed(app) -> int:
    doc = app.session_state[Key.PLAN_DOC]
    return len({v for r in doc.plan.routes if r.team_id and r.date for v in r.visit_ids})


def test_a_refused_save_of_many_stops_is_said_shortly_and_listed_per_plan(engine, monkeypatch) -> None:
    _setup(engine, monkeypatch)
    tab_a, tab_b = _planned("A 页方案"), _planned("B 页方案")  # both planned while the letters were free
    next(b for b in tab_b.button if b.label == "保存方案").click().run()
    assert not tab_b.exception and not tab_b.error
    pid = tab_b.session_state[Key.PLAN_ID]
    with session_scope(engine) as s:  # tab B issued it
        s.execute(update(PlanRow).where(PlanRow.id == pid).values(status="issued"))
    n = _routed(tab_a)
    assert n > 3, n
    next(b for b in tab_a.button if b.label == "保存方案").click().run()
    assert not tab_a.exception
    (error,) = [e.value for e in tab_a.error]
    assert error.startswith(f"保存失败：{n} 个走访点的信访件已由计划 #{pid}「B 页方案」（平和一组，已下发）安排"), error
    assert "本次没有保存任何改动" in error and f"打开计划 #{pid}" in error and "选件页重新选件" in error, error
    assert not any(no in error for no in CASES) and len(error) < 200, error  # no case number, no list
    (listed,) = [x for x in tab_a.expander if x.label == f"没有保存的 {n} 个走访点（按安排它们的计划）"]
    (table,) = listed.dataframe
    rows = table.value
    assert list(rows.columns) == ["编号", "走访点", "检查组", "信访件"] and len(rows) == n
    assert "ZZ13-8、ZZ13-8b" in set(rows["信访件"]) or "V8" not in set(rows["编号"])
    # The warning above the form says the same stops shortly too, the list collapsed under it.
    (warned,) = [w.value for w in tab_a.warning if "其他计划中" in w.value or "不排入本计划" in w.value]
    assert warned.startswith("8 个走访点的信访件已在计划 #") and "「B 页方案」（平和一组，已下发）中" in warned, warned
    assert not any(no in warned for no in CASES) and len(warned) < 120, warned
    (below,) = [x for x in tab_a.expander if x.label == "已在其他计划中的 8 个走访点"]
    assert len(below.dataframe[0].value) == 8
    with session_scope(engine) as s:
        assert [p.plan_id for p in list_plans(s)] == [pid]  # nothing saved twice


def test_stops_held_by_two_plans_are_counted_per_plan_and_listed_per_plan(engine, monkeypatch) -> None:
    _setup(engine, monkeypatch)
    with session_scope(engine) as s:  # plan 一 holds V1–V5, plan 二 V6–V7; V8 is free
        for name, nos in (("第50周", CASES[:5]), ("第51周", CASES[5:7])):
            plan = PlanRow(name=name, start_date=TODAY, days=5, status="issued")
            s.add(plan)
            s.flush()
            for seq, no in enumerate(nos, 1):
                cid = s.scalar(select(CaseRow.id).where(CaseRow.case_no == no))
                s.add(
                    PlanCase(plan_id=plan.id, case_id=cid, visit_id=f"X{seq}", team_id="A", visit_date=TODAY, seq=seq)
                )
    app = planning_page(TODAY, MONDAY_7)
    app.session_state[Key.VISITS] = VISITS
    app.run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    (warned,) = [w.value for w in app.warning if "其他计划中" in w.value]
    assert warned.startswith("7 个走访点的信访件已在其他计划中，不排入本计划：5 个在计划 #"), warned
    assert "「第50周」" in warned and "2 个在计划 #" in warned and "「第51周」" in warned, warned
    assert not any(no in warned for no in CASES), warned
    (below,) = [x for x in app.expander if x.label == "已在其他计划中的 7 个走访点"]
    assert [len(t.value) for t in below.dataframe] == [5, 2]
    assert next(c.value for c in below.caption).endswith("：5 个走访点")
    assert set(below.dataframe[1].value["编号"]) == {"V6", "V7"}
