"""Optional online calibration: the office's own 天地图 key geocodes its towns and villages once (source 'tianditu')."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import geodata
from planner.errors import InputError
from planner.places.gazetteer import Place

#: 天地图 geocoder (地理编码): ``?ds={"keyWord": ...}&tk=KEY``; answers WGS-84 (CGCS2000) lon/lat.
GEOCODER_URL = "https://api.tianditu.gov.cn/geocoder"
#: What a 天地图 point of each level stands for: a seat or a village committee, as the service places it.
PRECISION_KM = {"town": 1.0, "village": 1.0, "community": 0.5}
MAX_QUERIES = 3000

Fetch = Callable[[str, dict], dict]


@dataclass(frozen=True, slots=True)
class Target:
    """A place to calibrate: its level, code and the names that make its query (县 + 镇 + 村)."""

    level: str  # town | village | community
    code: str
    county_code: str
    county: str
    town_code: str
    town: str
    village: str = ""

    @property
    def query(self) -> str:
        """The text sent to the geocoder: 福建省漳州市 + county + town (+ village)."""
        return f"福建省漳州市{self.county}{self.town}{self.village}"


@dataclass(frozen=True, slots=True)
class Calibration:
    """What one calibration run found: places to store and, for the others, why not."""

    places: tuple[Place, ...]
    refused: tuple[tuple[str, str], ...]  # (query, reason)


def _fetch_online(url: str, params: dict) -> dict:  # pragma: no cover - the network is never used in tests
    import requests

    r = requests.get(url, params=params, timeout=10, headers={"User-Agent": "xiafang-gazetteer"})
    r.raise_for_status()
    return r.json()


def calibrate(targets: Sequence[Target], key: str, *, fetch: Fetch | None = None) -> Calibration:
    """Geocode places with the office's 天地图 key; keep only answers that lie in the place's own county.

    Parameters
    ----------
    targets
        Towns and villages to look up (one query each).
    key
        The office's 天地图 key (``tk``), from 设置.
    fetch
        ``fetch(url, params) -> dict``; the default calls 天地图 over the network (used only when the
        office switched online calibration on). Tests pass recorded answers.

    Returns
    -------
    Calibration
        ``tianditu`` places, and the queries refused with a reason (no answer, a point in another county).

    Raises
    ------
    InputError
        Without a key, or for more than :data:`MAX_QUERIES` places at once.
    """
    if not str(key).strip():
        raise InputError("天地图密钥（tk）未设置：请在 设置 → 地图底图 中填写本单位的密钥")
    if len(targets) > MAX_QUERIES:
        raise InputError(f"一次最多查询 {MAX_QUERIES} 个地名，现有 {len(targets)} 个")
    get = fetch or _fetch_online
    places, refused = [], []
    for t in targets:
        params = {"ds": json.dumps({"keyWord": t.query}, ensure_ascii=False), "tk": key.strip()}
        try:
            answer = get(GEOCODER_URL, params)
        except Exception as exc:  # a network or service failure refuses this query only
            refused.append((t.query, f"天地图无应答（{type(exc).__name__}）"))
            continue
        loc = (answer or {}).get("location") or {}
        if str((answer or {}).get("status")) != "0" or "lon" not in loc or "lat" not in loc:
            refused.append((t.query, f"天地图未找到（{(answer or {}).get('msg', '')}）"))
            continue
        try:
            lon, lat = float(loc["lon"]), float(loc["lat"])
        except (TypeError, ValueError):
            refused.append((t.query, f"天地图坐标无效：{loc.get('lon')!r}, {loc.get('lat')!r}"))
            continue
        hit = geodata.county_at(lon, lat)
        if hit.code != t.county_code:
            # A same-name place elsewhere, or the county centre for an unknown name: not this place.
            refused.append((t.query, f"天地图给出的点在{hit.name or '漳州市外'}，不在{t.county}"))
            continue
        name = t.village or t.town
        places.append(Place(level=t.level, name=name, lon=round(lon, 7), lat=round(lat, 7), source="tianditu",
                            county_code=t.county_code, town_code=t.town_code,
                            village_code=t.code if t.level != "town" else "", county=t.county, town=t.town,
                            village=t.village, precision_km=PRECISION_KM[t.level], origin="天地图地理编码"))
    return Calibration(tuple(places), tuple(refused))


def targets_for(codes: Sequence[str]) -> list[Target]:
    """Targets for town (9-digit) and village (12-digit) codes of the built-in tables.

    Raises
    ------
    InputError
        For a code that is neither.
    """
    towns = {t.code: t for t in geodata.towns()}
    villages = {v.code: v for v in geodata.villages()}
    counties = {c.code: c.name for c in geodata.counties()}
    out = []
    for code in codes:
        if code in towns:
            t = towns[code]
            out.append(Target("town", code, t.county_code, t.county, t.code, t.name))
        elif code in villages:
            v = villages[code]
            out.append(Target("community" if v.kind == "社区" else "village", code, v.county_code,
                              counties[v.county_code], v.town_code or v.unit_code, v.unit_name, v.name))
        else:
            raise InputError(f"代码 {code!r} 不是漳州市的乡镇（9 位）或村（社区）（12 位）代码")
    return out


__all__ = ["GEOCODER_URL", "Calibration", "Target", "calibrate", "targets_for"]
