"""The page-wide chain lookup (:func:`planner.store.cases.chain_mates`) and the one-letter one
(:func:`planner.store.cases._chain_ids`) give every letter the same repeat chain, also where a letter's stored
``petitioner_key`` differs from its writer key: a letter without the ID number (same name and phone as letters
with it), and a letter whose writer's row is gone but whose stored key still names the writer."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import delete, select

from planner.intake.register import import_register
from planner.store.cases import _chain_ids, chain_mates
from planner.store.database import session_scope
from planner.store.models import CaseRow, PetitionerRow

PENSION = "法华村已去世多年的老人仍在领取养老金，被村干部冒领，请求查处。"
AGAIN = "再次反映：法华村已去世多年的老人仍在领取养老金，被村干部冒领，至今没人来查。"
#: (编号, 收件日期, 信访人, 联系电话, 身份证号, 问题发生地, 反映内容)
ROWS = (
    ("H9-0001", "2026-08-10", "林阿水", "13850650001", "350628195206103411", "平和县南胜镇法华村", PENSION),
    ("H9-0002", "2026-08-30", "林阿水", "13850650001", "", "平和县南胜镇法华村", AGAIN),
    ("H9-0003", "2026-09-15", "林阿水", "13850650001", "", "平和县南胜镇法华村", AGAIN),
    ("H9-0004", "2026-09-20", "林阿水", "13850650001", "350628195206103411", "平和县南胜镇法华村",
     "法华村集体鱼塘私下发包给村干部亲属，十年租金只收三万元，村民不知情。"),
)


def _register() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "收件日期", "信访人", "联系电话", "身份证号", "问题发生地", "反映内容"])
    for row in ROWS:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _both(session) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    rows = {r.case_no: r for r in session.scalars(select(CaseRow))}
    no_of = {r.id: no for no, r in rows.items()}
    mates = chain_mates(session, rows)
    wide = {no: {no} | mates.get(no, set()) for no in rows}
    single = {no: {no_of[i] for i in _chain_ids(session, r)} for no, r in rows.items()}
    return wide, single


@pytest.mark.parametrize("writer_row_gone", [False, True], ids=["no-id-letters", "stale-stored-key"])
def test_chain_mates_and_chain_ids_give_each_letter_the_same_chain(engine, writer_row_gone) -> None:
    import_register(engine, _register(), filename="H9.xlsx", who="test")
    with session_scope(engine) as s:
        keys = dict(s.execute(select(CaseRow.case_no, CaseRow.petitioner_key)).all())
        assert keys["H9-0001"] != keys["H9-0002"] == keys["H9-0003"]  # the stored keys differ; the writer is one
        if writer_row_gone:
            # H9-0003's writer row is gone; its stored key (name and phone) still ties it to H9-0002.
            s.execute(delete(PetitionerRow).where(PetitionerRow.case_id == s.scalar(
                select(CaseRow.id).where(CaseRow.case_no == "H9-0003"))))
    with session_scope(engine) as s:
        wide, single = _both(s)
    assert wide == single
    assert {"H9-0001", "H9-0002", "H9-0003"} <= wide["H9-0001"]  # one writer re-sending one matter
