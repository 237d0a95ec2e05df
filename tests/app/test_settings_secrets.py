"""Issue 13.10: a demo visitor cannot change settings that outlive the demo; the 天地图 key never reaches a browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from _ui_data import db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.errors import PermissionDenied
from planner.field.maps import MapTiles
from planner.office.security import DEMO_ACTOR, Actor
from planner.office.settings import AppSettings, load_settings, save_settings
from planner.store.database import session_scope

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "settings.py")
SECRET = "tk-0123456789abcdef-secret"


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    with session_scope(engine) as s:
        save_settings(s, AppSettings(tiles=MapTiles(tianditu_key=SECRET)))
    return AppTest.from_file(PAGE, default_timeout=30)


def _everything_sent(at: AppTest) -> str:
    return "\n".join(repr(node.proto) for node in at.main if hasattr(node, "proto")) + repr(at.text_input)


def test_demo_visitor_cannot_switch_tiles_on(engine, app: AppTest) -> None:
    with session_scope(engine) as s:
        with pytest.raises(PermissionDenied, match="演示模式"):
            save_settings(s, AppSettings(tiles=MapTiles(osm=True)), actor=DEMO_ACTOR)
    app.session_state[Key.ACTOR] = DEMO_ACTOR
    app.run()
    assert any("演示模式" in i.value for i in app.info)
    assert app.button[0].disabled
    with session_scope(engine) as s:
        assert not load_settings(s).tiles.osm


@pytest.mark.parametrize("role", ["officer", "leader", "coordinator", "admin"])
def test_the_tianditu_key_is_never_sent_to_the_browser(app: AppTest, role: str) -> None:
    app.session_state[Key.ACTOR] = Actor(username=f"u_{role}", role=role)
    app.run()
    assert not app.exception
    if role in ("coordinator", "admin"):  # those who may change settings; others read only 已设置 (test_f13)
        assert app.text_input(key="set_tianditu_key").value == ""
    assert SECRET not in _everything_sent(app)


def test_an_editor_keeps_replaces_or_clears_the_key(engine, app: AppTest) -> None:
    app.session_state[Key.ACTOR] = Actor(username="coord", role="coordinator")
    app.run()
    app.checkbox(key="set_osm").check()
    app.button[0].click().run()  # key field left empty: the stored key is kept
    with session_scope(engine) as s:
        assert load_settings(s).tiles.tianditu_key == SECRET and load_settings(s).tiles.osm
    app.text_input(key="set_tianditu_key").input("new-key-2")
    app.button[0].click().run()
    with session_scope(engine) as s:
        assert load_settings(s).tiles.tianditu_key == "new-key-2"
    app.checkbox(key="set_tianditu_clear").check()
    app.button[0].click().run()
    with session_scope(engine) as s:
        assert load_settings(s).tiles.tianditu_key == ""
