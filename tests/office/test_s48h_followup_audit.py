"""审计日志 (walk W15): issuing a 澄清函, both records of 双反馈, a 整改 item and a leader's and an officer's download
of the 澄清函 .docx were nowhere in the audit log (only in each record's 修改记录; the downloads nowhere). Each is now
a row of the one audit function the exports use: who, when, which letter (case number), never the petitioner."""

from __future__ import annotations

import datetime as dt

from planner.followup.clarification import clarification_document, correct_clarification, issue_clarification
from planner.followup.feedback import acknowledge_feedback, correct_feedback, record_feedback
from planner.followup.rectification import add_rectification, complete_rectification, correct_rectification
from planner.office import audit
from planner.office.security import Actor
from planner.store.models import CaseRow, PetitionerRow, VisitOutcomeRow
from tests.test_clarification import LETTER

CASE = "HA-2026-48"
NAME, PHONE, ID_NO = "王五六", "13900001111", "350623198001011234"
LEADER = Actor("zu1", "leader", ("T1",), display_name="林组长")
OFFICER = Actor("gb1", "officer", ("T1",), display_name="陈干部")


def _case(session) -> None:
    case = CaseRow(case_no=CASE, received_date=dt.date(2026, 6, 3), deadline=dt.date(2026, 8, 2),
                   content="反映扶贫资金被私分", status="visited")
    case.petitioner = PetitionerRow(name=NAME, phone=PHONE, id_number=ID_NO)
    session.add(case)
    session.flush()
    session.add(VisitOutcomeRow(case_id=case.id, visit_date=dt.date(2026, 7, 1), result="visited", team_id="T1",
                                report_true=False, recorded_by="zu1"))
    session.flush()


def _log(session) -> list[dict]:
    return list(reversed(audit.recent(session, limit=50)))


def _text(session) -> str:
    return "\n".join(audit.describe(e) for e in _log(session))


def _no_identity(session) -> None:
    entries = _log(session)
    everything = str(entries) + _text(session) + str(audit.log_table(entries))
    for personal in (NAME, PHONE, ID_NO):
        assert personal not in everything


def test_issuing_and_correcting_a_clarification_letter_is_audited(session) -> None:
    _case(session)
    cid, _ = issue_clarification(session, CASE, LETTER, who="zu1", scope="华丰镇党政班子会议")
    correct_clarification(session, cid, who="admin", scope="华丰镇干部大会")
    session.commit()
    rows = [e for e in _log(session) if e["action"].startswith("clarification")]
    assert [(e["username"], e["action"], e["case_nos"]) for e in rows] == [
        ("zu1", "clarification_issue", [CASE]), ("admin", "clarification_correct", [CASE])]
    issued, corrected = (audit.describe(e) for e in rows)
    assert f"出具澄清函 #{cid}" in issued and "华纪函〔2026〕12号" in issued and f"涉及信访件 {CASE}" in issued
    assert f"更正澄清函 #{cid} 的登记：改了澄清范围" in corrected
    assert {r["操作"] for r in audit.log_table(rows)} == {"出具澄清函", "更正澄清函登记"}
    _no_identity(session)


def test_both_feedback_records_and_their_corrections_are_audited(session) -> None:
    _case(session)
    f1 = record_feedback(session, CASE, "petitioner", feedback_date=dt.date(2026, 7, 5), channel="电话",
                         content=f"已向{NAME}（{PHONE}）反馈", recipient=NAME, who="gb1")
    record_feedback(session, CASE, "government", feedback_date=dt.date(2026, 7, 6), channel="书面",
                    content="已反馈华丰镇党委", recipient="华丰镇党委", acknowledged=True, who="zu1")
    correct_feedback(session, f1, who="gb1", channel="当面")
    acknowledge_feedback(session, f1, who="gb1")
    session.commit()
    rows = [e for e in _log(session) if e["action"].startswith("feedback")]
    assert [(e["username"], e["action"], e["case_nos"]) for e in rows] == [
        ("gb1", "feedback_record", [CASE]), ("zu1", "feedback_record", [CASE]),
        ("gb1", "feedback_correct", [CASE]), ("gb1", "feedback_correct", [CASE])]
    texts = [audit.describe(e) for e in rows]
    assert "登记向信访人的反馈（2026-07-05，电话）" in texts[0]
    assert "登记向党委政府的反馈（2026-07-06，书面，对方已确认收到）" in texts[1]
    assert f"更正向信访人的反馈 #{f1}：改了反馈方式" in texts[2] and "改了是否确认收到" in texts[3]
    _no_identity(session)  # the content and the recipient named the petitioner: neither is in the log


def test_rectification_items_are_audited(session) -> None:
    _case(session)
    rid = add_rectification(session, CASE, item=f"退还{NAME}保证金", owner="山格镇林业站",
                            due_date=dt.date(2026, 8, 1), who="zu1")
    correct_rectification(session, rid, who="zu1", due_date=dt.date(2026, 8, 15))
    complete_rectification(session, rid, done_date=dt.date(2026, 8, 10), who="gb1")
    session.commit()
    rows = [e for e in _log(session) if e["action"].startswith("rectification")]
    assert [(e["username"], e["action"], e["case_nos"]) for e in rows] == [
        ("zu1", "rectification_add", [CASE]), ("zu1", "rectification_correct", [CASE]),
        ("gb1", "rectification_done", [CASE])]
    texts = [audit.describe(e) for e in rows]
    assert f"添加整改事项 #{rid}（责任单位：山格镇林业站，期限 2026-08-01）" in texts[0]
    assert f"更正整改事项 #{rid}：改了整改期限" in texts[1]
    assert f"标记整改事项 #{rid} 已完成（2026-08-10）" in texts[2]
    _no_identity(session)


def test_each_download_of_a_letter_is_audited_as_an_export(session) -> None:
    _case(session)
    cid, data = issue_clarification(session, CASE, LETTER, who="zu1")
    session.commit()
    for actor in (LEADER, OFFICER):
        assert clarification_document(session, cid, actor=actor)[1] == data
    session.commit()
    rows = [e for e in _log(session) if e["action"] == "export"]
    assert [(e["username"], e["case_nos"], e["detail"]["what"]) for e in rows] == [
        ("zu1", [CASE], "clarification"), ("gb1", [CASE], "clarification")]
    assert all(f"下载澄清函 #{cid}（Word 文档）" in audit.describe(e) for e in rows)
    assert all(r["操作"] == "导出" for r in audit.log_table(rows))
    _no_identity(session)
