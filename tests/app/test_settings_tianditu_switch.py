"""设置: 天地图 tiles have a switch of their own. Entering the office's key (e.g. only for 地名校准's online
calibration) switched 天地图 tiles on for every map, with no checkbox to say so (found on the walk)."""

from __future__ import annotations

from pathlib import Path

from _ui_data import db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.field.maps import MapTiles
from planner.office.security import Actor
from planner.office.settings import load_settings
from planner.store.database import session_scope
from planner.store.models import SettingRow

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "settings.py")


def _page(engine, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state[Key.ACTOR] = Actor(username="coord", role="coordinator")
    return at


def test_a_key_alone_keeps_tiles_off_and_the_switch_turns_them_on(engine, monkeypatch) -> None:
    app = _page(engine, monkeypatch)
    app.run()
    assert app.checkbox(key="set_tianditu_on").value is False
    app.text_input(key="set_tianditu_key").input("calibrateonly1")
    app.checkbox(key="set_place_calibration").check()
    app.button[0].click().run()
    assert not app.exception
    with session_scope(engine) as s:
        tiles = load_settings(s).tiles
    assert tiles.tianditu_key == "calibrateonly1" and not tiles.tianditu_on and not tiles.any

    app.checkbox(key="set_tianditu_on").check()
    app.button[0].click().run()
    with session_scope(engine) as s:
        tiles = load_settings(s).tiles
    assert tiles.tianditu_on and tiles.any and tiles.tianditu_key == "calibrateonly1"


def test_settings_saved_before_the_switch_keep_their_tiles(engine) -> None:
    with session_scope(engine) as s:
        s.add(SettingRow(key="map_tiles", value={"osm": False, "tianditu_key": "oldkey", "amap": False}))
    with session_scope(engine) as s:
        assert load_settings(s).tiles.tianditu_on
    assert not MapTiles(tianditu_key="k", tianditu=False).any
