"""County names on the offline maps, readable at every zoom, the app's maps and the offline day map alike.

Walk W18: on the officer's phone (390 px) the names were drawn at each county's seat, so 芗城区 and 龙文区 (seats
6 km apart) ran together as 「芗龙文区」, 南靖县 and 平和县 sat on their borders, and the offline HTML map drew
the outlines with no names at all. Now each name stands at the point deepest inside its county's largest polygon
(:func:`shapely.ops.polylabel`, measured in kilometres, not degrees), and the map's script shows a name only
where it fits inside its county and clears the names already drawn, the larger counties first: at a phone's zoom
the small urban districts drop out until one zooms in, and the county outline's tooltip still names each.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import geodata

#: The look of a county name (the app's maps carry the same rule in their own style sheet).
LABEL_CSS = (".xf-county-label{color:#37474f;font-size:12px;font-weight:600;white-space:nowrap;"
             "text-shadow:0 0 3px #fff,0 0 3px #fff;pointer-events:none;text-align:center}")

#: ``function (map, group, rows)``: draws the names of ``rows`` (:func:`label_rows`) in the layer ``group`` of
#: ``map`` and, whenever the zoom changes, keeps only those that fit their county and do not touch a larger
#: county's name. Names are HTML-escaped by :func:`label_rows`; the width is reckoned from the character count.
LABELS_JS = """function (map, group, rows) {
  // A pane of their own, above the county fills and below routes, markers and labels of stops (a stop's number or
  // the 午休 label is never hidden by a county's name); taps go through it.
  if (!map.getPane('xfCountyNames')) {
    var pane = map.createPane('xfCountyNames');
    pane.style.zIndex = 380;
    pane.style.pointerEvents = 'none';
  }
  var items = rows.map(function (r) {
    var w = r[5] * 13 + 6, h = 16;
    return {r: r, w: w, h: h, m: L.marker([r[0], r[1]], {interactive: false, keyboard: false, pane: 'xfCountyNames',
      icon: L.divIcon({className: 'xf-empty', iconSize: [w, h], iconAnchor: [w / 2, h / 2],
      html: '<div class="xf-county-label">' + r[2] + '</div>'})})};
  });
  items.sort(function (a, b) { return b.r[3] - a.r[3]; });
  function place() {
    if (!map._loaded) { return; }
    var shown = [];
    items.forEach(function (it) {
      var p = map.latLngToContainerPoint([it.r[0], it.r[1]]), b = it.r[4];
      var sw = map.latLngToContainerPoint([b[0], b[1]]), ne = map.latLngToContainerPoint([b[2], b[3]]);
      var box = {x0: p.x - it.w / 2, x1: p.x + it.w / 2, y0: p.y - it.h / 2, y1: p.y + it.h / 2};
      var fits = ne.x - sw.x >= it.w && sw.y - ne.y >= it.h;
      var free = shown.every(function (o) {
        return box.x1 + 3 < o.x0 || o.x1 + 3 < box.x0 || box.y1 + 2 < o.y0 || o.y1 + 2 < box.y0;
      });
      if (fits && free) { shown.push(box); group.addLayer(it.m); } else { group.removeLayer(it.m); }
    });
  }
  map.on('zoomend', place);
  group.on('add', place);
  map.whenReady(place);
}"""


@dataclass(frozen=True, slots=True)
class CountyLabel:
    """Where a county's name is written: ``lon``/``lat`` deep inside it, ``area_km2`` (larger counties' names win
    where two would touch) and the bounding box ``(west, south, east, north)`` of the polygon it stands in."""

    code: str
    name: str
    lon: float
    lat: float
    area_km2: float
    bbox: tuple[float, float, float, float]


@lru_cache(maxsize=1)
def county_labels() -> tuple[CountyLabel, ...]:
    """Each county's label point: the pole of inaccessibility of its largest polygon (islands of 东山县 and 龙海区
    are not where a reader looks for the name), computed on a plane scaled to kilometres."""
    from shapely.affinity import scale
    from shapely.geometry import shape
    from shapely.ops import polylabel

    out = []
    for f in geodata.county_geojson()["features"]:
        geom = shape(f["geometry"])
        parts = list(getattr(geom, "geoms", [geom]))
        lat0 = geom.centroid.y
        kx, ky = 111.32 * math.cos(math.radians(lat0)), 110.57
        planar = [scale(p, xfact=kx, yfact=ky, origin=(0, 0)) for p in parts]
        i = max(range(len(planar)), key=lambda k: planar[k].area)
        pt = polylabel(planar[i], tolerance=0.2)
        w, s, e, n = parts[i].bounds
        out.append(CountyLabel(f["properties"]["code"], f["properties"]["name"], round(pt.x / kx, 5),
                               round(pt.y / ky, 5), round(sum(p.area for p in planar), 1), (w, s, e, n)))
    return tuple(out)


def label_rows(proj: Callable[[float, float], tuple[float, float]] | None = None) -> list[list]:
    """The rows :data:`LABELS_JS` draws: ``[lat, lon, escaped name, area, [south, west, north, east], characters]``.

    ``proj`` turns WGS-84 ``(lon, lat)`` into the map's ``(lat, lon)`` (GCJ-02 over 高德 tiles); plain WGS-84 when
    omitted.
    """
    proj = proj or (lambda lon, lat: (round(lat, 6), round(lon, 6)))
    rows = []
    for c in county_labels():
        w, s, e, n = c.bbox
        rows.append([*proj(c.lon, c.lat), html.escape(c.name, quote=True), c.area_km2,
                     [*proj(w, s), *proj(e, n)], len(c.name)])
    return rows
