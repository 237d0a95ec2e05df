"""``python -m planner cluster`` reads every file by the import's reader, whatever the options.

``--sheet`` for a sheet the import would not pick and ``--date-col ''`` used to fall back to a strict reader of the
command's own, which refused what 导入登记表 takes (a date without its year such as 10.30, a blank 编号). Now the
options are parameters of :func:`planner.intake.register.read_register`; refused rows are listed on stderr with
file, row and column.
"""

import csv

import pytest
from openpyxl import Workbook

from planner.cli import main
from planner.errors import InputError
from planner.intake.register import read_register

NAME, PHONE = "郑阿水", "13905960001"
HEADER = ["编号", "收信日期", "信访人", "联系电话", "反映地址", "反映内容"]
# The sheet a coordinator names: yearless dates under a title with the year, a blank 编号, one empty 反映内容.
OCTOBER = [
    ["HA-101", "2026-10-08", NAME, PHONE, "华安县仙都镇", "仙都镇林业站收取桉树砍伐保证金每亩200元，至今未退"],
    ["HA-102", "10.30", "匿名", "", "华安县丰山镇", "丰山镇卫生院药品回扣"],
    ["", "2026-10-12", "匿名", "", "华安县沙建镇", "沙建镇某村虚报低保名额"],
    ["HA-104", "2026-10-20", NAME, PHONE, "华安县仙都镇", "再次反映仙都镇林业站桉树砍伐保证金不退"],
    ["HA-105", "2026-10-21", "黄某", "13800000005", "华安县华丰镇", ""],
]


def _workbook(path):
    """Two registers: 总表 (more columns, the sheet the import picks) and 10月 (the one asked for)."""
    wb = Workbook()
    first = wb.active
    first.title = "总表"
    first.append([*HEADER, "办理期限", "来源", "问题类别"])
    first.append(["ZB-1", "2026-09-01", "林某", "13800000009", "华安县华丰镇", "华丰镇违建无人管", "2026-10-31",
                  "来信", "城乡建设"])
    october = wb.create_sheet("10月")
    october.append(["华安县纪委监委信访举报件登记表（2026年10月）"])
    october.append(HEADER)
    for row in OCTOBER:
        october.append(row)
    wb.save(path)
    return path


def _run(tmp_path, capsys, reg, *extra):
    out = tmp_path / "out.csv"
    out.unlink(missing_ok=True)
    code = main(["cluster", "--input", str(reg), "--output", str(out), "--no-geocode", *extra])
    captured = capsys.readouterr()
    text = out.read_text(encoding="utf-8-sig") if out.exists() else ""
    return code, {r["id"]: r for r in csv.DictReader(text.splitlines())}, text, captured


def test_sheet_option_reads_the_named_sheet_as_the_import_would(tmp_path, capsys):
    reg = _workbook(tmp_path / "register.xlsx")
    assert read_register(reg).sheet == "总表"  # without the option the import reads the other sheet
    code, rows, text, captured = _run(tmp_path, capsys, reg, "--sheet", "10月")
    assert code == 0, captured.err
    preview = read_register(reg, sheet="10月")
    assert preview.sheet == "10月"
    taken = [str(r.values["case_no"]) for r in preview.rows if r.ok]
    assert list(rows) == taken
    assert "HA-102" in rows  # 10.30: the year from the title and the other rows, as the import reads it
    assert sum(i.startswith("自编-") for i in rows) == 1  # the blank 编号 numbered as the import numbers it
    assert "HA-105" not in rows and "ZB-1" not in rows
    assert rows["HA-104"]["repeat_of"] == "HA-101"
    # The refused row is listed with file, row and column; no identity anywhere.
    assert "register.xlsx 第7行「反映内容」：反映内容为空" in captured.err.splitlines()
    for secret in (NAME, PHONE, "13800000005"):
        assert secret not in text and secret not in captured.err and secret not in captured.out


def test_unknown_sheet_is_one_line_naming_the_sheets(tmp_path, capsys):
    reg = _workbook(tmp_path / "register.xlsx")
    code, rows, _text, captured = _run(tmp_path, capsys, reg, "--sheet", "11月")
    assert code == 2 and not rows
    assert "没有名为 '11月' 的工作表" in captured.err and "「总表」、「10月」" in captured.err
    assert len(captured.err.strip().splitlines()) == 1
    with pytest.raises(InputError, match="没有名为 '11月' 的工作表"):
        read_register(reg, sheet="11月")


def test_date_option_empty_reads_without_dates_and_refuses_nothing_for_them(tmp_path, capsys):
    reg = _workbook(tmp_path / "register.xlsx")
    code, rows, _text, captured = _run(tmp_path, capsys, reg, "--sheet", "10月", "--date-col", "")
    assert code == 0, captured.err
    # Every row with words is analysed: the yearless date is not read, the blank 编号 is numbered from the words.
    assert {"HA-101", "HA-102", "HA-104"} <= set(rows) and len(rows) == 4
    assert sum(i.startswith("自编-") for i in rows) == 1
    assert "HA-105" not in rows and "register.xlsx 第7行「反映内容」：反映内容为空" in captured.err
    assert "日期" not in captured.err  # no row refused for its date
    preview = read_register(reg, sheet="10月", dated=False)
    assert "received_date" not in preview.mapping
    assert all(r.values["received_date"] is None for r in preview.rows)


def test_date_option_empty_on_a_one_sheet_register(tmp_path, capsys):
    """The import's own sheet too: a blank 编号 is numbered, not refused (the old reader stopped at it)."""
    path = tmp_path / "one.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *OCTOBER])
    code, rows, _text, captured = _run(tmp_path, capsys, path, "--date-col", "")
    assert code == 0, captured.err
    assert len(rows) == 4 and sum(i.startswith("自编-") for i in rows) == 1
    assert "one.csv 第6行「反映内容」：反映内容为空" in captured.err


def test_option_columns_find_a_header_the_import_does_not_know(tmp_path, capsys):
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["单号", "诉求", "时间"],
                                  ["Q1", "仙都镇林业站收取桉树砍伐保证金", "2026-10-08"],
                                  ["Q2", "仙都镇林业站桉树砍伐保证金不退", "2026-10-09"]])
    code, rows, _text, captured = _run(tmp_path, capsys, path, "--id-col", "单号", "--text-col", "诉求",
                                       "--date-col", "时间")
    assert code == 0, captured.err
    assert list(rows) == ["Q1", "Q2"] and rows["Q1"]["issue_cluster"] == rows["Q2"]["issue_cluster"]
