"""改期 with the day agreed (walk 1, officer → leader): the officer could only write "约定12月9日" in the text, and the
leader's opened plan showed V008 at 12-07 10:16 like any other stop.

- 行程's form asks 改到哪天 (optional, a day to come, after the visit's); the day is stored with the 改期, said on
  the stop's record, and a 改期 saves no counts or 问题已当场化解 typed before it was chosen (the form hides them);
- 回访跟踪's form asks it too, and shows no 用时 (60 分钟 by default), counts, 问题已解决 or 反映问题 for a 改期;
- the leader's plan marks the stop 已改期（约定 12-09） (planner.followup.put_off), the notes above it say a re-plan
  moves it, and a re-plan plans it from the agreed day, the notes saying so.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from planner.domain import Team, Visit, VisitOutcome
from planner.errors import InputError
from planner.field.day import TeamDay, save_stop_outcome, stop_records
from planner.followup.outcomes import correct_outcome, record_outcome, stored_outcomes
from planner.followup.put_off import agreed_days, plan_put_offs, put_off_notes, stop_table, with_put_off_marks
from planner.routing.problem import PlanOptions
from planner.routing.replan import replan_document
from planner.routing.report import plan_document, route_rows
from planner.store.database import session_scope
from planner.store.history import record_history
from planner.store.lifecycle import PlanStatus, set_plan_status
from planner.store.models import CaseRow, VisitOutcomeRow
from planner.store.plans import kept_history, load_plan, open_plan, put_off_history, save_plan
from planner.store.teams import save_team
from tests.app.test_itinerary import MONDAY, OFFICER_T1, _form_widget, _officer_app, _saved, _texts

FIRST = "ZZ2026-0101"  # V01, T1's first stop on Monday
WEDNESDAY = MONDAY + dt.timedelta(days=2)


def _rows(engine, case_no: str = FIRST) -> list[VisitOutcomeRow]:
    with session_scope(engine) as s:
        rows = s.scalars(select(VisitOutcomeRow).join(CaseRow, CaseRow.id == VisitOutcomeRow.case_id)
                         .where(CaseRow.case_no == case_no)).all()
        s.expunge_all()
        return list(rows)


def test_the_phone_form_saves_the_day_agreed_and_nothing_of_a_visit_that_did_not_happen(engine, monkeypatch):
    _saved(engine, monkeypatch)
    at = _officer_app(OFFICER_T1, MONDAY)
    at.run()
    assert not at.exception
    later = _form_widget(at, "date_input", "later")
    assert later.label.startswith("改到哪天") and later.value is None
    # Typed while 已走访 was chosen, then the officer learns the visit is put off: 改期 hides these fields.
    _form_widget(at, "number_input", "households").set_value(3)
    _form_widget(at, "checkbox", "resolved").check()
    _form_widget(at, "radio", "result").set_value("postponed")
    _form_widget(at, "text_area", "findings").input("村里办丧事")
    _form_widget(at, "date_input", "later").set_value(WEDNESDAY)
    next(b for b in at.button if "it_form_" in str(b.key)).click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    (row,) = _rows(engine)
    assert (row.result, row.put_off_to, row.households_visited, row.problem_resolved) == (
        "postponed", WEDNESDAY, 0, False)
    assert any("约定 2026-12-09 再访" in m.value for m in at.success), [m.value for m in at.success]
    titles = [t for t in _texts(at) if t.startswith("### 1. ")]
    assert titles and titles[0].endswith("（已改期，约定 12-09）"), titles
    assert any("改到 2026-12-09（周三）" in t for t in _texts(at)), _texts(at)


def test_the_day_agreed_is_a_day_to_come_after_the_visit_and_only_for_a_gaiqi(engine, monkeypatch):
    pid = _saved(engine, monkeypatch)
    day = TeamDay(MONDAY, "T1", pid)
    with session_scope(engine) as s, pytest.raises(InputError, match="已过"):
        record_outcome(s, VisitOutcome(FIRST, MONDAY - dt.timedelta(days=3), "postponed", team_id="T1",
                                       reason="外出", put_off_to=MONDAY - dt.timedelta(days=1)),
                       who="li", today=MONDAY)
    with pytest.raises(InputError, match="不在走访日期"):
        VisitOutcome(FIRST, MONDAY, "postponed", team_id="T1", reason="外出", put_off_to=MONDAY)
    with pytest.raises(InputError, match="只有“改期”"):
        VisitOutcome(FIRST, MONDAY, "visited", team_id="T1", put_off_to=WEDNESDAY)
    with session_scope(engine) as s:  # the phone's form keeps it only with 改期
        save_stop_outcome(s, day, FIRST, result="visited", households=2, put_off_to=WEDNESDAY, who="li",
                          actor=OFFICER_T1, today=MONDAY)
    assert [(r.result, r.put_off_to) for r in _rows(engine)] == [("visited", None)]
    with session_scope(engine) as s:  # corrected to 改期 with the day, then the day taken back
        rec = stop_records(s, [FIRST], MONDAY, "T1")[FIRST]
        save_stop_outcome(s, day, FIRST, result="postponed", findings="外出", put_off_to=WEDNESDAY, who="li",
                          actor=OFFICER_T1, expected_version=rec.version, today=MONDAY)
    with session_scope(engine) as s:
        rec = stop_records(s, [FIRST], MONDAY, "T1")[FIRST]
        assert rec.put_off_to == WEDNESDAY and rec.text() == "改期（外出） · 改到 2026-12-09（周三）"
        (stored,) = stored_outcomes(s, FIRST)
        assert stored.outcome.put_off_to == WEDNESDAY
        assert stored.label({"T1": "第一检查组"}) == "2026-12-07 · 第一检查组 · 改期（约定 12-09）"  # 回访跟踪's 记录
        changes = [c.describe() for c in record_history(s, "outcome", stored.outcome_id)]
        assert any("改到哪天" in c and "2026-12-09" in c for c in changes), changes
        correct_outcome(s, stored.outcome_id, VisitOutcome(FIRST, MONDAY, "postponed", team_id="T1", reason="外出"),
                        who="li", expected_version=stored.version, today=MONDAY)
    assert [r.put_off_to for r in _rows(engine)] == [None]


def test_the_leaders_plan_marks_the_stop_put_off_with_the_day_agreed(engine, monkeypatch):
    pid = _saved(engine, monkeypatch)
    with session_scope(engine) as s:
        set_plan_status(s, pid, PlanStatus.ISSUED, who="boss")
        save_stop_outcome(s, TeamDay(MONDAY, "T1", pid), FIRST, result="postponed", findings="村里办丧事",
                          put_off_to=WEDNESDAY, who="li", actor=OFFICER_T1, today=MONDAY)
    with session_scope(engine) as s:
        doc = open_plan(s, pid).doc
        marks = plan_put_offs(s, doc)
        notes = put_off_notes(s, doc)
    (vid,) = [v for v, x in doc.visits.items() if FIRST in x.case_nos]
    assert marks == {vid: "已改期（约定 12-09）"}
    rows = with_put_off_marks(route_rows(doc), marks)
    marked = [r for r in rows if r["走访情况"]]
    assert [(r["编号"], r["日期"], r["走访情况"]) for r in marked] == [(vid, "2026-12-07", "已改期（约定 12-09）")]
    (note,) = notes
    assert note.startswith(f"{vid} ") and "12-07 已记录为改期，约定 12-09 再访" in note and "从 12-09 起" in note
    with session_scope(engine) as s:  # as 路线规划 shows both
        table, said = stop_table(s, doc, route_rows(doc))
    assert table == rows and said == f"- {note}"


TEAM = Team("T1", "第一检查组", 117.313, 24.363)
VISITS = (
    Visit("V1", 117.33, 24.37, 45, case_nos=("ZZ1",), label="小溪镇"),
    Visit("V2", 117.36, 24.38, 45, case_nos=("ZZ2",), label="山格镇"),
    Visit("V3", 117.39, 24.35, 45, case_nos=("ZZ3",), label="文峰镇"),
)


def test_a_replan_plans_a_stop_put_off_from_the_day_agreed(session):
    save_team(session, TEAM)
    for no in ("ZZ1", "ZZ2", "ZZ3"):
        session.add(CaseRow(case_no=no, received_date=dt.date(2026, 11, 1), deadline=dt.date(2026, 12, 31),
                            status="registered"))
    session.flush()
    doc = plan_document(list(VISITS), [TEAM], start_date=MONDAY, days=4, time_limit_s=1.0,
                        options=PlanOptions(policy="compact"))
    assert "V2" in doc.plan.route_for("T1", MONDAY).visit_ids, doc.plan.routes
    pid = save_plan(session, doc, name="平和", who="lead")
    set_plan_status(session, pid, PlanStatus.ISSUED, who="lead")
    record_outcome(session, VisitOutcome("ZZ2", MONDAY, "postponed", team_id="T1", reason="村里办丧事",
                                         put_off_to=WEDNESDAY + dt.timedelta(days=1)), who="li", plan_id=pid,
                   today=MONDAY)
    session.flush()
    saved = load_plan(session, pid)
    options = PlanOptions(not_before=((MONDAY, 10 * 60),), today=MONDAY)
    new, notes = replan_document(list(saved.visits.values()), [TEAM], start_date=MONDAY, days=4, options=options,
                                 previous=saved, kept=kept_history(session, pid), put_off=put_off_history(session, pid),
                                 agreed=agreed_days(session, ["ZZ1", "ZZ2", "ZZ3"]), time_limit_s=1.0)
    (day,) = [r.date for r in new.plan.routes for s in r.stops if s.visit_id == "V2"]
    assert day == WEDNESDAY + dt.timedelta(days=1), new.plan.routes  # not Tuesday, the day after the 改期
    said = "约定 12-10 再访，重新安排在 12-10 及以后"
    assert any(n.startswith("V2 山格镇（ZZ2）") and said in n for n in notes), notes


def test_the_days_files_say_the_day_agreed_where_they_say_where_the_put_off_stop_went(engine, monkeypatch):
    """The 改期 of 12-07 was agreed for 12-09; the re-plan (as the fixture saves it) put it on 12-08: the officer's
    sheets of 12-07 say both, so the team sees the re-plan did not keep the day agreed."""
    from tests.field.test_replan_notice_putoff_sheets import PUT_OFF, _files, _replanned, _xlsx

    pid = _replanned(engine, monkeypatch)
    with session_scope(engine) as s:
        (stored,) = stored_outcomes(s, PUT_OFF)
        o = stored.outcome
        correct_outcome(s, stored.outcome_id, VisitOutcome(PUT_OFF, o.visit_date, "postponed", team_id="T1",
                                                           reason=o.reason, put_off_to=WEDNESDAY),
                        who="li", expected_version=stored.version, today=MONDAY)
    files = _files(engine, pid)
    assert "已改期至 2026-12-08（周二）（约定 12-09）" in _xlsx(files["xlsx"])
    assert "已改期至 2026-12-08（周二）（约定 12-09）" in files["html"].decode("utf-8")
