"""Offline HTML map of one team-day: a single self-contained file (Leaflet inlined, no request leaves the phone)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from planner.domain import FIVE_QUESTIONS
from planner.field.county_labels import LABEL_CSS, LABELS_JS, label_rows
from planner.field.model import Itinerary
from planner.field.navlinks import nav_links
from planner.field.stop_state import LEGEND_CSS, LEGEND_JS, STATE_STYLE, WAITING, group_state, legend, stop_state
from planner.field.visit_times import sheet_rows, when_text
from planner.office.privacy import escape_html

_LEAFLET_JS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"
_LEAFLET_CSS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"

#: The page may run its own inline code and show data: images, and nothing else: the browser itself refuses
#: any request to the network even if some text slipped through.
CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"

_CSS = """
html,body{margin:0;padding:0;font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;
  font-size:15px;color:#222;background:#fff}
header{padding:8px 12px;background:#1f4e79;color:#fff}
header h1{font-size:18px;margin:0 0 4px}
header p{margin:2px 0;font-size:13px}
#map{height:60vh;min-height:320px;background:#eef2f5}
.xf-stop div,.xf-base div{width:26px;height:26px;border-radius:13px;background:#c0392b;color:#fff;
  font-weight:bold;text-align:center;line-height:26px;border:2px solid #fff;box-shadow:0 0 3px #000}
.xf-base div{background:#1f4e79;border-radius:4px}
.xf-stop.xf-done div::after{content:"\\2713"}
ol.stops li.done{color:#666}
.mark{font-weight:bold;color:#1e7b34}
li.off .mark{color:#8a5a00}
li.partial .mark{color:#7d3c98}
ol.stops{margin:0;padding:8px 12px 8px 32px}
ol.stops li{margin:0 0 10px}
.t{font-weight:bold;color:#1f4e79}
.case{margin:2px 0;font-size:14px}
.due{color:#a0522d}
.secret{color:#c0392b;font-weight:bold}
.nav a{display:inline-block;margin:4px 8px 0 0;padding:4px 8px;border:1px solid #1f4e79;border-radius:4px;
  color:#1f4e79;text-decoration:none}
.break{background:#fff2cc;padding:4px 8px;margin:0 0 10px -20px;border-radius:4px;list-style:none}
details{padding:0 12px 16px}
.notice{margin:8px 12px;padding:6px 8px;border:1px solid #c0392b;background:#fdecea;color:#8b1e13}
ul.putoff{margin:8px 12px 0;padding:0 0 0 20px;color:#555}
.leaflet-container path.leaflet-interactive:focus{outline:none}
"""

_JS = """
(function(){
  var D = JSON.parse(document.getElementById('xf-data').textContent);
  var map = L.map('map', {attributionControl: false, zoomSnap: 0.25});
  var pts = [[D.base.lat, D.base.lon]];
  D.stops.forEach(function(s){ pts.push([s.lat, s.lon]); });
  pts.push([D.base.lat, D.base.lon]);
  // Vector layers need a view before they are added.
  // Padding for the markers drawn on the outermost points (26 px, centred) and the letters beside them.
  map.fitBounds(L.latLngBounds(pts), {padding: [36, 36], maxZoom: 14});
  if (D.counties) {
    // Each outline names its county when touched; the names stand where they fit (planner.field.county_labels),
    // above the outlines' fill (a pane below theirs) and below the route and the stops.
    map.createPane('xfCounties').style.zIndex = 350;
    L.geoJSON(D.counties, {pane: 'xfCounties',
      style: {color: '#7f8c8d', weight: 1, fillColor: '#dfe6e9', fillOpacity: 0.5},
      onEachFeature: function (f, layer) {
        var t = document.createElement('span');
        t.textContent = f.properties.name;
        layer.bindTooltip(t, {sticky: false});
      }}).addTo(map);
    (""" + LABELS_JS + """)(map, L.layerGroup().addTo(map), D.labels);
  }
  // A popup opens right of the +/- buttons (walk W26, 390 px: they covered its first letters) and fits the screen.
  var POP = {autoPanPaddingTopLeft: L.point(56, 10), autoPanPaddingBottomRight: L.point(8, 10),
             maxWidth: Math.max(160, Math.min(300, (map.getSize().x || 390) - 115))};
  function popup(groups){
    var box = document.createElement('div');
    groups.forEach(function(lines){
      lines.forEach(function(t, i){
        var p = document.createElement('div'), b = i === 0 ? p.appendChild(document.createElement('b')) : p;
        b.textContent = t;  // text, never HTML: letters may contain markup
        box.appendChild(p);
      });
    });
    return box;
  }
  L.marker([D.base.lat, D.base.lon], {icon: L.divIcon({className: 'xf-base', html: '<div>驻</div>',
    iconSize: [30, 30]}), title: D.base.name}).bindPopup(popup([[D.base.name, D.base.times]]), POP).addTo(map);
  // Stops at one point (an estimated place several letters share) are one marker numbered 1·3 whose popup lists
  // each stop: drawn apart, the later marker hid the earlier number (walk 2).
  var at = {}, keys = [];
  D.stops.forEach(function(s){
    var k = s.lat + ',' + s.lon;
    if (!at[k]) { at[k] = []; keys.push(k); }
    at[k].push(s);
  });
  keys.forEach(function(k){
    var g = at[k], nos = g.map(function(s){ return Number(s.seq); }), w = 30 + 14 * (g.length - 1);
    var head = g.length > 1 ? [['第 ' + nos.join('、') + ' 站在同一地点']] : [];
    // A stop recorded on the day (行程's 已完成, 部分完成, 已改期, 未找到) is grey and ticked, purple or amber: the
    // rest stand out. The marker's state (one for the stops at its point) is planner.field.stop_state's.
    var done = g[0].kind === 'done', kind = g[0].kind ? ' xf-' + g[0].kind : '';
    if (done) { w += 10; }  // room for the tick (drawn by the style: the marker's text stays its numbers)
    L.marker([g[0].lat, g[0].lon], {icon: L.divIcon({className: 'xf-stop' + kind,
      html: '<div' + (g.length > 1 || done ? ' style="width:' + (w - 4) + 'px"' : '') + '>' + nos.join('·') + '</div>',
      iconSize: [w, 30]}), title: g.map(function(s){ return s.seq + '. ' + s.place + (s.mark ? '（' + s.mark + '）'
        : ''); }).join('；')})
      .bindPopup(popup(head.concat(g.map(function(s){ return s.lines; }))), POP).addTo(map);
  });
  L.polyline(pts, {color: '#1f77d0', weight: 4, opacity: 0.85, className: 'xf-route'}).addTo(map);
  if (D.legend.length) (""" + LEGEND_JS + """)(map, D.legend);  // what each colour means, once a stop is recorded
  document.body.setAttribute('data-ready', '1');
})();
"""


#: Leaflet as vendored for the app by ``planner.field.maps.vendor_assets`` (byte-identical to folium-offline's copy).
VENDOR_DIR = Path(__file__).resolve().parents[2] / "static" / "vendor"


@lru_cache(maxsize=1)
def _leaflet() -> tuple[str, str]:
    js, css = VENDOR_DIR / "leaflet.js", VENDOR_DIR / "leaflet.css"
    if js.is_file() and css.is_file():
        # Reading two files takes milliseconds; importing offlinefolium (pandas, 7 MB of sources) takes a second.
        return js.read_text(encoding="utf-8"), css.read_text(encoding="utf-8")
    # folium-offline ships the exact files folium would fetch from the CDN; take Leaflet's JS and CSS only.
    from offlinefolium.elements import _res

    return _res[_LEAFLET_JS], _res[_LEAFLET_CSS]


@lru_cache(maxsize=1)
def _counties() -> dict | None:
    try:
        import geodata

        return geodata.county_geojson()
    except Exception:
        return None


def _script_json(data: object) -> str:
    # JSON inside <script>: escape <, > and & so text such as "</script>" cannot close the element.
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def to_html(it: Itinerary, *, counties: bool = True) -> bytes:
    """Render one team-day as a self-contained HTML page: map with route, numbered stops, popups, stop list.

    Parameters
    ----------
    it
        The itinerary.
    counties
        Draw the county outlines as the basemap (there are no tiles offline).

    Returns
    -------
    bytes
        UTF-8 HTML. Every text from the plan is escaped (``html.escape``) or passed as JSON read with
        ``textContent``; a Content-Security-Policy forbids any network request.
    """
    js, css = _leaflet()
    e = escape_html
    stops_data = []
    items: dict[int, str] = {}
    for s in it.stops:
        mark = f"（{s.outcome}）" if s.outcome else ""  # as 行程 marks the stop once its outcome is recorded
        # Its planned time, its time window and when a result was recorded, as 行程 and the sheets say them
        # (planner.field.visit_times).
        times = when_text(s)
        lines = [f"{s.seq}. {s.place()}{mark}", times]
        if note := s.estimate_text():
            lines.append(note)
        lines += [f"[{c.case_no}] {c.summary}" + ("（信访人要求保密）" if c.confidential else "") for c in s.cases]
        if (d := s.earliest_deadline()) is not None:
            lines.append(f"办理期限 {d.isoformat()}")
        state = stop_state(s.outcome)
        stops_data.append({"seq": s.seq, "lon": s.lon, "lat": s.lat, "place": s.place(), "lines": lines,
                           "state": state, "mark": s.outcome})
        links = nav_links(s.lon, s.lat, s.name())
        cases_html = "".join(
            f'<div class="case">[{e(c.case_no)}] {e(c.summary)}'
            + (f' <span class="due">期限 {e(c.deadline.isoformat())}</span>' if c.deadline else "")
            + (f" 信访人：{e(c.petitioner_text())}" if c.petitioner_text() else "")
            + (f'<div class="secret">{e(c.confidential_text())}</div>' if c.confidential else "")
            + (f'<div class="due">{e(c.repeats_text())}</div>' if c.repeats else "")
            + (f'<div class="related">{e(c.systemic_text())}</div>' if c.systemic else "")
            + "</div>"
            for c in s.cases
        )
        items[s.seq] = (
            f'<li value="{s.seq}" data-seq="{s.seq}"' + (f' class="{state}"' if state else "") + ">"
            + f'<span class="t">{e(times)}</span> '
            + f"<b>{e(s.place())}</b>" + (f'<span class="mark">{e(mark)}</span>' if mark else "")
            + (f'<div class="due">{e(note)}</div>' if note else "") + f"{cases_html}"
            f'<div class="nav"><a href="{e(links.amap_web)}">高德导航</a>'
            f'<a href="{e(links.baidu_app)}">百度地图</a></div></li>'
        )
    # The list as every sheet of the day has it: route order, the lunch break where the plan puts it.
    rows = [s for s in sheet_rows(it) if s is None or not s.put_off]
    if it.has_break() and it.break_leg == len(it.stops):
        rows = rows[:-1]  # on the way back: after the list, as before
    listed = [f'<li class="break">午休 {e(it.break_text())}</li>' if s is None else items[s.seq] for s in rows]
    # Stops at one point are one marker (drawn by the script): its state is theirs together.
    at: dict[tuple[float, float], list[str]] = {}
    for d in stops_data:
        at.setdefault((d["lat"], d["lon"]), []).append(d["state"])
    for d in stops_data:
        d["kind"] = group_state(at[(d["lat"], d["lon"])])
    recorded = any(d["state"] != WAITING for d in stops_data)
    data = {
        "base": {"lon": it.team.base_lon, "lat": it.team.base_lat, "name": it.team.base_name or "驻地",
                 "times": f"出发 {it.depart}，返回 {it.return_}"},
        "stops": stops_data,
        "counties": _counties() if counties else None,
        "labels": label_rows() if counties else [],
        # Every state shown: the markers' and the list's (each stop's own mark).
        "legend": [list(e) for e in legend([*(d["kind"] for d in stops_data), *(d["state"] for d in stops_data)])]
        if recorded else [],
    }
    # What re-plans changed of the day, and the stops recorded 改期 here and moved off it since (text, escaped).
    notices = "".join(f'<p class="notice">{e(n)}</p>' for n in it.notices)
    put_off = "".join(
        f"<li><b>{e(s.place())}</b>（{e(s.put_off)}）"
        + "".join(f'<div class="case">[{e(c.case_no)}] {e(c.summary)}</div>' for c in s.cases) + "</li>"
        for s in it.put_off)
    put_off = f'<ul class="putoff">{put_off}</ul>' if put_off else ""
    questions = "".join(f"<li>{e(q)}</li>" for q in FIVE_QUESTIONS)
    tail = f'<p class="break">午休 {e(it.break_text())}</p>' if it.has_break() and it.break_leg == len(it.stops) else ""
    lunch = f"　午休 {e(it.break_text())}" if it.has_break() else ""
    progress = f'<p class="progress">{e(it.progress)}</p>' if it.progress else ""
    # The markers' colours, as the legend gives them (and the in-app map draws them).
    colours = "".join(f".xf-stop{'.xf-' + k if k else ''} div{{background:{c}}}" for k, (_w, c) in STATE_STYLE.items())
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(it.title())}</title>
<style>{css}</style><style>{_CSS}{LEGEND_CSS}{LABEL_CSS}{colours}</style>
<script>{js}</script>
</head><body>
<header><h1>{e(it.title())}</h1>
<p>成员：{e(it.members_text())}</p>
<p>驻地：{e(it.team.base_name)}　出发 {e(it.depart)}　返回 {e(it.return_)}{lunch}</p>{progress}
</header>{notices}
<div id="map"></div>{put_off}
<ol class="stops">{''.join(listed)}</ol>{tail}
<details><summary>访前五问</summary><ol>{questions}</ol></details>
<script type="application/json" id="xf-data">{_script_json(data)}</script>
<script>{_JS}</script>
</body></html>
"""
    return page.encode("utf-8")
