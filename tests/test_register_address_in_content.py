"""A letter whose address cell is empty but whose content names the place is placed there (found on the walk).

County offices often leave 反映地址 empty when the letter says “我是南靖县书洋镇塔下村村民……”; such letters used to
stay 未定位 (“地址为空”), off the map, out of planning and out of every county figure.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.intake.register import import_register
from planner.store.database import session_scope
from planner.store.models import CaseRow

TODAY = dt.date(2026, 12, 1)


def _csv(rows: list[tuple[str, str, str]]) -> bytes:
    lines = ["信件编号,来信日期,反映地址,内容摘要"]
    lines += [f"{no},2026-10-08,{addr},{content}" for no, addr, content in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _places(engine) -> dict[str, tuple]:
    with session_scope(engine) as s:
        return {r.case_no: (r.county, r.town, r.village, r.precision, r.lon is not None, r.geocode_message)
                for r in s.scalars(select(CaseRow))}


def test_an_empty_address_is_taken_from_a_content_naming_the_town_or_village(engine) -> None:
    import_register(engine, _csv([
        ("N-1", "", "我是南靖县书洋镇塔下村村民，征地补偿款被拖欠两年。"),
        ("N-2", "平和县小溪镇", "南靖县书洋镇塔下村的事情"),
    ]), filename="r.csv", today=TODAY)
    got = _places(engine)
    county, town, village, precision, has_point, message = got["N-1"]
    assert (county, town, village, precision, has_point) == ("南靖县", "书洋镇", "塔下村", "village", True)
    assert "取自反映内容" in message
    # A filled address cell always wins over the content.
    assert got["N-2"][:2] == ("平和县", "小溪镇") and "取自反映内容" not in got["N-2"][5]


def test_a_county_alone_or_no_place_in_the_content_leaves_the_letter_unplaced(engine) -> None:
    import_register(engine, _csv([
        ("N-3", "", "我家在龙海，去年在漳浦县打工时被欠薪。"),
        ("N-4", "", "反映某局长收受红包。"),
    ]), filename="r.csv", today=TODAY)
    got = _places(engine)
    assert got["N-3"][3] == "none" and not got["N-3"][4]
    assert got["N-4"][3] == "none" and not got["N-4"][4]
