"""Walk W20: what a register imported again lacks is said, and a stop the plan left 未安排 is no re-plan.

1. register_v2.xlsx dropped ZZ2026-1140 and ZZ2026-1141 (the second on issued plan #1, the officer's 下一站): the
   preview and result said only "新增 10 件，更新 8 件，未变 140 件" and the audit named no letter. Now the stored
   letters within the register's 收件日期 range, numbered the way its letters are, that it lacks are named (with the
   plan whose route holds one); letters of other dates or another numbering are not; nothing is deleted.
2. register_v6.xlsx moved two letters the issued plan left 未安排; the result and 路线规划 said the plan needed a
   re-plan for them. Only stops on the plan's routes count; the others are said as information.
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from sqlalchemy import func, select, update

from planner.intake.dropped_letters import dropped_letters
from planner.intake.plan_moves_preview import moves_text, planned_moves
from planner.intake.register import import_register, read_register
from planner.office import audit
from planner.office.security import SYSTEM
from planner.store.database import session_scope
from planner.store.models import AuditRow, CaseRow, PlanRow
from planner.store.moved_letters import live_plan_moves, moved_by_import
from tests.office import _seed

ROUTED, UNROUTED = "ZZ2026-0101", "ZZ2026-0109"  # V01 on T1's route; V10 left unassigned
TODAY = dt.date(2026, 12, 6)


def _register(leave_out: set[str]) -> bytes:
    """Every seeded letter (received 2026-10-20) but ``leave_out``, where the seed has it."""
    doc = _seed.plan_doc()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "收件日期", "问题发生地", "反映内容"])
    for no in [*doc.cases, _seed.POOL_CASE]:
        if no in leave_out:
            continue
        info = doc.cases.get(no, {"county": "平和县", "town": "小溪镇", "village": "旧楼村"})
        ws.append([no, "2026-10-20", f"{info.get('county', '')}{info.get('town', '')}{info.get('village', '')}",
                   "反映征地补偿款未足额发放"])
    ws.append(["ZZ2026-0900", "2026-11-05", "平和县小溪镇旧楼村", "反映村财务不公开"])  # a new letter: the range's end
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _plan_id(engine) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(PlanRow.id))


def test_the_letters_the_register_lacks_within_its_dates_are_named_and_kept(engine) -> None:
    _seed.seed(engine)
    with session_scope(engine) as s:  # stored letters the register is not about: another quarter, another numbering
        s.add_all([CaseRow(case_no="ZZ2026-0001", received_date=dt.date(2026, 7, 1), deadline=dt.date(2026, 9, 1)),
                   CaseRow(case_no="XF-LH-0007", received_date=dt.date(2026, 10, 20),
                           deadline=dt.date(2026, 12, 20))])
    data = _register({ROUTED, UNROUTED})
    preview = read_register(data, filename="register_v2.xlsx", today=TODAY)
    with session_scope(engine) as s:
        before = s.scalar(select(func.count()).select_from(CaseRow))
        gone = dropped_letters(s, preview.rows, preview.filename)
    pid = _plan_id(engine)
    assert gone.case_nos == (ROUTED, UNROUTED)
    text = gone.text()
    assert "本表收件日期范围（2026-10-20 至 2026-11-05）内已导入、但本表没有的信访件 2 件" in text
    assert f"{ROUTED}、{UNROUTED}" in text
    # only the letter on the plan's route is said to be on the plan (V10 is 未安排)
    assert f"其中 {ROUTED} 在已下发的计划 #{pid} 中，请核实是否撤件" in text and f"{UNROUTED} 在" not in text
    assert "ZZ2026-0001" not in text and "XF-LH-0007" not in text

    summary = import_register(engine, data, filename="register_v2.xlsx", actor=SYSTEM, today=TODAY)
    assert summary.imported == 1
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(CaseRow)) == before + 1  # nothing deleted
        assert s.scalar(select(CaseRow.status).where(CaseRow.case_no == ROUTED)) != "withdrawn"
        row = s.scalars(select(AuditRow).where(AuditRow.action == "import")).one()
        assert row.detail["dropped"] == [ROUTED, UNROUTED]
        line = audit.describe(audit.recent(s, action="import")[0])
        # the result after the import reads the same
        assert dropped_letters(s, preview.rows, preview.filename).text() == text
    assert f"内已导入、但本表没有的信访件 2 件：{ROUTED}、{UNROUTED}" in line and f"计划 #{pid}" in line

    # the same register again: the same two are said again; a register naming them says nothing
    with session_scope(engine) as s:
        full = read_register(_register(set()), filename="register_v3.xlsx", today=TODAY)
        assert dropped_letters(s, full.rows, full.filename).text() == ""


def test_a_next_quarters_register_lacks_nothing(engine) -> None:
    _seed.seed(engine)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "收件日期", "问题发生地", "反映内容"])
    ws.append(["ZZ2027-0001", "2027-01-05", "平和县小溪镇旧楼村", "反映村财务不公开"])
    ws.append(["ZZ2027-0002", "2027-02-05", "平和县小溪镇旧楼村", "反映低保优亲厚友"])
    buf = io.BytesIO()
    wb.save(buf)
    preview = read_register(buf.getvalue(), filename="2027一季度.xlsx", today=dt.date(2027, 3, 1))
    with session_scope(engine) as s:
        assert dropped_letters(s, preview.rows, preview.filename).case_nos == ()


def _move(engine, case_no: str) -> None:
    with session_scope(engine) as s:
        s.execute(update(CaseRow).where(CaseRow.case_no == case_no)
                  .values(county="长泰区", town="岩溪镇", village="甘寨村"))


def test_a_stop_the_plan_left_unscheduled_is_not_a_replan(engine) -> None:
    _seed.seed(engine)
    _move(engine, UNROUTED)
    with session_scope(engine) as s:
        assert live_plan_moves(s) == {}  # 路线规划 warns of no plan
        assert live_plan_moves(s, [UNROUTED]) == {}
        note = moved_by_import(s, [UNROUTED])
        preview = moves_text(planned_moves(s, [UNROUTED]))
    assert "重新规划：" not in note and "需组长重新规划" not in note
    assert f"中未安排的 1 件位置已变（{UNROUTED}）" in note and "无需为此重新规划" in note
    assert "需组长重新规划" not in preview and "未安排的 1 件位置将改变" in preview and UNROUTED in preview

    _move(engine, ROUTED)  # a stop on a route: the plan is named for it alone
    with session_scope(engine) as s:
        moves = live_plan_moves(s)
        note = moved_by_import(s, [ROUTED, UNROUTED])
        preview = moves_text(planned_moves(s, [ROUTED, UNROUTED]))
    assert [m.case_no for ms in moves.values() for m in ms] == [ROUTED]
    assert "需组长重新规划" in note and f"V01 {ROUTED}" in note and f"V10 {UNROUTED}" not in note
    assert f"未安排的 1 件位置已变（{UNROUTED}）" in note
    assert "以下 1 件已排入下访计划" in preview and "未安排的 1 件位置将改变" in preview
