"""A register column headed 来电人 (who phoned, beside 信访人) or 备用号码 holds the petitioner's identity like
备用电话: it was shown in the import preview, kept on the case for officers' eyes and written into 导出登记表
as it stood."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from planner.intake import register as ingest
from planner.intake.register_export import register_xlsx
from planner.office.privacy import personal_header
from planner.store.database import session_scope

TODAY = dt.date(2026, 12, 7)
REGISTER = "\n".join([
    "编号,收件日期,信访人,联系电话,反映内容,地址,来电人,备用号码,信访件号码",
    "C-001,2026-11-02,张三丰,13906951234,反映村会计虚报低保。,漳浦县旧镇镇前进村,张小红,0596-6123456,XF2026-0301",
]).encode("utf-8")


@pytest.mark.parametrize(("header", "personal"), [
    ("来电人", True), ("来电人姓名", True), ("来信人", True), ("备用号码", True), ("手机号码", True),
    ("检举人", True), ("信访件号码", False), ("登记号码", False), ("被反映人号码", False), ("来电人数", False),
])
def test_number_and_caller_headers(header: str, personal: bool) -> None:
    assert personal_header(header) is personal


def test_caller_and_spare_number_withheld_in_preview_and_export(engine) -> None:
    preview = ingest.read_register(REGISTER, filename="来电登记.csv", today=TODAY)
    shown = preview.sample()[0]
    assert "张小红" not in str(shown) and "6123456" not in str(shown)
    assert shown["信访件号码"] == "XF2026-0301"  # the letter's own number is shown as written
    ingest.import_register(engine, REGISTER, filename="来电登记.csv", today=TODAY)
    with session_scope(engine) as s:
        data = register_xlsx(s)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    head = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    assert row[head.index("来电人")] == "已隐去" and row[head.index("备用号码")] == "已隐去"
    assert row[head.index("信访件号码")] == "XF2026-0301"
    assert "张小红" not in str(row) and "6123456" not in str(row)
