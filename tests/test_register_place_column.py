"""A register's place column is found however the office heads it — and when none is, the import says so."""

from __future__ import annotations

import datetime as dt

from planner.intake.register import read_register

TODAY = dt.date(2026, 12, 1)
PLACES = ("漳浦县旧镇镇浯江村", "龙海区角美镇锦宅村", "南靖县书洋镇塔下村", "平和县小溪镇", "云霄县莆美镇")


def _csv(place_header: str, places: tuple[str, ...] = PLACES) -> bytes:
    lines = [f"收文编号,收件日期,内容摘要,{place_header}"]
    lines += [f"P-{i},2026年10月{i + 1}日,反映村里的补贴发放不公开,{p}" for i, p in enumerate(places)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_an_office_header_for_the_place_is_recognised() -> None:
    preview = read_register(_csv("问题属地"), filename="r.csv", today=TODAY)
    assert preview.mapping["address"] == "问题属地"
    assert [r.values["address_text"] for r in preview.rows] == list(PLACES)


def test_an_unknown_header_is_read_as_the_address_by_its_contents_and_the_import_says_so() -> None:
    preview = read_register(_csv("所属网格"), filename="r.csv", today=TODAY)
    assert preview.mapping["address"] == "所属网格"
    said = [i for i in preview.issues if i.column == "所属网格"]
    assert said and "按内容" in said[0].message and said[0].level == "warning"


def test_no_place_column_is_a_warning_naming_what_is_missing() -> None:
    preview = read_register(_csv("承办人", ("林某", "陈某", "张三", "李四", "王五")), filename="r.csv", today=TODAY)
    assert not any(k in preview.mapping for k in ("address", "county", "town", "village"))
    assert any("没有找到地址列" in i.message for i in preview.issues)


def test_a_user_who_unmaps_the_address_is_not_overruled() -> None:
    preview = read_register(_csv("所属网格"), filename="r.csv", today=TODAY, mapping={"address": None})
    assert "address" not in preview.mapping
