"""Real browser: correct a village's point on 案件地图 by clicking the map; a new letter from that village lands
there, and a plan's travel times follow the new point."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from browser_helpers import DESKTOP, SCREENSHOTS, map_frame, sign_in, wait_for_app
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import select

import geodata
from planner.cli import main
from planner.domain import Team
from planner.intake import register as intake
from planner.office.security import create_user, get_actor
from planner.store.database import make_engine, session_scope, upgrade
from planner.store.models import CaseRow, PlaceRow
from planner.store.teams import write_teams_csv

USER, PASSWORD = "place.coord", "Zhangzhou-Places-2026"
HEADER = ("编号,收件日期,办理期限,来源,问题类别,信访人,联系电话,身份证号,反映内容,被反映人,被反映单位,"
          "地址,经度,纬度,坐标系,办理状态\n")


def _database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The app server's SQLite file (its data folder is the session's first ``xiafang-data<n>``)."""
    found = sorted(p for p in tmp_path_factory.getbasetemp().glob("xiafang-data*")
                   if re.fullmatch(r"xiafang-data\d+", p.name))
    assert found, "the app server's data folder was not found"
    return found[0] / "xiafang.db"


def _plan_travel_s(tmp_path: Path, point: tuple[float, float], base: tuple[float, float], tag: str) -> int:
    """Travel seconds of a one-visit plan from the county office to ``point`` and back (plan CLI, 1 s)."""
    (tmp_path / f"v_{tag}.csv").write_text(f"id,lon,lat,service_min,priority\nV1,{point[0]},{point[1]},60,3\n",
                                           encoding="utf-8")
    write_teams_csv([Team("T1", "一组", base[0], base[1])], tmp_path / f"t_{tag}.csv")
    out = tmp_path / f"plan_{tag}.json"
    assert main(["plan", "--visits", str(tmp_path / f"v_{tag}.csv"), "--teams", str(tmp_path / f"t_{tag}.csv"),
                 "--start", "2026-12-07", "--days", "1", "--time-limit", "1", "--out", str(out)]) == 0
    (route,) = json.loads(out.read_text(encoding="utf-8"))["routes"]
    return route["travel_s"]  # the day's travel, out and back


def test_correct_a_village_on_the_map(app_server, page_factory, tmp_path_factory, tmp_path, monkeypatch) -> None:
    # Letters of our own (not the demo's): two from one village, placed on its town's seat.
    engine = make_engine(f"sqlite:///{_database(tmp_path_factory)}")
    upgrade(engine)
    letters = HEADER + "".join(
        f"{no},2026-11-02,2026-12-31,来信,惠农补贴,匿名,,,反映村里克扣补贴。,林某,村委会,平和县山格镇土田村{g},,,,待办\n"
        for no, g in (("BRW-1", ""), ("BRW-2", "2组")))
    intake.import_register(engine, letters.encode("utf-8"), filename="b.csv", today=dt.date(2026, 11, 26))
    with session_scope(engine) as s:
        row = s.scalars(select(CaseRow).where(CaseRow.case_no == "BRW-1")).one()
        assert row.point_source in {"town_seat", "register_median"}  # the demo may already teach this village a point
        case_no, village_code, seat = row.case_no, row.village_code, (row.lon, row.lat)
        estimated = row.point_source == "town_seat"
        county_code, address = row.county_code, f"{row.county}{row.town}{row.village}"
        if get_actor(s, USER) is None:
            create_user(s, USER, PASSWORD, role="coordinator", display_name="地名校准测试")

    page, rec = page_factory(DESKTOP)
    page.goto(app_server + "/case_map", wait_until="domcontentloaded")
    wait_for_app(page, timeout_ms=240_000)  # the first page of a fresh server may load the demo register
    if page.locator("input[autocomplete=username]").count():
        sign_in(page, None, USER, PASSWORD)
        # A new URL would start a new (signed-out) session: go through the sidebar, on a desktop it is open.
        page.locator('[data-testid="stSidebarNav"] a', has_text="案件地图").click()
        page.wait_for_function("() => document.querySelector('h1') && document.querySelector('h1').innerText"
                               ".includes('案件地图')")
        wait_for_app(page)
    picker = page.locator('[data-testid="stSelectbox"]', has_text="查看信访件")
    picker.click()
    page.keyboard.type(case_no)
    page.keyboard.press("Enter")
    page.locator("h3", has_text=f"信访件 {case_no}").wait_for(timeout=30_000)
    wait_for_app(page)
    if estimated:  # a point learnt from the demo's register coordinates is not an estimate
        assert page.locator("text=位置为估计").count() >= 1

    # Zoom to the seat and click 3 km east of it, like an officer who knows where the village is.
    frame = map_frame(page)
    frame.evaluate(f"() => window.map.setView([{seat[1]}, {seat[0]}], 13, {{animate: false}})")
    page.wait_for_timeout(500)
    target = frame.evaluate(f"() => window.map.latLngToContainerPoint([{seat[1]}, {seat[0] + 0.03}])")
    frame.locator(".leaflet-container").first.click(position={"x": target["x"], "y": target["y"]}, force=True)
    wait_for_app(page)
    page.get_by_text("校准位置：在上方地图上点击真实位置").click()
    lon_box = page.get_by_label("经度")
    lon_box.wait_for(timeout=20_000)
    clicked_lon = float(lon_box.input_value())
    assert abs(clicked_lon - (seat[0] + 0.03)) < 0.002
    page.get_by_role("button", name="保存校准位置").click()
    # the flash and, once cases moved, the detail too (CI once took over 30 s under load; once, in a full local CI
    # run, no flash came in 90 s, and the test passed alone and with the browser tests: a click that reached the
    # page during a rerun is lost, so it is made once more — saving the same point twice changes nothing)
    try:
        page.locator("text=已校准").first.wait_for(timeout=60_000)
    except PlaywrightTimeout:
        wait_for_app(page)
        page.get_by_role("button", name="保存校准位置").click()
        page.locator("text=已校准").first.wait_for(timeout=90_000)
    # The detail follows at once (no stale cached case list): the point is a correction, no longer an estimate.
    page.locator("text=位置已校准").wait_for(timeout=60_000)
    wait_for_app(page)
    assert page.locator("text=位置为估计").count() == 0
    page.screenshot(path=str(SCREENSHOTS / "case-map-correction-desktop.png"))
    assert not rec.external(), rec.external()[:5]

    with session_scope(engine) as s:
        place = s.scalars(select(PlaceRow).where(PlaceRow.village_code == village_code)).one()
        fixed = (place.lon, place.lat)
        moved = s.scalars(select(CaseRow).where(CaseRow.case_no == case_no)).one()
        assert (moved.lon, moved.lat, moved.point_source) == (fixed[0], fixed[1], "corrected")
        other = s.scalars(select(CaseRow).where(CaseRow.case_no == "BRW-2")).one()
        assert (other.lon, other.lat) == fixed  # the village's other open letter moved with it
    assert abs(fixed[0] - (seat[0] + 0.03)) < 0.002 and abs(fixed[1] - seat[1]) < 0.002

    # A new letter from that village lands on the corrected point.
    data = HEADER + f"NEW-1,2026-11-20,2027-01-19,来信,惠农补贴,匿名,,,反映补贴问题。,林某,村委会,{address}3组,,,,"
    data += "待办\n"
    intake.import_register(engine, data.encode("utf-8"), filename="new.csv", today=dt.date(2026, 11, 26))
    with session_scope(engine) as s:
        new = s.scalars(select(CaseRow).where(CaseRow.case_no == "NEW-1")).one()
        assert (new.lon, new.lat, new.point_source, new.village_code) == (*fixed, "corrected", village_code)

    # The plan's travel times follow: from the county office to the village, before and after.
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("XIAFANG_DATA_DIR", str(tmp_path / "data"))
    base = next(b for b in geodata.bases() if b.county_code == county_code)
    before = _plan_travel_s(tmp_path, seat, (base.lon, base.lat), "before")
    after = _plan_travel_s(tmp_path, fixed, (base.lon, base.lat), "after")
    from planner.routing.travel import OfflineTravelModel, Point

    model = OfflineTravelModel()
    m0 = model.matrix([Point("b", base.lon, base.lat), Point("v", *seat)]).travel_s[0, 1]
    m1 = model.matrix([Point("b", base.lon, base.lat), Point("v", *fixed)]).travel_s[0, 1]
    assert before != after and (after - before) * (m1 - m0) > 0  # same direction as the straight-line model
    engine.dispose()
