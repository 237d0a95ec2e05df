"""AppTest of 路线规划's 待再访 note (walk S49a): a revisit whose agreed day (改期) lies after the plan's last day
was said to come 点“重新规划其余走访点”后排入, though no re-plan of these days can place it; the note says the agreed
day lies after the plan's end and that a plan covering that day is needed (or the day changed). A revisit the plan can
still place keeps the old note. Right after that save the counts line read 已安排 2 个，未安排 1 个, and on reopening
已安排 2 个，待再访 1 个，未安排 0 个: both now count it 待再访."""

from __future__ import annotations

import datetime as dt

from _ui_data import TODAY
from app_steps import open_plan, save_issued_plan

from planner.domain import Visit, VisitOutcome
from planner.followup.outcomes import record_outcome
from planner.store.database import session_scope
from planner.store.lifecycle import plan_revision
from planner.store.plans import load_plan

VISITS = (
    Visit("V1", 117.33, 24.37, 45, label="小溪镇", case_nos=("ZZ1",), must=True),
    Visit("V2", 117.36, 24.38, 45, label="山格镇", case_nos=("ZZ2",), must=True),
    Visit("V3", 117.39, 24.35, 45, label="文峰镇", case_nos=("ZZ3",), must=True),
)
AGREED = TODAY + dt.timedelta(days=3)  # Thursday 12-10; the plan runs Monday 12-07 and Tuesday 12-08


def _counts(app) -> str:
    (line,) = [c.value for c in app.caption if c.value.startswith("共 ")]
    return line.split("。状态：", 1)[0]


def _put_off_after_end(engine, monkeypatch) -> tuple[int, str]:
    pid = save_issued_plan(engine, monkeypatch, VISITS, days=2)
    with session_scope(engine) as s:
        first = load_plan(s, pid).plan.route_for("A", TODAY).visit_ids[0]
        no = next(v.case_nos[0] for v in VISITS if v.visit_id == first)
        record_outcome(s, VisitOutcome(no, TODAY, "postponed", team_id="A", reason="信访人外出务工",
                                       put_off_to=AGREED), who="offA", plan_id=pid, today=TODAY)
    return pid, no


def _replan_and_save(pid: int):
    app = open_plan(pid, dt.datetime.combine(TODAY, dt.time(15, 0)))
    next(b for b in app.button if b.label == "重新规划其余走访点").click().run()
    next(b for b in app.button if b.label == f"保存为计划 #{pid} 的新版本").click().run()
    next(b for b in app.button if b.label.startswith("确认保存")).click().run()
    return app


def test_the_waiting_note_says_the_agreed_day_lies_after_the_plan(engine, monkeypatch) -> None:
    pid, _no = _put_off_after_end(engine, monkeypatch)
    _replan_and_save(pid)
    again = open_plan(pid, dt.datetime.combine(TODAY, dt.time(16, 0)))
    assert not again.exception and not again.error, [e.value for e in again.error]
    assert "待再访的走访点（1 个）" in [h.value for h in again.subheader]
    said = " ".join(c.value for c in again.caption)
    assert "约定" in said and "12-10" in said and "12-08" in said, said
    assert "晚于本计划最后一天" in said, said
    assert "点“重新规划其余走访点”后排入" not in said, said


def test_a_revisit_the_plan_can_still_place_is_said_to_come_with_the_re_plan(engine, monkeypatch) -> None:
    pid = save_issued_plan(engine, monkeypatch, (Visit("V1", 117.33, 24.37, 45, label="山格镇隆庆村",
                                                       case_nos=("ZZ1", "ZZ1B"), must=True),), days=3)
    with session_scope(engine) as s:
        record_outcome(s, VisitOutcome("ZZ1", TODAY, "visited", team_id="A"), who="offA", plan_id=pid, today=TODAY)
        record_outcome(s, VisitOutcome("ZZ1B", TODAY, "postponed", team_id="A", reason="信访人外出",
                                       put_off_to=TODAY + dt.timedelta(days=1)), who="offA", plan_id=pid, today=TODAY)
    app = open_plan(pid, dt.datetime.combine(TODAY, dt.time(15, 0)))
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert "待再访的走访点（1 个）" in [h.value for h in app.subheader]
    said = " ".join(c.value for c in app.caption)
    assert "点“重新规划其余走访点”后排入" in said and "晚于本计划最后一天" not in said, said


def test_the_waiting_record_plans_it_from_the_agreed_day(engine, monkeypatch) -> None:
    pid, _no = _put_off_after_end(engine, monkeypatch)
    _replan_and_save(pid)
    again = open_plan(pid, dt.datetime.combine(TODAY, dt.time(16, 0)))
    assert not again.exception and not again.error, [e.value for e in again.error]
    (table,) = [d.value for d in again.dataframe if "记录" in d.value.columns]
    (said,) = list(table["记录"])
    assert "约定 12-10 再访，重新规划时从 12-10 起安排" in said and "从 12-08 起安排" not in said, said


def test_the_counts_right_after_saving_read_as_on_reopening(engine, monkeypatch) -> None:
    pid, _no = _put_off_after_end(engine, monkeypatch)
    app = _replan_and_save(pid)
    assert not app.exception and not app.error, [e.value for e in app.error]
    with session_scope(engine) as s:
        assert plan_revision(s, pid) == 2
    saved = _counts(app)
    assert "待再访 1 个" in saved, saved
    again = open_plan(pid, dt.datetime.combine(TODAY, dt.time(16, 0)))
    assert not again.exception and not again.error, [e.value for e in again.error]
    assert _counts(again) == saved
    assert {m.label: m.value for m in app.metric}["未安排"] == {m.label: m.value for m in again.metric}["未安排"]
