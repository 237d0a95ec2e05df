"""Browser walk: correcting a first letter's outcome lost its repeat letter's link. PH-02, the repeat letter at
PH-01's stop, was 已下访 along with PH-01 when the plan was finished; PH-01 corrected to 已化解 took PH-02 along, but
corrected back to 未解决 left PH-02 已下访 with no link, so the next correction to 已化解 left it behind. After any
correction the repeat letter follows the first letter's corrected outcome."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import select

from planner.followup.outcomes import correct_outcome, stored_outcomes
from planner.store.cases import case_history
from planner.store.database import session_scope
from planner.store.lifecycle import plan_tally, set_plan_status
from planner.store.models import CaseRow
from tests.app.test_plan_done_counts import DAY, _plan, _record


def _status(engine, no: str) -> str:
    with session_scope(engine) as s:
        return s.scalar(select(CaseRow.status).where(CaseRow.case_no == no))


def _correct(engine, resolved: bool) -> None:
    """Correct PH-01's only record (the 回访跟踪 form's 保存更正) to the problem resolved or not."""
    with session_scope(engine) as s:
        rec = stored_outcomes(s, "PH-01")[0]
        correct_outcome(s, rec.outcome_id, dataclasses.replace(rec.outcome, problem_resolved=resolved,
                                                               findings=f"更正 {resolved}"),
                        who="lead", expected_version=rec.version, today=DAY + dt.timedelta(days=2))


def _finish(engine, pid: int) -> None:
    with session_scope(engine) as s:
        set_plan_status(s, pid, "done", who="lead")


def test_the_repeat_letter_visited_along_follows_every_correction_of_the_first(engine) -> None:
    pid = _plan(engine, 3)  # PH-01 and its repeat PH-02 at one stop; PH-03 alone
    _record(engine, pid, "PH-01")
    _finish(engine, pid)
    assert (_status(engine, "PH-01"), _status(engine, "PH-02")) == ("visited", "visited")
    for resolved, expected in ((True, "resolved"), (False, "visited"), (True, "resolved"), (False, "visited")):
        _correct(engine, resolved)
        assert (_status(engine, "PH-01"), _status(engine, "PH-02")) == (expected, expected), resolved
    with session_scope(engine) as s:
        last = [h for h in case_history(s, "PH-02") if h.action == "status"][-1].detail
        assert last["visited_with"] == "PH-01" and "仍为随前件走访" in last["note"]
        tally = plan_tally(s, pid)
    assert (tally.visited, tally.along) == (2, 1)


def test_a_repeat_settled_before_the_plan_was_finished_goes_back_as_visited_along(engine) -> None:
    """PH-01 recorded 已化解 while the plan ran settled the waiting PH-02 (已排程 at its stop); the plan finished; PH-01
    corrected to 未解决: PH-02 was sent back to 已排程 in a finished plan, as if nobody had been to the door."""
    pid = _plan(engine, 3)
    _record(engine, pid, "PH-01")
    _correct(engine, True)
    assert _status(engine, "PH-02") == "resolved"
    _finish(engine, pid)
    _correct(engine, False)
    assert (_status(engine, "PH-01"), _status(engine, "PH-02")) == ("visited", "visited")
    _correct(engine, True)
    assert _status(engine, "PH-02") == "resolved"
