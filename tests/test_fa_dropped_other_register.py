"""Walk W25: a county office imports two registers without a number column (every letter 自编-收件日期-摘要);
re-importing 云霄县….xlsx said six 诏安 letters were 本表…内已导入、但本表没有 — every 自编 number is written alike,
so the check took every register's letters for this one's. A stored letter is now named only when it came from this
register: the import that last wrote it is one whose letters (within the register's dates) the register mostly
holds — whatever the new version's file name, and never another county's register, even one numbered alike, of the
same file name or sharing a transferred letter."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
from sqlalchemy import select

from planner.intake.dropped_letters import dropped_letters, dropped_text
from planner.intake.register import import_register, read_register
from planner.intake.same_letter import known_letters
from planner.office.security import SYSTEM
from planner.store.database import session_scope
from planner.store.models import AuditRow, CaseRow

TODAY = dt.date(2026, 12, 7)
YX_FILE, ZA_FILE = "云霄县信访件登记表.xlsx", "诏安县信访件台账.csv"
_WORDS = ("村财务长期不公开", "征地补偿款被截留", "低保评定优亲厚友", "学校营养餐缩水", "危房改造补助被冒领",
          "村干部违规发包鱼塘", "扶贫资金去向不明", "河道采砂无人管", "宅基地审批收取好处费", "合作医疗报销被克扣",
          "集体山林被低价出租", "修路款被挪用")


def _letters(county: str, towns: tuple[str, ...], n: int, start: int) -> list[tuple[str, str, str, str]]:
    """(收件日期, 信访人, 问题发生地, 反映内容): ``n`` letters spread over 2026-10-01 … 2026-11-30."""
    return [((dt.date(2026, 10, 1) + dt.timedelta(days=(start + 5 * i) % 61)).isoformat(), f"{county[:1]}某{i}",
             f"{county}{towns[i % len(towns)]}", f"反映{_WORDS[i % len(_WORDS)]}（{county}第{i + 1}件）。")
            for i in range(n)]


YX = _letters("云霄县", ("莆美镇", "云陵镇", "东厦镇"), 12, 0)
ZA = _letters("诏安县", ("南诏镇", "四都镇"), 8, 2)


def _xlsx(rows: list[tuple], header: list[str]) -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(header)
    for row in rows:
        wb.active.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _yx(leave_out: int | None = None) -> bytes:
    return _xlsx([(i + 1, *r) for i, r in enumerate(YX) if i != leave_out], ["序号", "收件日期", "信访人", "问题发生地",
                                                                            "反映内容"])


def _za(leave_out: int | None = None) -> bytes:
    lines = ["序号,收件日期,信访人,问题发生地,反映内容", *(f"{i + 1},{','.join(r)}" for i, r in enumerate(ZA)
                                                      if i != leave_out)]
    return "\r\n".join(lines).encode("gbk")


def _said(engine, data: bytes, filename: str) -> tuple[tuple[str, ...], str]:
    """What the 导入 page's preview says this register lacks (read as the page reads it)."""
    with session_scope(engine) as s:
        preview = read_register(data, filename=filename, today=TODAY, known_letters=lambda: known_letters(s))
        return dropped_letters(s, preview.rows, preview.filename).case_nos, dropped_text(s, (preview,))


def _numbers(engine, county: str) -> list[str]:
    with session_scope(engine) as s:
        return list(s.scalars(select(CaseRow.case_no).where(CaseRow.county == county).order_by(CaseRow.case_no)))


def _audited(engine) -> list[object]:
    with session_scope(engine) as s:
        row = s.scalars(select(AuditRow).where(AuditRow.action == "import").order_by(AuditRow.id.desc())).first()
        return list(row.detail.get("dropped", []))


def test_two_registers_without_numbers_never_name_each_others_letters(engine) -> None:
    assert import_register(engine, _yx(), filename=YX_FILE, actor=SYSTEM, today=TODAY).imported == 12
    assert import_register(engine, _za(), filename=ZA_FILE, actor=SYSTEM, today=TODAY).imported == 8
    yx, za = _numbers(engine, "云霄县"), _numbers(engine, "诏安县")
    assert len(yx) == 12 and len(za) == 8 and all(no.startswith("自编-") for no in yx + za)

    # the same registers again: nothing is missing (the walk: 6 诏安 letters, then 7 云霄 letters, were named)
    assert _said(engine, _yx(), YX_FILE) == ((), "")
    assert _said(engine, _za(), ZA_FILE) == ((), "")
    import_register(engine, _yx(), filename=YX_FILE, actor=SYSTEM, today=TODAY)
    assert _audited(engine) == []

    # a letter taken out of the next version of 云霄's register (another file name) is named, and only it
    row = 4  # received 2026-10-21, within the register's dates
    gone = _number_of(engine, f"（云霄县第{row + 1}件）")
    renamed = "云霄县信访件登记表（12月修订）.xlsx"
    case_nos, text = _said(engine, _yx(leave_out=row), renamed)
    assert case_nos == (gone,) and "本表收件日期范围" in text and gone in text
    assert not any(no in text for no in za)
    import_register(engine, _yx(leave_out=row), filename=renamed, actor=SYSTEM, today=TODAY)
    assert _audited(engine) == [gone]
    # 诏安's register without one of its letters: that letter, none of 云霄's
    za_gone = _number_of(engine, "（诏安县第4件）")
    case_nos, text = _said(engine, _za(leave_out=3), ZA_FILE)
    assert case_nos == (za_gone,) and not any(no in text for no in yx)
    # the clerk adds a 编号 column and fills in one letter's number (walk H1): that 自编 letter is in the register
    data = _xlsx([(i + 1, "YX2026-0007" if i == 6 else "", *r) for i, r in enumerate(YX)],
                 ["序号", "编号", "收件日期", "信访人", "问题发生地", "反映内容"])
    assert _said(engine, data, YX_FILE)[0] == ()


def _number_of(engine, words: str) -> str:
    with session_scope(engine) as s:
        return s.scalars(select(CaseRow.case_no).where(CaseRow.content.contains(words))).one()


def _numbered(prefix: int, letters: list[tuple], *, leave_out: str = "", extra: tuple = (), edit: str = "") -> bytes:
    rows = [(f"XF2026-{prefix:02d}{i + 1:02d}", *r[:3], r[3] + edit) for i, r in enumerate(letters)]
    return _xlsx([r for r in rows if r[0] != leave_out] + list(extra),
                 ["编号", "收件日期", "信访人", "问题发生地", "反映内容"])


def test_two_numbered_registers_numbered_alike_keep_apart(engine) -> None:
    # Both counties number XF2026-…; 诏安's register also carries a letter transferred from 云霄 (XF2026-0103).
    transferred = ("XF2026-0103", *YX[2])
    import_register(engine, _numbered(1, YX), filename="云霄县登记表.xlsx", actor=SYSTEM, today=TODAY)
    import_register(engine, _numbered(2, ZA, extra=(transferred,)), filename="诏安县登记表.xlsx", actor=SYSTEM,
                    today=TODAY)
    assert _said(engine, _numbered(1, YX), "云霄县登记表.xlsx")[0] == ()
    assert _said(engine, _numbered(2, ZA, extra=(transferred,)), "诏安县登记表.xlsx")[0] == ()  # not 云霄's 11 others
    # W20: the next version, every letter's words changed and XF2026-0105 left out, under a new name
    v2 = _numbered(1, YX, leave_out="XF2026-0105", edit="（已转办）")
    case_nos, text = _said(engine, v2, "云霄县登记表 v2.xlsx")
    assert case_nos == ("XF2026-0105",) and "XF2026-02" not in text
    summary = import_register(engine, v2, filename="云霄县登记表 v2.xlsx", actor=SYSTEM, today=TODAY)
    assert summary.updated >= 10
    assert _audited(engine) == ["XF2026-0105"]  # read before the import moved the letters to it


def test_two_counties_registers_of_one_file_name_keep_apart(engine) -> None:
    # Both offices fill in the same template and send 信访件登记表.xlsx.
    za = _xlsx([(i + 1, *r) for i, r in enumerate(ZA)], ["序号", "收件日期", "信访人", "问题发生地", "反映内容"])
    import_register(engine, _yx(), filename="信访件登记表.xlsx", actor=SYSTEM, today=TODAY)
    import_register(engine, za, filename="信访件登记表.xlsx", actor=SYSTEM, today=TODAY)
    assert _said(engine, _yx(), "信访件登记表.xlsx")[0] == ()
    assert _said(engine, _yx(leave_out=4), "信访件登记表.xlsx")[0] == (_number_of(engine, "（云霄县第5件）"),)

