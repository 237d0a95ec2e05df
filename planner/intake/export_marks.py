"""How the register export (统计 › 导出登记表) says where each letter's point came from, and how an import reads it.

Walk W35: the export gave a county-seat estimate (云霄县 at 117.34, 23.958, 34 km either way) as plain 经度/纬度;
re-imported, it became a register coordinate — a surveyed point at 0.3 km — and so did 154 town seats. The export
now writes beside the coordinates :data:`POINT_METHOD` (登记表坐标, 人工校准, 估计：乡镇驻地 …) and
:data:`POINT_BOUND` (how far off the point may be), and an import of any file takes coordinates as register
coordinates only where the row's 定位方式 is blank or says they were measured (:func:`measured`).
"""

from __future__ import annotations

#: The export's column saying how each letter's point was got.
POINT_METHOD = "定位方式"
#: The export's column saying how far the letter's place may be from its point (km; blank for a measured point).
POINT_BOUND = "可能偏差（km）"
#: What 定位方式 says of a point the register itself gave (the office's coordinates), and of one set by hand.
REGISTER_POINT, HAND_POINT = "登记表坐标", "人工校准"
#: 定位方式 of the letters without a point, and of those about a place outside Zhangzhou (their 县区 says 市外).
NO_POINT, OUTSIDE_POINT = "未定位", "市外（不定位）"
_WORDS = {
    "register": REGISTER_POINT,
    "case_corrected": HAND_POINT,
    "town_seat": "估计：乡镇驻地",
    "unit_seat": "估计：所属单位驻地",
    "county_seat": "估计：县区驻地",
    "register_median": "地名库点位（登记表坐标中位数）",
    "corrected": "地名库点位（人工校准）",
    "imported": "地名库点位（本单位地名库）",
    "tianditu": "地名库点位（天地图校准）",
    "geonames": "估计：GeoNames 地名点",
    "builtin": "估计：内置地名点",
}


def point_method(point_source: str | None, has_point: bool, *, outside: bool = False) -> str:
    """定位方式 of a letter: ``估计：乡镇驻地`` for a town seat standing for its village, ``登记表坐标`` …"""
    if not has_point:
        return OUTSIDE_POINT if outside else NO_POINT
    return _WORDS.get(str(point_source or ""), "估计：地名点")


def point_bound(precision_km: float | None, has_point: bool) -> object:
    """可能偏差（km） of a letter: the bound of an estimated point, rounded to 0.1 km ("" when none is known)."""
    return round(float(precision_km), 1) if has_point and precision_km is not None else ""


def measured(method: object) -> bool:
    """Whether coordinates beside this 定位方式 may be read as the letter's own (register) coordinates: a blank cell
    (any other register) or the export's words for a point the register gave or a person set; an estimate or a
    gazetteer place's point is no letter's measured point."""
    text = "" if method is None else "".join(str(method).split())
    return text in ("", REGISTER_POINT, HAND_POINT)
