"""A letter naming only a town, placed on the office's point for that town: bounded by the town, not by the point.

Walk W35: after 郭坑镇's point was calibrated on 地名校准, a new letter “龙文区郭坑镇” was stored with the calibration's
0.5 km and the note “已识别到乡镇（街道），坐标为郭坑镇的大致位置，未核实到驻地；坐标为乡镇驻地位置（人工校准）”: the
number bounded the point (the town's seat), not the place the letter means, which may be anywhere in the town, and the
note called the point both a rough guess and a calibration. :func:`town_letter_on` gives such a letter the office's
point as the town's seat (``town_seat``: the point stands for the whole town, as it does for the town's villages),
a bound covering the town (the county's farthest point from that point, towns having no outline, or the town's extent
where the office knows it: :func:`planner.places.town_extent.town_reach`) and one note that says what the point is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

import geodata
from planner.places.estimates import town_extent_note
from planner.places.resolution import Resolution
from planner.places.town_extent import town_reach

#: The built-in point's words in a resolver note (:func:`planner.places.estimates.seat_words`): 乡镇驻地, 所在乡镇驻地,
#: 陈岱镇驻地附近, 郭坑镇的大致位置，未核实到驻地.
_POINT_WORDS = re.compile(r"坐标为(?:[\u4e00-\u9fff]*?的大致位置，未核实到驻地|[\u4e00-\u9fff]*?驻地(?:附近)?)")


def names_town_only(res: Resolution) -> bool:
    """True for an answer placed at an ordinary town that names no village of it (nor a farm or zone)."""
    return res.precision == "town" and bool(res.town_code) and not res.village_code and not res.unit_code


def town_letter_on(res: Resolution, place: object, label: str, villages: Iterable[object] = ()) -> Resolution:
    """``res`` (a letter naming only a town: :func:`names_town_only`) on the office's ``place`` for that town.

    Parameters
    ----------
    res
        The built-in answer (the town's built-in point).
    place
        The office's place of the town (``lon``, ``lat``, ``precision_km``, ``boundary_wkt``, ``level``).
    label
        What the point comes from, in words (人工校准, 本单位地名库).
    villages
        The office's points of the town's villages (the town's extent, when enough are known).

    Returns
    -------
    Resolution
        At the office's point, ``coord_source`` ``town_seat``, ``precision_km`` bounding anything of the town.
    """
    bound = max(geodata.territory_km(res.county_code, place.lon, place.lat), float(place.precision_km or 0.0))
    reach = town_reach(res.town_code, place.lon, place.lat, town_place=place, villages=villages)
    extent = ""
    if reach is not None and reach.km < bound:
        bound, extent = reach.km, town_extent_note(res.town, reach.km, reach.basis)
    where = f"坐标为{res.town}驻地（{label}）"
    message, n = _POINT_WORDS.subn(where, res.message, count=1)
    if not n:
        message = "；".join(p for p in (message, where) if p)
    if extent:
        message = f"{message}；{extent}"
    return replace(
        res, lon=place.lon, lat=place.lat, precision_km=round(bound, 1), coord_source="town_seat", message=message
    )


__all__ = ["names_town_only", "town_letter_on"]
