"""``python -m planner cluster`` reads a register as 导入登记表 does (walk W8: a hand-written county register).

The CLI used to have its own reader: it refused a date without a year (11.30) and a blank 编号, and read a title
row over a two-row header wrongly. Now it takes the rows the import takes, lists the rows the import would reject
on stderr and analyses the rest; the petitioner's identity never leaves memory.
"""

import csv

import pytest
from openpyxl import Workbook

from planner.cli import main
from planner.intake.register import read_register

NAME, PHONE = "林阿明", "13905961234"

# 编号, 收信日期, 姓名, 联系电话, 反映地址, 反映内容, 被反映人
ROWS = [
    ["PH-001", "2026-11-02", NAME, PHONE, "平和县山格镇土田村", "山格林业站违规收取桉树砍伐保证金每亩300元，至今未退",
     "王某某"],
    ["PH-002", "11.30", "陈某", "13800000002", "平和县小溪镇", "小溪镇卫生院药品回扣问题", ""],
    ["", "2026-11-15", "匿名", "", "平和县坂仔镇", "坂仔镇某村干部虚报低保名额", ""],
    ["PH-004", "2026-11-20", NAME, PHONE, "平和县山格镇土田村", "再次反映山格林业站收取桉树砍伐保证金至今不退",
     "王某某"],
    ["PH-005", "11.31", "黄某", "13800000005", "平和县文峰镇", "文峰镇违建无人管", ""],
    ["PH-006", "2026-11-21", "郑某", "13800000006", "平和县九峰镇", "", ""],
]


def _register(path, rows=ROWS):
    """A county register: a title row, a two-row header (信访人 over 姓名/联系电话), merged header cells."""
    wb = Workbook()
    ws = wb.active
    ws.title = "11月登记"
    ws.append(["平和县纪委监委信访举报件登记表（2026年11月）"])
    ws.merge_cells("A1:G1")
    ws.append(["编号", "收信日期", "信访人", None, "反映地址", "反映内容", "被反映人"])
    ws.append([None, None, "姓名", "联系电话", None, None, None])
    for col in "ABEFG":
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("C2:D2")
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _run(tmp_path, capsys, reg, *extra):
    out = tmp_path / "out.csv"
    code = main(["cluster", "--input", str(reg), "--output", str(out), "--no-geocode", *extra])
    captured = capsys.readouterr()
    text = out.read_text(encoding="utf-8-sig") if out.exists() else ""
    return code, {r["id"]: r for r in csv.DictReader(text.splitlines())}, text, captured


def test_cli_reads_the_rows_the_import_reads(tmp_path, capsys):
    reg = _register(tmp_path / "register.xlsx")
    code, rows, _text, _ = _run(tmp_path, capsys, reg)
    assert code == 0
    preview = read_register(reg)
    assert preview.header_span == 2  # the fixture is what W8 was: title row over a two-row header
    taken = [str(r.values["case_no"]) for r in preview.rows if r.ok]
    assert list(rows) == taken
    assert "PH-002" in rows  # 11.30: no year written, the year inferred as the import does
    blank = [i for i in rows if i.startswith("自编-")]
    assert len(blank) == 1  # the blank 编号 got the import's stable number
    assert not {"PH-005", "PH-006"} & set(rows)  # 11.31 and an empty 反映内容 are refused by the import


def test_repeat_letter_found_from_the_two_row_identity_columns(tmp_path, capsys):
    code, rows, text, captured = _run(tmp_path, capsys, _register(tmp_path / "register.xlsx"))
    assert code == 0
    assert rows["PH-004"]["repeat_of"] == "PH-001"
    assert rows["PH-002"]["repeat_of"] == ""
    for secret in (NAME, PHONE, "陈某", "13800000002"):
        assert secret not in text and secret not in captured.err and secret not in captured.out


def test_rejected_rows_are_listed_on_stderr_and_counted(tmp_path, capsys):
    code, _rows, _text, captured = _run(tmp_path, capsys, _register(tmp_path / "register.xlsx"))
    assert code == 0
    err = captured.err.splitlines()
    preview = read_register(tmp_path / "register.xlsx")
    expected = [i.text("register.xlsx") for r in preview.rows if not r.ok for i in r.issues if i.level == "error"]
    assert len(expected) == 2 and all(line in err for line in expected)
    assert any(line.startswith("register.xlsx 第8行「收信日期」：日期不存在") for line in err)
    assert any(line.startswith("register.xlsx 第9行「反映内容」：反映内容为空") for line in err)
    assert any("2 行未分析" in line for line in err)


def test_options_map_onto_the_import_columns(tmp_path, capsys):
    reg = _register(tmp_path / "register.xlsx")
    code, rows, _text, _ = _run(tmp_path, capsys, reg, "--id-col", "", "--address-col", "")
    assert code == 0
    # Without the 编号 column every letter is numbered as the import numbers it; none is refused for its number.
    assert len(rows) == 4 and all(i.startswith("自编-") for i in rows)
    code, _rows, _text, captured = _run(tmp_path, capsys, reg, "--id-col", "登记号")
    assert code == 2 and "找不到编号列 '登记号'" in captured.err


def test_a_register_without_a_valid_row_is_an_error(tmp_path, capsys):
    reg = _register(tmp_path / "register.xlsx", rows=[r for r in ROWS if r[0] in ("PH-005", "PH-006")])
    code, rows, _text, captured = _run(tmp_path, capsys, reg)
    assert code == 2 and not rows
    assert "没有可分析的行" in captured.err.splitlines()[-1]


@pytest.mark.parametrize("date_col", ["收信日期", None])
def test_date_option_reads_yearless_dates(tmp_path, capsys, date_col):
    reg = _register(tmp_path / "register.xlsx")
    extra = ["--date-col", date_col] if date_col else []
    code, rows, _text, captured = _run(tmp_path, capsys, reg, *extra)
    assert code == 0 and "PH-002" in rows and "不是日期" not in captured.err
