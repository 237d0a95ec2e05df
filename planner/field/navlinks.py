"""Navigation links per stop: Amap (高德, GCJ-02) and Baidu (百度, BD-09) URIs that open turn-by-turn driving."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from geodata import datum

#: ``src`` identifies the caller to Baidu's URI API (it is required there, and harmless elsewhere).
APP_SRC = "xiafang.zhangzhou"


@dataclass(frozen=True, slots=True)
class NavLinks:
    """The links for one destination; coordinates are in each app's own datum."""

    name: str
    gcj_lon: float
    gcj_lat: float
    bd_lon: float
    bd_lat: float
    amap_web: str  # https://uri.amap.com/navigation ... opens the app if installed, else the web page
    amap_app: str  # amapuri://route/plan/ ... (Android/iOS app scheme)
    baidu_web: str  # https://api.map.baidu.com/direction ...
    baidu_app: str  # baidumap://map/direction ...

    @property
    def qr_target(self) -> str:
        """The link a QR code carries: a short https Amap navigation link any phone camera can open.

        Without the name it stays short, so the printed code has few, large modules that scan in poor light.
        """
        return f"https://uri.amap.com/navigation?to={self.gcj_lon:.6f},{self.gcj_lat:.6f}&mode=car&callnative=1"


def _q(text: str) -> str:
    # quote everything except what URI query values allow; keeps Chinese readable once decoded.
    return quote(text, safe="")


def nav_links(lon: float, lat: float, name: str = "") -> NavLinks:
    """Build Amap and Baidu driving links to a WGS-84 point.

    Parameters
    ----------
    lon, lat
        WGS-84 degrees (the library's datum); converted with :mod:`geodata.datum` for each app.
    name
        Destination name shown by the app (URL-encoded here).

    Returns
    -------
    NavLinks
    """
    glon, glat = datum.wgs84_to_gcj02(lon, lat)
    blon, blat = datum.wgs84_to_bd09(lon, lat)
    name = (name or "目的地").replace("|", " ").replace(",", "，")
    g = f"{glon:.6f},{glat:.6f}"
    amap_web = "https://uri.amap.com/navigation?" + urlencode(
        {"to": f"{g},{name}", "mode": "car", "policy": "1", "src": APP_SRC, "coordinate": "gaode", "callnative": "1"},
        quote_via=quote,
    )
    amap_app = (
        f"amapuri://route/plan/?dlat={glat:.6f}&dlon={glon:.6f}&dname={_q(name)}&dev=0&t=0&sourceApplication={APP_SRC}"
    )
    dest = f"latlng:{blat:.6f},{blon:.6f}|name:{name}"
    baidu_q = urlencode(
        {"destination": dest, "coord_type": "bd09ll", "mode": "driving", "src": APP_SRC}, quote_via=quote
    )
    return NavLinks(
        name=name,
        gcj_lon=glon,
        gcj_lat=glat,
        bd_lon=blon,
        bd_lat=blat,
        amap_web=amap_web,
        amap_app=amap_app,
        baidu_web="https://api.map.baidu.com/direction?" + baidu_q + "&output=html&region=" + _q("漳州"),
        baidu_app="baidumap://map/direction?" + baidu_q,
    )
