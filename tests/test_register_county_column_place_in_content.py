"""地址 empty, 所属区县 filled, the town and village written in 反映内容: the letter goes to that village (walk, M3).

Such letters were placed at the county seat (“仅识别到县区”) and a team was routed to the county government.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.intake.register import import_register
from planner.store.database import session_scope
from planner.store.models import CaseRow

TODAY = dt.date(2026, 12, 1)


def _csv(rows: list[tuple[str, str, str, str]]) -> bytes:
    lines = ["编号,来信日期,所属区县,地址,反映内容"]
    lines += [f"{no},2026-08-20,{county},{addr},{content}" for no, county, addr, content in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _places(engine) -> dict[str, tuple]:
    with session_scope(engine) as s:
        return {r.case_no: (r.county, r.town, r.village, r.precision, r.geocode_message)
                for r in s.scalars(select(CaseRow))}


def test_the_town_and_village_in_the_content_refine_a_county_only_address(engine) -> None:
    import_register(engine, _csv([
        ("M-1", "南靖县", "", "南靖县奎洋镇上洋村村干部收取桉树砍伐保证金，每亩250元，至今未退。"),
        ("M-2", "长泰区", "", "长泰区陈巷镇山重村村干部截留征地补偿款。"),
    ]), filename="r.csv", today=TODAY)
    got = _places(engine)
    assert got["M-1"][:4] == ("南靖县", "奎洋镇", "上洋村", "village")
    assert "取自反映内容" in got["M-1"][4] and "请核对" in got["M-1"][4]
    assert got["M-2"][0] == "长泰区" and got["M-2"][2] == "山重村" and got["M-2"][3] == "village"


def test_a_place_in_another_county_or_no_place_leaves_the_county(engine) -> None:
    import_register(engine, _csv([
        ("M-3", "平和县", "", "我是南靖县奎洋镇上洋村人，反映平和县某单位的问题。"),
        ("M-4", "南靖县", "", "村干部收取保证金不退。"),
    ]), filename="r.csv", today=TODAY)
    got = _places(engine)
    assert got["M-3"][:4] == ("平和县", "", "", "county")
    assert got["M-4"][:4] == ("南靖县", "", "", "county")


def test_an_address_naming_the_town_is_not_overridden_by_the_content(engine) -> None:
    import_register(engine, _csv([
        ("M-5", "南靖县", "书洋镇塔下村", "南靖县奎洋镇上洋村的亲戚也反映过。"),
    ]), filename="r.csv", today=TODAY)
    assert _places(engine)["M-5"][:3] == ("南靖县", "书洋镇", "塔下村")
