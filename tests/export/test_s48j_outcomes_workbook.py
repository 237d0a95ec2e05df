"""Walk W15: no per-letter export of outcomes (the 登记表 export has only 办理状态). 统计 offers 走访结果 (Excel): one
row per visit with place, day, team and officers, result and 认定, 入户, 核查情况, 双反馈, 澄清函 and 回访 due —
identities withheld unless an account that may unmask gives a reason, and each team's visits to its own people."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from planner.errors import InputError, PermissionDenied
from planner.field import build_itinerary
from planner.field.day import officer_day, save_stop_outcome
from planner.followup.outcome_export import outcome_rows, outcomes_xlsx
from planner.office import authorisation as authz
from planner.office.audit import describe
from planner.store.models import (
    AuditRow,
    CaseRow,
    ClarificationRow,
    FeedbackRow,
    FollowUpRow,
    PetitionerRow,
    TeamMemberRow,
    TeamRow,
    VisitOutcomeRow,
)
from planner.store.plans import load_plan
from tests.export.test_day import (  # noqa: F401 (fixtures)
    COORDINATOR,
    LEADER_T1,
    MONDAY,
    OFFICER_T1,
    OFFICER_T2,
    issued,
    plan_id,
    raw,
)

NAME, PHONE, ID_NO = "张三丰", "13800138000", "350623198001011234"


@pytest.fixture()
def visits(session, plan_id, issued) -> dict[str, str]:  # noqa: F811
    """Letters recorded on 12-07: T1's first letter 已走访 (不实, 3 户次, with feedback, 澄清函 and a 回访 due), T2's
    first 未找到; team T1 named with two officers. Case number -> team."""
    doc = load_plan(session, plan_id)
    t1 = build_itinerary(doc, "T1", MONDAY).stops[0].cases[0].case_no
    t2 = build_itinerary(doc, "T2", MONDAY).stops[0].cases[0].case_no
    session.add(TeamRow(id="T1", name="第一检查组", base_lon=117.3, base_lat=24.3))
    session.flush()
    session.add_all([TeamMemberRow(id="m1", team_id="T1", name="李干部"),
                     TeamMemberRow(id="m2", team_id="T1", name="周干部")])
    ids = dict(session.execute(select(CaseRow.case_no, CaseRow.id).where(CaseRow.case_no.in_([t1, t2]))).all())
    for no in (t1, t2):
        session.add(PetitionerRow(case_id=ids[no], name=NAME, phone=PHONE, id_number=ID_NO))
    save_stop_outcome(session, officer_day(session, OFFICER_T1, MONDAY), t1, result="visited", households=3, leads=1,
                      findings=f"{NAME}反映的道路已修好，电话{PHONE}", who="li", actor=OFFICER_T1)
    # 认定 corrected afterwards (不实), as 回访跟踪 records it.
    session.scalar(select(VisitOutcomeRow).where(VisitOutcomeRow.case_id == ids[t1])).report_true = False
    save_stop_outcome(session, officer_day(session, OFFICER_T2, MONDAY), t2, result="not_found", households=0,
                      leads=0, findings="信访人外出务工", who="wang", actor=OFFICER_T2)
    session.add_all([
        FeedbackRow(case_id=ids[t1], side="petitioner", feedback_date=dt.date(2026, 12, 8), content="已告知"),
        FeedbackRow(case_id=ids[t1], side="government", feedback_date=dt.date(2026, 12, 9), content="已通报"),
        ClarificationRow(case_id=ids[t1], cadre="林村主任", issued_date=dt.date(2026, 12, 10)),
        FollowUpRow(case_id=ids[t1], kind="return_visit", due_date=dt.date(2027, 3, 7)),
    ])
    session.commit()
    return {t1: "T1", t2: "T2"}


def _sheet(data: bytes):
    return load_workbook(io.BytesIO(data))["走访结果"]


def _rows(session, actor, **kw) -> list[dict[str, object]]:
    headers, rows = outcome_rows(session, actor=actor, **kw)
    return [dict(zip(headers, r, strict=True)) for r in rows]


def test_the_workbook_lists_each_visited_letter_with_its_outcome(session, visits) -> None:
    t1, t2 = visits
    ws = _sheet(outcomes_xlsx(session, actor=COORDINATOR))
    head = [c.value for c in ws[1]]
    assert head[:10] == ["编号", "县区", "乡镇", "村", "走访日期", "检查组", "检查组人员", "走访类型", "走访结果",
                         "认定"]
    assert ws.freeze_panes == "B2" and ws.column_dimensions["O"].width == 50  # 核查情况 wide enough to read
    rows = {r[0]: dict(zip(head, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {t1, t2}
    one = rows[t1]
    assert (one["走访日期"], one["检查组"], one["检查组人员"], one["走访结果"], one["认定"]) == (
        "2026-12-07", "第一检查组", "李干部、周干部", "已走访", "不实")
    assert one["入户（户次）"] == 3 and one["线索（条）"] == 1
    assert (one["反馈信访人"], one["反馈党委政府"]) == ("2026-12-08", "2026-12-09")
    assert one["澄清函"] == "2026-12-10（林村主任）" and one["回访到期"] == "2027-03-07"
    assert "道路已修好" in one["核查情况"]
    assert rows[t2]["走访结果"] == "未找到" and rows[t2]["检查组"] == "T2"
    case = session.scalar(select(CaseRow).where(CaseRow.case_no == t1))
    assert (one["县区"], one["乡镇"], one["村"]) == (case.county, case.town, case.village or None)
    # Audited as the other exports, with the letters it holds.
    row = session.scalars(select(AuditRow).order_by(AuditRow.id.desc())).first()
    assert row.action == "export" and t1 in (row.case_nos or []) and "outcomes" in str(row.detail)
    from planner.office.audit import recent

    assert "导出走访结果（2 次走访，信访人身份已隐去）" in describe(recent(session, limit=1)[0])


@pytest.mark.parametrize("actor", [COORDINATOR, LEADER_T1, OFFICER_T1, OFFICER_T2], ids=lambda a: a.role + a.username)
def test_identities_are_withheld_from_every_role_without_unmasking(session, visits, actor) -> None:
    text = " ".join(str(v) for r in _sheet(outcomes_xlsx(session, actor=actor)).iter_rows(values_only=True)
                    for v in r if v is not None)
    assert NAME not in text and PHONE not in text and ID_NO not in text and "已隐去" in text


def test_an_account_that_may_unmask_gets_identities_with_a_reason_audited_officers_never(session, visits) -> None:
    t1, _t2 = visits
    boss = dataclasses.replace(COORDINATOR, can_unmask=True)
    with pytest.raises(InputError, match="理由"):
        outcomes_xlsx(session, actor=boss, unmask=True, reason="")
    rows = {r["编号"]: r for r in _rows(session, boss, unmask=True)}
    assert (rows[t1]["信访人"], rows[t1]["联系电话"], rows[t1]["身份证号"]) == (NAME, PHONE, ID_NO)
    outcomes_xlsx(session, actor=boss, unmask=True, reason="向上级报送核查结果")
    row = session.scalars(select(AuditRow).order_by(AuditRow.id.desc())).first()
    assert row.action == "export_unmasked" and row.reason == "向上级报送核查结果"
    for actor in (COORDINATOR, LEADER_T1, dataclasses.replace(OFFICER_T1, can_unmask=True)):
        with pytest.raises(PermissionDenied):
            outcomes_xlsx(session, actor=actor, unmask=True, reason="向上级报送核查结果")


def test_leaders_and_officers_get_their_own_teams_visits_only(session, visits) -> None:
    t1, t2 = visits
    assert {r["编号"] for r in _rows(session, OFFICER_T1)} == {t1}
    assert {r["编号"] for r in _rows(session, LEADER_T1)} == {t1}
    assert {r["编号"] for r in _rows(session, OFFICER_T2)} == {t2}
    none = dataclasses.replace(OFFICER_T1, team_ids=())
    assert _rows(session, none) == []
    # The range: a day after the visits holds none.
    assert _rows(session, COORDINATOR, start=dt.date(2026, 12, 8)) == []


def test_the_export_has_its_row_in_the_permission_table() -> None:
    assert authz.entry("export", "outcomes_xlsx").action == "view_stats"
    assert authz.entry("download", "st_outcomes_download").action == "view_stats"
