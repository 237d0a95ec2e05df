"""Walk K: a row with the impossible date 2026.13.01 also said “无法识别的日期 '60日'” of its valid 60-day span;
03/11/2026 was answered with the unrelated example 2026-03-05; the preview did not say which sheet of a workbook
it read."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from planner.intake.register import read_register

TODAY = dt.date(2026, 12, 4)


def _one_row(date: str, limit: str = "60日") -> list[str]:
    data = f"编号,收信日期,地址,内容摘要,期限\nZA-07,{date},诏安县太平镇,反映村级财务混乱。,{limit}".encode()
    return [i.message for i in read_register(data, filename="诏安.csv", today=TODAY).rows[0].issues]


def test_an_impossible_date_is_the_only_complaint_of_its_row() -> None:
    assert _one_row("2026.13.01") == ["日期不存在：2026.13.01（没有 13 月）"]


def test_a_deadline_that_is_no_date_nor_span_is_still_named() -> None:
    messages = _one_row("2026.11.01", "尽快")
    assert any("无法识别的日期 '尽快'" in m for m in messages)


@pytest.mark.parametrize(("written", "shown", "absent", "start"), [
    ("03/11/2026", ("2026-11-03", "2026-03-11"), "2026-03-05", "无法识别的日期 '03/11/2026'"),
    # One reading only: read so, saying how (walk W18, planner.intake.slash_dates).
    ("25/11/2026", ("2026-11-25",), "2026-03-05", "日期 '25/11/2026' 写作日/月/年"),
    ("去年秋天", ("2026-11-03",), "2026-03-05", "无法识别的日期 '去年秋天'"),
])
def test_the_example_date_matches_what_was_written(written: str, shown: tuple[str, ...], absent: str,
                                                   start: str) -> None:
    [message] = _one_row(written)
    assert message.startswith(start)
    assert all(day in message for day in shown) and absent not in message


def test_the_preview_names_the_sheet_it_read() -> None:
    wb = Workbook()
    summary = wb.active
    summary.title = "汇总"
    summary.append(["县区", "件数"])
    summary.append(["芗城区", 3])
    sheet = wb.create_sheet("登记表")
    sheet.append(["编号", "收件日期", "地址", "反映内容", "办理期限"])
    sheet.append(["ZZ-1", "2026-10-08", "芗城区浦南镇", "反映低保优亲厚友。", "60日"])
    buf = io.BytesIO()
    wb.save(buf)
    preview = read_register(buf.getvalue(), filename="市登记表.xlsx", today=TODAY)
    assert preview.sheet == "登记表"
    note = preview.reading_note()
    assert "读取的是「登记表」" in note and "汇总、登记表" in note


def test_a_plain_register_has_no_reading_note() -> None:
    data = "编号,收件日期,地址,反映内容,办理期限\nA1,2026-11-03,诏安县四都镇,反映低保评定不公。,60日".encode()
    assert read_register(data, filename="一张表.csv", today=TODAY).reading_note() == ""


def test_the_import_page_shows_the_reading_note(engine, monkeypatch) -> None:
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from planner.office.security import Actor

    page = str(Path(__file__).resolve().parents[1] / "pages" / "import_register.py")
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    app = AppTest.from_file(page, default_timeout=60)
    app.session_state["actor"] = Actor("tester", "admin", display_name="测试管理员")
    data = "编号,收件日期,地址,反映内容\nA1,2026-11-03,诏安县四都镇,反映低保评定不公。\n".encode()
    app.session_state["import_file"] = ("无期限.csv", data)
    app.run()
    assert not app.exception
    assert any("没有找到办理期限列" in i.value for i in app.info)
