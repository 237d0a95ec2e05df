"""How every view names a letter about a place outside Zhangzhou: 市外（转外地办理） and the region its address writes.

Which letters these are is decided in one place, :func:`planner.followup.overview.outside_zhangzhou` (no county, and
the import's place note 地址不在漳州市); this module only words them, so that 首页, 案件地图, 关联分析 and the
register export say 市外（转外地办理：厦门市思明区） where they would otherwise say 未定位 or leave the place blank.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.followup.overview import OUTSIDE, OUTSIDE_LABEL, OUTSIDE_NOTE, outside_zhangzhou

__all__ = ["OUTSIDE", "OUTSIDE_LABEL", "OUTSIDE_SHORT", "OUTSIDE_TODO", "OutsideLetters", "is_outside", "note_region",
           "outside_among", "outside_place", "outside_region"]

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


#: The import's note for an empty address whose content named the other place (``planner.places.letters``):
#: 地址不在漳州市（地址栏为空，地点取自反映内容：厦门市海沧区）.
_FROM_CONTENT = re.compile(r"地点取自反映内容：([^）；]+)）")


def note_region(note: str) -> str:
    """The region a place note says the content named (walk W23: 厦门市海沧区 of an empty address), "" when none."""
    found = _FROM_CONTENT.search(str(note or ""))
    return (outside_region(found.group(1)) or found.group(1)) if found else ""


def outside_place(address: str, note: str = "") -> str:
    """A letter outside Zhangzhou where its place is shown: ``市外（转外地办理：厦门市思明区）`` — the region its
    address begins with, else the one its place note says the content named — or the bare :data:`OUTSIDE_LABEL`."""
    region = outside_region(address) or note_region(note)
    return f"{OUTSIDE_SHORT}（{OUTSIDE_TODO}：{region}）" if region else OUTSIDE_LABEL


class OutsideLetters(frozenset):
    """The case numbers of letters outside Zhangzhou (a frozenset), with each one's place note, so that a view names
    the region its content gave when the address cell was empty (:meth:`place`, :meth:`region`)."""

    notes: Mapping[str, str]

    def __new__(cls, notes: Mapping[str, str]) -> OutsideLetters:
        made = super().__new__(cls, notes)
        made.notes = dict(notes)
        return made

    def place(self, case_no: str, address: str) -> str:
        """:func:`outside_place` of the letter ``case_no`` with its note."""
        return outside_place(address, self.notes.get(case_no, ""))

    def region(self, case_no: str, address: str) -> str:
        """The region of the letter ``case_no``: its address's, else its note's ("" when neither names one)."""
        return outside_region(address) or note_region(self.notes.get(case_no, ""))


def is_outside(county_code: object, note: object) -> bool:
    """Whether a letter the import is about to write is one :func:`planner.followup.overview.outside_zhangzhou` will
    find once stored: no county, and the place note :data:`OUTSIDE_NOTE` (地址不在漳州市（…）). For counting rows
    before they are in the database (the import's preview and result); stored letters are read through
    :func:`outside_among`."""
    return not str(county_code or "") and str(note or "").startswith(OUTSIDE_NOTE)


def outside_among(session: Session, case_nos: Iterable[str] | None = None) -> OutsideLetters:
    """The letters of ``case_nos`` (every letter when None) that are about a place outside Zhangzhou
    (:func:`planner.followup.overview.outside_zhangzhou`), with their place notes."""
    from planner.store.models import CaseRow

    far = outside_zhangzhou(session)
    wanted: Collection[str] = far if case_nos is None else case_nos if isinstance(case_nos, set | frozenset) \
        else set(case_nos)
    nos = [n for n in far if n in wanted]
    notes: dict[str, str] = {}
    for start in range(0, len(nos), 500):
        query = select(CaseRow.case_no, CaseRow.geocode_message).where(CaseRow.case_no.in_(nos[start:start + 500]))
        notes.update((no, note) for no, note in session.execute(query))
    return OutsideLetters({n: notes.get(n) or "" for n in nos})
