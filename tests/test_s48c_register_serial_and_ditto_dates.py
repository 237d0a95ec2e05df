"""Walk W14: a county's register (a workbook saved as CSV, GBK) lost 50 of its 250 letters to their dates.

36 rows had 来信时间 46313: a date cell formatted 常规 is written to CSV as its Excel serial number, refused as
无法识别的日期 '46313'. 14 rows had a blank 来信时间 with 同上日期 in 备注 (the merged block of dates of the workbook
becomes blanks in the CSV), refused as 收件日期为空. Now a five-digit serial in a date column (2000-01-01 onwards) is
read as its day and said so with an example; a date cell saying 同上 / 〃, or blank in a row that says 同上日期,
takes the date of the row above, said with both rows; a blank date without such a mark stays refused, a note
beside it naming the day above.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.intake.note_groups import kind_lines
from planner.intake.register import import_register, read_register
from planner.store.database import session_factory
from planner.store.models import CaseRow, RejectedRow

TODAY = dt.date(2026, 12, 7)
HEADER = ["序号", "信访件编号", "来信时间", "信访人姓名", "问题属地", "反映问题", "办理期限", "备注"]
ROWS = [  # (序号, 编号, 来信时间, 办理期限, 备注); spreadsheet rows 3.. under a title and the header
    ("1", "W-1", "46313", "46373", "重复件"),  # serials: 2026-10-18, deadline 2026-12-17
    ("2", "W-2", "", "60日", "转办 同上日期"),  # blank under 同上日期: 2026-10-18
    ("3", "W-3", "20261103", "十五个工作日", ""),  # yyyymmdd, read as before
    ("4", "W-4", "同上", "", ""),  # ditto in the cell: 2026-11-03
    ("5", "W-5", "〃", "", "交办"),  # 2026-11-03
    ("6", "W-6", "", "", "领导批示件"),  # blank without a mark: refused
    ("7", "W-7", "12345", "", ""),  # five digits but no plausible day: refused
    ("8", "W-8", "同上", "", ""),  # the row above has no date: refused
    ("9", "W-9", "46330", "", ""),  # 2026-11-04
]


def _csv() -> bytes:
    lines = ["某县纪委监委信访室来信登记簿（2026年第四季度）" + "," * (len(HEADER) - 1), ",".join(HEADER)]
    for ref, no, received, deadline, note in ROWS:
        lines.append(",".join([ref, no, received, f"某甲{ref}", "漳浦县旧镇镇", f"反映第{ref}件事：村里账目不公开。",
                               deadline, note]))
    return ("\r\n".join(lines) + "\r\n").encode("gbk")


def test_serial_numbers_and_ditto_marks_are_read_as_dates() -> None:
    preview = read_register(_csv(), filename="登记表.csv", today=TODAY)
    by_no = {r.values["case_no"]: r for r in preview.rows}
    received = {no: r.values["received_date"] for no, r in by_no.items() if r.ok}
    assert received == {"W-1": dt.date(2026, 10, 18), "W-2": dt.date(2026, 10, 18), "W-3": dt.date(2026, 11, 3),
                        "W-4": dt.date(2026, 11, 3), "W-5": dt.date(2026, 11, 3), "W-9": dt.date(2026, 11, 4)}
    assert by_no["W-1"].values["deadline"] == dt.date(2026, 12, 17)  # 办理期限 shares the one date reader
    notes = {(i.row, i.column): i.message for i in preview.issues if i.level == "warning"}
    assert "46313" in notes[(3, "来信时间")] and "2026-10-18" in notes[(3, "来信时间")]
    assert "46373" in notes[(3, "办理期限")]
    assert "同上日期" in notes[(4, "来信时间")] and "第3行" in notes[(4, "来信时间")]
    assert "「同上」" in notes[(6, "来信时间")] and "第5行" in notes[(6, "来信时间")]
    assert "第6行" in notes[(7, "来信时间")]
    assert (5, "来信时间") not in notes  # 20261103 is a date as written
    lines = kind_lines(preview.issues)
    assert any("Excel 日期序号" in k and "46313 → 2026-10-18" in k and "2 行（第3、11行）" in k for k in lines), lines


def test_dates_still_not_certain_stay_refused_saying_why() -> None:
    preview = read_register(_csv(), filename="登记表.csv", today=TODAY)
    refused = {r.values["case_no"]: "；".join(i.message for i in r.issues if i.level == "error")
               for r in preview.rows if not r.ok}
    assert set(refused) == {"W-6", "W-7", "W-8"}
    assert refused["W-6"] == "收件日期为空"
    hint = [i.message for i in preview.issues if i.row == 8 and i.level == "warning"]
    assert len(hint) == 1 and "第7行" in hint[0] and "2026-11-03" in hint[0] and "同上" in hint[0]
    assert "无法识别的日期 '12345'" in refused["W-7"]
    assert "上一行没有可沿用的收件日期" in refused["W-8"]


def test_import_keeps_the_refused_rows_with_their_reasons(engine) -> None:
    summary = import_register(engine, _csv(), filename="登记表.csv", today=TODAY)
    assert (summary.imported, summary.rejected) == (6, 3)
    with session_factory(engine)() as s:
        days = dict(s.execute(select(CaseRow.case_no, CaseRow.received_date)
                              .where(CaseRow.case_no.in_(["W-1", "W-2", "W-4"]))).all())
        assert days == {"W-1": dt.date(2026, 10, 18), "W-2": dt.date(2026, 10, 18), "W-4": dt.date(2026, 11, 3)}
        rejected = dict(s.execute(select(RejectedRow.row_number, RejectedRow.reason)
                                  .where(RejectedRow.batch_id == summary.batch_id)).all())
    assert sorted(rejected) == [8, 9, 10]
    assert "收件日期为空" in rejected[8] and "同上" in rejected[10]
    # the rejected row keeps its cell as written, not the day it would have taken
    with session_factory(engine)() as s:
        raw = s.scalar(select(RejectedRow.raw).where(RejectedRow.batch_id == summary.batch_id,
                                                     RejectedRow.row_number == 10))
    assert raw["来信时间"] == "同上"
