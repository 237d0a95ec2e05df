"""A county office's own register (tests/data/registers/county_office.xlsx, typed by hand) imports with nothing lost:
every cell is findable on its case and in the Excel export; combined 被反映单位/人 is split; the category is inferred
with its reason and can be corrected; dates read as people write them."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from planner.intake.register import import_register, read_register
from planner.intake.register_export import WITHHELD, register_rows, register_xlsx
from planner.intake.rows import split_reported
from planner.store.database import session_scope
from planner.store.models import CaseRow
from planner.store.register_fields import register_fields, set_category

REGISTER = Path(__file__).parent / "data" / "registers" / "county_office.xlsx"
TODAY = dt.date(2026, 12, 1)
PERSONAL = ("来信人", "联系方式")


def _cells() -> list[dict[str, object]]:
    """The register's data rows as header -> cell, read independently of the importer (openpyxl)."""
    ws = openpyxl.load_workbook(REGISTER).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    header_at = next(i for i, r in enumerate(rows) if "来信编号" in r)
    headers = rows[header_at]
    return [dict(zip(headers, r, strict=False)) for r in rows[header_at + 1:] if any(v is not None for v in r)]


def _as_written(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _findable(cell: str, texts: list[str]) -> bool:
    return any(cell in t for t in texts)


def test_title_rows_own_headers_and_combined_column_are_read() -> None:
    preview = read_register(REGISTER, today=TODAY)
    assert preview.header_row == 4  # title, 填表单位 line and a blank row above the header
    assert preview.mapping["reported"] == "被反映单位/人"
    assert preview.mapping["received_date"] == "登记时间"
    assert "category" not in preview.mapping
    assert set(preview.unmapped_headers()) == {"序号", "涉及金额（万元）", "承办人", "备注"}
    assert preview.valid_rows == len(_cells()) == 8
    # Dates as people write them: 2026年10月3日, 2026.10.15, 2026/10/20 and date cells, never ...T00:00:00.
    received = [r.values["received_date"] for r in preview.rows]
    assert received[:4] == [dt.date(2026, 10, 3), dt.date(2026, 10, 9), dt.date(2026, 10, 15), dt.date(2026, 10, 20)]
    shown = " ".join(str(v) for row in preview.sample() for v in row.values())
    assert "2026-10-09" in shown and "T00:00" not in shown and "2026年10月3日" in shown


def test_combined_reported_column_splits_persons_from_units() -> None:
    by_no = {r.values["case_no"]: r.values for r in read_register(REGISTER, today=TODAY).rows}
    first = by_no["平纪信〔2026〕101号"]
    assert first["reported_units"] == ["山格镇林业站"] and first["reported_persons"] == ["林某某（站长）"]
    second = by_no["平纪信〔2026〕102号"]
    assert second["reported_units"] == ["霞寨镇钟腾村村委会"] and second["reported_persons"] == ["村支书黄国平"]
    fourth = by_no["平纪信〔2026〕104号"]
    assert fourth["reported_units"] == ["漳州市鑫源建设工程有限公司", "文峰镇人民政府"]
    assert fourth["reported_persons"] == []


@pytest.mark.parametrize(
    ("cell", "persons", "units"),
    [("陈建国", ["陈建国"], []), ("平和县林业局", [], ["平和县林业局"]),
     ("黄副镇长、张三（村会计）", ["黄副镇长", "张三（村会计）"], []),
     ("土田村村委会/村委会主任林某", ["村委会主任林某"], ["土田村村委会"]), ("匿名", [], []),
     # A unit the letter leaves unnamed is still a unit; a person so left is still a person.
     ("四都镇某村委会", [], ["四都镇某村委会"]), ("南靖县某局/王某某", ["王某某"], ["南靖县某局"]),
     ("文峰镇某合作社/曾某", ["曾某"], ["文峰镇某合作社"]), ("林某", ["林某"], [])],
)
def test_split_reported(cell: str, persons: list[str], units: list[str]) -> None:
    assert split_reported(cell) == (persons, units)


def test_category_is_inferred_with_reason_and_certainty() -> None:
    by_no = {r.values["case_no"]: r.values for r in read_register(REGISTER, today=TODAY).rows}
    expected = {"101": "林业", "102": "村务财务", "103": "低保", "104": "工程建设", "105": "征地拆迁",
                "106": "医疗社保", "107": "", "108": "干部作风"}
    for short, category in expected.items():
        values = by_no[f"平纪信〔2026〕{short}号"]
        assert values["category"] == category, short
        assert values["category_source"] == "inferred"
    forest = by_no["平纪信〔2026〕101号"]
    assert "桉树" in forest["category_reason"] and 0.6 <= forest["category_confidence"] <= 1
    assert by_no["平纪信〔2026〕107号"]["category_confidence"] is None
    assert "未分类" in by_no["平纪信〔2026〕107号"]["category_reason"]


def test_every_cell_is_on_the_case_and_in_the_excel_export(engine) -> None:
    summary = import_register(engine, REGISTER, who="clerk", today=TODAY)
    assert summary.imported == 8 and summary.rejected == 0
    with session_scope(engine) as s:
        rows = {r.case_no: r for r in s.scalars(select(CaseRow))}
        case_texts = {}
        for no, row in rows.items():
            fields = register_fields(s, no)
            who = row.petitioner
            case_texts[no] = [str(getattr(row, c.key)) for c in CaseRow.__table__.columns] + [
                f"{k}：{v}" for k, v in fields.extra] + [
                "、".join(row.reported_persons), "、".join(row.reported_units),
                *([who.name, who.phone] if who is not None else []),
            ]
        headers, export_rows = register_rows(s)
    book = openpyxl.load_workbook(io.BytesIO(register_xlsx_from(engine)))
    sheet = [[("" if c.value is None else str(c.value)) for c in r] for r in book["登记表"].iter_rows()]
    assert sheet[0] == headers and len(sheet) == 1 + len(export_rows) == 9
    exported = {r[0]: r for r in sheet[1:]}
    lost = []
    for cells in _cells():
        no = str(cells["来信编号"])
        row_texts, export_texts = case_texts[no], exported[no]
        for header, value in cells.items():
            if value is None or header in ("来信编号",):
                continue
            text = _as_written(value)
            if header == "登记时间":  # dates are stored and exported as dates
                text = str(rows[no].received_date)
            if header == "办理情况":  # the status is stored as a state and exported by its Chinese name
                assert exported[no][headers.index("办理状态")] in ("已登记", "已办结", "已化解"), no
                continue
            if text in ("匿名",):
                continue
            if header == "被反映单位/人":  # split into persons and units: every item is kept
                for item in re.split(r"[、；/]", text):
                    if not (_findable(item, row_texts) and _findable(item, export_texts)):
                        lost.append(("split", no, header, item))
                continue
            if not _findable(text, row_texts):
                lost.append(("case", no, header, text))
            if header in PERSONAL:
                # Identity is never exported: the cell says it is withheld instead of being empty.
                assert text not in " ".join(export_texts)
                assert export_texts[headers.index("信访人" if header == "来信人" else "联系电话")] == WITHHELD
            elif not _findable(text, export_texts):
                lost.append(("export", no, header, text))
    assert not lost
    # The office's own columns come back under their own names.
    assert {"序号", "涉及金额（万元）", "承办人", "备注"} <= set(headers)
    assert exported["平纪信〔2026〕102号"][headers.index("备注")] == "已于2026年11月5日答复信访人"
    assert exported["平纪信〔2026〕101号"][headers.index("类别依据")].startswith("推断：")


def register_xlsx_from(engine) -> bytes:
    with session_scope(engine) as s:
        return register_xlsx(s)


def test_corrected_category_survives_a_reimport(engine) -> None:
    import_register(engine, REGISTER, who="clerk", today=TODAY)
    with session_scope(engine) as s:
        fields = set_category(s, "平纪信〔2026〕107号", "forestry", who="clerk", note="电话核实为林地纠纷")
        assert (fields.category, fields.category_source) == ("林业", "corrected")
        assert "人工更正" in fields.category_basis()
    # The same register again, with a changed 备注: the row updates, the correction stays.
    book = openpyxl.load_workbook(REGISTER)
    ws = book.active
    for row in ws.iter_rows(min_row=5):
        if row[1].value == "平纪信〔2026〕107号":
            row[12].value = "已电话联系"
    buf = io.BytesIO()
    book.save(buf)
    summary = import_register(engine, buf.getvalue(), filename="county_office.xlsx", who="clerk", today=TODAY)
    assert summary.updated == 1
    with session_scope(engine) as s:
        fields = register_fields(s, "平纪信〔2026〕107号")
        assert (fields.category, fields.category_source) == ("林业", "corrected")
        assert dict(fields.extra)["备注"] == "已电话联系"


def test_export_lists_only_the_actors_cases_and_needs_the_export_right(engine) -> None:
    from planner.errors import PermissionDenied
    from planner.office.security import Actor

    import_register(engine, REGISTER, who="clerk", today=TODAY)
    officer = Actor(username="o1", role="officer", team_ids=("T9",))
    with session_scope(engine) as s:
        with pytest.raises(PermissionDenied):
            register_xlsx(s, actor=officer)
        leader = Actor(username="l1", role="leader", team_ids=("T9",))
        assert len(register_rows(s, actor=leader)[1]) <= 8
        admin = Actor(username="a1", role="admin", team_ids=())
        assert len(register_rows(s, actor=admin)[1]) == 8


def test_the_id_number_column_is_exported_as_withheld_never_dropped_or_shown(engine) -> None:
    data = ("编号,收件日期,信访人,联系电话,身份证号,问题发生地,反映内容\n"
            "ID-1,2026-10-05,林秀英,13905961234,350628199001011234,平和县小溪镇,村干部克扣低保金\n"
            "ID-2,2026-10-06,,,,平和县山格镇,收取砍伐保证金\n").encode()
    import_register(engine, data, filename="身份证.csv")
    with session_scope(engine) as s:
        headers, rows = register_rows(s)
    col = headers.index("身份证号")
    by_no = {r[0]: r for r in rows}
    assert by_no["ID-1"][col] == WITHHELD and by_no["ID-2"][col] == ""
    text = " ".join(str(c) for r in rows for c in r)
    assert "350628199001011234" not in text and "林秀英" not in text and "13905961234" not in text


def test_an_office_category_word_read_as_ours_is_kept_as_its_basis(engine) -> None:
    """Walk D: 问题类别 三资管理 came out as 村务财务 in the register export, and the office's own word was gone."""
    data = ("编号,收信日期,信访人,地址,问题类别,反映内容\n"
            "SZ-1,2026-11-02,林某,平和县小溪镇,三资管理,村集体鱼塘承包款去向不明。\n"
            "SZ-2,2026-11-03,陈某,平和县小溪镇,村务财务,村账目多年不公开。\n").encode()
    import_register(engine, data, filename="三资.csv", today=TODAY)
    with session_scope(engine) as s:
        headers, rows = register_rows(s)
        got = {r[0]: r for r in rows}
        assert got["SZ-1"][headers.index("问题类别")] == "村务财务"
        assert got["SZ-1"][headers.index("类别依据")] == "登记表（原文：三资管理）"
        assert got["SZ-2"][headers.index("类别依据")] == "登记表"  # the word is ours: nothing to keep
        assert register_fields(s, "SZ-1").category_basis() == "登记表（原文：三资管理）"
