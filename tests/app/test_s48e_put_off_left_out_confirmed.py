"""AppTest of 路线规划 on an issued plan whose stop was recorded 改期 with a day agreed after the plan's last day
(walk W14: 1224号 agreed for 12-10 on a plan of 12-07..12-09). 重新规划其余走访点 cannot place it and says why;
保存为计划 #N 的新版本 then asks first, naming the stop, its letter and the reason, and saves only when confirmed;
the saved letter stays with the plan (已排程) and reads 待再访 when the plan is opened again, not 已登记 (退回待选)
as if nobody had promised the petitioner a visit."""

from __future__ import annotations

import datetime as dt

from _ui_data import TODAY
from app_steps import open_plan, save_issued_plan
from sqlalchemy import select

from pages.common import Key
from planner.domain import CaseStatus, Visit, VisitOutcome
from planner.followup.outcomes import record_outcome
from planner.store.database import session_scope
from planner.store.lifecycle import plan_revision
from planner.store.models import CaseRow
from planner.store.plans import load_plan

VISITS = (
    Visit("V1", 117.33, 24.37, 45, label="小溪镇", case_nos=("ZZ1",), must=True),
    Visit("V2", 117.36, 24.38, 45, label="山格镇", case_nos=("ZZ2",), must=True),
    Visit("V3", 117.39, 24.35, 45, label="文峰镇", case_nos=("ZZ3",), must=True),
)
AGREED = TODAY + dt.timedelta(days=3)  # Thursday 12-10; the plan runs Monday 12-07 and Tuesday 12-08


def _status(engine, no: str) -> str:
    with session_scope(engine) as s:
        return s.scalar(select(CaseRow.status).where(CaseRow.case_no == no))


def test_a_put_off_stop_left_out_is_confirmed_before_saving_and_stays_to_visit_again(engine, monkeypatch) -> None:
    pid = save_issued_plan(engine, monkeypatch, VISITS, days=2)
    with session_scope(engine) as s:
        first = load_plan(s, pid).plan.route_for("A", TODAY).visit_ids[0]
        no = next(v.case_nos[0] for v in VISITS if v.visit_id == first)
        record_outcome(s, VisitOutcome(no, TODAY, "postponed", team_id="A", reason="信访人外出务工",
                                       put_off_to=AGREED), who="offA", plan_id=pid, today=TODAY)
    assert _status(engine, no) == CaseStatus.PLANNED.value

    app = open_plan(pid, dt.datetime.combine(TODAY, dt.time(15, 0)))
    next(b for b in app.button if b.label == "重新规划其余走访点").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    new = app.session_state[Key.PLAN_DOC]
    assert first not in new.plan.planned_visit_ids(), new.plan.routes

    resave = f"保存为计划 #{pid} 的新版本"
    next(b for b in app.button if b.label == resave).click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    with session_scope(engine) as s:
        assert plan_revision(s, pid) == 1  # not saved yet: asked first
    (asked,) = [w.value for w in app.warning if "确认" in w.value and resave in w.value]
    assert first in asked and no in asked and "改期" in asked and "12-10" in asked, asked
    assert "晚于规划最后一天" in asked and "待再访" in asked, asked

    next(b for b in app.button if b.label.startswith("确认保存")).click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    with session_scope(engine) as s:
        assert plan_revision(s, pid) == 2
    assert _status(engine, no) == CaseStatus.PLANNED.value  # still this plan's to visit, not back to 已登记

    again = open_plan(pid, dt.datetime.combine(TODAY, dt.time(16, 0)))
    assert not again.exception and not again.error, [e.value for e in again.error]
    assert "待再访的走访点（1 个）" in [h.value for h in again.subheader], [h.value for h in again.subheader]
    (table,) = [d.value for d in again.dataframe if "记录" in d.value.columns]
    assert list(table["信访件"]) == [no], table


def test_a_re_plan_that_keeps_every_stop_saves_at_once(engine, monkeypatch) -> None:
    pid = save_issued_plan(engine, monkeypatch, VISITS, days=2)
    app = open_plan(pid, dt.datetime.combine(TODAY, dt.time(7, 30)))
    next(b for b in app.button if b.label == "重新规划其余走访点").click().run()
    next(b for b in app.button if b.label == f"保存为计划 #{pid} 的新版本").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    with session_scope(engine) as s:
        assert plan_revision(s, pid) == 2
