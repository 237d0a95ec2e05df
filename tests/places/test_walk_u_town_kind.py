"""Walk U: a town written with another kind (朝阳镇 for 朝阳街道) or read from 城南/城北 is said and kept to check."""

from __future__ import annotations

import pytest

from planner.intake.address_checks import needs_check
from planner.places.resolver import resolve


@pytest.mark.parametrize(
    "address, town", [("龙文区朝阳镇", "朝阳街道"), ("诏安县城南", "南诏镇"), ("平和县城北", "小溪镇")]
)
def test_a_town_read_as_another_kind_or_from_a_direction_is_to_be_checked(address, town):
    r = resolve(address)
    assert r.town == town and r.precision == "town"
    assert "读作" in r.message and needs_check(r.message)


@pytest.mark.parametrize("address", ["龙文区朝阳街道", "诏安县南诏镇", "诏安县城", "龙海区角美", "龙海市海澄镇"])
def test_a_town_written_by_its_name_or_the_county_town_is_not_to_be_checked(address):
    r = resolve(address)
    assert r.precision == "town" and not needs_check(r.message), r.message
