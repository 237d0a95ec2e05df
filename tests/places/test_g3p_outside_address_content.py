"""A letter addressed in another city (厦门市同安区…) whose content is about a Zhangzhou place (龙海区海澄镇和平村) is
placed there, noting the address is outside the city; a letter about a Xiamen matter with a Xiamen address stays
市外（转外地办理）."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.followup.overview import outside_zhangzhou
from planner.intake.register import import_register
from planner.store.database import session_scope
from planner.store.models import CaseRow

TODAY = dt.date(2026, 12, 1)
ROWS = [
    ("X-1", "厦门市同安区大同街道三秀路1号", "反映龙海区海澄镇和平村村干部违规收取土地流转费。"),
    ("X-2", "厦门市同安区大同街道", "反映村里违规收取林地管理服务费"),
    # A town of the other city only (同安区莲花镇): no Zhangzhou county named, the letter stays 市外.
    ("X-3", "厦门市同安区莲花镇", "反映同安区莲花镇云埔村干部侵占征地补偿款"),
    # Where the writer comes from, not a place of the city: only a county, no town.
    ("X-4", "厦门市思明区湖滨南路88号", "我是漳浦县人，反映思明区某小区物业乱收费"),
    ("X-5", "泉州市安溪县城厢镇", "反映漳州市华安县仙都镇林业站收桉树采伐保证金"),
]


def _import(engine) -> dict[str, CaseRow]:
    lines = ["信件编号,来信日期,反映地址,内容摘要", *(f"{n},2026-10-08,{a},{c}" for n, a, c in ROWS)]
    import_register(engine, ("\n".join(lines) + "\n").encode("utf-8"), filename="r.csv", today=TODAY)
    with session_scope(engine) as s:
        got = {r.case_no: r for r in s.scalars(select(CaseRow))}
        s.expunge_all()
        far = outside_zhangzhou(s)
    return got, far


def test_an_outside_address_with_a_zhangzhou_place_in_the_content_is_placed_there(engine) -> None:
    got, far = _import(engine)
    x1 = got["X-1"]
    assert (x1.county, x1.town, x1.village, x1.precision) == ("龙海区", "海澄镇", "和平村", "village")
    assert x1.lon is not None and x1.precision_km
    assert "反映地址在漳州市外（厦门市同安区" in x1.geocode_message and "取自反映内容" in x1.geocode_message
    x5 = got["X-5"]
    assert (x5.county, x5.town) == ("华安县", "仙都镇") and "泉州市安溪县" in x5.geocode_message
    assert "X-1" not in far and "X-5" not in far


def test_a_xiamen_matter_with_a_xiamen_address_stays_outside_the_city(engine) -> None:
    got, far = _import(engine)
    for no in ("X-2", "X-3", "X-4"):
        row = got[no]
        assert (row.county_code, row.town, row.lon) == ("", "", None), no
        assert row.geocode_message.startswith("地址不在漳州市"), no
        assert no in far, no
