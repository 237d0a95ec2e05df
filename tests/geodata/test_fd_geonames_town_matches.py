"""Walk W25: a GeoNames town point is trusted only as a township seat inside its own county, distinct from every other
town's point (和平乡 of 云霄县 sits at GeoNames 1917888 寨仔埔, PPLA4, 7.5 km west of the county seat)."""

from __future__ import annotations

import csv
import importlib.util
import itertools
from pathlib import Path

import geodata
from geodata import DATA_DIR
from geodata.polygons import county_at

ROWS = list(csv.DictReader((DATA_DIR / "town_points.csv").open(encoding="utf-8", newline="")))
GEONAMES = [r for r in ROWS if r["source"] == "geonames"]
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_town_points.py"


def _build_module():
    spec = importlib.util.spec_from_file_location("build_town_points", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_every_geonames_point_is_a_seat_inside_its_county_and_its_own_place():
    assert GEONAMES
    for r in GEONAMES:
        # A seat of an administrative division, never a plain populated place (a village of the same name).
        assert r["geonames_feature"] in ("PPLA3", "PPLA4"), r["town"]
        assert r["geonames_name"], r["town"]
        # Inside the county's own polygon, not only by the coast fallback.
        hit = county_at(float(r["lon"]), float(r["lat"]))
        assert hit.inside and hit.code == r["county_code"], r["town"]
    # Two towns never share one GeoNames place, nor two places within 2 km of each other (every county seat town is
    # among them, so no other town sits on its county's seat: 和平乡 is 7.5 km from 云陵镇).
    assert len({r["geonames_id"] for r in GEONAMES}) == len(GEONAMES)
    for a, b in itertools.combinations(GEONAMES, 2):
        d = geodata.haversine_km(float(a["lon"]), float(a["lat"]), float(b["lon"]), float(b["lat"]))
        assert d > 2, (a["town"], b["town"])


def _line(gid, name, alt, lat, lon, feature):
    row = [str(gid), name, name, alt, str(lat), str(lon), "P", feature, "CN", "", "07", "3506", "", "", "0", "",
           "10", "Asia/Shanghai", "2021-09-20"]
    return "\t".join(row) + "\n"


def test_build_takes_a_seat_and_never_a_village_of_the_same_name(tmp_path):
    """The build keeps a plain PPL out even when it is the one place of the town's name in the county: 和平村 is a
    village, not 和平乡's seat; the seat (PPLA4) is taken; neither leaves the town an estimate with a 3 km bound."""
    mod = _build_module()
    village_only = tmp_path / "village.txt"
    village_only.write_text(_line(9000001, "Heping", "和平,和平村", 24.10, 117.30, "PPL"), encoding="utf-8")
    row = next(r for r in mod.build(village_only) if r["town"] == "和平乡")
    assert row["source"] == "estimate" and float(row["precision_km"]) > 10
    seat = tmp_path / "seat.txt"
    seat.write_text(_line(9000001, "Heping", "和平,和平村", 24.10, 117.30, "PPL")
                    + _line(9000002, "Zhaizipu", "和平,寨仔埔", 23.95675, 117.26266, "PPLA4"), encoding="utf-8")
    row = next(r for r in mod.build(seat) if r["town"] == "和平乡")
    assert (row["source"], row["geonames_id"], row["geonames_feature"], row["geonames_name"]) == (
        "geonames", "9000002", "PPLA4", "Zhaizipu")
    assert row["precision_km"] == f"{mod.GEONAMES_KM:.1f}"
