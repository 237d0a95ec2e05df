"""How far an estimated point may be from the place a letter means, in words that stay true.

A letter placed on its village's town seat states ``precision_km`` = how far anything of the county may be from
that point: "实际地点可能在 N km 以内" is then true. A letter that names only a town states the precision of the town
*government's* point (3 km for a GeoNames town): that bounds the seat, not the place the letter means, which may be
anywhere in the town (walk K: 3 km beside 56.7 km for a village of the same town on the same point). Its words say
so. The number itself is unchanged: maps and routing use it as the point's own error.
"""

from __future__ import annotations

from collections.abc import Iterable

import geodata
from planner.domain import Location, Precision


def town_only(loc: Location) -> bool:
    """True when a letter names a town but no village and its ``precision_km`` bounds only the town's seat.

    A town whose point is a hand estimate states a bound already covering the whole county (so the place too), and
    readings kept to be checked (a homophone, two villages of one name) state the town's territory: both stay
    "实际地点可能在 N km 以内". Only a number smaller than the town's territory is the seat's alone.
    """
    if Precision(loc.precision) is not Precision.TOWN or loc.village_code or not loc.town_code:
        return False
    if loc.precision_km is None:
        return False
    try:
        town = geodata.town_by_code(loc.town_code)
    except geodata.UnknownPlace:  # a farm or zone: its bound is the county's
        return False
    return loc.precision_km < town.territory_km


def estimate_words(loc: Location) -> str:
    """``点在山格镇驻地，实际地点可能在 58.7 km 以内``, or for a letter naming only a town
    ``点在山格镇驻地（驻地点位误差约 3 km）；信中只写到乡镇，所指地点可在山格镇内任何位置``.

    Parameters
    ----------
    loc
        An estimated location (``loc.estimated``).

    Returns
    -------
    str
        One sentence without a final full stop.
    """
    km = loc.precision_km or 0.0
    seat = loc.seat_name() or "驻地"
    if town_only(loc):
        return (f"点在{seat}驻地（驻地点位误差约 {km:g} km）；信中只写到乡镇，所指地点可在{loc.town or seat}内任何位置")
    return f"点在{seat}驻地，实际地点可能在 {km:g} km 以内"


def shared_point_words(locs: Iterable[Location]) -> str:
    """What a marker shared by several letters may say of their distance, ``""`` when nothing is known.

    ``实际地点可能在 N km 以内任何位置`` with the farthest bound of the letters; a bound that holds for a village of
    the town on that point holds for the letters naming only the town, too. When every letter names only the
    town: ``所指地点可在乡镇内任何位置（驻地点位误差约 3 km）``.
    """
    locs = list(locs)
    placed = [loc.precision_km for loc in locs if loc.precision_km and not town_only(loc)]
    if placed:
        return f"实际地点可能在 {max(placed):g} km 以内任何位置"
    seat_km = max((loc.precision_km or 0.0 for loc in locs), default=0.0)
    if not seat_km:
        return ""
    return f"信中只写到乡镇，所指地点可在乡镇内任何位置（驻地点位误差约 {seat_km:g} km）"


__all__ = ["estimate_words", "shared_point_words", "town_only"]
