"""Browser walks of a 回访 stop on the officer's day (行程): the phone form could not say that the 回访 found the
problem back (the library's ``problem_back``), and a 回访 recorded elsewhere (回访跟踪, another day) left the stop
下一站."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from planner.domain import VisitOutcome
from planner.field import build_itinerary, load_document
from planner.field.day import day_view, returned_elsewhere
from planner.followup.common import RETURN_VISIT
from planner.followup.outcomes import record_outcome
from planner.store.database import session_scope
from planner.store.models import CaseRow, FollowUpRow, VisitOutcomeRow
from tests.app.test_itinerary import MONDAY, OFFICER_T1, PLAN, _form_widget, _officer_app, _saved

TUESDAY = MONDAY + dt.timedelta(days=1)
BACK = "ZZ2026-0108"  # T1's only stop on Tuesday, a 回访 (V09)
PROPOSED = dt.datetime(2026, 11, 20, 9, 0)


def _resolved_awaiting_return(engine, monkeypatch) -> int:
    """The saved fixture plan; its 回访 letter 已化解 with the 回访 proposed on 11-20 still open."""
    plan_id = _saved(engine, monkeypatch)
    with session_scope(engine) as s:
        s.execute(update(CaseRow).where(CaseRow.case_no == BACK).values(status="resolved"))
        case_id = s.scalar(select(CaseRow.id).where(CaseRow.case_no == BACK))
        s.add(FollowUpRow(case_id=case_id, kind=RETURN_VISIT, due_date=dt.date(2026, 12, 20), created_at=PROPOSED,
                          preferred_team_id="T1", description="问题已化解"))
    return plan_id


def _status(engine) -> str:
    with session_scope(engine) as s:
        return s.scalar(select(CaseRow.status).where(CaseRow.case_no == BACK))


def _save_return(at, *, back: bool | None) -> None:
    at.run()
    assert not at.exception
    if back is not None:
        box = _form_widget(at, "checkbox", "back")
        assert box.label == "回访发现问题反弹、仍未解决" and box.value is False  # off by default
        if back:
            box.check()
    _form_widget(at, "radio", "result").set_value("visited")  # nothing is picked until the officer picks
    _form_widget(at, "text_area", "findings").input("回访：采砂点又在夜间作业")
    next(b for b in at.button if "it_form_" in str(b.key)).click().run()
    assert not at.exception


def test_the_return_visit_form_says_the_problem_came_back_and_the_letter_reopens(engine, monkeypatch) -> None:
    _resolved_awaiting_return(engine, monkeypatch)
    at = _officer_app(OFFICER_T1, TUESDAY)
    _save_return(at, back=True)
    assert any("回访发现问题反弹、仍未解决：信访件回到“已下访”" in s.value for s in at.success)
    with session_scope(engine) as s:
        row = s.scalars(select(VisitOutcomeRow)).one()
        assert (row.visit_type, row.problem_resolved, row.visit_date) == ("return", False, TUESDAY)
    assert _status(engine) == "visited"
    at.run()  # the correction form shows the 回访 as recorded: the problem came back
    assert _form_widget(at, "checkbox", "back").value is True


def test_left_unticked_the_problem_stays_solved(engine, monkeypatch) -> None:
    _resolved_awaiting_return(engine, monkeypatch)
    _save_return(_officer_app(OFFICER_T1, TUESDAY), back=False)
    assert _status(engine) == "resolved"


def test_only_the_return_visit_stop_has_the_choice(engine, monkeypatch) -> None:
    _saved(engine, monkeypatch)
    at = _officer_app(OFFICER_T1, MONDAY)  # six stops, of which V05 (ZZ2026-0106) is a 回访
    at.run()
    assert not at.exception
    assert len([w for w in at.checkbox if str(w.key).endswith("_resolved")]) == 7
    assert len([w for w in at.checkbox if str(w.key).endswith("_back")]) == 1


def test_a_return_visit_recorded_in_followup_ends_the_stop(engine, monkeypatch) -> None:
    plan_id = _resolved_awaiting_return(engine, monkeypatch)
    at = _officer_app(OFFICER_T1, TUESDAY)
    at.run()
    assert any("下一站" in m.value for m in at.markdown)
    with session_scope(engine) as s:  # 回访跟踪: the leader records the 回访 made on Monday, by another team
        record_outcome(s, VisitOutcome(case_no=BACK, visit_date=MONDAY, result="visited", team_id="T2",
                                       findings="回访：群众满意", problem_resolved=True),
                       who="lead", visit_type="return")
    at = _officer_app(OFFICER_T1, TUESDAY)
    at.run()
    assert not at.exception
    assert not any("下一站" in m.value for m in at.markdown)
    assert any("都已登记结果" in s.value for s in at.success)
    assert any(f"已于 {MONDAY.isoformat()} 登记回访（问题保持解决），本站无需再回访此件" in s.value for s in at.success)
    with session_scope(engine) as s:
        assert BACK in returned_elsewhere(s, [BACK], set(), plan_id=plan_id)


def test_an_earlier_rounds_return_visit_does_not_end_the_stop(engine, monkeypatch) -> None:
    """A 回访 of the last round (before this 回访 was proposed) is no record of this one; an open task waits too."""
    plan_id = _resolved_awaiting_return(engine, monkeypatch)
    with session_scope(engine) as s:
        case_id = s.scalar(select(CaseRow.id).where(CaseRow.case_no == BACK))
        s.add(VisitOutcomeRow(case_id=case_id, visit_date=dt.date(2026, 10, 9), result="visited", team_id="T1",
                              visit_type="return", problem_resolved=True, recorded_at=dt.datetime(2026, 10, 9, 18)))
    doc = load_document(PLAN)
    it = build_itinerary(doc, "T1", TUESDAY)
    with session_scope(engine) as s:
        assert returned_elsewhere(s, [BACK], set(), plan_id=plan_id) == {}
        s.execute(update(FollowUpRow).values(done=True, done_date=dt.date(2026, 10, 9)))  # closed, yet the old one
    with session_scope(engine) as s:
        returned = returned_elsewhere(s, [BACK], set(), plan_id=plan_id)
    assert returned == {}
    assert day_view(it, returned=returned).next_stop is not None
