"""选件: the letters of one petitioner at one place are one visit, their time not simply summed.

Walk 1: 陈阿水's 301号 and 308号 (范阳村) were one visit, his 322号 (written only 杜浔镇) another at the same point:
planned back to back, 0 km apart, 14:12-15:42 then 15:42-16:42 — 2.5 hours at one household.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from planner.domain import Location, PetitionCase, Precision
from planner.selection.ranking import VisitOptions, build_visits

TODAY = dt.date(2026, 12, 7)
FANYANG = Location(117.602, 23.9446, "漳浦县", "350623", "杜浔镇", "350623104", "范阳村", "350623104201",
                   Precision.VILLAGE)
DUXUN = dataclasses.replace(FANYANG, village="", village_code="", precision=Precision.TOWN)
OTHER_VILLAGE = dataclasses.replace(FANYANG, village="下楼村", village_code="350623104202", lon=117.63)
OPT = VisitOptions()
BASE, PER_CASE = OPT.base_service_min["investigation"], OPT.per_case_min["investigation"]


def _case(no: str, where: Location, who: str = "p-chen", **kw) -> PetitionCase:
    return PetitionCase(case_no=no, received_date=dt.date(2026, 11, 1), content="承包地被侵占", category="土地",
                        location=where, address_text=f"漳浦县杜浔镇{where.village}", petitioner_key=who, **kw)


def test_a_petitioners_letter_naming_only_the_town_joins_the_visit_at_their_village() -> None:
    build = build_visits([_case("301", FANYANG), _case("308", FANYANG), _case("322", DUXUN)], today=TODAY)
    (visit,) = build.visits
    assert set(visit.case_nos) == {"301", "308", "322"}
    assert visit.label.endswith("范阳村") and (visit.lon, visit.lat) == (FANYANG.lon, FANYANG.lat)
    # one person heard once: the further letters add a little reading, not a new talk each
    assert BASE < visit.service_min < BASE + 2 * PER_CASE
    assert visit.service_min == BASE + 2 * OPT.per_repeat_min


def test_other_petitioners_and_other_places_stay_as_they_were() -> None:
    build = build_visits([_case("A", FANYANG), _case("B", FANYANG, who="p-lin"), _case("C", DUXUN, who="p-wu")],
                         today=TODAY)
    by_cases = {v.case_nos: v for v in build.visits}
    assert set(by_cases) == {("A", "B"), ("C",)} or set(by_cases) == {("B", "A"), ("C",)}
    assert next(v for k, v in by_cases.items() if len(k) == 2).service_min == BASE + PER_CASE  # two people
    # the petitioner's letters at two villages of the town: the town-only letter cannot tell which, it stays apart
    build = build_visits([_case("A", FANYANG), _case("B", OTHER_VILLAGE), _case("C", DUXUN)], today=TODAY)
    assert sorted(len(v.case_nos) for v in build.visits) == [1, 1, 1]
