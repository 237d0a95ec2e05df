"""How every view names a letter about a place outside Zhangzhou: 市外（转外地办理） and the region its address writes.

Which letters these are is decided in one place, :func:`planner.followup.overview.outside_zhangzhou` (no county, and
the import's place note 地址不在漳州市); this module only words them, so that 首页, 案件地图, 关联分析 and the
register export say 市外（转外地办理：厦门市思明区） where they would otherwise say 未定位 or leave the place blank.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from sqlalchemy.orm import Session

from planner.followup.overview import OUTSIDE, OUTSIDE_LABEL, OUTSIDE_NOTE, outside_zhangzhou

__all__ = ["OUTSIDE", "OUTSIDE_LABEL", "OUTSIDE_SHORT", "OUTSIDE_TODO", "is_outside", "outside_among",
           "outside_place", "outside_region"]

#: The short word where a column is narrow (a list of counties: 平和县、市外).
OUTSIDE_SHORT = "市外"
#: What the office does with such a letter instead of a visit.
OUTSIDE_TODO = "转外地办理"

# The region at the head of an address: a province, a city, a county or district, each optional, in that order
# (广东省潮州市饶平县, 厦门市思明区, 泉州市南安市, 同安区). Names only, never the street or the person after them.
_REGION = re.compile(
    r"(?:[\u4e00-\u9fff]{2,3}?省)?(?:[\u4e00-\u9fff]{2,4}?(?:市|自治州|地区))?(?:[\u4e00-\u9fff]{1,4}?(?:区|县|市))?"
)
# Places the tables of another city end in that are not a district (湖滨南路 is no 路区).
_NOT_REGION = ("社区", "小区", "片区", "园区", "景区", "街区", "校区", "厂区")


def outside_region(address: str) -> str:
    """The region a letter's address begins with (``厦门市思明区湖滨南路88号`` -> ``厦门市思明区``), "" when it does
    not begin with one (``鼓浪屿龙头路``)."""
    text = re.sub(r"\s+", "", str(address or ""))
    found = _REGION.match(text)
    region = found.group(0) if found else ""
    while region.endswith(_NOT_REGION):  # 锦绣小区 is an estate, not a district: keep what comes before it
        region = _REGION.match(region[: -len(next(s for s in _NOT_REGION if region.endswith(s)))]).group(0)
    return region


def outside_place(address: str) -> str:
    """A letter outside Zhangzhou where its place is shown: ``市外（转外地办理：厦门市思明区）``, or the bare
    :data:`OUTSIDE_LABEL` when the address names no region at its head."""
    region = outside_region(address)
    return f"{OUTSIDE_SHORT}（{OUTSIDE_TODO}：{region}）" if region else OUTSIDE_LABEL


def is_outside(county_code: object, note: object) -> bool:
    """Whether a letter the import is about to write is one :func:`planner.followup.overview.outside_zhangzhou` will
    find once stored: no county, and the place note :data:`OUTSIDE_NOTE` (地址不在漳州市（…）). For counting rows
    before they are in the database (the import's preview and result); stored letters are read through
    :func:`outside_among`."""
    return not str(county_code or "") and str(note or "").startswith(OUTSIDE_NOTE)


def outside_among(session: Session, case_nos: Iterable[str] | None = None) -> frozenset[str]:
    """The letters of ``case_nos`` (every letter when None) that are about a place outside Zhangzhou
    (:func:`planner.followup.overview.outside_zhangzhou`)."""
    far = outside_zhangzhou(session)
    if case_nos is None:
        return far
    wanted: Collection[str] = case_nos if isinstance(case_nos, set | frozenset) else set(case_nos)
    return frozenset(n for n in far if n in wanted)
