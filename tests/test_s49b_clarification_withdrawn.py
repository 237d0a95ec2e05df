"""Task S49b (2): a 澄清函 whose 不实 ground a leader's confirmed correction took away stayed 已澄清 and 统计 counted
it; nothing could withdraw it. Now the correction marks it 已撤回 (who, when, why: its history, the case's 办理记录,
审计日志), 统计 no longer counts it, the case leaves 已澄清, its .docx is still given for the record but headed
本函已撤回 and named 已撤回-…, and a new 澄清函 may be issued when a visit finds the report untrue again."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from sqlalchemy import inspect, select

from planner.domain import VisitOutcome
from planner.followup.clarification import (
    ClarificationLetter,
    clarification_document,
    issue_clarification,
    list_clarifications,
)
from planner.followup.common import case_history
from planner.followup.outcome_basis import outcome_grounds
from planner.followup.outcomes import correct_outcome, record_outcome, stored_outcomes
from planner.followup.stats import compute_stats
from planner.office import audit
from planner.office.security import Actor
from planner.store.database import downgrade, make_engine, upgrade
from planner.store.history import record_history
from planner.store.models import AuditRow, CaseRow, UserRow

DAY = dt.date(2026, 12, 7)
CASE = "ZZ2026-0201"
LEAD = Actor(username="lead", role="leader", team_ids=("T1",), display_name="黄组长")


def _letter(cadre: str) -> ClarificationLetter:
    return ClarificationLetter(cadre=cadre, matter="挪用扶贫资金", finding="资金使用符合规定",
                               addressee="中共华安县华丰镇委员会", issued_date=DAY)


def _correct(session, **changes) -> None:
    rec = stored_outcomes(session, CASE)[0]
    o = rec.outcome
    fixed = type(o)(**{**{f: getattr(o, f) for f in o.__dataclass_fields__}, **changes})
    correct_outcome(session, rec.outcome_id, fixed, who="lead", expected_version=rec.version, today=DAY,
                    confirm_basis=True)


def _clarified(session) -> int:
    stats = compute_stats(session, start=dt.date(2026, 1, 1), end=DAY, by=("team",), today=DAY)
    return sum(r["clarifications_issued"] for r in stats.rows)


def test_a_confirmed_correction_withdraws_the_letter_and_a_new_one_may_be_issued(session) -> None:
    session.add(UserRow(username="lead", display_name="黄组长", role="leader", password_hash="x", team_ids=["T1"]))
    session.add(CaseRow(case_no=CASE, received_date=dt.date(2026, 11, 2), deadline=dt.date(2027, 1, 1),
                        content="反映问题", status="planned"))
    session.flush()
    record_outcome(session, VisitOutcome(case_no=CASE, visit_date=DAY, result="visited", team_id="T1",
                                         households_visited=3, report_true=False, findings="反映不实"),
                   who="lead", today=DAY)
    first, _ = issue_clarification(session, CASE, _letter("李建国"), who="lead")
    session.commit()
    assert _clarified(session) == 1 and session.scalars(select(CaseRow.status)).one() == "clarified"

    # The leader's confirmed correction: 反映属实 after all.
    _correct(session, report_true=True, findings="组长更正：反映属实")
    session.commit()
    [letter] = list_clarifications(session, CASE)
    assert letter["withdrawn"] and letter["state"] == "已撤回"
    assert "由 黄组长（lead） 撤回" in letter["withdrawal"] and "已更正为反映属实" in letter["withdrawal"]
    assert _clarified(session) == 0
    assert session.scalars(select(CaseRow.status)).one() == "visited"
    assert outcome_grounds(session, stored_outcomes(session, CASE)[0].outcome_id) == ""  # nothing stands on it
    said = [c.describe() for c in record_history(session, "clarification", first) if c.action == "withdrawn"]
    assert said and "状态：已出具 → 已撤回" in said[0]
    assert any(h.action == "clarification_withdrawn" for h in case_history(session, CASE))
    [row] = [r for r in session.scalars(select(AuditRow)) if r.action == "clarification_withdraw"]
    assert row.username == "lead" and row.case_nos == [CASE]
    assert f"撤回澄清函 #{first}" in audit.describe(audit.recent(session, action="clarification_withdraw")[0])

    # The issued letter is still there for the record, headed as withdrawn; the download is audited as such.
    name, data = clarification_document(session, first, actor=LEAD)
    assert name.startswith("已撤回-澄清函-")
    top = [p.text for p in Document(io.BytesIO(data)).paragraphs if p.text.strip()][:2]
    assert top[0].startswith("本函已撤回") and "黄组长（lead）" in top[1]
    assert audit.recent(session, action="export")[0]["detail"].get("withdrawn") is True

    # A new 不实 finding: a new letter may be issued, and it alone counts.
    _correct(session, report_true=False, findings="再次核实：反映不实")
    second, _ = issue_clarification(session, CASE, _letter("李建国"), who="lead")
    session.commit()
    states = {c["id"]: c["state"] for c in list_clarifications(session, CASE)}
    assert states == {first: "已撤回", second: "已出具"}
    assert _clarified(session) == 1 and session.scalars(select(CaseRow.status)).one() == "clarified"


def test_the_migration_adds_and_drops_the_withdrawal_columns(db_url: str) -> None:
    eng = make_engine(db_url)
    try:
        upgrade(eng)
        assert {"withdrawn_at", "withdrawn_by", "withdrawn_reason"} <= {
            c["name"] for c in inspect(eng).get_columns("clarifications")}
        downgrade(eng, "i28_report_partly")
        assert not {"withdrawn_at", "withdrawn_by", "withdrawn_reason"} & {
            c["name"] for c in inspect(eng).get_columns("clarifications")}
    finally:
        upgrade(eng)
        eng.dispose()
