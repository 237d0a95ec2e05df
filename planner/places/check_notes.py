"""Which place notes ask a person to check the place, and why, in a few words.

The import counts a letter as ``地址需核对`` when the resolver's note (``geocode_message``) asks for a check (the
words :data:`CHECK_WORDS`); the 导入 page's 地址核对 table and 案件地图's list (its “位置” column and its 待核对
filter) use :func:`needs_check`, the same test, so that their counts agree (walk 1: the import said 6 件地址需核对
and the list showed all six as a plain “≈ 估计（驻地）”). :func:`check_reason` says why in the list's few words:
``村表无后江村``, ``“书阳镇”读作书洋镇``, ``地点取自反映内容``.
"""

from __future__ import annotations

import re

from planner.places.estimates import written_village

#: The words every note that asks for a check carries (the resolver's, the letters' and the gazetteer's notes).
CHECK_WORDS = "请核对"

_READ_AS = re.compile(
    r"“(?P<written>[^”]+)”(?:按同音字|按“县城”|按内置旧称、俗称表|按村表)?读作(?P<read>[\u4e00-\u9fff]+)")
_MAYBE = re.compile(r"“(?P<written>[^”]+)”(?:不是[^，；]*?，)?可能是同音的(?P<read>[\u4e00-\u9fff]+?)(?:，|；|而|$)")

#: A register point not taken, as :func:`planner.places.letters.off_address_note` words it (walk W35).
_OFF_COUNTY = re.compile(r"登记表坐标（[^（）]*）落在(?P<lies>[\u4e00-\u9fff]+)，而所写的(?P<town>[\u4e00-\u9fff]+)属"
                         r"(?P<county>[\u4e00-\u9fff]+)（该点离[\u4e00-\u9fff]+约 (?P<km>[\d.]+) km")
_OFF_TOWN = re.compile(r"登记表坐标（[^（）]*）距所写的[\u4e00-\u9fff]*?(?P<town>[\u4e00-\u9fff]+?(?:镇|乡|街道|场|区))"
                       r"驻地约 (?P<km>[\d.]+) km")

#: The words of a note whose place was taken from the letter's content, not its address
#: (:func:`planner.places.letters._from_content`: 地点取自反映内容, 乡镇、村取自反映内容).
FROM_CONTENT = "取自反映内容"

#: (words found in the note, the reason in short), first match first; a note may give two reasons.
_REASONS: tuple[tuple[str, str], ...] = (
    (FROM_CONTENT, "地点取自反映内容"),
    ("县区与乡镇不符", "县区与乡镇不符"),
    ("乡镇与村不符", "乡镇与村不符"),
    ("请核对是哪一处", "村名重名"),
    ("内置村表无此村名", "村表无此村"),
    ("内置村表无“", "村表无此村"),
    ("内置乡镇表无此名", "乡镇表无此名"),
    ("不是乡镇名", "城区方位，非乡镇名"),
    ("也可能是", "可能另指他处"),
    ("县区按该点所在", "县区按坐标计"),
    ("更近", "坐标靠近外地"),
    ("不在漳州市范围内", "坐标不在漳州市"),
)

#: Reasons the written village's own words (above) already give.
_VILLAGE_REASONS = ("乡镇与村不符", "村名重名", "村表无此村")


def needs_check(geocode_message: str | None) -> bool:
    """True when a place note asks a person to check it, as the import counts ``地址需核对``."""
    return CHECK_WORDS in (geocode_message or "")


def placed_from_content(geocode_message: str | None) -> bool:
    """True when a place note says the letter was placed where its content names, not where its address is (an
    empty address, one naming only the county, or one in another city: 厦门市同安区… about 龙海区海澄镇和平村)."""
    return FROM_CONTENT in (geocode_message or "").split("；")[0]


def check_reason(geocode_message: str | None) -> str:
    """Why a note asks for a check, in a few words (``""`` when it does not ask).

    >>> check_reason("“书阳镇”按同音字读作书洋镇（本县区没有“书阳镇”……），请核对；坐标为书洋镇驻地")
    '“书阳镇”读作书洋镇'
    >>> check_reason("旧镇镇没有“后江村”（内置村表无此村名，可能是自然村、已并村或写法不同），按乡镇定位：……请核对村名")
    '村表无后江村'
    """
    note = geocode_message or ""
    if not needs_check(note):
        return ""
    found: list[str] = []
    if (w := written_village(note)) is not None:  # the village the letter names, as the field sheets name it
        found.append(f"{w.name}在{w.town}有{len(w.same_named)}处" if w.same_named
                     else f"{w.name}属{w.found_in}，非{w.town}" if w.found_in and w.town
                     else f"{w.name}不属{w.town}" if w.elsewhere and w.town
                     else f"村表无{w.name}")
    if (m := _MAYBE.search(note)) is not None:
        found.append(f"“{m['written']}”可能是{m['read']}")
    elif (m := _READ_AS.search(note)) is not None and m["written"] != m["read"]:
        found.append(f"“{m['written']}”读作{m['read']}")
    if (m := _OFF_COUNTY.search(note)) is not None:
        found.append(f"坐标在{m['lies']}，离{m['county']} {m['km']} km")
    elif (m := _OFF_TOWN.search(note)) is not None:
        found.append(f"坐标离{m['town']}驻地 {m['km']} km")
    for words, reason in _REASONS:
        if words in note and reason not in found and not (w is not None and reason in _VILLAGE_REASONS):
            found.append(reason)
    return "、".join(found[:2]) or "见定位说明"
