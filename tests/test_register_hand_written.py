"""A tester's hand-written register: office spellings of the received date, days that do not exist, rows entered
twice (one letter, the second row rejected), and different letters with the same text both kept."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from planner.intake.columns import detect_mapping
from planner.intake.register import import_register, read_register, rejected_rows
from planner.store.database import session_scope
from planner.store.models import CaseRow

TODAY = dt.date(2026, 12, 1)


def _csv(lines: list[str], encoding: str = "gbk") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


# --- the received date under the office's own header ------------------------------------------------------


@pytest.mark.parametrize("header", ["来信时间", "收信时间", "受理时间", "收文日期", "收文时间", "来件日期",
                                    "信访日期", "接收日期", "来信时间：", "来 信 时 间"])
def test_a_gbk_register_naming_the_received_date_its_own_way_imports(header: str) -> None:
    data = _csv([f"序号,{header},信访人,反映内容,问题发生地",
                 "1,2026-10-08,林阿水,征地补偿款至今未发放到户,平和县山格镇土田村",
                 "2,2026/10/09,陈美玉,桉树砍伐要交保证金,龙海区角美镇"])
    preview = read_register(data, filename="登记表.csv", today=TODAY)
    assert not preview.missing_required, preview.error_lines()
    assert preview.mapping["received_date"] == header
    assert [r.values["received_date"] for r in preview.rows] == [dt.date(2026, 10, 8), dt.date(2026, 10, 9)]
    assert preview.valid_rows == 2


def test_the_received_date_header_wins_over_handling_dates() -> None:
    # 转办日期 / 办结日期 say when the letter was passed on or closed: never the day it was received.
    mapping = detect_mapping(["转办日期", "来信时间", "反映内容", "办结日期"])
    assert mapping["received_date"] == "来信时间"


@pytest.mark.parametrize(("header", "field"), [
    ("反映人", "petitioner_name"), ("反映人姓名", "petitioner_name"),
    ("信访事项", "content"), ("反映事项", "content"), ("来信摘要", "content"),
])
def test_other_common_spellings_of_the_petitioner_and_the_content(header: str, field: str) -> None:
    mapping = detect_mapping(["被反映人", "来信日期", header])
    assert mapping[field] == header
    assert mapping["reported_persons"] == "被反映人"


def test_a_reporters_name_column_is_masked_as_personal() -> None:
    data = _csv(["编号,来信时间,反映人,信访事项", "X1,2026-10-08,林阿水,村财务不公开"])
    preview = read_register(data, filename="r.csv", today=TODAY)
    assert preview.rows[0].petitioner.name == "林阿水"
    assert "林阿水" not in repr(preview.sample()) and "林阿水" not in repr(preview.rows[0].values)


# --- days that do not exist ------------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "why"), [
    ("2026-09-31", "9 月没有 31 日"),
    ("2026-02-30", "2026 年 2 月没有 30 日"),
    ("2026-13-01", "没有 13 月"),
    ("2026年4月31日", "4 月没有 31 日"),
    ("20261131", "11 月没有 31 日"),
    ("2026-02-29", "2026 年 2 月没有 29 日"),
])
def test_a_day_that_does_not_exist_is_called_so(written: str, why: str) -> None:
    data = _csv(["编号,来信日期,反映内容", "X1,2026-10-08,征地补偿款未发放", f"X2,{written},低保不公"])
    preview = read_register(data, filename="登记表.csv", today=TODAY)
    assert preview.valid_rows == 1 and not preview.rows[1].ok
    lines = preview.error_lines()
    assert f"登记表.csv 第3行「来信日期」：日期不存在：{written}（{why}）" in lines
    assert not any("无法识别" in line or "请写成" in line for line in lines)


def test_a_leap_day_exists_and_an_impossible_deadline_is_named_too() -> None:
    data = _csv(["编号,来信日期,反映内容,办理期限", "X1,2028-02-29,低保不公,2028-04-31"])
    preview = read_register(data, filename="r.csv", today=dt.date(2028, 12, 1))
    row = preview.rows[0]
    assert row.ok and row.values["received_date"] == dt.date(2028, 2, 29)
    assert any(i.column == "办理期限" and i.level == "warning" and i.message.startswith(
        "日期不存在：2028-04-31（4 月没有 31 日），已按收件日期后") for i in row.issues)


def test_an_impossible_day_is_the_rejected_rows_reason(engine) -> None:
    data = _csv(["编号,来信日期,反映内容", "X1,2026-09-31,征地补偿款未发放"])
    summary = import_register(engine, data, filename="r.csv", today=TODAY)
    assert (summary.imported, summary.rejected) == (0, 1)
    with session_scope(engine) as s:
        (row,) = rejected_rows(s, summary.batch_id)
    assert row["列"] == "来信日期" and row["原因"] == "日期不存在：2026-09-31（9 月没有 31 日）"


# --- rows entered twice ----------------------------------------------------------------------------------

WITH_XUHAO = ["序号,来信时间,信访人,联系电话,反映内容,问题发生地,备注",
              "1,2026-10-08,林阿水,13905961234,土田村征地补偿款至今未发放到户,平和县山格镇土田村,",
              "2,2026-10-09,陈美玉,13860012345,桉树砍伐要交保证金每亩300元,龙海区角美镇,",
              "3,2026-10-08,林阿水,13905961234,土田村征地补偿款至今未发放到户,平和县山格镇土田村,",
              "4,2026-10-08,林阿水,13905961234,土田村征地补偿款至今未发放到户,平和县山格镇土田村,"]


def _cases(engine) -> dict[str, tuple[dt.date, str]]:
    with session_scope(engine) as s:
        return {no: (day, content) for no, day, content in
                s.execute(select(CaseRow.case_no, CaseRow.received_date, CaseRow.content))}


def test_a_row_equal_but_for_its_xuhao_is_rejected_as_entered_twice(engine) -> None:
    data = _csv(WITH_XUHAO)
    preview = read_register(data, filename="登记表.csv", today=TODAY)
    assert (preview.rows_read, preview.valid_rows, preview.rejected_rows) == (4, 2, 2)
    lines = preview.error_lines()
    assert "登记表.csv 第4行（序号 3）：与第 2 行完全相同（重复录入）" in lines
    assert "登记表.csv 第5行（序号 4）：与第 2 行完全相同（重复录入）" in lines
    summary = import_register(engine, data, filename="登记表.csv", today=TODAY)
    assert (summary.imported, summary.rejected) == (2, 2)
    assert len(_cases(engine)) == 2 and not any(no.endswith("-2") for no in _cases(engine))
    with session_scope(engine) as s:
        rows = rejected_rows(s, summary.batch_id)
    assert [(r["行号"], r["原因"]) for r in rows] == [(4, "与第 2 行完全相同（重复录入）"),
                                                      (5, "与第 2 行完全相同（重复录入）")]
    assert "林阿水" not in repr(rows) and "13905961234" not in repr(rows)
    again = import_register(engine, data, filename="登记表.csv", today=TODAY)
    assert (again.imported, again.updated, again.unchanged, again.rejected) == (0, 0, 2, 2)
    assert len(_cases(engine)) == 2


def test_a_fully_identical_row_with_a_case_number_is_rejected_as_entered_twice(engine) -> None:
    data = _csv(["信访件编号,收件日期,信访人,反映内容,地址",
                 "ZZ-001,2026-10-08,林阿水,征地补偿款至今未发放到户,平和县山格镇",
                 "ZZ-001,2026-10-08,林阿水,征地补偿款至今未发放到户,平和县山格镇",
                 "ZZ-001,2026-10-09,林阿水,征地补偿款至今未发放到户,平和县山格镇"])
    preview = read_register(data, filename="r.csv", today=TODAY)
    reasons = [[i.message for i in r.issues if i.level == "error"] for r in preview.rows]
    # Entered twice says so (not only "编号重复"); another row under the same number is still a number clash.
    assert reasons == [[], ["与第 2 行完全相同（重复录入）"], ["编号 'ZZ-001' 与第 2 行重复"]]
    summary = import_register(engine, data, filename="r.csv", today=TODAY)
    assert (summary.imported, summary.rejected) == (1, 2)


def test_different_letters_with_the_same_text_are_all_kept(engine) -> None:
    text = "砍伐桉树收取保证金，不开收据。"
    data = _csv(["序号,来信日期,信访人,反映内容,问题发生地",
                 f"1,2026-10-08,林阿水,{text},南靖县书洋镇",
                 f"2,2026-10-08,陈美玉,{text},南靖县书洋镇",  # another petitioner
                 f"3,2026-10-09,林阿水,{text},南靖县书洋镇",  # another day
                 f"4,2026-10-08,匿名,{text},南靖县书洋镇",
                 f"5,2026-10-08,匿名,{text},南靖县梅林镇"])  # another anonymous letter, about another place
    preview = read_register(data, filename="r.csv", today=TODAY)
    assert preview.valid_rows == 5 and not any("重复录入" in i.message for i in preview.issues)
    assert import_register(engine, data, filename="r.csv", today=TODAY).imported == 5
    assert import_register(engine, data, filename="r.csv", today=TODAY).unchanged == 5
    assert len(_cases(engine)) == 5
