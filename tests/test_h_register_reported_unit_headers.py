"""Walk 1: 被举报人单位及职务 was kept as a register column of its own, so 被反映单位 stayed empty for every letter."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from planner.intake.columns import _field_for, detect_mapping
from planner.intake.register import import_register, read_register
from planner.intake.register_export import register_xlsx
from planner.store.database import session_scope

TODAY = dt.date(2026, 12, 7)


@pytest.mark.parametrize("header", [
    "被举报人单位及职务", "被反映人单位及职务", "被反映人工作单位", "被反映单位", "被举报人职务", "被反映人职务",
    "被投诉单位", "被控告人单位", "被反映人所在单位及职务", "被举报人工作单位及职务", "被反映人的单位",
    "被反映对象单位", "被举报人部门", "被反映人岗位",
])
def test_a_header_naming_the_reported_side_and_a_unit_or_post_is_the_reported_unit(header: str) -> None:
    assert _field_for(header)[0] == "reported_units"


@pytest.mark.parametrize(("header", "field"), [
    # The petitioner's own unit names no 被: never the reported unit.
    ("反映人单位", None), ("举报人工作单位", None), ("来信人单位及职务", None), ("信访人单位", None),
    ("投诉人单位", None),
    # The reported person, and one column for both.
    ("被举报人", "reported_persons"), ("被投诉人", "reported_persons"), ("被举报人姓名", "reported_persons"),
    ("被反映单位/人", "reported"), ("被反映人及单位", "reported"), ("被反映单位或个人", "reported"),
    ("被反映单位(人)", "reported"),
])
def test_headers_that_are_not_the_reported_unit_are_left_to_their_own_field(header: str, field: str | None) -> None:
    assert _field_for(header)[0] == field


def test_the_walkers_register_maps_every_column_but_the_running_number() -> None:
    headers = ["序号", "登记号", "来信日期", "来信人", "联系方式", "身份证号码", "被举报人", "被举报人单位及职务",
               "问题发生地", "主要问题", "问题性质", "办结时限", "信访来源"]
    mapping = detect_mapping(headers)
    assert mapping["reported_persons"] == "被举报人"
    assert mapping["reported_units"] == "被举报人单位及职务"
    assert set(headers) - set(mapping.values()) == {"序号"}


def test_a_separate_post_column_stays_a_register_column_beside_the_unit() -> None:
    mapping = detect_mapping(["编号", "收件日期", "被反映人", "被反映人单位", "被反映人职务", "反映内容"])
    assert mapping["reported_units"] == "被反映人单位"
    assert "被反映人职务" not in mapping.values()


def _register() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["漳州市纪委监委信访举报件登记表"])
    ws.append(["序号", "登记号", "来信日期", "来信人", "反映人单位", "被举报人", "被举报人单位及职务", "问题发生地",
               "主要问题"])
    ws.append([1, "H-301", "2026-10-12", "陈阿水", "杜浔镇中心小学", "林某某", "杜浔镇xx村党支部书记",
               "漳浦县杜浔镇范阳村", "村书记私自将责任田转租，至今未给补偿。"])
    ws.append([2, "H-302", "2026-10-14", "郑美玲", "", "王某", "长泰区某镇农业服务中心", "长泰区岩溪镇",
               "低保评定优亲厚友。"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_reported_unit_column_fills_the_unit_and_keeps_the_post_as_written() -> None:
    preview = read_register(_register(), filename="信访登记表.xlsx", today=TODAY)
    rows = {r.values["case_no"]: r.values for r in preview.rows}
    assert rows["H-301"]["reported_units"] == ["杜浔镇xx村党支部"]  # the unit, which letters share
    assert rows["H-301"]["extra_fields"]["被举报人单位及职务"] == "杜浔镇xx村党支部书记"  # the post is not lost
    assert rows["H-302"]["reported_units"] == ["长泰区某镇农业服务中心"]
    assert "被举报人单位及职务" not in rows["H-302"]["extra_fields"]  # nothing cut: no second copy
    # The petitioner's own unit is not the reported one.
    assert "杜浔镇中心小学" not in rows["H-301"]["reported_units"]
    assert preview.mapping.get("reported_units") == "被举报人单位及职务"


def test_the_exported_register_names_the_reported_unit(engine) -> None:
    import_register(engine, _register(), filename="信访登记表.xlsx", today=TODAY)
    with session_scope(engine) as s:
        data = register_xlsx(s)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    head = [c.value for c in ws[1]]
    no, unit = head.index("编号") + 1, head.index("被反映单位") + 1
    units = {ws.cell(row=r, column=no).value: ws.cell(row=r, column=unit).value for r in range(2, ws.max_row + 1)}
    assert units == {"H-301": "杜浔镇xx村党支部", "H-302": "长泰区某镇农业服务中心"}
