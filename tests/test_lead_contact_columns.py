"""A register column naming a person beside the petitioner (联系人, 紧急联系人, 家属, 代理人, 陪同人员) is the writer's
side and withheld like 信访人住址 (walk W22: 联系人 "沈金花的儿子 王小明 18659612345" showed 王小明 on 案件地图 to a
coordinator who may not unmask and to an officer, and in the register export). The office's own people (承办联系人,
经办人) and the reported side (被反映人联系人) are not."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from planner.intake.register import import_register
from planner.intake.register_export import WITHHELD, register_xlsx
from planner.office.privacy import personal_header
from planner.store.database import session_scope


@pytest.mark.parametrize(("header", "personal"), [
    ("联系人", True), ("紧急联系人", True), ("家属", True), ("家属联系方式", True), ("代理人", True),
    ("委托代理人", True), ("陪同人员", True), ("监护人", True), ("知情人", True),
    ("承办联系人", False), ("经办人", False), ("被反映人联系人", False), ("备注", False), ("涉及人数", False),
])
def test_people_beside_the_writer_are_personal(header: str, personal: bool) -> None:
    assert personal_header(header) is personal


def test_a_contact_column_is_withheld_in_the_register_export(engine, tmp_path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "来信日期", "信访人", "联系人", "地址", "反映内容", "备注"])
    ws.append(["W22-1", "2026-11-03", "沈金花", "沈金花的儿子 王小明 18659612345", "漳浦县旧镇镇",
               "镇林业站收取桉树砍伐保证金每亩三百元，砍完不退。", "要求回复"])
    path = tmp_path / "联系人.xlsx"
    wb.save(path)
    with session_scope(engine) as s:
        import_register(s, str(path), today=dt.date(2026, 12, 1), who="tester")
    with session_scope(engine) as s:
        book = openpyxl.load_workbook(io.BytesIO(register_xlsx(s)))
    rows = list(book.active.iter_rows(values_only=True))
    headers = list(rows[0])
    cells = dict(zip(headers, rows[1], strict=True))
    assert cells["联系人"] == WITHHELD
    assert cells["备注"] == "要求回复"
    assert not any("王小明" in str(v) for row in rows for v in row if v is not None)
