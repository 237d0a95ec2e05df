"""Several 澄清函 on one finding (the same cadre, the same day) were all offered as 澄清函-<case>-<cadre>-<date>.docx,
so a second download overwrote the first in the user's folder and nobody could tell which was which. Each letter of a
case now has a name of its own: the second and later ones say which they are (…-第2份.docx), a withdrawn one keeps its
own name behind 已撤回-, and letters stored before under one name are told apart the same way when listed and
downloaded."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.domain import VisitOutcome
from planner.followup.clarification import (
    ClarificationLetter,
    clarification_document,
    issue_clarification,
    list_clarifications,
)
from planner.followup.outcomes import correct_outcome, record_outcome, stored_outcomes
from planner.store.models import CaseRow, ClarificationRow

DAY = dt.date(2026, 12, 7)
CASE = "ZZ2026-0301"


def _letter(cadre: str = "李建国") -> ClarificationLetter:
    return ClarificationLetter(cadre=cadre, matter="挪用扶贫资金", finding="资金使用符合规定",
                               addressee="中共华安县华丰镇委员会", issued_date=DAY)


def _case(session) -> None:
    session.add(CaseRow(case_no=CASE, received_date=dt.date(2026, 11, 2), deadline=dt.date(2027, 1, 1),
                        content="反映问题", status="planned"))
    session.flush()
    record_outcome(session, VisitOutcome(case_no=CASE, visit_date=DAY, result="visited", team_id="T1",
                                         households_visited=3, report_true=False, findings="反映不实"),
                   who="zhou", today=DAY)


def test_two_letters_on_one_finding_have_names_of_their_own(session) -> None:
    _case(session)
    first, _ = issue_clarification(session, CASE, _letter(), who="zhou")
    second, _ = issue_clarification(session, CASE, _letter(), who="zhou")
    session.commit()
    names = {c["id"]: c["download_name"] for c in list_clarifications(session, CASE)}
    assert names[first] == f"澄清函-{CASE}-李建国-2026-12-07.docx"
    assert names[second] == f"澄清函-{CASE}-李建国-2026-12-07-第2份.docx"
    assert clarification_document(session, second)[0] == names[second]
    assert clarification_document(session, first)[0] == names[first]


def test_withdrawn_letters_download_under_their_own_names(session) -> None:
    _case(session)
    first, _ = issue_clarification(session, CASE, _letter(), who="zhou")
    second, _ = issue_clarification(session, CASE, _letter(), who="zhou")
    rec = stored_outcomes(session, CASE)[0]
    o = rec.outcome
    fixed = type(o)(**{**{f: getattr(o, f) for f in o.__dataclass_fields__}, "report_true": True,
                       "findings": "更正：反映属实"})
    correct_outcome(session, rec.outcome_id, fixed, who="zhou", expected_version=rec.version, today=DAY,
                    confirm_basis=True)
    session.commit()
    listed = {c["id"]: c for c in list_clarifications(session, CASE)}
    assert listed[first]["withdrawn"] and listed[second]["withdrawn"]
    assert clarification_document(session, first)[0] == f"已撤回-澄清函-{CASE}-李建国-2026-12-07.docx"
    assert clarification_document(session, second)[0] == f"已撤回-澄清函-{CASE}-李建国-2026-12-07-第2份.docx"
    assert listed[second]["download_name"] == clarification_document(session, second)[0]
    # A new 不实 finding and a new letter: the third of the case.
    fixed = type(o)(**{**{f: getattr(o, f) for f in o.__dataclass_fields__}, "report_true": False,
                       "findings": "再次核实：反映不实"})
    rec = stored_outcomes(session, CASE)[0]
    correct_outcome(session, rec.outcome_id, fixed, who="zhou", expected_version=rec.version, today=DAY,
                    confirm_basis=True)
    third, _ = issue_clarification(session, CASE, _letter(), who="zhou")
    session.commit()
    assert clarification_document(session, third)[0] == f"澄清函-{CASE}-李建国-2026-12-07-第3份.docx"
    assert len({c["download_name"] for c in list_clarifications(session, CASE)}) == 3


def test_letters_stored_under_one_name_before_are_told_apart(session) -> None:
    _case(session)
    first, _ = issue_clarification(session, CASE, _letter(), who="zhou")
    second, _ = issue_clarification(session, CASE, _letter(), who="zhou")
    # As stored before: both under the first's name.
    same = session.scalar(select(ClarificationRow.document_name).where(ClarificationRow.id == first))
    session.get(ClarificationRow, second).document_name = same
    session.commit()
    assert clarification_document(session, first)[0] == same
    assert clarification_document(session, second)[0] == same.removesuffix(".docx") + "-第2份.docx"
    found = list_clarifications(session, query="第2份")
    assert [c["id"] for c in found] == [second]
