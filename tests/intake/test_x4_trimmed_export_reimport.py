"""Walk W35: the app's own 导出登记表 with one column deleted (类别依据) and imported back made all 166 letters 更新,
took 155 estimated town and county seats as register coordinates (云霄县, a 34 km county estimate, became a surveyed
point) and put 市外（转外地办理：…） before the addresses of letters outside the city, placing them inside Zhangzhou.
The export is now recognised by its marks, not by every column; it says how each point was got (定位方式, 可能偏差);
whatever the file, a point it calls an estimate, or the stored letter's own estimate, is no register coordinate.
A place a person chose among candidates and a re-import keeps is counted where it stays, not as 未定位."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from sqlalchemy import select

from planner.intake import register as ingest
from planner.intake.address_checks import address_preview
from planner.intake.export_marks import POINT_BOUND, POINT_METHOD
from planner.intake.register_export import register_xlsx
from planner.intake.withheld import withheld_note
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow
from planner.store.place_choice import choose_place

TODAY = dt.date(2026, 12, 7)
COORD = Actor("lin", "coordinator", display_name="林协调")
REGISTER = "\n".join([
    "编号,收件日期,信访人,联系电话,反映内容,县区,地址,经度,纬度,备注",
    "B-001,2026-11-02,张三丰,13906951234,我是村民张三丰，反映村会计虚报低保。,漳浦县,旧镇镇前进村,,,承办中",
    "B-002,2026-11-03,李四光,,反映县里干部吃拿卡要。,云霄县,,,,",
    "B-003,2026-11-03,匿名,,反映工地噪音扰民。,,龙岩市永定区湖坑镇洪坑村,,,",
    "B-004,2026-11-04,王五一,,反映村道修建质量差。,南靖县,和溪镇乐土村,117.2891,24.8911,",
]).encode("utf-8")
FIELDS = ("address_text", "county", "town", "village", "lon", "lat", "precision", "precision_km", "point_source",
          "category", "category_source", "category_reason", "extra_fields", "content")


def _stored(engine) -> dict[str, dict]:
    with session_scope(engine) as s:
        return {c.case_no: {k: getattr(c, k) for k in FIELDS} for c in s.scalars(select(CaseRow))}


def _export(engine, keep=None, drop=(), renumber=False) -> bytes:
    """The export with the columns ``drop`` deleted, or only those of ``keep`` left; ``renumber``: other numbers."""
    with session_scope(engine) as s:
        data = register_xlsx(s)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    head = [c.value for c in ws[1]]
    for i in reversed(range(len(head))):
        if head[i] in drop or (keep is not None and head[i] not in keep):
            ws.delete_cols(i + 1)
    if renumber:
        for r in range(2, ws.max_row + 1):
            ws.cell(row=r, column=1, value=f"N{ws.cell(row=r, column=1).value}")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _preview(engine, data: bytes, filename: str = "登记表.xlsx"):
    with session_scope(engine) as s:
        preview = ingest.read_register(data, filename=filename, known_letters=ingest.known_letters(s),
                                       today=TODAY)
        return preview, address_preview(s, preview), withheld_note(s, preview.rows)


def _sheet(engine) -> dict[str, dict[str, object]]:
    with session_scope(engine) as s:
        ws = openpyxl.load_workbook(io.BytesIO(register_xlsx(s))).active
    rows = list(ws.iter_rows(values_only=True))
    return {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}


def test_export_says_how_each_point_was_got(engine) -> None:
    ingest.import_register(engine, REGISTER, filename="十一月登记.csv", today=TODAY)
    stored = _stored(engine)
    assert stored["B-002"]["point_source"] == "county_seat" and stored["B-002"]["precision"] == "county"
    sheet = _sheet(engine)
    assert sheet["B-002"][POINT_METHOD] == "估计：县区驻地"
    assert sheet["B-002"][POINT_BOUND] == round(stored["B-002"]["precision_km"], 1) > 10
    assert sheet["B-001"][POINT_METHOD].startswith("估计")
    assert sheet["B-004"][POINT_METHOD] == "登记表坐标" and sheet["B-004"][POINT_BOUND] in (None, "")
    assert sheet["B-003"][POINT_METHOD] == "市外（不定位）" and str(sheet["B-003"]["县区"]).startswith("市外")


def test_export_with_a_column_deleted_reads_back_unchanged(engine) -> None:
    ingest.import_register(engine, REGISTER, filename="十一月登记.csv", today=TODAY)
    before = _stored(engine)
    for drop in (("类别依据",), ("类别依据", POINT_METHOD, POINT_BOUND, "标题")):
        data = _export(engine, drop=drop)
        preview, places, note = _preview(engine, data)
        assert preview.rejected_rows == 0, preview.error_lines()
        assert (places.unchanged, places.changed, places.new) == (4, 0, 0), drop
        assert "本系统导出的登记表" in note and "4 件与系统中相同" in note
        assert ("表中没有的标题列保留系统中的值" in note) == ("标题" in drop)
        summary = ingest.import_register(engine, data, filename="登记表.xlsx", today=TODAY)
        assert (summary.updated, summary.unchanged) == (0, 4), drop
        assert _stored(engine) == before  # no seat as a register point, no 市外 before an address


def test_a_deleted_column_keeps_its_values_and_an_edit_still_updates(engine) -> None:
    ingest.import_register(engine, REGISTER, filename="十一月登记.csv", today=TODAY)
    before = _stored(engine)
    with session_scope(engine) as s:
        wb = openpyxl.load_workbook(io.BytesIO(register_xlsx(s)))
    ws = wb.active
    head = [c.value for c in ws[1]]
    for r in range(2, ws.max_row + 1):
        if ws.cell(row=r, column=1).value == "B-001":
            ws.cell(row=r, column=head.index("反映内容") + 1, value="反映村会计虚报低保，补充：涉及三户。")
    ws.delete_cols(head.index("经度") + 1, 2)  # the coordinates gone: no letter loses its point
    out = io.BytesIO()
    wb.save(out)
    summary = ingest.import_register(engine, out.getvalue(), filename="登记表.xlsx", today=TODAY)
    assert (summary.updated, summary.unchanged) == (1, 3)
    after = _stored(engine)
    assert after["B-001"]["content"] == "反映村会计虚报低保，补充：涉及三户。"
    assert {k: v for k, v in after["B-001"].items() if k != "content"} \
        == {k: v for k, v in before["B-001"].items() if k != "content"}


def test_estimates_are_no_register_coordinates_in_a_file_cut_past_recognition(engine) -> None:
    ingest.import_register(engine, REGISTER, filename="十一月登记.csv", today=TODAY)
    keep = ("编号", "收件日期", "反映内容", "地址", "县区", "经度", "纬度", POINT_METHOD)
    # Letters this database does not hold: 定位方式 says which points are estimates.
    data = _export(engine, keep=keep, renumber=True)
    _preview_rows, places, note = _preview(engine, data)
    assert places.new == 4 and "本系统导出的登记表：" not in note
    assert "2 行的经纬度是估计点" in note  # B-001, B-002 (seats); B-004's are the register's own
    ingest.import_register(engine, data, filename="副本.xlsx", today=TODAY)
    after = _stored(engine)
    assert after["NB-002"]["point_source"] == "county_seat" and after["NB-002"]["precision"] == "county"
    assert after["NB-001"]["point_source"] != "register"
    assert after["NB-004"]["point_source"] == "register"
    assert not after["NB-003"]["address_text"].startswith("市外") and not after["NB-003"]["county"]
    assert POINT_METHOD not in after["NB-001"]["extra_fields"]


def test_a_stored_letters_own_estimate_is_no_register_coordinate(engine) -> None:
    ingest.import_register(engine, REGISTER, filename="十一月登记.csv", today=TODAY)
    before = _stored(engine)
    # An export cut to a plain register (no 定位方式) read back: the seats are the stored letters' own estimates.
    data = _export(engine, keep=("编号", "收件日期", "反映内容", "地址", "县区", "经度", "纬度"))
    ingest.import_register(engine, data, filename="副本.xlsx", today=TODAY)
    after = _stored(engine)
    for no in ("B-001", "B-002"):
        assert after[no]["point_source"] == before[no]["point_source"] != "register", no
        assert after[no]["precision_km"] == before[no]["precision_km"], no
    assert after["B-003"]["address_text"] == before["B-003"]["address_text"] and not after["B-003"]["county"]


def test_a_chosen_place_kept_by_a_reimport_is_counted_where_it_stays(engine) -> None:
    csv = ("编号,收件日期,问题类别,反映内容,地址\n"
           "W35-157,2026-11-17,村务不公开,反映村务不公开。,和平村\n").encode()
    ingest.import_register(engine, csv, filename="登记表.csv", today=TODAY, actor=COORD)
    with session_scope(engine) as s:
        choose_place(s, COORD, "W35-157", "平和县坂仔镇和平村")
    edited = csv.replace("反映村务不公开。".encode(), "反映村务不公开，补充材料。".encode())
    _rows, places, _note = _preview(engine, edited, "登记表.csv")
    assert places.changed == 1 and places.unplaced == 0 and not places.checks, places.text()
    summary = ingest.import_register(engine, edited, filename="登记表.csv", today=TODAY, actor=COORD)
    assert "none" not in summary.geocoded and summary.geocoded.get("village") == 1
    assert [c.field for c in summary.corrections if not c.taken] == ["place"]
    assert _stored(engine)["W35-157"]["village"] == "和平村"
