"""A clerk corrects a letter's address into another county (same 编号, same day, same words): that is the stored
letter, updated and said so — not a second letter under 2026-010(平和县) (fixer FR's rule for two counties' 001s, walk
W33, had made the correction a new letter and left the old one standing; tests/test_w11b_moved_stop_replan.py)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.intake.county_numbers import MOVED_COUNTY
from planner.intake.register import import_register, read_register
from planner.intake.same_letter import known_letters
from planner.store.database import session_scope
from planner.store.models import CaseRow

TODAY = dt.date(2026, 12, 7)
HEAD = "编号,收件日期,信访人,地址,反映内容"
FIRST = "2026-010,2026-11-20,匿名,南靖县金山镇,反映金山镇某村支书侵占集体山林，要求退还。"
MOVED = "2026-010,2026-11-20,匿名,平和县霞寨镇,反映金山镇某村支书侵占集体山林，要求退还。"
OTHER = "2026-010,2026-11-20,匿名,平和县霞寨镇,反映霞寨镇卫生院药品回扣，医生收红包。"


def _csv(row: str) -> bytes:
    return f"{HEAD}\n{row}\n".encode()


def _cases(engine) -> dict[str, str]:
    with session_scope(engine) as s:
        return dict(s.execute(select(CaseRow.case_no, CaseRow.county)).all())


def test_the_same_letter_moved_to_another_county_is_updated_and_said_so(engine) -> None:
    import_register(engine, _csv(FIRST), filename="登记表.csv", today=TODAY)
    with session_scope(engine) as s:
        preview = read_register(_csv(MOVED), filename="登记表.csv", today=TODAY, known_letters=known_letters(s))
    notes = [i.message for i in preview.issues]
    assert any("原在南靖县，本行地址在平和县" in n and "按同一封信更正地址" in n for n in notes), notes
    result = import_register(engine, _csv(MOVED), filename="登记表.csv", today=TODAY)
    assert (result.imported, result.updated) == (0, 1)
    assert _cases(engine) == {"2026-010": "平和县"}


def test_another_matter_the_same_day_in_another_county_is_still_its_own_letter(engine) -> None:
    import_register(engine, _csv(FIRST), filename="登记表.csv", today=TODAY)
    result = import_register(engine, _csv(OTHER), filename="登记表.csv", today=TODAY)
    assert result.imported == 1
    assert _cases(engine) == {"2026-010": "南靖县", "2026-010(平和县)": "平和县"}
    assert "{mine}" in MOVED_COUNTY


def test_a_registers_letter_about_another_countys_place_keeps_that_registers_number(engine) -> None:
    """Walk W37: 南靖's register holds 2026-019 about a place in 平和; 平和's own register then has its 2026-019 — two
    letters of two offices, both kept (平和's was refused as 已是平和县的信访件, advice it could not follow)."""
    nanjing = "2026-019,2026-12-01,匿名,平和县坂仔镇东风村,反映东风村村干部优亲厚友评低保。"
    pinghe = "2026-019,2026-12-03,匿名,平和县小溪镇金光村,反映金光村河道非法采砂无人管。"
    import_register(engine, _csv(nanjing), filename="南靖县补登.csv", today=TODAY)
    result = import_register(engine, _csv(pinghe), filename="平和县补登.csv", today=TODAY)
    assert (result.imported, result.rejected) == (1, 0)
    assert set(_cases(engine)) == {"2026-019", "2026-019(平和县)"}
    again = import_register(engine, _csv(pinghe), filename="平和县补登.csv", today=TODAY)
    assert (again.imported, again.unchanged) == (0, 1)
