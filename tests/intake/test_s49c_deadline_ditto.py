"""办理期限 cells saying 同上 / 〃 / 同上日期 took no day from the row above (read as 无法识别的日期 '同上', the
row's default 收件日期后 60 天), while 收件日期 cells saying so did. Now they take the 办理期限 the row above wrote,
said with both rows; with none written above, the default and why; a blank 办理期限 stays blank (the default)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.intake.register import import_register, read_register
from planner.store.database import session_factory
from planner.store.models import CaseRow

TODAY = dt.date(2026, 12, 7)
HEADER = ["序号", "信访件编号", "来信时间", "信访人姓名", "问题属地", "反映问题", "办理期限", "备注"]
ROWS = [  # (序号, 编号, 来信时间, 办理期限, 备注); spreadsheet rows 2..
    ("1", "D-1", "2026-10-18", "2026-12-01", ""),
    ("2", "D-2", "同上", "同上", ""),  # both columns from row 2
    ("3", "D-3", "2026-10-20", "〃", ""),  # 2026-12-01 through row 3
    ("4", "D-4", "2026-10-21", "", "同上日期"),  # blank 办理期限: the default, row mark or not
    ("5", "D-5", "2026-10-22", "同上日期", ""),  # the row above wrote none: the default, said why
    ("6", "D-6", "2026-10-23", "2026-11-20", ""),
    ("7", "D-7", "2026-12-05", "同上", ""),  # 2026-11-20 is before this row's received day
]


def _csv() -> bytes:
    lines = [",".join(HEADER)]
    for ref, no, received, deadline, note in ROWS:
        lines.append(",".join([ref, no, received, f"某乙{ref}", "漳浦县旧镇镇", f"反映第{ref}件事：征地款未发放。",
                               deadline, note]))
    return ("\r\n".join(lines) + "\r\n").encode("gbk")


def test_deadline_ditto_takes_the_deadline_above() -> None:
    preview = read_register(_csv(), filename="登记表.csv", today=TODAY)
    by_no = {r.values["case_no"]: r for r in preview.rows}
    assert all(r.ok for r in preview.rows)
    deadlines = {no: r.values["deadline"] for no, r in by_no.items()}
    assert deadlines == {"D-1": dt.date(2026, 12, 1), "D-2": dt.date(2026, 12, 1), "D-3": dt.date(2026, 12, 1),
                         "D-4": dt.date(2026, 12, 20), "D-5": dt.date(2026, 12, 21), "D-6": dt.date(2026, 11, 20),
                         "D-7": dt.date(2027, 2, 3)}
    notes = {(i.row, i.column): i.message for i in preview.issues if i.level == "warning"}
    assert "「同上」" in notes[(3, "办理期限")] and "第2行" in notes[(3, "办理期限")] \
        and "2026-12-01" in notes[(3, "办理期限")]
    assert "「〃」" in notes[(4, "办理期限")] and "第3行" in notes[(4, "办理期限")]
    assert "第2行" in notes[(3, "来信时间")]  # the received date as before
    assert by_no["D-2"].raw["办理期限"] == "同上"  # the cell as written
    assert (5, "办理期限") not in notes  # a blank 办理期限 is optional: no note, no day from above
    assert "上一行没有可沿用的办理期限" in notes[(6, "办理期限")]
    assert "无法识别" not in notes[(6, "办理期限")]
    after = [i.message for i in preview.issues if i.row == 8 and i.column == "办理期限"]
    assert any("第7行" in m and "2026-11-20" in m for m in after) and any("早于收件日期" in m for m in after)


def test_import_stores_the_deadline_taken(engine) -> None:
    summary = import_register(engine, _csv(), filename="登记表.csv", today=TODAY)
    assert (summary.imported, summary.rejected) == (7, 0)
    with session_factory(engine)() as s:
        deadlines = dict(s.execute(select(CaseRow.case_no, CaseRow.deadline)
                                   .where(CaseRow.case_no.in_(["D-2", "D-3", "D-4"]))).all())
    assert deadlines == {"D-2": dt.date(2026, 12, 1), "D-3": dt.date(2026, 12, 1), "D-4": dt.date(2026, 12, 20)}
