"""Headers naming the writer's phone or ID number (来信人电话, 信访人身份证) map to 联系电话 / 身份证号."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from planner.intake.columns import detect_mapping
from planner.intake.register import read_register


@pytest.mark.parametrize(("header", "field"), [
    ("来信人电话", "petitioner_phone"), ("信访人电话", "petitioner_phone"), ("举报人手机", "petitioner_phone"),
    ("信访人身份证", "petitioner_id"), ("来信人身份证号码", "petitioner_id"), ("信访人证件号", "petitioner_id"),
    ("证件号", "petitioner_id"),
])
def test_writer_contact_header_maps(header, field):
    mapping = detect_mapping(["编号", "收件日期", "来信人姓名", header, "反映内容"])
    assert mapping.get(field) == header
    assert mapping["petitioner_name"] == "来信人姓名"


def test_other_writer_headers_take_no_field():
    mapping = detect_mapping(["编号", "收件日期", "信访人", "信访人类别", "问题类别", "反映内容"])
    assert mapping["category"] == "问题类别"
    assert "信访人类别" not in mapping.values()


def test_register_with_writer_phone_column():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["信件编号", "登记日期", "来信人姓名", "来信人电话", "信访人身份证", "问题属地", "信件内容"])
    ws.append(["XJ-1", "2026-11-03", "林某", "13905961234", "350628196503120517", "平和县小溪镇", "反映某事。"])
    buf = io.BytesIO()
    wb.save(buf)
    preview = read_register(buf.getvalue(), filename="导出.xlsx", today=dt.date(2026, 12, 7))
    assert preview.mapping["petitioner_phone"] == "来信人电话"
    assert preview.mapping["petitioner_id"] == "信访人身份证"
    assert preview.mapping["petitioner_name"] == "来信人姓名"
