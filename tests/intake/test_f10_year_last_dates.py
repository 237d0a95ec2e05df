"""Walk W18: a register typed in a US-locale Excel wrote its dates 11/16/2026; every one was refused (a quarter of the
register) though the message itself said 如是 2026-11-16. A date with one reading is read so, an ambiguous one by the
register's own convention, else refused offering the more likely reading first — and the preview always says so."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.intake import register as ingest
from planner.store.database import session_scope
from planner.store.models import CaseRow

TODAY = dt.date(2026, 12, 7)


def _csv(*rows: str, title: str = "") -> bytes:
    head = [title] if title else []
    return "\n".join([*head, "编号,收件日期,办理期限,信访人,反映内容,地址",
                      *(f"N-{i},{r},林某{i},反映村干部问题{i}。,漳浦县旧镇镇" for i, r in enumerate(rows, 1))]).encode()


def _dates(preview) -> dict[int, dt.date | None]:
    return {r.row: r.values["received_date"] for r in preview.rows if r.ok}


def test_month_first_dates_are_read_with_a_note_and_the_column_convention_decides_ambiguous_ones(engine) -> None:
    data = _csv("11/16/2026,12/30/2026", "11/2/2026,", "2026-11-20,", "11/27/2026,")
    preview = ingest.read_register(data, filename="登记.csv", today=TODAY)
    assert preview.rejected_rows == 0, preview.error_lines()
    assert _dates(preview) == {2: dt.date(2026, 11, 16), 3: dt.date(2026, 11, 2), 4: dt.date(2026, 11, 20),
                               5: dt.date(2026, 11, 27)}
    assert preview.rows[0].values["deadline"] == dt.date(2026, 12, 30)  # 办理期限 written so too
    notes = {i.row: i.message for i in preview.issues if i.level == "warning" and i.column == "收件日期"}
    assert "2026-11-16" in notes[2] and "月/日/年" in notes[2]
    assert "2026-02-11" in notes[3] and "按 2026-11-02 导入" in notes[3]  # never silently: both readings named
    said = " ".join(i.message for i in preview.issues if i.row == preview.header_row)
    assert "月/日/年" in said and "11/2/2026 → 2026-11-02" in said  # the preview says how the column was read
    ingest.import_register(engine, data, filename="登记.csv", today=TODAY)
    with session_scope(engine) as s:
        assert s.scalar(select(CaseRow.received_date).where(CaseRow.case_no == "N-2")) == dt.date(2026, 11, 2)


def test_day_first_register_reads_its_ambiguous_dates_day_first() -> None:
    preview = ingest.read_register(_csv("16/11/2026,", "3/11/2026,"), filename="登记.csv", today=TODAY)
    assert _dates(preview) == {2: dt.date(2026, 11, 16), 3: dt.date(2026, 11, 3)}
    assert any("日/月/年" in i.message for i in preview.issues if i.row == preview.header_row)


def test_without_a_convention_an_ambiguous_date_is_refused_offering_the_likelier_reading_first() -> None:
    # Both conventions in one column: no convention; the title names November.
    mixed = ingest.read_register(_csv("11/16/2026,", "16/11/2026,", "11/2/2026,", title="来信登记表（2026年11月）"),
                                 filename="登记.csv", today=TODAY)
    assert set(_dates(mixed)) == {3, 4}
    refused = next(i.message for i in mixed.issues if i.row == 5 and i.level == "error")
    assert refused.index("2026-11-02") < refused.index("2026-02-11"), refused
    # No title: the neighbouring rows are in February, so 2/11/2026 is more likely 2026-02-11.
    feb = ingest.read_register(_csv("2026-02-10,", "2/11/2026,", "2026-02-12,"), filename="登记.csv", today=TODAY)
    refused = next(i.message for i in feb.issues if i.row == 3 and i.level == "error")
    assert refused.index("2026-02-11") < refused.index("2026-11-02"), refused
