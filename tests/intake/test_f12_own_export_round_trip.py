"""The app's own 导出登记表 imported back unchanged showed 更新 for every case: 类别依据 became a register
column, 县区 was put before the address, 市外（转外地办理…） became a place, and the placing's coordinates — a
county-seat estimate among them — became register coordinates claiming a surveyed point's precision. Now the
unchanged export is 未变, and a cell the office changed updates that field only."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.intake import register as ingest
from planner.intake.address_checks import address_preview
from planner.intake.register_export import register_xlsx
from planner.intake.withheld import withheld_note
from planner.store.database import session_scope
from planner.store.models import CaseHistory, CaseRow

TODAY = dt.date(2026, 12, 7)
REGISTER = "\n".join([
    "编号,收件日期,信访人,联系电话,反映内容,县区,地址,经度,纬度,办理状态,备注",
    "B-001,2026-11-02,张三丰,13906951234,我是村民张三丰，反映村会计虚报低保。,漳浦县,旧镇镇前进村,,,,承办中",
    "B-002,2026-11-03,李四光,,反映镇干部吃拿卡要。,漳浦县,,,,,",
    "B-003,2026-11-03,匿名,,反映工地噪音扰民。,,厦门市思明区湖滨南路88号,,,,",
    "B-004,2026-11-04,王五一,,反映村道修建质量差。,南靖县,和溪镇乐土村,117.2891,24.8911,,",
]).encode("utf-8")
FIELDS = ("received_date", "deadline", "source", "category", "category_source", "category_reason", "title",
          "content", "address_text", "county", "town", "village", "lon", "lat", "precision", "precision_km",
          "point_source", "status", "people_affected", "extra_fields", "reported_persons", "reported_units")


def _stored(engine) -> dict[str, dict]:
    with session_scope(engine) as s:
        cases = s.scalars(select(CaseRow).options(selectinload(CaseRow.petitioner)))
        return {c.case_no: {k: getattr(c, k) for k in FIELDS} | {"who": None if c.petitioner is None else (
            c.petitioner.name, c.petitioner.phone)} for c in cases}


def _export(engine, edit=None) -> bytes:
    with session_scope(engine) as s:
        data = register_xlsx(s)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    head = [c.value for c in ws[1]]
    for r in range(2, ws.max_row + 1):
        if edit is not None:
            edit(ws, head, r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _preview(engine, data: bytes):
    with session_scope(engine) as s:
        preview = ingest.read_register(data, filename="登记表.xlsx", known_letters=ingest.known_letters(s),
                                       today=TODAY)
        return preview, address_preview(s, preview), withheld_note(s, preview.rows)


def test_unchanged_export_reads_back_unchanged(engine) -> None:
    ingest.import_register(engine, REGISTER, filename="十一月登记.csv", today=TODAY)
    before = _stored(engine)
    assert before["B-002"]["precision"] == "county" and before["B-002"]["lon"] is not None  # an estimated point
    data = _export(engine)

    preview, places, note = _preview(engine, data)
    assert preview.rejected_rows == 0, preview.error_lines()
    assert (places.unchanged, places.changed, places.new) == (4, 0, 0)
    assert "本系统导出的登记表" in note and "4 件与系统中相同" in note

    summary = ingest.import_register(engine, data, filename="登记表.xlsx", today=TODAY)
    assert (summary.imported, summary.updated, summary.unchanged) == (0, 0, 4)
    assert _stored(engine) == before  # no 类别依据 column, no 县区 before the address, no register coordinate


def test_a_changed_status_cell_updates_only_the_status(engine) -> None:
    ingest.import_register(engine, REGISTER, filename="十一月登记.csv", today=TODAY)
    before = _stored(engine)

    def close_b2(ws, head, r):
        if ws.cell(row=r, column=1).value == "B-002":
            ws.cell(row=r, column=head.index("办理状态") + 1, value="已办结")

    data = _export(engine, close_b2)
    _preview_rows, places, note = _preview(engine, data)
    assert (places.unchanged, places.changed) == (3, 1)
    assert "办理状态 1 件" in note
    summary = ingest.import_register(engine, data, filename="登记表.xlsx", today=TODAY)
    assert (summary.updated, summary.unchanged) == (1, 3)
    after = _stored(engine)
    assert after["B-002"]["status"] == "closed"
    assert {k: v for k, v in after["B-002"].items() if k != "status"} \
        == {k: v for k, v in before["B-002"].items() if k != "status"}
    assert {no: c for no, c in after.items() if no != "B-002"} == {no: c for no, c in before.items() if no != "B-002"}
    with session_scope(engine) as s:
        changes = [h.detail["changed"] for h in s.scalars(select(CaseHistory).where(
            CaseHistory.action == "import_update"))]
    assert changes == [{"status": {"old": "registered", "new": "closed"}}]


def test_coordinates_the_office_changed_are_register_coordinates_and_said(engine) -> None:
    ingest.import_register(engine, REGISTER, filename="十一月登记.csv", today=TODAY)
    before = _stored(engine)
    lon, lat = 117.6512, 24.1172  # a point measured in 旧镇镇

    def survey_b2(ws, head, r):
        if ws.cell(row=r, column=1).value == "B-002":
            ws.cell(row=r, column=head.index("经度") + 1, value=lon)
            ws.cell(row=r, column=head.index("纬度") + 1, value=lat)

    data = _export(engine, survey_b2)
    _rows, places, note = _preview(engine, data)
    assert places.changed == 1 and "B-002的经纬度在表中改过" in note
    ingest.import_register(engine, data, filename="登记表.xlsx", today=TODAY)
    after = _stored(engine)["B-002"]
    assert after["point_source"] == "register" and abs(after["lon"] - lon) < 1e-6
    assert before["B-002"]["point_source"] != "register"


def test_outside_letter_and_county_column_read_back_as_written(engine) -> None:
    ingest.import_register(engine, REGISTER, filename="十一月登记.csv", today=TODAY)
    before = _stored(engine)
    sheet = openpyxl.load_workbook(io.BytesIO(_export(engine))).active
    head = [c.value for c in sheet[1]]
    b3 = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "B-003")
    assert str(b3[head.index("县区")]).startswith("市外")  # the premise: the export says 市外（转外地办理…）

    def move_b1(ws, head, r):  # the office corrects the address of one letter; its 县区 stays as exported
        if ws.cell(row=r, column=1).value == "B-001":
            ws.cell(row=r, column=head.index("地址") + 1, value="漳浦县旧镇镇浯江村")

    ingest.import_register(engine, _export(engine, move_b1), filename="登记表.xlsx", today=TODAY)
    after = _stored(engine)
    assert after["B-001"]["address_text"] == "漳浦县旧镇镇浯江村"
    assert after["B-003"] == before["B-003"] and not after["B-003"]["county"]
    assert "类别依据" not in after["B-001"]["extra_fields"]
