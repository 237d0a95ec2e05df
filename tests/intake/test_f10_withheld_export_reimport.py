"""Walk W18: the app's own 导出登记表 (identities written 已隐去, names and phones in the text withheld) imported back
over the same database replaced every petitioner by 已隐去 and the words by their masked form, and two letters of one
day and text (now both 已隐去) were refused as 同一封信. What the export withheld is no value: the stored data stays."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.intake import register as ingest
from planner.intake.register_export import register_xlsx
from planner.intake.withheld import withheld_note
from planner.store.database import session_scope
from planner.store.models import CaseRow

TODAY = dt.date(2026, 12, 7)
SAME = "反映村主任强行推平村民祖厝，补偿标准不公开。"
REGISTER = "\n".join([
    "编号,收件日期,信访人,联系电话,身份证号,反映内容,地址,备用电话,备注",
    "A-001,2026-11-02,张三丰,13906951234,350623198703152417,"
    "我是前进村村民张三丰，电话13906951234，反映村会计虚报低保。,漳浦县旧镇镇前进村,13812345678,来电人13812345678",
    f"A-002,2026-11-03,李四光,13906950001,,{SAME},云霄县陈岱镇竹港村,,",
    f"A-003,2026-11-03,王五一,13906950002,,{SAME},云霄县陈岱镇竹港村,,",
    "A-004,2026-11-04,匿名,,,反映镇干部吃拿卡要。,南靖县和溪镇乐土村,,",
]).encode("utf-8")


def _stored(engine) -> dict[str, tuple]:
    with session_scope(engine) as s:
        cases = s.scalars(select(CaseRow).options(selectinload(CaseRow.petitioner)))
        return {c.case_no: (c.content, c.title, c.address_text, dict(c.extra_fields or {}),
                            None if c.petitioner is None else
                            (c.petitioner.name, c.petitioner.phone, c.petitioner.id_number)) for c in cases}


def _export(engine, edit=None) -> bytes:
    with session_scope(engine) as s:
        data = register_xlsx(s)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    head = [c.value for c in ws[1]]
    ws.cell(row=1, column=len(head) + 1, value="承办人")  # the office fills in a column of the export
    for r in range(2, ws.max_row + 1):
        ws.cell(row=r, column=len(head) + 1, value="林干事")
        if edit is not None:
            edit(ws, head, r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_exported_register_imported_back_keeps_every_identity(engine) -> None:
    ingest.import_register(engine, REGISTER, filename="十一月登记.csv", today=TODAY)
    before = _stored(engine)
    assert before["A-001"][4] == ("张三丰", "13906951234", "350623198703152417")
    data = _export(engine)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert "已隐去" in [c.value for c in sheet[2]]  # the export withholds (the premise)

    with session_scope(engine) as s:
        preview = ingest.read_register(data, filename="登记表.xlsx", known_letters=ingest.known_letters(s),
                                       today=TODAY)
        note = withheld_note(s, preview.rows)
    # Two letters of one day and text by two petitioners, both 已隐去 now: two letters, not 同一封信.
    assert preview.rejected_rows == 0, preview.error_lines()
    assert not any("格式不对" in i.message for i in preview.issues)  # 已隐去 is no phone to check
    assert "保留原登记信息" in note and " 3 件" in note
    assert preview.sample()[0]["信访人"] == "已隐去"  # the placeholder shown as it is, not masked like a name (已**)

    summary = ingest.import_register(engine, data, filename="登记表.xlsx", today=TODAY)
    assert "保留原登记信息" in summary.withheld_note
    after = _stored(engine)
    for no, (content, _title, address, extra, who) in before.items():
        assert after[no][0] == content and after[no][2] == address and after[no][4] == who, no
        assert {k: v for k, v in after[no][3].items() if k != "承办人"} | {"类别依据": ""} \
            == extra | {"类别依据": ""}, no
    assert after["A-001"][3]["承办人"] == "林干事"  # what the office filled in is taken
    assert after["A-001"][3]["备用电话"] == "13812345678" and after["A-001"][3]["备注"] == "来电人13812345678"
    # The stored identity is what the next read compares: the same export again changes nothing.
    again = ingest.import_register(engine, data, filename="登记表.xlsx", today=TODAY)
    assert again.unchanged == 4 and again.updated == 0


def test_words_edited_on_top_of_withheld_text_keep_the_stored_words_and_say_so(engine) -> None:
    ingest.import_register(engine, REGISTER, filename="十一月登记.csv", today=TODAY)
    before = _stored(engine)

    def edit(ws, head, r):
        cell = ws.cell(row=r, column=head.index("反映内容") + 1)
        if "已隐去" in str(cell.value):
            cell.value = f"{cell.value}补充：涉及5户。"

    data = _export(engine, edit)
    with session_scope(engine) as s:
        preview = ingest.read_register(data, filename="登记表.xlsx", known_letters=ingest.known_letters(s),
                                       today=TODAY)
        note = withheld_note(s, preview.rows)
    assert "A-001" in note and "无法还原" in note
    ingest.import_register(engine, data, filename="登记表.xlsx", today=TODAY)
    assert _stored(engine)["A-001"][0] == before["A-001"][0]


def test_export_imported_into_another_database_stores_no_placeholder(engine) -> None:
    ingest.import_register(engine, REGISTER, filename="十一月登记.csv", today=TODAY)
    data = _export(engine)
    with engine.begin() as conn:  # another office's empty database
        from planner.store.models import Base

        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    with session_scope(engine) as s:
        preview = ingest.read_register(data, filename="登记表.xlsx", known_letters=ingest.known_letters(s),
                                       today=TODAY)
        note = withheld_note(s, preview.rows)
    assert "没有这封信" in note
    summary = ingest.import_register(engine, data, filename="登记表.xlsx", today=TODAY)
    assert summary.imported == 4
    for _content, _title, _address, extra, who in _stored(engine).values():
        assert who is None or "已隐去" not in "".join(who)
        assert "已隐去" not in extra.values() and "备用电话" not in extra  # a 已隐去 cell is no value
