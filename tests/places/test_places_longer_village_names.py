"""A written village name the table lacks is never shortened into another village of the town (walk R, defect 1).

白石头村 is not 白石村: X头/X尾/X坑/X厝 is often a natural village of its own, so the letter is read at the town,
with the unlisted-village note, and counted as to be checked.
"""

from __future__ import annotations

import pytest

from planner.places.estimates import written_village
from planner.places.resolver import resolve


@pytest.mark.parametrize(("address", "town", "written", "shorter"), [
    ("云霄县火田镇白石头村", "火田镇", "白石头村", "白石村"),
    ("平和县山格镇新陂头村", "山格镇", "新陂头村", "新陂村"),
    ("南靖县书洋镇田中头村", "书洋镇", "田中头村", "田中村"),
    ("华安县马坑乡和春头村", "马坑乡", "和春头村", "和春村"),
    ("云霄县火田镇白石尾村", "火田镇", "白石尾村", "白石村"),
    ("云霄县火田镇白石厝村", "火田镇", "白石厝村", "白石村"),
    ("云霄县火田镇白石坑村", "火田镇", "白石坑村", "白石村"),
    ("平和县山格镇新陂下社区", "山格镇", "新陂下社区", "新陂村"),
])
def test_longer_name_is_an_unlisted_village_not_the_shorter_one(address, town, written, shorter):
    res = resolve(address)
    assert res.village != shorter and res.village_code == ""
    assert res.town == town and res.precision == "town"
    note = written_village(res.message)
    assert note is not None and note.name == written and note.town == town, res.message


def test_shorter_village_absent_too():
    # 火田镇 has no 石门村 either: the longer name was unlisted before and stays so.
    res = resolve("云霄县火田镇石门头村")
    assert res.village_code == "" and "火田镇没有“石门头村”" in res.message


@pytest.mark.parametrize(("address", "village"), [
    ("云霄县火田镇白石村", "白石村"),
    ("云霄县火田镇白石3组", "白石村"),
    ("云霄县火田镇白石村头", "白石村"),
    ("平和县山格镇新陂村委会", "新陂村"),
])
def test_the_village_itself_still_reads(address, village):
    assert resolve(address).village == village


def test_bare_name_before_a_listed_village_stays_two_candidates():
    # 土田白楼村: a listed village after the bare name is not one longer name; both stay candidates.
    res = resolve("平和县山格镇土田白楼村")
    assert res.ambiguous and {c.split("(")[0][-3:] for c in res.candidates} == {"白楼村", "土田村"}
