"""The field packet: every format for a team-day bundled in one zip (or all team-days of a plan)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from planner.field.geojson import to_geojson
from planner.field.gpx import to_gpx
from planner.field.html_map import to_html
from planner.field.ics import to_ics
from planner.field.kml import to_kml
from planner.field.model import Itinerary
from planner.field.navlinks import nav_links
from planner.field.pdf import to_pdf
from planner.field.visit_times import day_stops, window_text
from planner.field.xlsx import to_xlsx

#: Per-team-day formats: (file suffix, renderer).
DAY_FORMATS: dict[str, Callable[[Itinerary], bytes]] = {
    "pdf": to_pdf,
    "html": to_html,
    "ics": to_ics,
    "gpx": to_gpx,
    "kml": to_kml,
    "geojson": to_geojson,
}


def navlinks_text(it: Itinerary) -> str:
    """Plain-text list of the stops' navigation links (one block per stop), in the order every sheet of the day lists
    them, route order: ``6. 心田村  到达 15:20（约定时段 15:00-16:00）；已登记 08:05（已完成）``, as on 行程 and
    the other files (:mod:`planner.field.visit_times`)."""
    out = [it.title(), *it.notices, ""]
    for s in day_stops(it):
        links = nav_links(s.lon, s.lat, s.name())
        done = f"（{s.outcome}）" if s.outcome else ""
        window = f"（{w}）" if (w := window_text(s.visit)) else ""
        when = f"到达 {s.arrive}{window}" + (f"；{s.recorded.text()}" if s.recorded is not None else "")
        out += [f"{s.seq}. {s.place()}  {when}{done}", f"   高德：{links.amap_web}",
                f"   高德App：{links.amap_app}", f"   百度：{links.baidu_app}", f"   百度网页：{links.baidu_web}", ""]
    return "\n".join(out)


def day_files(it: Itinerary) -> dict[str, bytes]:
    """Every per-day file of one itinerary, keyed by file name (``T1_2026-12-07.pdf`` ...)."""
    files = {f"{it.slug()}.{ext}": render(it) for ext, render in DAY_FORMATS.items()}
    files[f"{it.slug()}_导航链接.txt"] = navlinks_text(it).encode("utf-8")
    return files


def to_zip(items: Itinerary | Iterable[Itinerary], *, unassigned: Sequence[tuple[str, str, str]] = (),
           manifest: dict[str, Any] | None = None) -> bytes:
    """Bundle the field packet: per team-day PDF, HTML map, ICS, GPX, KML, GeoJSON and links, plus the workbook.

    Parameters
    ----------
    items
        One itinerary (one team-day) or several (a whole plan: one folder per team-day).
    unassigned
        Rows for the workbook's summary sheet.
    manifest
        Extra keys for ``manifest.json`` (e.g. plan id).

    Returns
    -------
    bytes
        The zip archive (UTF-8 file names).
    """
    its = [items] if isinstance(items, Itinerary) else list(items)
    buf = io.BytesIO()
    entries = []
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for it in its:
            prefix = "" if len(its) == 1 else f"{it.slug()}/"
            for name, data in day_files(it).items():
                zf.writestr(prefix + name, data)
            entries.append({"team": it.team.team_id, "team_name": it.team.name, "date": it.date.isoformat(),
                            "stops": [s.visit.visit_id for s in day_stops(it)], "folder": prefix or "."})
        mark = "_含信访人身份" if any(it.unmasked for it in its) else ""
        zf.writestr(f"行程汇总{mark}.xlsx", to_xlsx(its, unassigned=unassigned))
        zf.writestr("manifest.json", json.dumps({**(manifest or {}), "itineraries": entries}, ensure_ascii=False,
                                                indent=1))
    return buf.getvalue()
