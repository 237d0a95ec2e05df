"""A register's columns about the petitioner that no field takes (信访人住址 beside 问题发生地, 备用电话, 年龄,
举报人工作单位) were kept on the case as written and shown on 案件地图 and in the register export, to every role:
a petitioner's home and second phone in an officer's view. They are now withheld wherever identities are; and a
petitioner's home stands for the place only when no column says where the matter is. Headers offices also use
(限办日期, 反映问题类型, 问题性质, 行政村, 涉及地区) are read as the fields they name."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from planner.intake.columns import detect_mapping
from planner.intake.register import import_register, read_register
from planner.intake.register_export import WITHHELD, register_xlsx
from planner.office.privacy import IDENTITY_WITHHELD, personal_header
from planner.store.cases import letter_text
from planner.store.database import session_scope

TODAY = dt.date(2026, 12, 1)
HEADERS = ["序号", "编号", "来信日期", "信访人", "联系电话", "信访人住址", "备用电话", "年龄", "问题发生地",
           "反映内容", "备注", "反映人数"]
ROWS = [
    [1, "漳纪信〔2026〕301号", "2026年11月3日", "赖春生", "13800001111", "旧镇镇前进村后山12号", "0596-6123456", 63,
     "漳浦县旧镇镇", "镇林业站收取桉树砍伐保证金每亩三百元，砍完不退。", "要求回复", 5],
    [2, "漳纪信〔2026〕302号", "2026/11/5", "匿名", "", "深桥镇上营村8号", "13906961234", 45,
     "诏安县深桥镇上营村", "村主任把低保名额给了自己亲戚。", "", 1],
]


def _register(tmp_path) -> str:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in ROWS:
        ws.append(row)
    path = tmp_path / "登记表（住址）.xlsx"
    wb.save(path)
    return str(path)


@pytest.mark.parametrize(("header", "personal"), [
    ("信访人住址", True), ("举报人工作单位", True), ("备用电话", True), ("年龄", True), ("身份证复印件", True),
    ("被反映人电话", False), ("反映人数", False), ("备注", False), ("承办人", False), ("涉及金额", False),
])
def test_personal_headers(header: str, personal: bool) -> None:
    assert personal_header(header) is personal


def test_the_place_of_the_matter_wins_over_the_petitioners_home_and_office_headers_are_read() -> None:
    m = detect_mapping(["编号", "收件日期", "信访人", "信访人住址", "问题发生地", "反映内容"])
    assert m["address"] == "问题发生地"
    assert detect_mapping(["编号", "收件日期", "信访人", "信访人住址", "反映内容"])["address"] == "信访人住址"
    m = detect_mapping(["编号", "来信日期", "反映问题类型", "限办日期", "行政村", "主要内容", "涉及地区"])
    assert (m["category"], m["deadline"], m["village"], m["content"], m["address"]) == (
        "反映问题类型", "限办日期", "行政村", "主要内容", "涉及地区")
    assert detect_mapping(["编号", "来信日期", "问题性质", "主要内容"])["category"] == "问题性质"


def test_petitioner_columns_are_withheld_in_the_preview_the_case_and_the_export(engine, tmp_path) -> None:
    path = _register(tmp_path)
    preview = read_register(path, today=TODAY)
    assert preview.mapping["address"] == "问题发生地"
    shown = " ".join(str(v) for row in preview.sample() for v in row.values())
    for secret in ("后山12号", "上营村8号", "6123456", "13906961234"):
        assert secret not in shown, secret
    summary = import_register(engine, path, who="clerk", today=TODAY)
    assert summary.imported == 2 and summary.rejected == 0
    with session_scope(engine) as s:
        extra = dict(letter_text(s, "漳纪信〔2026〕301号")["extra"])
        book = openpyxl.load_workbook(io.BytesIO(register_xlsx(s)))
    assert extra["信访人住址"] == extra["备用电话"] == extra["年龄"] == IDENTITY_WITHHELD
    assert extra["备注"] == "要求回复"  # the office's other columns stay as written
    sheet = [[("" if c.value is None else str(c.value)) for c in r] for r in book["登记表"].iter_rows()]
    head, rows = sheet[0], sheet[1:]
    for column in ("信访人住址", "备用电话", "年龄"):
        assert {r[head.index(column)] for r in rows} == {WITHHELD}, column
    assert {r[head.index("备注")] for r in rows} == {"要求回复", ""}
    assert [r[head.index("涉及人数")] for r in rows] == ["5", "1"]  # 反映人数 is the number of people, no name
    text = " ".join(" ".join(r) for r in sheet)
    assert "后山12号" not in text and "13906961234" not in text and "6123456" not in text


@pytest.mark.parametrize(("header", "field"), [
    ("反映人数", "people_affected"), ("信访人数", "people_affected"), ("联名人数", "people_affected"),
    ("被反映人所在单位", "reported_units"), ("信访人身份", None), ("举报人要求", None), ("来信人单位", None),
    ("信访人姓名", "petitioner_name"), ("反映人姓名及电话", "petitioner_name"), ("举报人（署名）", "petitioner_name"),
])
def test_headers_about_the_writer_that_are_not_their_name(header: str, field: str | None) -> None:
    """反映人数 had been taken for the petitioner's name (it holds 反映人), and so had 信访人身份 and 举报人要求."""
    from planner.intake.columns import _field_for

    assert _field_for(header)[0] == field


def test_a_phone_and_an_id_number_in_each_others_columns_are_exchanged_and_said_so(tmp_path) -> None:
    """Walk G: row 21 had the ID number under 联系电话 and the phone under 身份证号; both were saved swapped."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["编号", "收件日期", "信访人", "联系电话", "身份证号", "反映内容"])
    ws.append(["S1", "2026-11-03", "赖春生", "350628198003036662", "13812345678", "村主任侵占补偿款"])
    ws.append(["S2", "2026-11-03", "林水生", "13812345679", "350628198003036662", "林业站收保证金"])
    ws.append(["S3", "2026-11-03", "黄丽丽", "12345", "13812345670", "低保优亲厚友"])  # no ID anywhere: left alone
    ws.append(["S4", "2026-11-03", "郑家豪", "350628198003036666", "13812345671", "宅基地收钱"])  # a bad check digit
    path = tmp_path / "填反.xlsx"
    wb.save(path)
    rows = {r.values["case_no"]: r for r in read_register(path, today=TODAY).rows}
    assert (rows["S1"].petitioner.phone, rows["S1"].petitioner.id_number) == ("13812345678", "350628198003036662")
    assert any("填反" in i.message and i.level == "warning" for i in rows["S1"].issues)
    assert "13812345678" not in " ".join(i.message for i in rows["S1"].issues)
    assert (rows["S2"].petitioner.phone, rows["S2"].petitioner.id_number) == ("13812345679", "350628198003036662")
    assert not any("填反" in i.message for i in rows["S2"].issues)
    assert rows["S3"].petitioner.phone == "12345" and not any("填反" in i.message for i in rows["S3"].issues)
    assert rows["S4"].petitioner.phone == "13812345671"  # exchanged; the ID then warned about as any bad ID
    assert any("校验位" in i.message for i in rows["S4"].issues)
