"""Where letters are, as an import places them: addresses resolved, register coordinates checked, places from the text.

Used by the register import (:mod:`planner.intake.locating` re-exports it) and by the re-location of open cases after
a gazetteer import or a correction (:func:`planner.store.places.relocate_open_cases`), so both write the same fields.
``rows`` are the import's parsed rows (anything with a ``values`` mapping: ``address_text``, ``content``, ``lon``,
``lat``, ``datum``).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Sequence
from typing import Any

from planner.domain import ZHANGZHOU_BBOX
from planner.errors import InputError
from planner.places.check_notes import CHECK_WORDS
from planner.places.county_hint import CountyHint, apply_hints, kept_note
from planner.places.estimates import written_village


def locate_letters(rows: Sequence[Any], gazetteer: object = None,
                   hints: CountyHint | Sequence[CountyHint | None] | None = None) -> list[dict[str, object]]:
    """Resolve addresses and check given coordinates; fields for the cases table, one dict per row.

    ``gazetteer`` is the office's (``planner.store.places.load_gazetteer``): its places win over the
    built-in points, and its village boundaries assign register points to their village. ``hints``: the county
    the register names (one for every row, or one per row), for addresses that do not name theirs
    (:mod:`planner.places.county_hint`).
    """
    try:
        from planner.places import resolver as geocode
    except ImportError:  # the resolver is optional: without it cases keep precision 'none'
        geocode = None
    addresses = [str(r.values["address_text"]) for r in rows]
    resolved = geocode.resolve_many(addresses, gazetteer) if geocode is not None else [None] * len(rows)
    if geocode is not None:
        resolved = _from_content(geocode, rows, addresses, resolved, gazetteer)
        if hints is not None:
            each = [hints] * len(rows) if isinstance(hints, CountyHint) else list(hints)
            resolved = apply_hints(geocode, addresses, [str(r.values.get("content") or "") for r in rows],
                                   resolved, each, gazetteer, _outside)
        resolved = _village_from_content(geocode, rows, addresses, resolved, gazetteer)
    out: list[dict[str, object]] = []
    for r, res in zip(rows, resolved, strict=True):
        loc: dict[str, object] = {
            "county": "", "county_code": "", "town": "", "town_code": "", "village": "", "village_code": "",
            "lon": None, "lat": None, "precision": "none", "geocode_message": "", "point_source": "",
            "precision_km": None,
        }
        messages: list[str] = []
        if res is not None:
            for k in ("county", "county_code", "town", "town_code", "village", "village_code", "lon", "lat",
                      "precision", "precision_km"):
                loc[k] = getattr(res, k)
            loc["point_source"] = res.coord_source if res.lon is not None else ""
            if res.message:
                messages.append(res.message)
        lon, lat = r.values.get("lon"), r.values.get("lat")
        if lon is not None and lat is not None:
            point = _check_point(geocode, float(lon), float(lat), str(r.values.get("datum") or "wgs84"),
                                 str(loc["town_code"]) or None)
            if point is not None and point[3]:
                # Walk W35: a point in another county than the written town's (or far past its reach) is not taken
                # silently; the letter stays where its address is, to be checked, and the point teaches no village.
                messages.append(off_address_note(lon, lat, point[3]))
            elif point is not None:
                loc["lon"], loc["lat"] = point[0], point[1]
                # A point from the register is at least as precise as a village seat.
                loc["precision"] = "village"
                loc["point_source"], loc["precision_km"] = "register", None
                messages = [_without_point_words(m) for m in messages] + [point[2]]
                inside = gazetteer.place_at(point[0], point[1]) if gazetteer else None
                if inside is not None and inside.village_code:
                    # An imported village boundary holds the point: that is the case's village.
                    loc.update(county=inside.county, county_code=inside.county_code, town=inside.town,
                               town_code=inside.town_code, village=inside.village or inside.name,
                               village_code=inside.village_code)
                    messages.append(f"坐标落在{inside.village or inside.name}的村界内（本单位地名库）")
            else:
                messages.append("登记表坐标无效，已改用地址定位")
        loc["geocode_message"] = "；".join(m for m in messages if m)
        out.append(loc)
    return out


#: The note of a register point not taken (:func:`off_address_note`); a re-location keeps it, as the register's own
#: point is not stored (:func:`planner.store.places.relocate_open_cases`).
OFF_ADDRESS = re.compile(r"登记表坐标（[^（）]*）[^；]*?与所写地址不符，未采用[^；]*")


def off_address_note(lon: object, lat: object, disagrees: str) -> str:
    """``登记表坐标（117.2, 24.3）落在平和县，而所写的佛昙镇属漳浦县（该点离漳浦县约 22.6 km），与所写地址不符，未采用，
    按所写地址定位，请核对``: the register's numbers as written, where they lie against the written town."""
    return (f"登记表坐标（{_number(lon)}, {_number(lat)}）{disagrees}，与所写地址不符，未采用，按所写地址定位，"
            f"{CHECK_WORDS}")


def _number(value: object) -> str:
    try:
        return f"{float(value):.6f}".rstrip("0").rstrip(".")
    except (TypeError, ValueError):
        return str(value)


def _without_point_words(message: str) -> str:
    """A place note once the register's point replaces the resolver's: its first part, and any later part naming a
    village the resolver did not find (“地址栏为空，地点取自反映内容，请核对；旧镇镇没有‘后江村’……”), which the
    field sheets name and tell the officer to ask for (:func:`planner.places.estimates.written_village`)."""
    first, *rest = message.split("；")
    return "；".join([first, *(part for part in rest if written_village(part) is not None)])


def _from_content(geocode, rows: Sequence[Any], addresses: Sequence[str], resolved: list,
                  gazetteer: object) -> list:
    """Letters whose address names no town but whose content does (“我是南靖县书洋镇塔下村村民……”).

    Two cases: the address cell is empty (and so are the 县区/乡镇 columns), or the address reaches only the
    county (地址 empty, 所属区县 南靖县; or an address of just “南靖县”) while the content names a town or
    village of that same county (“南靖县奎洋镇上洋村村干部……”). Only a town or village the content names
    without ambiguity is taken (a county alone in a letter body is too often where the writer lives or works,
    not where the matter is), never one in another county than the register's, and the case says where it
    came from. A third: the address is in another city (厦门市同安区…) while the content names a town or village of
    Zhangzhou with its county (龙海区海澄镇和平村): the letter is about that place, and the note says the address is
    outside the city (the writer may live there); a content naming no Zhangzhou county keeps the letter 市外.
    """
    def county_only(i: int) -> bool:
        res = resolved[i]
        # Only the county seat standing for the county: a road or building of the office's list is a real point.
        return (res is not None and res.precision == "county" and bool(res.county_code) and not res.ambiguous
                and res.coord_source == "county_seat")

    tried = [i for i, a in enumerate(addresses)
             if str(rows[i].values.get("content") or "").strip()
             and (not a.strip() or county_only(i) or _outside(resolved[i]))]
    if not tried:
        return resolved
    found = geocode.resolve_many([str(rows[i].values["content"]) for i in tried], gazetteer)
    out = list(resolved)
    for i, res in zip(tried, found, strict=True):
        if not addresses[i].strip() and (res.lon is None or not res.town_code or res.ambiguous):
            # Nothing certain in the content: the note says it was read, and a place outside the city is 市外.
            out[i] = _empty_address(geocode, str(rows[i].values["content"]), res, resolved[i], gazetteer)
            continue
        if res.lon is None or not res.town_code or res.ambiguous:
            continue
        # The first place named is taken; any other town the text names is said (曾任书洋镇……现任坂仔镇).
        others = geocode.other_towns(str(rows[i].values["content"]), res)
        also = f"（反映内容还提到{'、'.join(others)}）" if others else ""
        if not addresses[i].strip():
            message = f"地址栏为空，地点取自反映内容{also}，请核对"
        elif _outside(resolved[i]):
            # 厦门市同安区… writing about 龙海区海澄镇…: the matter is the Zhangzhou place (the writer may live in
            # Xiamen). Only a place the content names with its county (or 漳州): a town name alone may be the other
            # city's own (a letter about a Xiamen matter stays 市外).
            if not _names_county(str(rows[i].values["content"]), res.county_code):
                continue
            region = _region(addresses[i])
            message = (f"反映地址在漳州市外（{region}，信访人可能住在市外），地点取自反映内容"
                       f"（{res.county}{res.town}{res.village}）{also}，请核对")
        elif res.county_code == resolved[i].county_code:
            message = f"地址只写到县区（{resolved[i].county}），乡镇、村取自反映内容{also}，请核对"
        else:  # the content names a place in another county than the register's column: keep the county
            continue
        if written_village(resolved[i].message) is not None:
            # "云霄县白石头村" (no such village in the county's table): the content gives the town, and the note still
            # names the village the address wrote, for the field sheets to ask for.
            message += f"；{resolved[i].message}"
        out[i] = dataclasses.replace(res, message=message + (f"；{res.message}" if res.message else ""))
    return out


#: A content that begins by saying what it does (反映厦门市海沧区……): the place is read after these words.
_LEAD = re.compile(r"(?:信访人|来信人)?(?:反映|举报|投诉|控告|检举)[：:，,]?")


def _empty_address(geocode, content: str, res: Any, empty: Any, gazetteer: object) -> Any:
    """An empty address whose content gives no certain Zhangzhou place (walk W23).

    A content naming a place outside the city first (厦门市海沧区东孚街道……, or 反映厦门市海沧区……) and no
    Zhangzhou county after it is 市外, as the same words in the address cell are: the note begins
    :data:`_OUTSIDE_NOTE` and says the place came from the content. One naming a Zhangzhou town or village with its
    county after the other city's name is placed there, as an address in another city with such a content is.
    Otherwise the letter stays 未定位 and the note says the content was read and what it held: a name fitting
    several places (和平: 云霄县和平乡 or two villages 和平村), a county alone (often where the writer lives), nothing.
    """
    text = re.sub(r"\s+", "", content)
    lead = _LEAD.match(text)
    if not _outside(res) and res.precision == "none" and lead and _outside(again := geocode.resolve(text[lead.end():])):
        res, text = again, text[lead.end():]
    if _outside(res):
        region = _region(text)
        rest = geocode.resolve_many([text[len(region):]], gazetteer)[0]
        if not rest.county_code:
            return dataclasses.replace(empty, message=f"{_OUTSIDE_NOTE}（地址栏为空，地点取自反映内容：{region}）")
        if rest.lon is not None and rest.town_code and not rest.ambiguous and _names_county(text, rest.county_code):
            return dataclasses.replace(rest, message=f"地址栏为空，反映内容先写漳州市外（{region}），地点取自其后所写"
                                       f"（{rest.county}{rest.town}{rest.village}），请核对"
                                       + (f"；{rest.message}" if rest.message else ""))
        return dataclasses.replace(empty, message=f"地址栏为空，已查反映内容：写了漳州市外的{region}，"
                                   f"也写了{rest.county}，未能确定地点")
    if res.candidates:
        names = [re.sub(r"\(\d+\)$", "", c) for c in res.candidates]
        said = f"可能是{names[0]}，也可能是{'、'.join(names[1:])}" if len(names) > 1 else f"可能是{names[0]}"
        return dataclasses.replace(empty, message=f"地址栏为空，已查反映内容：其中的地名不能确定（{said}）")
    if res.county_code:
        return dataclasses.replace(empty, message=f"地址栏为空，已查反映内容：只写到县区（{res.county}，可能是信访人"
                                   "住地或工作地），未按县区定位")
    return dataclasses.replace(empty, message="地址栏为空，已查反映内容：未找到漳州市的县区、乡镇或村")


def _village_from_content(geocode, rows: Sequence[Any], addresses: Sequence[str], resolved: list,
                          gazetteer: object) -> list:
    """Letters whose address reaches the town while the content names one village of that town in full (乡镇 column
    岩溪镇, no 村 column, content “珪后村镇干部强拆……”: 珪后村 glued to the words after it).

    The content is read after the address's county and town, so the village is the town's: taken only when the
    resolver reads a village of that very town, without a note asking a check, and the content writes its full name
    (珪后村; a name that only begins so, 珪后镇干部 or 珪后人, is no village) and no other village of the town. The
    case says the village came from the content; the address's own words are kept when they ask a check.
    """
    tried = [i for i, res in enumerate(resolved)
             if res is not None and res.precision == "town" and res.town_code and not res.ambiguous
             and not res.village_code and CHECK_WORDS not in (res.message or "")
             and str(rows[i].values.get("content") or "").strip()]
    if not tried:
        return resolved
    texts = [re.sub(r"\s+", "", str(rows[i].values["content"])) for i in tried]
    found = geocode.resolve_many([f"{resolved[i].county}{resolved[i].town}{t}" for i, t in zip(tried, texts,
                                                                                         strict=True)], gazetteer)
    out = list(resolved)
    for i, text, res in zip(tried, texts, found, strict=True):
        town = resolved[i]
        if (res.precision != "village" or res.ambiguous or res.town_code != town.town_code or not res.village
                or CHECK_WORDS in (res.message or "") or res.village not in text
                or {v for v in _town_villages(town.town_code) if v in text} - {res.village}):
            continue
        note = f"地址只写到乡镇（{town.town}），村（{res.village}）取自反映内容"
        if hinted := kept_note(town.message):  # the county read from the register's name stays said
            note = f"{hinted}；{note}"
        out[i] = dataclasses.replace(res, address=town.address, message=note + (f"；{res.message}" if res.message
                                                                                 else ""))
    return out


@functools.lru_cache(maxsize=256)
def _town_villages(town_code: str) -> frozenset[str]:
    """The full names of the built-in villages (communities) of a town or unit: 珪后村, 岩溪社区."""
    import geodata

    return frozenset(v.name for v in geodata.villages() if town_code in (v.town_code, v.unit_code))


#: How the resolver's note for an address outside Zhangzhou begins (``planner.followup.overview.OUTSIDE_NOTE``).
_OUTSIDE_NOTE = "地址不在漳州市"


#: The region an address outside the city begins with (厦门市同安区, 福建省泉州市安溪县), as
#: ``planner.intake.outside_city.outside_region`` reads it for the views.
_REGION = re.compile(r"(?:[\u4e00-\u9fff]{2,3}?省)?[\u4e00-\u9fff]{2,4}?(?:市|自治州|地区)"
                     r"(?:[\u4e00-\u9fff]{1,4}?(?:区|县|市))?")


def _region(address: str) -> str:
    text = re.sub(r"\s+", "", address)
    found = _REGION.match(text)
    return found.group(0) if found else text[:12]


def _outside(res: Any) -> bool:
    """An address the resolver placed outside Zhangzhou (厦门市同安区…): no county, the note 地址不在漳州市."""
    return res is not None and not res.county_code and str(res.message or "").startswith(_OUTSIDE_NOTE)


def _names_county(text: str, county_code: str) -> bool:
    """Whether ``text`` names the county ``county_code`` (龙海区, 龙海, 龙海市) or 漳州 itself."""
    import geodata

    if "漳州" in text:
        return True
    county = geodata.county_by_code(county_code)
    names = {county.name, county.name[:-1], *county.old_names,
             *(a.alias for a in geodata.aliases() if a.level == "county" and a.code == county.code)}
    return any(n and len(n) >= 2 and n in text for n in names)


def _check_point(geocode, lon: float, lat: float, datum: str, town_code: str | None):
    if geocode is not None and hasattr(geocode, "validate_point"):
        try:
            check = geocode.validate_point(lon, lat, datum, town_code)
        except InputError:
            return None
        if not check.ok or check.lon is None:
            return None
        return check.lon, check.lat, f"坐标取自登记表；{check.message}", check.disagrees
    from geodata.datum import to_wgs84

    x0, y0, x1, y1 = ZHANGZHOU_BBOX
    if not (x0 <= lon <= x1 and y0 <= lat <= y1) and x0 <= lat <= x1 and y0 <= lon <= y1:
        lon, lat = lat, lon
    if not (x0 <= lon <= x1 and y0 <= lat <= y1):
        return None
    x, y = to_wgs84(lon, lat, datum)
    return x, y, "坐标取自登记表", ""
