"""Walk W23: what an empty address leaves to the content, and readings by an old or other town name, are said.

* A letter with no address whose content begins with a place outside the city (厦门市海沧区东孚街道……) is 市外, as
  the same words in the address cell are: counted apart, not a 选件 candidate; its note says the place came from
  the content.
* A content naming a bare town that several places share (和平: 云霄县和平乡, or a 和平村 of 龙海区 or 平和县) leaves
  the letter 未定位 with a note saying the content was read and what it may be, not “地址为空”.
* A town read by an alias of ``aliases.csv`` is said also when a village is found (龙海市角尾金山村), and an unsure
  alias (梅州乡, a common miswriting of 梅洲乡) asks a check.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.followup.overview import outside_zhangzhou
from planner.intake.register import import_register
from planner.places.check_notes import check_reason, needs_check
from planner.places.resolver import resolve
from planner.selection.ranking import outside_candidates
from planner.store.database import session_scope
from planner.store.models import CaseRow

TODAY = dt.date(2026, 12, 1)
ROWS = [
    ("YX-1901", "厦门市海沧区东孚街道某小区物业侵占公共收益"),
    ("YX-1902", "反映厦门市海沧区东孚街道某小区物业侵占公共收益"),
    ("YX-1012", "和平养殖场污水直排河道"),
    ("YX-1036", "下河低保评定不公开，符合条件的困难户未纳入"),
    ("YX-1100", "反映某局长收受红包。"),
    ("YX-1101", "我是南靖县书洋镇塔下村村民，征地补偿款被拖欠两年。"),
]


def _import(engine) -> tuple[dict[str, CaseRow], frozenset[str], list[str]]:
    lines = ["信件编号,来信日期,反映地址,内容摘要", *(f"{n},2026-10-08,,{c}" for n, c in ROWS)]
    import_register(engine, ("\n".join(lines) + "\n").encode("utf-8"), filename="r.csv", today=TODAY)
    with session_scope(engine) as s:
        got = {r.case_no: r for r in s.scalars(select(CaseRow))}
        s.expunge_all()
        return got, outside_zhangzhou(s), outside_candidates(s)


def test_an_empty_address_with_a_place_outside_the_city_in_the_content_is_outside(engine) -> None:
    got, far, left_out = _import(engine)
    for no in ("YX-1901", "YX-1902"):
        row = got[no]
        assert (row.county_code, row.town, row.lon, row.precision) == ("", "", None, "none"), no
        assert row.geocode_message.startswith("地址不在漳州市"), row.geocode_message
        assert "取自反映内容" in row.geocode_message and "厦门市海沧区" in row.geocode_message
        assert no in far and no in left_out
    assert "YX-1101" not in far and got["YX-1101"].town == "书洋镇"


def test_a_content_without_a_certain_place_says_it_was_read(engine) -> None:
    got, far, _ = _import(engine)
    hep = got["YX-1012"]
    assert (hep.county, hep.precision, hep.lon) == ("", "none", None)
    note = hep.geocode_message
    assert "地址为空" not in note and "已查反映内容" in note, note
    assert "云霄县和平乡" in note and "平和县坂仔镇和平村" in note and not needs_check(note)
    assert "云霄县下河乡" in got["YX-1036"].geocode_message
    assert "未找到漳州市的县区、乡镇或村" in got["YX-1100"].geocode_message
    assert not {"YX-1012", "YX-1036", "YX-1100"} & far


def test_an_unsure_alias_is_said_and_asks_a_check() -> None:
    for address in ("诏安县梅州乡", "诏安县梅州乡梅南村"):
        res = resolve(address)
        assert res.town == "梅洲乡" and "“梅州乡”按内置旧称、俗称表读作梅洲乡" in res.message, res.message
        assert needs_check(res.message) and check_reason(res.message).startswith("“梅州乡”读作梅洲乡")
    assert resolve("诏安县梅州乡梅南村").village == "梅南村"


def test_an_alias_reading_is_said_also_with_a_village() -> None:
    res = resolve("龙海市角尾金山村")
    assert (res.town, res.village) == ("角美镇", "金山村")
    assert "“角尾”按内置旧称、俗称表读作角美镇" in res.message and not needs_check(res.message)
    alone = resolve("龙海市角尾")
    assert alone.message.count("“角尾”") == 1 and not needs_check(alone.message)
    # 角美街道 (unsure whether the town became a 街道) is the same place either way: said, not asked.
    street = resolve("角美街道东山村")
    assert "“角美街道”" in street.message and not needs_check(street.message)
    # The town's own name written: nothing to say.
    assert "按内置旧称" not in resolve("龙海市角美镇金山村").message
