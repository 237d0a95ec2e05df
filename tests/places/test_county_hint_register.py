"""A county office's register names its county in its file name, title or sheet, not in each address (walks W23,
W25): 下河 in 云霄县…登记表 is 云霄县下河乡 (诏安 has two 下河), 白石村 is 云霄's (five counties have one); the note
says the county came from the register and from where; a place only another county holds is kept there and asked to be
checked; a re-location after a gazetteer import reads the address in the same county again."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from sqlalchemy import select

from planner.intake.register import import_register, read_register
from planner.intake.register_sheets import import_workbook
from planner.places.county_hint import counties_named, county_hint, hint_from_note
from planner.store.database import session_scope
from planner.store.models import CaseRow
from planner.store.places import load_gazetteer, relocate_open_cases

TODAY = dt.date(2026, 12, 7)
ROWS = [
    ("YX-1", "下河", "村干部强占集体山林。"),
    ("YX-2", "白石村", "村财务长期不公开。"),
    ("YX-3", "火田镇高田村", "低保评定优亲厚友。"),
    ("YX-4", "旧镇镇", "镇干部违规收费。"),
    ("YX-5", "", "村干部侵占低保款，群众意见很大。"),
    ("YX-6", "诏安县梅岭镇下河村", "征地补偿款被截留。"),
]


def _register(title: str | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(["编号", "收件日期", "地址", "反映内容", "信访人"])
    for no, address, content in ROWS:
        ws.append([no, "2026-11-03", address, content, "沈某"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _places(engine) -> dict[str, tuple[str, str, str, str, str]]:
    with session_scope(engine) as s:
        return {c.case_no: (c.county, c.town, c.village, c.precision, c.geocode_message)
                for c in s.scalars(select(CaseRow))}


def test_the_county_a_register_names_and_where() -> None:
    hint = county_hint("云霄县纪委监委2026年第四季度信访举报件登记表.xlsx")
    assert (hint.county, hint.source) == ("云霄县", "文件名")
    assert county_hint("市汇总.xlsx「诏安」", "诏安").county == "诏安县"  # a sheet per county
    assert county_hint("登记表.xlsx", "Sheet1", "龙海市纪委监委信访件登记表 填表日期").county == "龙海区"
    assert county_hint("漳州市纪委信访件.xlsx") is None  # the city: no county
    assert county_hint("云霄、诏安两县信访件.xlsx") is None  # two counties: none
    assert counties_named("东山村平和乡") == set()  # a village's and a town's names are no county
    assert county_hint("东山县信访件.csv", "云霄").county == "云霄县"  # the sheet first


def test_addresses_without_a_county_are_read_within_the_registers_county(engine) -> None:
    import_register(engine, _register(), filename="云霄县纪委监委2026年信访件登记表.xlsx", today=TODAY)
    got = _places(engine)
    county, town, _village, precision, note = got["YX-1"]
    assert (county, town, precision) == ("云霄县", "下河乡", "town")
    assert "地址未写县区，按登记表的文件名「云霄县纪委监委2026年信访件登记表」读作云霄县" in note
    assert got["YX-2"][:4] == ("云霄县", "火田镇", "白石村", "village")
    assert got["YX-3"][:3] == ("云霄县", "火田镇", "高田村") and "按登记表" not in got["YX-3"][4]
    # A town only another county holds stays there, and the note asks a check.
    assert got["YX-4"][:2] == ("漳浦县", "旧镇镇")
    assert "是云霄县的，地址所写的旧镇镇在漳浦县，请核对" in got["YX-4"][4]
    # Nothing in the address or the content: the register's county, said and asked to be checked.
    assert got["YX-5"][0] == "云霄县" and got["YX-5"][3] == "county"
    assert "计为云霄县，点位为县区驻地，请核对" in got["YX-5"][4]
    # An address naming its county is read as written.
    assert got["YX-6"][:3] == ("诏安县", "梅岭镇", "下河村") and "登记表" not in got["YX-6"][4]


def test_the_title_above_the_header_names_the_county_and_the_preview_says_it(engine) -> None:
    data = _register("云霄县纪委监委信访举报件登记表（2026年11月）")
    preview = read_register(data, filename="登记表.xlsx", today=TODAY)
    assert "云霄县" in preview.title
    from planner.intake.address_checks import address_preview
    from planner.store.database import session_factory

    s = session_factory(engine)()
    try:
        shown = {row["编号"] if "编号" in row else None: row for row in address_preview(s, preview).rows()}
    finally:
        s.close()
    assert any("按登记表的标题「云霄县纪委监委信访举报件登记表" in str(r) for r in shown.values())
    s = session_factory(engine)()
    try:
        counted = address_preview(s, preview).counts_text()
    finally:
        s.close()
    # YX-1, YX-2 read in 云霄 and YX-5 counted as 云霄's; YX-4 placed where its town is (walk W29: said apart).
    assert "的标题「云霄县纪委监委信访举报件登记表（2026年11月）」写的是云霄县：" in counted
    assert "3 行的地址没写县区、所写地名又不止一处或找不到，按此县区读" in counted
    assert "1 行所写的地方只有别的县区才有，按所写的地方定位并请核对" in counted
    import_register(engine, data, filename="登记表.xlsx", today=TODAY)
    assert _places(engine)["YX-1"][:2] == ("云霄县", "下河乡")


def test_a_workbook_sheet_per_county_reads_each_sheet_in_its_county(engine) -> None:
    wb = Workbook()
    for name in ("云霄", "诏安"):
        ws = wb.create_sheet(name)
        ws.append(["编号", "收件日期", "地址", "反映内容", "信访人"])
        ws.append([f"{name}-1", "2026-11-03", "下河", f"{name}的村干部强占集体山林。", f"{name}某"])
    wb.remove(wb["Sheet"])
    buf = io.BytesIO()
    wb.save(buf)
    import_workbook(engine, buf.getvalue(), filename="市汇总.xlsx", today=TODAY)
    got = _places(engine)
    assert got["云霄-1"][:2] == ("云霄县", "下河乡")
    # 诏安 has 下河村 in two towns: the county is certain, the village asks which.
    assert got["诏安-1"][0] == "诏安县" and "工作表名「诏安」" in got["诏安-1"][4]


def test_a_relocation_reads_the_address_in_the_same_county_again(engine) -> None:
    import_register(engine, _register(), filename="云霄县信访件登记表.xlsx", today=TODAY)
    before = _places(engine)
    assert hint_from_note(before["YX-1"][4]).county == "云霄县"
    with session_scope(engine) as s:
        relocate_open_cases(s, load_gazetteer(s), who="测试")
    assert _places(engine) == before


def test_the_preview_names_the_registers_county_when_no_address_needed_it(engine) -> None:
    """Walk W30: every address of a 漳浦县 register placed as written, and the preview never said the county."""
    from planner.intake.address_checks import address_preview
    from planner.store.database import session_factory

    wb = Workbook()
    ws = wb.active
    ws.append(["编号", "收件日期", "地址", "反映内容", "信访人"])
    ws.append(["ZP-1", "2026-11-03", "佛昙镇岸头村", "村干部侵占集体土地。", "沈某"])
    buf = io.BytesIO()
    wb.save(buf)
    preview = read_register(buf.getvalue(), filename="漳浦县纪委监委2026年11月信访件登记表.xlsx", today=TODAY)
    s = session_factory(engine)()
    try:
        counted = address_preview(s, preview).counts_text()
    finally:
        s.close()
    assert "写的是漳浦县：本表的地址都能照所写定位" in counted
