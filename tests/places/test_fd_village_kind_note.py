"""Walk W25: a village written with the other kind's suffix is said, and asked to be checked only when two places
could be meant (planner.places.village_kind)."""

from __future__ import annotations

import pytest

import geodata
from planner.places.check_notes import check_reason, needs_check
from planner.places.resolver import resolve


@pytest.mark.parametrize(("address", "written", "name"), [
    ("云霄县和平乡宜谷径村", "宜谷径村", "宜谷径社区"),
    ("和平乡宜谷径村委会", "宜谷径村委会", "宜谷径社区"),
    ("云霄县宜谷径村", "宜谷径村", "宜谷径社区"),
    ("召安县秀篆镇寨坪社区", "寨坪社区", "寨坪村"),  # a 村 written 社区, after a county read by its typo
])
def test_other_kind_is_said_and_asks_no_check(address, written, name):
    r = resolve(address)
    assert r.village == name and not r.ambiguous
    assert f"“{written}”按村表读作{name}" in r.message
    assert not needs_check(r.message)  # a 社区 written 村 is the same place
    # Written with its own kind (or bare), the same village says nothing more.
    bare = name[:-2] if name.endswith("社区") else name[:-1]
    for same in (address.replace(written, name), address.replace(written, bare)):
        assert "按村表读作" not in resolve(same).message, same


def test_note_comes_after_the_readings_of_county_and_town():
    msg = resolve("召安县秀篆镇寨坪社区").message
    assert msg.index("“召安县”读作") < msg.index("“寨坪社区”按村表读作") < msg.index("已识别到村")


def test_zone_note_stays_first():
    msg = resolve("华安县仙都镇大地社区").message
    assert msg.startswith("大地村属于福建土楼（华安）旅游区") and "“大地社区”按村表读作大地村" in msg


@pytest.mark.parametrize(("address", "read", "other"), [
    ("云霄县和平乡泮坑村", "泮坑社区", "马铺乡另有泮坑村"),
    ("云霄县马铺乡泮坑社区", "泮坑村", "和平乡另有泮坑社区"),
])
def test_two_places_could_be_meant_asks_a_check(address, read, other):
    r = resolve(address)
    assert r.village == read
    assert other in r.message and needs_check(r.message)
    written = address[address.index("乡") + 1:]
    assert check_reason(r.message).startswith(f"“{written}”读作{read}")


def test_every_village_written_with_the_other_kind():
    """Every 村/社区 of the table, written under its town with the other kind's suffix, is read as itself, said so,
    and asks a check exactly when another village of its county is written that way."""
    villages = [v for v in geodata.villages() if v.kind in ("村", "社区") and v.town_code]
    written_as = {(v.county_code, v.name) for v in villages}
    towns = {t.code: t.name for t in geodata.towns()}
    checked = 0
    for v in villages:
        other = v.core + ("社区" if v.kind == "村" else "村")
        if (v.county_code, other) in {(v.county_code, o.name) for o in villages if o.town_code == v.town_code}:
            continue  # the town holds both: the written name is the other one
        r = resolve(f"{towns[v.town_code]}{other}")
        if r.village_code != v.code or r.ambiguous:
            continue  # read otherwise by another rule (a same-named town elsewhere, a longer name): not this note
        checked += 1
        assert f"“{other}”按村表读作{v.name}" in r.message, (v.name, r.message)
        assert needs_check(r.message) == ((v.county_code, other) in written_as), (v.name, r.message)
    assert checked > 1500
