"""How far an estimated point may be from the place a letter means, in words that stay true.

A letter placed on its village's town seat states ``precision_km`` = how far anything of the county may be from
that point: "实际地点可能在 N km 以内" is then true. A letter that names only a town states the same bound (walk W35:
湖林乡's letters used to store the GeoNames seat's 3 km, or an office calibration's 0.5 km, which bound the town
government's point, not the place the letter means, which may be anywhere in the town), and its words say 只定位到乡镇，
村未知. Letters stored before that keep the seat's number (:func:`town_only`): their words still say it is the seat's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import geodata
from planner.domain import Location, Precision

#: What the point of a town whose seat is only a hand estimate is said to be (:func:`seat_point`).
UNVERIFIED = "未核实到驻地"
#: The resolver's note for a village the built-in table does not hold in the town written (walk G).
_UNLISTED = re.compile(r"(?P<town>[\u4e00-\u9fff]+?)没有“(?P<name>[\u4e00-\u9fff]+)”（内置村表无此村名")
#: The resolver's note for a village of the county that belongs to another town than the one written.
_ELSEWHERE = re.compile(r"乡镇与村不符：(?P<name>[\u4e00-\u9fff]+?)不属于(?P<town>[\u4e00-\u9fff]+?)"
                        r"(?:（属(?P<found_in>[\u4e00-\u9fff]+?)）)?，请核对")
#: The resolver's note for a name two villages (communities) of the town written share (角美镇“东美”).
_SAME_NAMED = re.compile(r"“(?P<name>[^”]+)”在(?P<town>[\u4e00-\u9fff]+?)有\d+处：(?P<places>[^，；]+)，按乡镇定位")


def unlisted_village_note(town: str, village: str, point: str = "") -> str:
    """The import's note for a village ``town`` does not hold; :func:`written_village` reads it back.

    ``point`` says what the town's point is (:func:`seat_point`: 芦溪镇的大致位置，未核实到驻地 for a hand estimate,
    walk W13); without it the point is called 乡镇驻地."""
    return (f"{town}没有“{village}”（内置村表无此村名，可能是自然村、已并村或写法不同），按乡镇定位："
            f"坐标为{point or '乡镇驻地'}，请核对村名")


def county_unlisted_village_note(county: str, village: str) -> str:
    """The import's note for a village written after the county alone (云霄县白石头村) that the county's village
    table does not hold; :func:`written_village` reads it back (its ``county``, no town)."""
    return (f"{county}没有“{village}”（内置村表无此村名，可能是自然村、已并村或写法不同），按县区定位："
            "坐标为县区政府驻地，请核对村名")


def village_elsewhere_note(village: str, town: str, found_in: str = "") -> str:
    """The import's note for a village of another town than the one written; :func:`written_village` reads it."""
    return f"乡镇与村不符：{village}不属于{town}" + (f"（属{found_in}）" if found_in else "") + "，请核对"


def same_named_note(name: str, town: str, villages: tuple[str, ...], point: str = "") -> str:
    """The import's note for a name several villages of ``town`` share; :func:`written_village` reads it back.
    ``point`` as for :func:`unlisted_village_note`."""
    return (f"“{name}”在{town}有{len(villages)}处：{'、'.join(villages)}，按乡镇定位：坐标为{point or '乡镇驻地'}，"
            "请核对是哪一处")


def same_name_places_note(name: str, places: Sequence[tuple[str, str]]) -> str:
    """The note for a village name several towns have, none of them written: each place named by county and town
    (and by its own name when it is not the one written: 新村 is 新村村 in one town, 新村社区 in another), so the clerk
    can pick one (walk W18: 村名“下寮村”在2处重名 left them to find 漳浦县六鳌镇 and 诏安县桥东镇).

    ``places`` are ``(county and town, village)``: ``("漳浦县六鳌镇", "下寮村")``.
    """
    named = "、".join(town + ("" if village == name else village) for town, village in places)
    return f"村名“{name}”在{len(places)}处重名：{named}，请补充乡镇或县区"


def town_point(town: object) -> str:
    """:func:`seat_point` of a town of the built-in index (its ``name``, ``code``, point and ``coord_source``), ``""``
    when it has no point."""
    if getattr(town, "lon", None) is None:
        return ""
    return seat_point(town.coord_source, town=town.name, town_code=town.code, lon=town.lon, lat=town.lat)


def seat_words(town: object, generic: str) -> str:
    """What a note says a town's point is: ``generic`` (所在乡镇驻地) when the point is its seat (a GeoNames point, the
    office's own), else :func:`town_point`'s ``角美镇的大致位置，未核实到驻地`` (a hand estimate): a letter's place note
    said 坐标为所在乡镇驻地 beside the sheets' 未核实到驻地 for the same point."""
    point = town_point(town) if town is not None else ""
    return point if point.endswith(UNVERIFIED) else generic


@dataclass(frozen=True, slots=True)
class WrittenVillage:
    """A village a letter names that could not be matched in the town it names (kept to be checked).

    ``name`` as the letter writes it (后江村), ``town`` the town written (旧镇镇), ``found_in`` the town the built-in
    table puts a village of that name in when it is another town of the county (澳角村: 陈城镇), else ``""``;
    ``elsewhere`` when the table holds the name in another town (``found_in`` may then still be unknown);
    ``same_named`` the villages of the town that share the name written (东美: 东美社区、东美村); ``county`` the county
    whose village table lacks the name when the letter wrote no town (云霄县白石头村: ``town`` is then ``""``).
    """

    name: str
    town: str
    found_in: str = ""
    elsewhere: bool = False
    same_named: tuple[str, ...] = ()
    county: str = ""

    def heading(self) -> str:
        """What a stop heading adds after the town: ``后江村（村表无此村，待核对）``,
        ``澳角村（村表中属陈城镇，待核对）``, ``东美（角美镇有东美社区、东美村，待核对）``."""
        if self.same_named:
            where = f"{self.town}有{'、'.join(self.same_named)}"
        elif self.found_in:
            where = f"村表中属{self.found_in}"
        else:
            where = f"村表中不属{self.town}" if self.elsewhere else "村表无此村"
        return f"{self.name}（{where}，待核对）"

    def not_found(self) -> str:
        """``信中写的后江村不在旧镇镇的村表中（可能是自然村、已并村或写法不同）``, for a village of another town
        ``信中写的澳角村不在铜陵镇的村表中（村表中澳角村属陈城镇）``; for a name two villages of the town share
        ``信中写的东美在角美镇有2处（东美社区、东美村），未能确定是哪一处``."""
        if self.same_named:
            return (f"信中写的{self.name}在{self.town}有{len(self.same_named)}处（{'、'.join(self.same_named)}），"
                    "未能确定是哪一处")
        if self.found_in:
            why = f"（村表中{self.name}属{self.found_in}）"
        else:
            why = "" if self.elsewhere else "（可能是自然村、已并村或写法不同）"
        return f"信中写的{self.name}不在{self.town or self.county}的村表中{why}"

    def ask(self) -> str:
        """What to do on arrival: ``所指地点可在旧镇镇内任何位置，到镇后按村名后江村问路``, for a village of
        another town ``到铜陵镇后按村名澳角村问路，也可能是陈城镇的澳角村``."""
        if self.same_named:
            return f"所指地点可在{self.town}内任何位置，到镇后问明是{'还是'.join(self.same_named)}"
        if not self.town:  # 云霄县白石头村: no town written, the county's table lacks the village
            return f"信中没有写乡镇，所指地点可在{self.county}内任何位置，按村名{self.name}问明所在乡镇"
        if not self.elsewhere:
            return f"所指地点可在{self.town}内任何位置，到镇后按村名{self.name}问路"
        return f"到{self.town}后按村名{self.name}问路" + (f"，也可能是{self.found_in}的{self.name}"
                                                         if self.found_in else "")


def written_village(message: str) -> WrittenVillage | None:
    """The village a letter names but the import could not match, read from its place note (``geocode_message``).

    Parameters
    ----------
    message
        The note the import (or a re-location) stored with the case.

    Returns
    -------
    WrittenVillage or None
        None when the note says no such thing (the village was found, or none was written).
    """
    m = _UNLISTED.search(message or "")
    if m:
        if "按县区定位" in (message or "")[m.end():].split("；")[0]:  # the county's note: no town written
            return WrittenVillage(m["name"], "", county=m["town"])
        return WrittenVillage(m["name"], m["town"])
    m = _ELSEWHERE.search(message or "")
    if m:
        return WrittenVillage(m["name"], m["town"], m["found_in"] or "", elsewhere=True)
    m = _SAME_NAMED.search(message or "")
    if m:
        return WrittenVillage(m["name"], m["town"], same_named=tuple(m["places"].split("、")))
    return None


def town_only(loc: Location) -> bool:
    """True when a letter names a town but no village and its ``precision_km`` bounds only the town's seat.

    A town whose point is a hand estimate states a bound already covering the whole county (so the place too), and
    readings kept to be checked (a homophone, two villages of one name) state the town's territory: both stay
    "实际地点可能在 N km 以内". Only a number smaller than the town's territory is the seat's alone.
    """
    if Precision(loc.precision) is not Precision.TOWN or loc.village_code or not loc.town_code:
        return False
    if loc.point_source == "county_seat":  # the county's seat stands for the town (浯源村 not of 旧镇镇): its bound
        return False  # is the county's, not a town seat's own error (walk W13)
    if loc.precision_km is None:
        return False
    try:
        town = geodata.town_by_code(loc.town_code)
    except geodata.UnknownPlaceError:  # a farm or zone: its bound is the county's
        return False
    return loc.precision_km < town.territory_km


def names_only_town(loc: Location) -> bool:
    """True when a letter is placed on a town and names no village of it: whatever bound its point states (a
    GeoNames seat's 3 km, a hand-estimated seat's county-wide one), the place meant may be anywhere in the town, so
    every view says 只定位到乡镇，村未知 and no radius (walk U: 48.6 km on one such stop, nothing on the next)."""
    return Precision(loc.precision) is Precision.TOWN and not loc.village_code and bool(loc.town_code)


def county_wide(loc: Location) -> bool:
    """True when a point's bound is the farthest point of its county (a seat standing for a village or town): a
    circle that wide says no more than the county's outline (walk U: dashed circles over most of the city)."""
    if not loc.precision_km or not loc.county_code or not loc.has_point:
        return False
    try:
        whole = geodata.territory_km(loc.county_code, loc.lon, loc.lat)
    except (geodata.UnknownPlaceError, KeyError, ValueError):
        return False
    return loc.precision_km >= whole - 0.05


#: What the bound of a point standing for a village or a town is: villages have no point, towns no outline, so it is
#: the farthest point of the whole county from the seat (``geodata.territory_km``) — true, but not the town's extent.
COUNTY_WIDE = "按全县区范围计，"
#: Why a village's bound is the county's, for an officer who reads "52.1 km" beside a village (walk 2): the
#: village's own missing point is said before it, this says why the town does not bound it either.
NO_TOWN_OUTLINE = "乡镇无边界数据，"


def county_wide_bound(km: float, *, why: bool = False, within: str = "以内") -> str:
    """``按全县区范围计，实际地点可能在 52.1 km 以内``, with ``why`` prefixed by :data:`NO_TOWN_OUTLINE`; the
    number is rounded to 0.1 km. Every view that states a seat's county-wide bound says it in these words."""
    return f"{NO_TOWN_OUTLINE if why else ''}{COUNTY_WIDE}实际地点可能在 {round(km, 1):g} km {within}"


#: The place note of a village bounded by its town's extent (``planner.places.town_extent``), read back by
#: :func:`town_extent`.
_TOWN_EXTENT = re.compile(r"(?P<town>[\u4e00-\u9fff]+?)的范围按本单位地名库")


def town_extent_note(town: str, km: float, basis: str) -> str:
    """``山格镇的范围按本单位地名库该乡镇 12 个村（社区）的点位计（…），实际地点可能在 6.3 km 以内``: the import's
    note for a village on its town's point whose bound is the town's extent, not the county's."""
    return f"{town}的范围{basis}，实际地点可能在 {round(km, 1):g} km 以内"


def town_extent(message: str) -> str:
    """The town whose known extent bounds a case's point (:func:`town_extent_note` in its place note), or ``""``."""
    m = _TOWN_EXTENT.search(message or "")
    return m["town"] if m else ""


def town_wide_bound(km: float, town: str, *, within: str = "以内") -> str:
    """``按山格镇的已知范围计，实际地点可能在 6.3 km 以内``: a village on its town's point, bounded by the town's
    extent as the office's places give it (a boundary, or its villages' points), not by the county."""
    return f"按{town or '乡镇'}的已知范围计，实际地点可能在 {round(km, 1):g} km {within}"


def _bound(loc: Location, km: float) -> str:
    """The words for a village's seat bound: the county's (:func:`county_wide_bound`) unless smaller (the town's)."""
    if loc.village_code and loc.town and loc.has_point and not county_wide(loc):
        return town_wide_bound(km, loc.town)
    return county_wide_bound(km)


@lru_cache(maxsize=1)
def _zone_of_village() -> dict[str, str]:
    return {v.code: v.unit_name for v in geodata.villages() if v.in_special_unit and v.unit_name}


def zone_name(village_code: str) -> str:
    """The farm or zone a village sits under in the statistical table (大地村: 福建土楼（华安）旅游区), or ``""``."""
    return _zone_of_village().get(village_code, "")


def point_name(loc: Location) -> str:
    """Whose seat an estimated point is, as :meth:`Location.seat_name`, but true for a farm or zone village.

    大地村 is counted under 仙都镇 (the town people name) while its point is 福建土楼（华安）旅游区's: the words
    must name the zone, whose point it is and from which its bound is measured, not 仙都镇 (walk R).
    """
    if loc.point_source == "unit_seat" and loc.village_code:
        unit = _zone_of_village().get(loc.village_code)
        if unit:
            return unit
    return loc.seat_name()


def seat_point(source: str, *, county: str = "", town: str = "", town_code: str = "", zone: str = "",
               lon: float | None = None, lat: float | None = None) -> str:
    """What an estimated point is, in the one set of words every sheet and list uses (walk W13: one town point was
    ``点为火田镇驻地`` on one stop and ``火田镇的大致位置，未核实到驻地`` on the next):

    ``漳浦县政府驻地`` (the county seat stands for the place), ``陈岱镇驻地附近`` (the town's seat from GeoNames,
    within about 3 km), ``火田镇的大致位置，未核实到驻地`` (the built-in hand estimate of the town), ``山格镇驻地``
    (the office's own point for the town), ``福建土楼（华安）旅游区驻地`` (a zone's point); ``""`` for a point
    that is no seat.
    """
    if source == "county_seat":
        return f"{county}政府驻地" if county else "县区政府驻地"
    if source == "unit_seat":
        return f"{zone or town}驻地" if zone or town else ""
    if source != "town_seat" or not town:
        return ""
    try:
        built_in = geodata.town_by_code(town_code) if town_code else None
    except geodata.UnknownPlaceError:
        built_in = None
    if built_in is None:
        return f"{town}驻地"
    if lon is not None and lat is not None and geodata.haversine_km(lon, lat, built_in.lon, built_in.lat) > 0.05:
        return f"{town}驻地"  # the office's own point for the town (地名库), not the built-in one
    return f"{town}驻地附近" if built_in.source == "geonames" else f"{town}的大致位置，{UNVERIFIED}"


def location_point(loc: Location) -> str:
    """:func:`seat_point` of an estimated location (``""`` when its point is no seat)."""
    if not loc.estimated:
        return ""
    return seat_point(loc.point_source, county=loc.county, town=loc.town, town_code=loc.town_code,
                      zone=zone_name(loc.village_code) if loc.village_code else "", lon=loc.lon, lat=loc.lat)


def estimate_words(loc: Location, written: WrittenVillage | None = None) -> str:
    """``点在山格镇驻地，按全县区范围计，实际地点可能在 58.7 km 以内``, or for a letter naming only a town
    ``点在山格镇驻地（驻地点位误差约 3 km）；信中只写到乡镇，所指地点可在山格镇内任何位置``.

    Parameters
    ----------
    loc
        An estimated location (``loc.estimated``).
    written
        The village the letter names but the import could not match (:func:`written_village` of the case's
        place note): the words name it and say it was not found, never that the letter named only the town.

    Returns
    -------
    str
        One sentence without a final full stop.
    """
    km = loc.precision_km or 0.0
    seat = point_name(loc) or "驻地"
    # What the point is, in the words of every other view (:func:`seat_point`, walk W13).
    point = location_point(loc) or f"{seat}驻地"
    if written is not None:
        # The point and its bound stay the town's (or the county's): the village was not found, so no closer.
        bound = (f"点在{point}（驻地点位误差约 {km:g} km）" if town_only(loc)
                 else f"点在{point}，{county_wide_bound(km)}")
        return f"{bound}；{written.not_found()}，{written.ask()}"
    if names_only_town(loc):
        where = f"点在{point}（驻地点位误差约 {km:g} km）" if town_only(loc) else f"点为{point}"
        if loc.point_source == "county_seat" and km:  # the county's seat: bounded by the county, and says so
            where += f"，{county_wide_bound(km)}"
        return f"只定位到乡镇（{where}），村未知：信中只写到乡镇，所指地点可在{loc.town or seat}内任何位置"
    return f"点在{point}，{_bound(loc, km)}"


def shared_point_words(locs: Iterable[Location]) -> str:
    """What a marker shared by several letters may say of their distance, ``""`` when nothing is known.

    ``按全县区范围计，实际地点可能在 N km 以内任何位置`` with the farthest bound of the letters; a bound that holds
    for a village of the town on that point holds for the letters naming only the town, too. When every letter
    names only the town: ``所指地点可在乡镇内任何位置（驻地点位误差约 3 km）``.
    """
    locs = list(locs)
    placed = [loc for loc in locs if loc.precision_km and not names_only_town(loc)]
    if placed:
        widest = max(placed, key=lambda loc: loc.precision_km)
        return f"{_bound(widest, widest.precision_km)}任何位置"
    if not any(loc.precision_km for loc in locs):
        return ""
    if all(town_only(loc) for loc in locs):
        seat_km = max(loc.precision_km or 0.0 for loc in locs)
        return f"信中只写到乡镇，所指地点可在乡镇内任何位置（驻地点位误差约 {seat_km:g} km）"
    # What the shared point is, as every other view says it (a GeoNames seat is no 大致位置: walk W35).
    point = next((p for p in map(location_point, locs) if p), "乡镇的大致位置，未核实到驻地")
    return f"信中只写到乡镇，只定位到乡镇，村未知，所指地点可在乡镇内任何位置（点为{point}）"


__all__ = [
    "COUNTY_WIDE", "NO_TOWN_OUTLINE", "WrittenVillage", "county_unlisted_village_note", "county_wide",
    "county_wide_bound", "estimate_words", "location_point", "names_only_town", "point_name",
    "same_named_note", "seat_point", "seat_words",
    "shared_point_words", "town_extent", "town_extent_note", "town_only", "town_wide_bound", "unlisted_village_note",
    "village_elsewhere_note", "written_village",
]
