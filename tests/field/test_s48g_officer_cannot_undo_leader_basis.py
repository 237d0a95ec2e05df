"""Walk W15: an officer recorded ZZJW-2026-11-038 已走访 4 户次; the leader corrected it in 回访跟踪 to 反映不实 with 6
户次, issued the 澄清函 on it and recorded feedback to both sides; the officer then chose 修改走访结果 › 未找到 on the
phone and saved without a word — the letter stayed 已澄清 on a visit that no longer found anything, and 统计 moved
both feedbacks to （未记录）. The officer is refused (naming the leader and the letter); the leader must confirm; the
feedback stays with the visit's team after a confirmed correction."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from planner.errors import InputError
from planner.field.day import TeamDay, save_stop_outcome
from planner.followup.clarification import record_clarification
from planner.followup.feedback import record_feedback
from planner.followup.outcome_basis import outcome_grounds
from planner.followup.outcomes import correct_outcome, stored_outcomes
from planner.followup.stats import compute_stats
from planner.store.database import session_scope
from planner.store.history import record_history
from planner.store.models import ClarificationRow, UserRow, VisitOutcomeRow
from tests.app.test_itinerary import MONDAY, OFFICER_T1, _saved

CASE = "ZZ2026-0101"


def _phone(engine, day, result, *, households=0, findings="当天实际未见到信访人。", version=None) -> int:
    with session_scope(engine) as s:
        return save_stop_outcome(s, day, CASE, result=result, households=households, findings=findings, who="li",
                                 actor=OFFICER_T1, today=MONDAY, expected_version=version)


def _row(engine) -> tuple[str, bool | None, int, int]:
    with session_scope(engine) as s:
        r = s.scalars(select(VisitOutcomeRow)).one()
        return r.result, r.report_true, r.households_visited, r.version


def test_an_officer_cannot_undo_the_leaders_correction_and_the_clarification_it_grounds(engine, monkeypatch) -> None:
    day = TeamDay(MONDAY, "T1", _saved(engine, monkeypatch))
    with session_scope(engine) as s:
        s.add(UserRow(username="lead", display_name="黄组长", role="leader", password_hash="x", team_ids=["T1"]))
    _phone(engine, day, "visited", households=4, findings="已入户核实")
    with session_scope(engine) as s:  # 回访跟踪 › 走访结果, the leader
        rec = stored_outcomes(s, CASE)[0]
        o = rec.outcome
        fixed = type(o)(**{**{f: getattr(o, f) for f in o.__dataclass_fields__}, "report_true": False,
                           "households_visited": 6, "findings": "组长更正：反映不实。"})
        correct_outcome(s, rec.outcome_id, fixed, who="lead", expected_version=rec.version, today=MONDAY)
        record_clarification(s, CASE, cadre="李建国", issued_date=MONDAY, who="lead")
        for side in ("petitioner", "government"):
            record_feedback(s, CASE, side, feedback_date=MONDAY, channel="电话", content="反映不实", who="lead")
    before = _row(engine)
    assert before[:3] == ("visited", False, 6)

    # The officer's phone: 修改走访结果 › 未找到, on the version the form showed.
    with pytest.raises(InputError) as refused:
        _phone(engine, day, "not_found", version=before[3])
    said = str(refused.value)
    assert "黄组长（lead）" in said and "澄清函（李建国" in said and "反馈" in said and "联系组长" in said
    # Only 户次, which the leader set: refused too (the leader's 6 stands), naming the field.
    with pytest.raises(InputError, match="入户走访"):
        _phone(engine, day, "visited", households=4, findings="组长更正：反映不实。", version=before[3])
    assert _row(engine) == before

    # The leader is told what was issued and must confirm; confirmed, the 澄清函 says its ground changed.
    with session_scope(engine) as s:
        assert "澄清函" in outcome_grounds(s, s.scalars(select(VisitOutcomeRow.id)).one())
        rec = stored_outcomes(s, CASE)[0]
        gone = type(rec.outcome)(**{**{f: getattr(rec.outcome, f) for f in rec.outcome.__dataclass_fields__},
                                    "result": "not_found", "reason": "未见到信访人", "findings": ""})
        with pytest.raises(InputError, match="确认更正"):
            correct_outcome(s, rec.outcome_id, gone, who="lead", expected_version=rec.version, today=MONDAY)
    with session_scope(engine) as s:
        rec = stored_outcomes(s, CASE)[0]
        correct_outcome(s, rec.outcome_id, gone, who="lead", expected_version=rec.version, today=MONDAY,
                        confirm_basis=True)
    with session_scope(engine) as s:
        cid = s.scalars(select(ClarificationRow.id)).one()
        assert any(c.action == "withdrawn" for c in record_history(s, "clarification", cid))  # S49b: 已撤回
        # 统计: the feedback stays with the team of the visit, not （未记录）.
        stats = compute_stats(s, start=dt.date(2026, 1, 1), end=MONDAY, by=("team",), today=MONDAY)
        fed = {r.keys[0]: r["feedback_petitioner"] for r in stats.rows if r["feedback_petitioner"]}
        assert fed and "（未记录）" not in fed and sum(fed.values()) == 1


def test_feedback_stays_with_the_visits_team_when_its_only_visit_is_corrected_to_not_found(session) -> None:
    from planner.domain import VisitOutcome
    from planner.followup.outcomes import record_outcome
    from planner.store.models import CaseRow

    session.add(CaseRow(case_no="C1", received_date=dt.date(2026, 11, 2), deadline=dt.date(2027, 1, 1),
                        content="反映问题", status="planned"))
    session.flush()
    oid = record_outcome(session, VisitOutcome(case_no="C1", visit_date=MONDAY, result="visited", team_id="T2",
                                               households_visited=4), who="office", today=MONDAY)
    record_feedback(session, "C1", "government", feedback_date=MONDAY, channel="书面", content="已反馈", who="office")
    correct_outcome(session, oid, VisitOutcome(case_no="C1", visit_date=MONDAY, result="not_found", team_id="T2",
                                               reason="未见到信访人"), who="office", today=MONDAY, confirm_basis=True)
    stats = compute_stats(session, start=dt.date(2026, 1, 1), end=MONDAY, by=("team",), today=MONDAY)
    assert {r.keys[0]: r["feedback_government"] for r in stats.rows if r["feedback_government"]} == {"T2": 1}
