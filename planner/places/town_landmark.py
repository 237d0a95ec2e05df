"""A town written by its bare name glued to a landmark named after it: 漳浦县佛昙中学旁 is in 佛昙镇.

Walk W35: a bare town name (佛昙, 九峰, 旧镇) followed by a school, a clinic, a police station, a market or a street
was taken for a building's name and the letter fell to its county, unflagged; 漳浦县旧镇中学旁 even said
漳浦县没有“旧镇” (旧镇 is both 旧镇镇's name without 镇 and the phrase for "old town"). Schools, clinics, stations and
markets of a town take the town's name, so within the county written the landmark places the letter in that town,
on the town's point and with the town's bound (:func:`planner.places.resolution._result`), and the note says the
town was read from the landmark's name.

Only the towns of the county the address writes are read so (without a county, 佛昙中学 is not enough), and a street
named with a stem that is also an ordinary word streets are named with in every county seat (和平路, 建设路, 朝阳街)
is not read as that town: :data:`ORDINARY_STEMS`.
"""

from __future__ import annotations

from dataclasses import replace

import geodata
from planner.places.name_index import _TOWN_SUFFIXES
from planner.places.normalise import normalize
from planner.places.resolution import Resolution

#: Words after a town's bare name that name a place of that town: its schools, clinic, police station, market,
#: station, government and streets (longest first, so 中心小学 is the word written rather than 中).
LANDMARK_WORDS = tuple(
    sorted(
        (
            "中学",
            "中心小学",
            "小学",
            "卫生院",
            "医院",
            "派出所",
            "市场",
            "农贸市场",
            "车站",
            "汽车站",
            "客运站",
            "政府",
            "邮局",
            "邮政所",
            "信用社",
            "供销社",
            "财政所",
            "法庭",
            "街",
            "大街",
            "路",
            "大道",
            "圩",
        ),
        key=len,
        reverse=True,
    )
)
#: The street words of :data:`LANDMARK_WORDS`: a street may be named with an ordinary word (:data:`ORDINARY_STEMS`).
STREET_WORDS = ("大街", "大道", "街", "路")
#: Town stems that are also ordinary words streets are named with anywhere (和平路 of 云陵镇 is not in 和平乡).
ORDINARY_STEMS = frozenset(
    {
        "和平",
        "建设",
        "红星",
        "金星",
        "太平",
        "朝阳",
        "长乐",
        "国强",
        "新桥",
        "西桥",
        "长桥",
        "新圩",
        "东园",
        "丰山",
    }
)


def landmark_word(s: str, end: int, stem: str) -> str:
    """The landmark word written right after a town's bare name ending at ``end`` of ``s`` (``中学``), or ``""``."""
    word = next((w for w in LANDMARK_WORDS if s.startswith(w, end)), "")
    if word in STREET_WORDS and stem in ORDINARY_STEMS:
        return ""
    return word


def town_by_landmark(s: str, start: int, end: int, town_code: str, county_code: str, towns_of_county) -> bool:
    """True when the bare town name ``s[start:end]`` (of ``town_code``) is glued to a landmark word and the town is
    of the county written (``county_code``; ``towns_of_county`` the index's county -> town codes)."""
    if not county_code or town_code not in towns_of_county.get(county_code, frozenset()):
        return False
    return bool(landmark_word(s, end, s[start:end]))


def landmark_reading(address: str, res: Resolution) -> Resolution:
    """``res`` with a note when its town was read from a landmark's name (佛昙中学: 佛昙镇), its town unwritten.

    ``按“佛昙中学”中的“佛昙”读作佛昙镇（地址未写乡镇）``, first in the message (after a farm's or zone's note).
    """
    if not res.town_code or res.ambiguous or not res.town:
        return res
    try:
        town = geodata.town_by_code(res.town_code)
    except geodata.UnknownPlaceError:  # a farm or zone: never read from a landmark
        return res
    name, stem = town.name, town.core
    if name in address:  # the usual case (the town written in full), settled before the text is normalised
        return res
    s = normalize(address)
    if any(stem + k in s for k in _TOWN_SUFFIXES) or name in s:
        return res  # the town is written with its suffix: no landmark reading
    at = s.find(stem)
    while at >= 0:
        word = landmark_word(s, at + len(stem), stem)
        if word:
            break
        at = s.find(stem, at + 1)
    if at < 0:
        return res
    note = f"按“{stem}{word}”中的“{stem}”读作{name}（地址未写乡镇，乡镇取自该地名）"
    if note in res.message:
        return res
    zone, _, rest = res.message.partition("；") if res.unit_code else ("", "", res.message)
    return replace(res, message="；".join(p for p in (zone, note, rest) if p))


__all__ = ["LANDMARK_WORDS", "ORDINARY_STEMS", "STREET_WORDS", "landmark_reading", "landmark_word", "town_by_landmark"]
