"""经办人电话 is the office clerk's phone, not the petitioner's 联系电话 (walk G1 with hand-written county registers,
defect 3).

A county register headed 信访人 | 经办人 | 经办人电话 had the clerk's phone read as every petitioner's phone: the
letters of one clerk then looked like one petitioner's, and the petitioner's contact was the office's own number.
A phone, name or ID number of the office's side (经办人, 承办人, 登记人, 受理人, 包案领导, 承办单位) is no
petitioner's: such a column is kept on the case as written, under its own header.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from planner.intake.columns import detect_mapping
from planner.intake.register import import_register, read_register
from planner.store.database import session_scope
from planner.store.models import CaseRow, PetitionerRow

TODAY = dt.date(2026, 12, 7)
CLERK_PHONE = "0596-6321234"


def _csv(clerk: str, phone: str, *, petitioner_phone: bool = False) -> bytes:
    own = ",联系电话" if petitioner_phone else ""
    lines = [f"编号,收件日期,信访人{own},问题发生地,反映内容,{clerk},{phone}"]
    for i, (name, mobile) in enumerate((("林阿水", "13905961234"), ("陈美玉", "13859650001")), 1):
        mine = f",{mobile}" if petitioner_phone else ""
        lines.append(f"HX-{i},2026-11-{18 + i},{name}{mine},平和县坂仔镇,第{i}封：保证金不退。,黄丽,{CLERK_PHONE}")
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.mark.parametrize(("clerk", "phone"), [
    ("经办人", "经办人电话"), ("承办人", "承办人电话"), ("登记人", "登记人电话"), ("经办人", "经办人联系电话"),
    ("受理人", "受理人手机"), ("承办单位", "承办单位联系电话"),
])
def test_the_clerks_phone_is_not_the_petitioners_and_is_kept_as_written(clerk, phone) -> None:
    preview = read_register(_csv(clerk, phone), filename="华安县登记表.csv", today=TODAY)
    assert "petitioner_phone" not in preview.mapping
    assert preview.mapping["petitioner_name"] == "信访人"
    assert {clerk, phone} <= set(preview.unmapped_headers())
    assert [r.petitioner.phone for r in preview.rows] == ["", ""]
    assert [r.values["extra_fields"][phone] for r in preview.rows] == [CLERK_PHONE, CLERK_PHONE]


def test_beside_the_petitioners_phone_each_column_keeps_its_own_meaning(engine) -> None:
    data = _csv("经办人", "经办人电话", petitioner_phone=True)
    assert read_register(data, filename="r.csv", today=TODAY).mapping["petitioner_phone"] == "联系电话"
    summary = import_register(engine, data, filename="r.csv", today=TODAY)
    assert (summary.imported, summary.rejected) == (2, 0)
    with session_scope(engine) as s:
        phones = sorted(s.scalars(select(PetitionerRow.phone)))
        kept = [c.extra_fields for c in s.scalars(select(CaseRow).order_by(CaseRow.case_no))]
    assert phones == ["13859650001", "13905961234"]
    assert [k["经办人电话"] for k in kept] == [CLERK_PHONE, CLERK_PHONE]


def test_a_register_whose_only_phone_is_the_clerks_stores_no_petitioner_phone(engine) -> None:
    summary = import_register(engine, _csv("经办人", "经办人电话"), filename="r.csv", today=TODAY)
    assert summary.imported == 2
    with session_scope(engine) as s:
        assert CLERK_PHONE not in set(s.scalars(select(PetitionerRow.phone)))


def test_a_two_row_header_with_the_clerk_over_name_and_phone() -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["编号", "收件日期", "信访人", None, "反映内容", "问题发生地", "经办人", None])
    ws.append([None, None, "姓名", "联系电话", None, None, "姓名", "电话"])
    ws.append(["HX-1", dt.date(2026, 11, 19), "林阿水", "13905961234", "保证金不退。", "平和县", "黄丽", CLERK_PHONE])
    for cells in ("A1:A2", "B1:B2", "C1:D1", "E1:E2", "F1:F2", "G1:H1"):
        ws.merge_cells(cells)
    buf = io.BytesIO()
    wb.save(buf)
    preview = read_register(buf.getvalue(), filename="r.xlsx", today=TODAY)
    assert (preview.mapping["petitioner_name"], preview.mapping["petitioner_phone"]) == ("信访人姓名", "信访人联系电话")
    [row] = preview.rows
    assert row.petitioner.phone == "13905961234"
    assert row.values["extra_fields"] == {"经办人姓名": "黄丽", "经办人电话": CLERK_PHONE}


def test_a_two_row_header_whose_only_phone_is_under_the_clerk() -> None:
    # 经办人 over 姓名 | 电话, the petitioner without a phone column: 电话 alone had become the petitioner's phone.
    wb = Workbook()
    ws = wb.active
    ws.append(["编号", "收件日期", "信访人", "反映内容", "问题发生地", "经办人", None])
    ws.append([None, None, None, None, None, "姓名", "电话"])
    ws.append(["HX-1", dt.date(2026, 11, 19), "林阿水", "保证金不退。", "平和县坂仔镇", "黄丽", CLERK_PHONE])
    for cells in ("A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:E2", "F1:G1"):
        ws.merge_cells(cells)
    buf = io.BytesIO()
    wb.save(buf)
    preview = read_register(buf.getvalue(), filename="r.xlsx", today=TODAY)
    assert preview.mapping["petitioner_name"] == "信访人" and "petitioner_phone" not in preview.mapping
    [row] = preview.rows
    assert (row.petitioner.name, row.petitioner.phone) == ("林阿水", "")
    assert row.values["extra_fields"] == {"经办人姓名": "黄丽", "经办人电话": CLERK_PHONE}


def test_the_petitioners_own_phone_headers_still_map() -> None:
    for header in ("联系电话", "信访人电话", "来信人联系电话", "举报人手机", "电话", "手机号码"):
        assert detect_mapping(["编号", "收件日期", "反映内容", header])["petitioner_phone"] == header
