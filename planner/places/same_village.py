"""Which village a letter's visit stands for, as a key two letters share when they are one stop (同村合为一个点).

选件 makes one stop of a village's letters. A letter whose village the built-in table lacks (淮溪村, a natural or
merged village: the import places it on its town's seat) still names that village: 平和县山格镇淮溪村11组 and
…淮溪村6组 are one village's letters and one stop (walk W12: they were two stops of one team's day at one point,
the lunch break between them), while two letters naming only 山格镇 may be anywhere in the town and stay apart.
A natural village written 东风自然村 (or 东风自然村附近) that the table does not hold is the village 东风村 of its town
(walk W12b: 坂仔镇东风村 and 东风自然村 were two stops at one point, 0 km apart).
"""

from __future__ import annotations

import re
from functools import lru_cache

import geodata
from planner.domain import PetitionCase, Precision
from planner.places.written_names import _unlisted_village


def written_village_name(town: str, address: str) -> str:
    """The village (村, 社区) written right after ``town`` in ``address``, ``""`` when none is: ``淮溪村`` of
    ``平和县山格镇淮溪村6组``."""
    text = re.sub(r"\s+", "", address or "")
    if not town or (at := text.find(town)) < 0:
        return ""
    return _unlisted_village(text, at + len(town))


@lru_cache(maxsize=1)
def _listed() -> dict[tuple[str, str], str]:
    return {(v.town_code, v.name): v.code for v in geodata.villages() if v.town_code}


def one_village_name(name: str) -> str:
    """``东风村`` for ``东风自然村`` (a natural village the table lacks, named as its village is), else ``name``."""
    return name[:-3] + "村" if name.endswith("自然村") and len(name) > 3 else name


def village_key(county: str, town: str, village: str, address: str) -> str:
    """``county|town|village`` of a letter's village (the table's, else the one written after the town), ``""``
    when the letter names no village (two such letters are not known to be at one place)."""
    name = village or one_village_name(written_village_name(town, address))
    return f"{county}|{town}|{name}" if town and name else ""


def stop_key(case: PetitionCase) -> str:
    """The place 选件 makes one stop of: the village (``v`` + its code), a village the table lacks written after
    its town (``w``: walk W12), else the exact address text within the town (``a``)."""
    loc = case.location
    if loc.precision is Precision.VILLAGE and loc.village_code:
        return "v" + loc.village_code
    if loc.town_code and (written := written_village_name(loc.town, case.address_text)):
        name = one_village_name(written)
        if name != written and (code := _listed().get((loc.town_code, name))):
            return "v" + code  # 东风自然村 of 坂仔镇, whose 东风村 the table holds (walk W12b)
        return "w" + loc.town_code + "|" + name
    # Without a village, cases share a visit only when their address text is the same.
    addr = re.sub(r"\s+", "", case.address_text)
    return "a" + (loc.town_code or loc.county_code) + "|" + addr
