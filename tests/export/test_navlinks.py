"""Navigation links carry each app's own datum: GCJ-02 for Amap, BD-09 for Baidu (checked against prcoords)."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import prcoords
import pytest

from planner.field import nav_links

POINTS = [(117.43, 24.37, "平和县山格镇隆庆村"), (117.647, 24.513, "漳州市纪委监委"), (117.428, 23.703, "东山县")]


@pytest.mark.parametrize(("lon", "lat", "name"), POINTS)
def test_amap_link_is_gcj02(lon, lat, name):
    links = nav_links(lon, lat, name)
    ref = prcoords.wgs_gcj((lat, lon))
    assert (links.gcj_lat, links.gcj_lon) == pytest.approx((ref.lat, ref.lon), abs=1e-7)
    q = parse_qs(urlsplit(links.amap_web).query)
    to_lon, to_lat, to_name = q["to"][0].split(",", 2)
    assert (float(to_lat), float(to_lon)) == pytest.approx((ref.lat, ref.lon), abs=1e-6)
    assert to_name == name and q["coordinate"] == ["gaode"] and q["mode"] == ["car"]
    app = parse_qs(urlsplit(links.amap_app).query)
    assert (float(app["dlat"][0]), float(app["dlon"][0])) == pytest.approx((ref.lat, ref.lon), abs=1e-6)
    assert unquote(app["dname"][0]) == name and app["dev"] == ["0"]


@pytest.mark.parametrize(("lon", "lat", "name"), POINTS)
def test_baidu_link_is_bd09(lon, lat, name):
    links = nav_links(lon, lat, name)
    ref = prcoords.wgs_bd((lat, lon))
    assert (links.bd_lat, links.bd_lon) == pytest.approx((ref.lat, ref.lon), abs=1e-7)
    for url in (links.baidu_app, links.baidu_web):
        q = parse_qs(urlsplit(url).query)
        dest = q["destination"][0]
        latlng, dname = dest.split("|")
        blat, blon = map(float, latlng.removeprefix("latlng:").split(","))
        assert (blat, blon) == pytest.approx((ref.lat, ref.lon), abs=1e-6)
        assert dname == f"name:{name}"
        assert q["coord_type"] == ["bd09ll"] and q["mode"] == ["driving"] and q["src"]
    assert links.baidu_app.startswith("baidumap://map/direction?")


def test_shift_is_the_expected_few_hundred_metres():
    # Around Zhangzhou GCJ-02 moves points by roughly 550-600 m; a link in WGS-84 would send the car astray.
    links = nav_links(117.43, 24.37)
    dx = (links.gcj_lon - 117.43) * 101_400
    dy = (links.gcj_lat - 24.37) * 110_900
    assert 450 < (dx * dx + dy * dy) ** 0.5 < 700


def test_qr_target_is_short_https_gcj02():
    links = nav_links(117.43, 24.37, "x" * 80)
    assert links.qr_target.startswith("https://uri.amap.com/navigation?")
    assert len(links.qr_target) < 100
    assert f"{links.gcj_lon:.6f},{links.gcj_lat:.6f}" in links.qr_target


def test_separators_in_names_cannot_break_the_uri():
    links = nav_links(117.43, 24.37, "甲村|name:evil,1")
    dest = parse_qs(urlsplit(links.baidu_app).query)["destination"][0]
    assert dest.count("|") == 1
