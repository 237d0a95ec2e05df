"""A register numbered only by 序号 imports: numbers are made from the letters, 序号 names the row, never a case."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from planner.intake.register import import_register, read_register, rejected_rows
from planner.intake.rows import generated_case_no
from planner.store.database import session_scope
from planner.store.models import CaseRow

TODAY = dt.date(2026, 12, 1)
HEADERS = ("序号", "来信日期", "信访人", "联系电话", "反映地点", "被反映人", "反映内容", "办理期限", "备注")

#: This quarter's register, as the county office keeps it (title rows naming 2026, a year-less date in row 4).
AUTUMN = (
    ("2026-10-08", "林阿水", "13905961234", "平和县山格镇土田村", "土田村党支部书记林某", "征地补偿款至今未发放到户。"),
    ("2026.10.09", "陈美玉", "13860012345", "龙海区角美镇", "角美镇林业站", "桉树砍伐要交保证金每亩300元，交了不退。"),
    ("2026/10/10", "黄志强", "0596-2345678", "漳浦县旧镇镇浯江村", "村委会主任黄某", "低保名额优亲厚友。"),
    ("10月11日", "匿名", "", "南靖县书洋镇", "书洋镇林业站站长", "砍伐桉树收取保证金，不开收据。"),
    ("2026-10-12", "张清华", "13799887766", "云霄县莆美镇", "莆美镇村建办", "违建厂房占用基本农田。"),
)
#: Next quarter's register: 序号 again 1, 2, 3, other letters — and letter 3 carried over from AUTUMN (its row 1).
WINTER = (
    ("2026-11-20", "吴建国", "15980123456", "诏安县四都镇", "四都镇财政所", "危房改造补助被截留。"),
    ("2026-11-21", "郑秀兰", "13559991111", "东山县铜陵镇", "铜陵镇城管中队", "摊贩被乱罚款，罚款不开票据。"),
    AUTUMN[0],
)


def _register(letters, title: str = "漳州市纪委监委信访室 2026年第四季度来信登记表", headers=HEADERS,
              filled: str = "填表人：王小红    填表日期：2026年11月15日") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws["A1"] = title
    ws.merge_cells("A1:I1")
    ws["A2"] = filled
    ws.merge_cells("A2:I2")
    ws.append(list(headers))
    for i, (date, name, phone, place, reported, content) in enumerate(letters, start=1):
        ws.append([i, date, name, phone, place, reported, content, "", ""])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cases(engine) -> dict[str, str]:
    with session_scope(engine) as s:
        return {no: content for no, content in s.execute(select(CaseRow.case_no, CaseRow.content))}


def test_a_register_numbered_only_by_xuhao_reads_with_generated_numbers_and_xuhao_as_the_row_reference() -> None:
    preview = read_register(_register(AUTUMN), filename="秋.xlsx", today=TODAY)
    assert not preview.missing_required
    assert preview.generated_case_no and preview.row_ref == "序号"
    assert "case_no" not in preview.mapping
    assert (preview.rows_read, preview.valid_rows) == (5, 5)
    numbers = [r.values["case_no"] for r in preview.rows]
    assert numbers[0] == generated_case_no(dt.date(2026, 10, 8), AUTUMN[0][5], "林阿水")
    assert all(n.startswith("自编-202610") for n in numbers) and len(set(numbers)) == 5
    assert [r.ref for r in preview.rows] == ["1", "2", "3", "4", "5"]
    # The title names 2026 and every dated letter is of 2026, between 10-08 and 10-12: 10月11日 is 2026-10-11,
    # and the warning names the clerk's number.
    assert preview.rows[3].values["received_date"] == dt.date(2026, 10, 11)
    assert "秋.xlsx 第7行（序号 4）「来信日期」：日期 '10月11日' 没有年份；表头上方写明 2026 年" in \
        "\n".join(preview.error_lines())
    note = preview.case_no_note()
    assert "编号由系统生成" in note and numbers[0] in note and "序号" in note and "不会覆盖" in note
    # 序号 stays on the case as the register wrote it.
    assert preview.rows[0].values["extra_fields"]["序号"] == "1"


def test_reimport_creates_nothing_and_another_register_with_the_same_xuhao_never_overwrites(engine) -> None:
    first = import_register(engine, _register(AUTUMN), filename="秋.xlsx", today=TODAY)
    assert (first.imported, first.rejected) == (5, 0)
    autumn = _cases(engine)
    again = import_register(engine, _register(AUTUMN), filename="秋.xlsx", today=TODAY)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 5)
    second = import_register(engine, _register(WINTER), filename="冬.xlsx", today=TODAY)
    # Its 序号 1 and 2 are other letters: new cases. Its 序号 3 is autumn's letter 1: the same case, no duplicate.
    assert second.imported == 2 and second.imported + second.updated + second.unchanged == 3
    after = _cases(engine)
    assert len(after) == 7
    assert all(after[no] == content for no, content in autumn.items())  # autumn's letters are untouched
    with session_scope(engine) as s:
        assert s.execute(select(func.count()).select_from(CaseRow)).scalar_one() == 7


def test_a_real_number_column_wins_over_xuhao() -> None:
    headers = ("序号", "来信日期", "信访人", "联系电话", "反映地点", "被反映人", "反映内容", "办理期限", "信访件编号")
    wb_bytes = _register(AUTUMN[:1], headers=headers)
    preview = read_register(wb_bytes, filename="r.xlsx", today=TODAY)
    assert preview.mapping["case_no"] == "信访件编号" and not preview.generated_case_no
    assert preview.row_ref == "序号" and preview.case_no_note() == ""
    assert any("编号为空" in line and "（序号 1）" in line for line in preview.error_lines())


def test_mapping_xuhao_as_the_number_is_warned_against() -> None:
    preview = read_register(_register(AUTUMN), filename="r.xlsx", today=TODAY, mapping={"case_no": "序号"})
    assert preview.mapping["case_no"] == "序号" and not preview.generated_case_no
    warned = [i for i in preview.issues if i.column == "序号" and i.level == "warning"]
    assert warned and "覆盖" in warned[0].message


def test_the_same_letter_entered_twice_is_one_letter_and_the_second_row_is_rejected(engine) -> None:
    data = _register((AUTUMN[1], AUTUMN[1]))
    preview = read_register(data, filename="r.xlsx", today=TODAY)
    assert [r.ok for r in preview.rows] == [True, False]
    assert "r.xlsx 第5行（序号 2）：与第 4 行完全相同（重复录入）" in preview.error_lines()
    assert import_register(engine, data, filename="r.xlsx", today=TODAY).imported == 1
    again = import_register(engine, data, filename="r.xlsx", today=TODAY)
    assert (again.unchanged, again.rejected) == (1, 1)


def test_the_same_day_text_and_writer_in_an_otherwise_different_row_gets_a_second_stable_number(engine) -> None:
    other_place = (*AUTUMN[1][:3], "龙海区角美镇白礁村", *AUTUMN[1][4:])
    data = _register((AUTUMN[1], other_place))
    preview = read_register(data, filename="r.xlsx", today=TODAY)
    first, second = (r.values["case_no"] for r in preview.rows)
    assert second == f"{first}-2" and all(r.ok for r in preview.rows)
    assert any("完全相同" in i.message and i.ref == "2" and i.level == "warning" for i in preview.issues)
    assert import_register(engine, data, filename="r.xlsx", today=TODAY).imported == 2
    assert import_register(engine, data, filename="r.xlsx", today=TODAY).unchanged == 2


def test_generated_numbers_ignore_spacing_and_punctuation_but_not_the_writer() -> None:
    day = dt.date(2026, 10, 8)
    base = generated_case_no(day, "征地补偿款至今未发放到户。", "林阿水")
    assert generated_case_no(day, " 征地补偿款 至今未发放到户 ", "林阿水 ") == base
    assert generated_case_no(day, "征地补偿款至今未发放到户。", "陈美玉") != base
    assert generated_case_no(dt.date(2026, 10, 9), "征地补偿款至今未发放到户。", "林阿水") != base
    assert generated_case_no(day, "匿名信", "匿名") == generated_case_no(day, "匿名信", "")


@pytest.mark.parametrize(("title", "letters", "why"), [
    ("县信访室来信登记表", AUTUMN, "本表相邻行的日期是 第 6 行 2026-10-10、第 8 行 2026-10-12，取离它们最近的 2026 年"),
    ("2025年12月至2026年1月来信登记表", AUTUMN, "本表相邻行的日期是 第 6 行 2026-10-10"),  # two years: the rows
    ("2026年第四季度来信登记表", (*AUTUMN, ("2027-01-02", "李明", "", "东山县陈城镇", "海洋渔业站", "乱收费。")),
     "表头上方写明 2026 年"),
    ("2026年第四季度来信登记表", (("2026-11-01", "李明", "", "东山县", "渔业站", "乱收费。"), *AUTUMN[3:4]),
     "表头上方写明 2026 年"),
])
def test_a_year_less_date_takes_the_year_the_title_or_the_rows_beside_it_say(title, letters, why) -> None:
    """Walk W33 (fixer FU): beyond a title and letters that all agree, the year comes from the title alone or the
    rows beside the letter, and the row says which (W13 refused them all)."""
    data = _register(letters, title=title, filled="填表人：王小红")
    preview = read_register(data, filename="r.xlsx", today=dt.date(2027, 2, 1))
    yearless = next(r for r in preview.rows if r.raw["来信日期"] == "10月11日")
    assert yearless.ok and yearless.values["received_date"] == dt.date(2026, 10, 11)
    (note,) = [i.message for i in yearless.issues if i.column == "来信日期"]
    assert note.startswith(f"日期 '10月11日' 没有年份；{why}")
    assert note.endswith("按 2026-10-11 导入（如不对请在登记表中改正）")


def test_a_rejected_row_keeps_the_clerks_number(session) -> None:
    data = _register((*AUTUMN[:3], ("10月32日", *AUTUMN[3][1:]), AUTUMN[4]), filled="填表人：王小红",
                     title="县信访室来信登记表")
    summary = import_register(session, data, filename="r.xlsx", today=TODAY)
    assert (summary.imported, summary.rejected) == (4, 1)
    (row,) = rejected_rows(session, summary.batch_id)
    assert row["行号"] == 7 and row["序号"] == 4 and "日期不存在" in row["原因"]
