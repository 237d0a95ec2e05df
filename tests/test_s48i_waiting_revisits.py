"""Walk W15: a letter recorded 改期 with a day agreed (12-09) that the re-plan of a plan ending 12-08 could not place
was listed nowhere a leader or a coordinator looks for due work — not in 回访跟踪's 今日与回访, not in 首页's counts,
and 选件 said only 上次改期（12-07）. :func:`planner.followup.revisits.waiting_revisits` is the one reading those lists
share: letters last recorded 改期 or 未找到 that no live plan routes on a later day, with the agreed day, 已逾期 once
past, and the plan that left them out."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.followup.revisits import waiting_revisits
from planner.followup.worklist import case_choice, find_visit_choices
from planner.office.security import Actor
from planner.selection.missed import missed_visits
from planner.store.models import CaseRow, PlanCase, PlanRow, VisitOutcomeRow
from planner.store.plans import open_plan as open_saved
from planner.store.plans import resave_plan
from tests.routing.test_s48a_revisit_counts import _replan
from tests.routing.test_w13f2_revisits_one_stop import MONDAY, _running

AGREED = MONDAY + dt.timedelta(days=2)  # Wednesday 12-09, the day after the plan's last day
LEADER = Actor("lead", "leader", team_ids=("T1",))


def _left_out(session) -> int:
    """The W13 plan: ZZ1B put off to 12-09, ZZ1C not met on Monday; the re-plan saved as 第 2 版 leaves them out."""
    pid = _running(session)
    row = session.scalars(select(VisitOutcomeRow).join(CaseRow, CaseRow.id == VisitOutcomeRow.case_id)
                          .where(CaseRow.case_no == "ZZ1B")).one()
    row.put_off_to = AGREED
    session.flush()
    new, _notes = _replan(session, pid, days=2)
    (out,) = [u.visit_id for u in new.plan.unassigned]
    assert sorted(new.visits[out].case_nos) == ["ZZ1B", "ZZ1C"]
    resave_plan(session, pid, new, who="lead", expected_version=open_saved(session, pid).version)
    return pid


def test_a_left_out_revisit_waits_with_its_agreed_day_and_plan(session) -> None:
    pid = _left_out(session)
    waiting = waiting_revisits(session)
    assert list(waiting) == ["ZZ1C", "ZZ1B"]  # earliest due first: 未找到 due 12-08, 改期 agreed 12-09
    put_off = waiting["ZZ1B"]
    assert (put_off.agreed, put_off.due, put_off.left_out, put_off.plan_id) == (AGREED, AGREED, True, pid)
    said = put_off.text(MONDAY + dt.timedelta(days=1))
    assert said == f"待再访：12-07 改期，约定 12-09 再访；计划 #{pid}「平和」第 2 版未能排入", said
    assert put_off.text(MONDAY + dt.timedelta(days=3)).startswith("待再访：12-07 改期，约定 12-09 再访（已逾期 1 天）")
    assert waiting["ZZ1C"].text(MONDAY + dt.timedelta(days=1)).startswith("待再访：12-07 未找到；")
    # visited letters and letters the plan still routes are not waiting
    assert not {"ZZ1", "ZZ2", "ZZ3", "ZZ4"} & set(waiting)
    assert set(waiting_revisits(session, actor=LEADER)) == {"ZZ1B", "ZZ1C"}


def test_followup_today_list_names_the_waiting_revisit(session) -> None:
    pid = _left_out(session)
    day = MONDAY + dt.timedelta(days=3)  # Thursday: past the agreed day
    page = find_visit_choices(session, day, scope="today", actor=LEADER)
    by_no = {c.case_no: c for c in page.choices}
    assert {"ZZ1B", "ZZ1C"} <= set(by_no), list(by_no)
    choice = by_no["ZZ1B"]
    assert choice.option_label().startswith("[待再访] ZZ1B"), choice.option_label()
    assert "约定 12-09 再访（已逾期 1 天）" in choice.revisit and f"计划 #{pid}" in choice.revisit, choice.revisit
    assert "第 2 版未能排入" in choice.revisit, choice.revisit
    # the letter being worked on says it too
    assert case_choice(session, "ZZ1B", day, actor=LEADER).revisit == choice.revisit


def test_selection_note_says_the_promised_day(session) -> None:
    pid = _left_out(session)
    notes = missed_visits(session, ["ZZ1B", "ZZ1C", "ZZ2"])
    assert notes["ZZ1B"].startswith(f"待再访：12-07 改期，约定 12-09 再访；计划 #{pid}"), notes
    assert "信访人不在家" in notes["ZZ1B"], notes
    assert "ZZ2" not in notes


def test_a_plan_that_places_the_revisit_holds_it(session) -> None:
    _left_out(session)
    ids = dict(session.execute(select(CaseRow.case_no, CaseRow.id)).all())
    draft = PlanRow(name="下周", start_date=AGREED, days=1, status="draft", created_by="lead", problem={}, result={})
    session.add(draft)
    session.flush()
    session.add(PlanCase(plan_id=draft.id, case_id=ids["ZZ1B"], visit_id="V1", team_id="T1", visit_date=AGREED))
    session.flush()
    assert list(waiting_revisits(session)) == ["ZZ1C"]
    # a plan that lists it without a route does not
    session.add(PlanCase(plan_id=draft.id, case_id=ids["ZZ1C"], visit_id="V2", team_id="", visit_date=None))
    session.flush()
    (left,) = waiting_revisits(session).values()
    assert (left.case_no, left.plan_id, left.left_out) == ("ZZ1C", draft.id, True)
